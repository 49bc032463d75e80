// A permissive stand-in for the `vscode` module, for loading the built extension outside VS Code
// (bench/activation.bench.ts, test/unit/client-start.test.ts): every API call succeeds and returns
// another stand-in, so what runs is the extension's own code. It checks nothing about the API —
// the real VS Code runs (npm run test:e2e) do that.
const Module = require('node:module');
const { readFileSync } = require('node:fs');

/** The API's top-level names, read from @types/vscode, so that bundlers' namespace interop sees them. */
const API_NAMES = [
  ...new Set(
    [...readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8').matchAll(/^\texport (?:namespace|class|enum|const|function|let) (\w+)/gm)].map((m) => m[1]),
  ),
];

const handler = {
  get: (t, p) => (p === 'then' ? undefined : p === Symbol.toPrimitive ? () => '' : (t[p] ??= make())),
  // Assignments (statusItem.name = …) land on the stand-in, even over a function's read-only own props.
  set: (t, p, v) => (Object.defineProperty(t, p, { value: v, writable: true, configurable: true }), true),
  apply: () => make(),
  construct: () => make(),
};
function make() {
  return new Proxy(function () {}, handler);
}

/**
 * Makes `require('vscode')` return a new stand-in (version 1.100.3); `overrides` replaces members of
 * its namespaces, e.g. { window: { showErrorMessage } }. Returns the stand-in and a function that
 * undoes the hook.
 */
function installVscodeStandIn(overrides = {}) {
  const vscode = { version: '1.100.3' };
  for (const k of API_NAMES) vscode[k] = make();
  for (const [ns, members] of Object.entries(overrides)) Object.assign(vscode[ns], members);
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === 'vscode' ? vscode : load.call(this, request, ...rest);
  };
  return { vscode, make, restore: () => void (Module._load = load) };
}

module.exports = { installVscodeStandIn };
