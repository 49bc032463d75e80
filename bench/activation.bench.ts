// Activation cost and bundle sizes (issue 2). Targets: activate() ≤ 200 ms, client bundle ≤ 300 KB.
// The client is two files: dist/client.js (what activation loads) and dist/lsp-client.js
// (vscode-languageclient and the LSP libraries, loaded once activate() has returned); both are
// measured, and so is their sum: deferring a cost is not removing it.
// activate() is timed in-process with a permissive stand-in for the `vscode` module (every API
// call succeeds and returns another stand-in), so what is measured is the extension's own work on
// the activation path: loading its bundle and registering views, commands and the client. The
// baseline, measured in the same run, is loading vscode-languageclient alone — the floor any
// LSP-based extension pays. The real VS Code run (npm run test:e2e) checks activation end to end.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const RUNS = 15;

/** Runs `script` in a fresh Node; its last line of output is a JSON array of numbers (ms). */
function childTimes(script: string): number[] {
  const r = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
  let value: unknown;
  try {
    value = JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
  } catch {
    value = undefined;
  }
  if (r.status !== 0 || !Array.isArray(value) || !value.every(Number.isFinite)) {
    throw new Error(`measurement failed (exit ${r.status}): ${r.stderr.split('\n').filter((l) => /^\w*Error\b/.test(l)).slice(0, 3).join(' | ').slice(0, 500)}`);
  }
  return value as number[];
}

const SHIM = `const { make: mk } = require('./test/unit/vscode-stand-in.cjs').installVscodeStandIn();`;
const activateScript = `${SHIM}
const t0 = process.hrtime.bigint();
const ext = require('./dist/client.js');
const ctx = new Proxy({ subscriptions: [], asAbsolutePath: (p) => require('path').join(process.cwd(), p) }, { get: (t, p) => p in t ? t[p] : mk() });
ext.activate(ctx);
const t1 = process.hrtime.bigint();
// What the deferred start loads next (client/extension.ts); timed here, before it would run.
require('./dist/lsp-client.js');
console.log(JSON.stringify([Number(t1 - t0) / 1e6, Number(process.hrtime.bigint() - t1) / 1e6]));
process.exit(0);`;
const baselineScript = `${SHIM}
const t0 = process.hrtime.bigint();
require('vscode-languageclient/node');
console.log(JSON.stringify([Number(process.hrtime.bigint() - t0) / 1e6]));
process.exit(0);`;

execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'ignore' });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const act: number[] = [];
const lsp: number[] = [];
const both: number[] = [];
const base: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const [a, l] = childTimes(activateScript);
  act.push(a);
  lsp.push(l);
  both.push(a + l);
  base.push(...childTimes(baselineScript));
}
const sizes = Object.fromEntries(
  ['client.js', 'lsp-client.js', 'server.js', 'webview.js'].map((f) => [f, Math.round(statSync(path.join(root, 'dist', f)).size / 1024)]),
);
const ms = (xs: number[]) => +median(xs).toFixed(1);
const result = {
  activateMedianMs: ms(act),
  lspClientLoadAfterActivationMedianMs: ms(lsp),
  activatePlusLspClientMedianMs: ms(both),
  baselineLanguageClientLoadMs: ms(base),
  ratio: +(median(both) / median(base)).toFixed(2),
  bundleKB: sizes,
  targets: { activateMs: 200, clientKB: 300 },
};
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(path.join(root, 'bench/results/activation.json'), JSON.stringify(result, null, 2));
console.log('| measure | value | baseline / target |');
console.log('| --- | --- | --- |');
console.log(`| activate() median of ${RUNS} (load dist/client.js, register everything) | ${result.activateMedianMs} ms | target ≤ 200 ms |`);
console.log(`| then dist/lsp-client.js, loaded after activation | ${result.lspClientLoadAfterActivationMedianMs} ms | |`);
console.log(`| both | ${result.activatePlusLspClientMedianMs} ms | vscode-languageclient alone ${result.baselineLanguageClientLoadMs} ms (×${result.ratio}) |`);
const note: Record<string, string> = { 'client.js': 'target ≤ 300 KB', 'lsp-client.js': 'vscode-languageclient & co., after activation' };
for (const [f, kb] of Object.entries(sizes)) console.log(`| dist/${f} (minified) | ${kb} KB | ${note[f] ?? ''} |`);
// Leave a development build behind, as `npm run build` would.
execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'ignore' });
