// @ts-check
// `npm run test:vscode`: the same extension-host tests (test/e2e/ext-tests) in desktop VS Code through
// @vscode/test-electron, for machines that can download VS Code (it fetches a build from Microsoft's
// update servers, which the sandboxed test machines cannot reach: there, `npm run test:e2e` runs these
// tests in code-server instead). On a Linux machine without a display, run it under `xvfb-run -a`.
// Env: VSCODE_VERSION (default: the oldest engines.vscode we accept, e.g. 1.91.0; "stable" for the newest),
//      E2E_NO_BUILD=1 (test the dist/ already there).
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CACHE, E2E_DIR, ROOT, makeLog } from '../lib/util.mjs';
import { writeUserSettings } from '../lib/code-server.mjs';
import { buildProfile } from '../lib/profiles.mjs';

const require = createRequire(import.meta.url);
const { runTests } = require('@vscode/test-electron');
const log = makeLog('vscode');

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const version = process.env.VSCODE_VERSION || (pkg.engines?.vscode || '').replace(/^[^\d]*/, '') || 'stable';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-vscode-'));
const results = path.join(tmp, 'results.json');
let passed = 0;
let failed = 0;

try {
  if (!process.env.E2E_NO_BUILD) {
    log('npm run build');
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  const workspace = path.join(tmp, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const userData = path.join(tmp, 'user-data');
  const profile = buildProfile('no-gateway');
  writeUserSettings(userData, profile.settings);
  const env = { ...profile.env, SWITCHYARD_E2E_RESULTS: results };
  log(`VS Code ${version}, extension ${ROOT}`);
  await runTests({
    version,
    cachePath: path.join(CACHE, 'vscode-test'), // git-ignored, next to code-server
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(E2E_DIR, 'ext-tests', 'index.cjs'),
    extensionTestsEnv: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)),
    launchArgs: [
      workspace,
      '--user-data-dir', userData,
      '--extensions-dir', path.join(tmp, 'extensions'),
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
    ],
  }).catch((e) => log(`VS Code exited with an error: ${e?.message || e}`));
  if (fs.existsSync(results)) {
    const r = JSON.parse(fs.readFileSync(results, 'utf8'));
    passed = r.passed.length;
    failed = r.failed.length;
  } else {
    failed = 1;
    console.log('✗ extension-host tests: no results (VS Code did not start or run() never finished)');
  }
} catch (e) {
  failed = Math.max(failed, 1);
  console.log(`✗ ${e.message}`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
