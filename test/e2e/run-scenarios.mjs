// @ts-check
// Runs the Playwright UI scenarios (scenarios/index.mjs) against a real VS Code (code-server) that has the
// packaged extension installed. One code-server per profile in use (settings + environment), one fresh
// browser context and workspace folder per scenario.
// Usage (run.sh does this): node run-scenarios.mjs --extensions-dir DIR --run-dir DIR [--fakes FILE]
//   [--out DIR] [--port N] [--results FILE] [--only SUBSTRING (any case)]
//   [--scenario FILE]   run that one module instead of the list (to develop a scenario or a draft)
//   [--set NAME]        the list to run: default (VS Code 1.100), vscode-chat (the 4.139.1 route)
// Needs the variables of .cache/e2e/env.sh (CODE_SERVER, PLAYWRIGHT_CORE).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SCENARIO_SETS } from './scenarios/index.mjs';
import { E2E_DIR, makeLog, parseArgs, withTimeout, writeResults } from './lib/util.mjs';
import { startCodeServer, findLogs } from './lib/code-server.mjs';
import { launchBrowser, newPage } from './lib/browser.mjs';
import { buildProfile, readFakes } from './lib/profiles.mjs';
import * as wb from './lib/workbench.mjs';

const args = parseArgs();
const log = makeLog('ui');
const runDir = path.resolve(args['run-dir'] || fs.mkdtempSync('/tmp/switchyard-e2e-'));
const outDir = path.resolve(args.out || path.join(E2E_DIR, 'out'));
const port = Number(args.port || process.env.E2E_PORT || 8765);
if (!args['extensions-dir']) throw new Error('--extensions-dir is required (the folder the .vsix was installed into)');
const extensionsDir = path.resolve(args['extensions-dir']);
const fakes = readFakes(args.fakes);

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const selected = args.scenario
  ? [(await import(path.resolve(args.scenario))).default]
  : scenarioSet(args.set || 'default').filter((s) => !args.only || s.name.toLowerCase().includes(String(args.only).toLowerCase()));
function scenarioSet(name) {
  const set = SCENARIO_SETS[name];
  if (!set) throw new Error(`unknown scenario set "${name}" (known: ${Object.keys(SCENARIO_SETS).join(', ')})`);
  return set;
}
const results = { passed: [], failed: [] };

async function runScenario(browser, server, scenario, profile) {
  const id = slug(scenario.name);
  const slog = makeLog(`[${id}]`);
  const workspace = path.join(runDir, 'workspaces', id);
  fs.mkdirSync(workspace, { recursive: true });
  for (const [rel, content] of Object.entries(scenario.files || {})) {
    fs.mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true });
    fs.writeFileSync(path.join(workspace, rel), content);
  }
  const { context, page, blocked } = await newPage(browser, { log: slog });
  const t = Date.now();
  const ctx = {
    page,
    log: slog,
    wb,
    assert,
    workspace,
    fakes,
    profile,
    outDir,
    /** Screenshot saved as out/<scenario>-<name>.png; `{ clip }` (e.g. from wb.regionOf) keeps only that part. */
    shot: (name, opts) => wb.shot(page, outDir, `${id}-${name}`, slog, opts),
    /** Everything the extension wrote to its "Switchyard" output channel so far (from the log file). */
    extensionLog: () =>
      findLogs(server.userDataDir, /Switchyard\.log$/)
        .map((f) => fs.readFileSync(f, 'utf8'))
        .join('\n'),
  };
  slog(`start (profile ${scenario.profile})`);
  try {
    const serverDied = server.onExit.then((c) => {
      throw new Error(`code-server exited (${c}) during the scenario; see ${server.logFile}`);
    });
    serverDied.catch(() => {}); // it also rejects when the runner stops the server later
    await withTimeout(
      Promise.race([
        (async () => {
          await wb.openWorkbench(page, server.url, workspace, { log: slog });
          await scenario.run(ctx);
        })(),
        serverDied,
      ]),
      scenario.timeoutMs || 120_000,
      scenario.name,
    );
    if (blocked.length) slog(`note: ${blocked.length} non-loopback request(s) were blocked`);
    results.passed.push(scenario.name);
    console.log(`✔ ${scenario.name} (${((Date.now() - t) / 1000).toFixed(1)}s)`);
  } catch (e) {
    results.failed.push({ name: scenario.name, error: e.message });
    console.log(`✗ ${scenario.name} (${((Date.now() - t) / 1000).toFixed(1)}s)\n    ${String(e.message).split('\n').join('\n    ')}`);
    await wb.shot(page, outDir, `${id}-FAILED`, slog).catch(() => {});
    // The extension's own log is the first thing to read when a scenario fails.
    const logsDir = path.join(outDir, `${id}-logs`);
    fs.mkdirSync(logsDir, { recursive: true });
    for (const f of findLogs(server.userDataDir, /(Switchyard|remoteexthost|exthost)\.log$/)) {
      fs.copyFileSync(f, path.join(logsDir, path.basename(path.dirname(f)) + '-' + path.basename(f)));
    }
    fs.copyFileSync(server.logFile, path.join(logsDir, 'code-server.log'));
    slog(`logs copied to ${path.relative(process.cwd(), logsDir)}`);
  } finally {
    await context.close().catch(() => {});
    // Written after every scenario: if run.sh's stage timeout kills this runner, what ran still counts.
    writeResults(args.results, results);
  }
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  log(`${selected.length} scenario(s); screenshots in ${path.relative(process.cwd(), outDir) || '.'}`);
  if (!selected.length) throw new Error('no scenario selected');
  const browser = await launchBrowser(path.join(runDir, 'chromium'));
  try {
    // Keep the list order, grouped by profile so each profile's server starts once.
    const profiles = [...new Set(selected.map((s) => s.profile))];
    for (const name of profiles) {
      const scenarios = selected.filter((s) => s.profile === name);
      let profile, server;
      try {
        profile = buildProfile(name, fakes);
        server = await startCodeServer({
          port, dir: path.join(runDir, `profile-${name}`), extensionsDir, settings: profile.settings, env: profile.env, log,
        });
      } catch (e) {
        for (const s of scenarios) {
          results.failed.push({ name: s.name, error: e.message });
          console.log(`✗ ${s.name}\n    ${e.message}`);
        }
        continue;
      }
      try {
        for (const s of scenarios) await runScenario(browser, server, s, profile);
      } finally {
        await server.stop();
        log(`code-server for profile ${name} stopped`);
      }
    }
  } finally {
    await browser.close().catch(() => {});
  }
}

try {
  await main();
} catch (e) {
  results.failed.push({ name: 'UI scenario runner', error: e.message });
  console.log(`✗ UI scenario runner: ${e.message}`);
}
writeResults(args.results, results);
console.log(`UI scenarios — ${results.passed.length} passed, ${results.failed.length} failed`);
process.exit(results.failed.length ? 1 : 0);
