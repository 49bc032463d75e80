// Activation cost and bundle sizes (issue 2). Targets: activate() ≤ 200 ms, client bundle ≤ 300 KB.
// activate() is timed in-process with a permissive stand-in for the `vscode` module (every API
// call succeeds and returns another stand-in), so what is measured is the extension's own work on
// the activation path: loading its bundle and registering views, commands and the client. The
// baseline, measured in the same run, is loading vscode-languageclient alone — the floor any
// LSP-based extension pays. The real VS Code run (npm run test:e2e) checks activation end to end.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const RUNS = 15;

function childTime(script: string): number {
  const r = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
  const value = Number(r.stdout.trim().split('\n').pop());
  if (r.status !== 0 || !Number.isFinite(value)) {
    throw new Error(`measurement failed (exit ${r.status}): ${r.stderr.split('\n').filter((l) => /^\w*Error\b/.test(l)).slice(0, 3).join(' | ').slice(0, 500)}`);
  }
  return value;
}

// The API's top-level names, read from @types/vscode, so that bundlers' namespace interop sees them.
const API_NAMES = [
  ...new Set(
    [...readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8').matchAll(/^\texport (?:namespace|class|enum|const|function|let) (\w+)/gm)].map(
      (m) => m[1],
    ),
  ),
];
const SHIM = `
const Module = require('module');
const handler = {
  get: (t, p) => p === 'then' ? undefined : p === Symbol.toPrimitive ? () => '' : (t[p] ??= mk()),
  // Assignments (statusItem.name = …) land on the stand-in, even over a function's read-only own props.
  set: (t, p, v) => (Object.defineProperty(t, p, { value: v, writable: true, configurable: true }), true),
  apply: () => mk(), construct: () => mk(),
};
function mk() { return new Proxy(function () {}, handler); }
const vscode = {};
for (const k of ${JSON.stringify(API_NAMES)}) vscode[k] = mk();
vscode.version = '1.100.3';
const load = Module._load;
Module._load = function (req, ...rest) { return req === 'vscode' ? vscode : load.call(this, req, ...rest); };
`;
const activateScript = `${SHIM}
const t0 = process.hrtime.bigint();
const ext = require('./dist/client.js');
const ctx = new Proxy({ subscriptions: [], asAbsolutePath: (p) => require('path').join(process.cwd(), p) }, { get: (t, p) => p in t ? t[p] : mk() });
ext.activate(ctx);
console.log(Number(process.hrtime.bigint() - t0) / 1e6);
process.exit(0);`;
const baselineScript = `${SHIM}
const t0 = process.hrtime.bigint();
require('vscode-languageclient/node');
console.log(Number(process.hrtime.bigint() - t0) / 1e6);
process.exit(0);`;

execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'ignore' });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const act: number[] = [];
const base: number[] = [];
for (let i = 0; i < RUNS; i++) {
  act.push(childTime(activateScript));
  base.push(childTime(baselineScript));
}
const sizes = Object.fromEntries(
  ['client.js', 'server.js', 'webview.js'].map((f) => [f, Math.round(statSync(path.join(root, 'dist', f)).size / 1024)]),
);
const result = {
  activateMedianMs: +median(act).toFixed(1),
  baselineLanguageClientLoadMs: +median(base).toFixed(1),
  ratio: +(median(act) / median(base)).toFixed(2),
  bundleKB: sizes,
  targets: { activateMs: 200, clientKB: 300 },
};
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(path.join(root, 'bench/results/activation.json'), JSON.stringify(result, null, 2));
console.log('| measure | value | baseline / target |');
console.log('| --- | --- | --- |');
console.log(`| activate() median of ${RUNS} | ${result.activateMedianMs} ms | languageclient load ${result.baselineLanguageClientLoadMs} ms (×${result.ratio}); target ≤ 200 ms |`);
for (const [f, kb] of Object.entries(sizes)) console.log(`| dist/${f} (minified) | ${kb} KB | ${f === 'client.js' ? 'target ≤ 300 KB' : ''} |`);
// Leave a development build behind, as `npm run build` would.
execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'ignore' });
