// @ts-check
// Runs the extension-host tests (ext-tests/index.cjs, the @vscode/test-electron contract: run(): Promise<void>)
// inside a REAL VS Code: code-server + headless Chromium, no download. The workbench is opened with
//   ?payload=[["extensionDevelopmentPath", URI], ["extensionTestsPath", URI]]
// so VS Code loads the extension from that folder and runs the tests in its Node extension host; when run()
// settles the extension host exits and the workbench calls window.codeAutomationExit(code), exposed here.
// Usage: node run-ext-tests.mjs [--dev-path DIR] [--tests FILE] [--profile NAME] [--fakes FILE]
//          [--port N] [--run-dir DIR] [--results FILE] [--out DIR]
//   --dev-path  the extension folder (default: the repo root; run.sh passes the unpacked .vsix)
// Env: E2E_PORT (base port; this runner uses E2E_PORT+1), TEST_TIMEOUT_MS (default 180000), VERBOSE=1.
import fs from 'node:fs';
import path from 'node:path';
import { E2E_DIR, ROOT, makeLog, parseArgs, withTimeout, writeResults } from './lib/util.mjs';
import { startCodeServer, findLogs } from './lib/code-server.mjs';
import { launchBrowser, newPage } from './lib/browser.mjs';
import { openWorkbench, shot } from './lib/workbench.mjs';
import { buildProfile, readFakes } from './lib/profiles.mjs';

const args = parseArgs();
const log = makeLog('ext-tests');
const devPath = path.resolve(args['dev-path'] || ROOT);
const testsPath = path.resolve(args.tests || path.join(E2E_DIR, 'ext-tests', 'index.cjs'));
const port = Number(args.port || Number(process.env.E2E_PORT || 8765) + 1);
const runDir = path.resolve(args['run-dir'] || fs.mkdtempSync('/tmp/switchyard-ext-tests-'));
const outDir = path.resolve(args.out || path.join(E2E_DIR, 'out'));
const timeoutMs = Number(process.env.TEST_TIMEOUT_MS || 180_000);
const resultsInHost = path.join(runDir, 'ext-host-results.json');

/**
 * Renders a browser console message. The extension host forwards console.log as
 * ('%c INFO', 'color: …', '<original format>', ...args): apply printf-style formatting level by level.
 */
function format(values) {
  if (typeof values[0] !== 'string' || !/%[sdifoOc]/.test(values[0])) return values.map(String).join(' ');
  let i = 1;
  const s = values[0].replace(/%[sdifoOc]/g, (m) => (i < values.length ? (m === '%c' ? (i++, '') : String(values[i++])) : m));
  const rest = values.slice(i);
  return rest.length ? `${s} ${format(rest)}` : s;
}

async function main() {
  for (const [what, p] of [['extension folder', path.join(devPath, 'package.json')], ['tests', testsPath]]) {
    if (!fs.existsSync(p)) throw new Error(`${what} not found: ${p}`);
  }
  if (!fs.existsSync(path.join(devPath, 'dist', 'client.js'))) throw new Error(`${devPath}/dist/client.js is missing: build first`);
  const workspace = path.join(runDir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'README.md'), '# extension-host test workspace\n');
  fs.rmSync(resultsInHost, { force: true });

  const profile = buildProfile(args.profile || 'no-gateway', readFakes(args.fakes));
  const server = await startCodeServer({
    port,
    dir: path.join(runDir, 'code-server'),
    // Empty: the extension under test comes from extensionDevelopmentPath only.
    extensionsDir: path.join(runDir, 'code-server', 'extensions'),
    settings: profile.settings,
    env: { ...profile.env, SWITCHYARD_E2E_RESULTS: resultsInHost },
    log,
  });
  const browser = await launchBrowser(path.join(runDir, 'chromium'));
  let exitCode;
  try {
    const { page } = await newPage(browser, {
      log,
      onConsole: async (msg) => {
        const values = await Promise.all(msg.args().map((a) => a.jsonValue().catch(() => '?')));
        const text = format(values).replace(/^\s*(INFO|ERR|WARN|DEBUG|TRACE)\s/, '').trim();
        if (/^[✔✗]|^\d+ passed, \d+ failed$/.test(text)) console.log(`  | ${text.split('\n').join('\n  | ')}`);
        else if (process.env.VERBOSE) console.log(`  . ${text.slice(0, 500)}`);
      },
    });
    const exited = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code) => resolve(code)));
    // The remote authority is host:port of the page; the paths are on the server's file system.
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    await openWorkbench(page, server.url, workspace, {
      log,
      payload: [['extensionDevelopmentPath', remote(devPath)], ['extensionTestsPath', remote(testsPath)]],
    });
    try {
      const serverDied = server.onExit.then((c) => {
        throw new Error(`code-server exited (${c}) before the tests finished; see ${server.logFile}`);
      });
      serverDied.catch(() => {}); // it also rejects when we stop the server at the end
      exitCode = await withTimeout(
        Promise.race([exited, serverDied]),
        timeoutMs,
        'extension-host tests (no codeAutomationExit: is the URL payload honoured? newer code-server needs CS_EXTRA_ARGS="--vscode-option enable-smoke-test-driver")',
      );
      log(`extension host exited with code ${exitCode}`);
    } catch (e) {
      await shot(page, outDir, 'ext-tests-FAILED', log).catch(() => {});
      throw e;
    }
  } finally {
    await browser.close().catch(() => {});
    if (exitCode !== 0) {
      const logsDir = path.join(outDir, 'ext-tests-logs');
      fs.mkdirSync(logsDir, { recursive: true });
      for (const f of findLogs(server.userDataDir, /(Switchyard|exthost)\.log$/)) {
        fs.copyFileSync(f, path.join(logsDir, path.basename(path.dirname(f)) + '-' + path.basename(f)));
      }
      fs.copyFileSync(server.logFile, path.join(logsDir, 'code-server.log'));
      log(`logs copied to ${path.relative(process.cwd(), logsDir)}`);
    }
    await server.stop();
  }
  if (!fs.existsSync(resultsInHost)) {
    throw new Error(`the extension host exited with ${exitCode} but wrote no results: run() never ran or crashed before its end`);
  }
  const results = JSON.parse(fs.readFileSync(resultsInHost, 'utf8'));
  if (exitCode !== 0 && results.failed.length === 0) {
    results.failed.push({ name: 'extension host exit code', error: `exited with ${exitCode}` });
  }
  return results;
}

let results;
try {
  results = await main();
} catch (e) {
  console.log(`✗ extension-host test run: ${e.message}`);
  results = { passed: [], failed: [{ name: 'extension-host test run', error: e.message }] };
}
writeResults(args.results, results);
console.log(`extension-host tests — ${results.passed.length} passed, ${results.failed.length} failed`);
process.exit(results.failed.length ? 1 : 0);
