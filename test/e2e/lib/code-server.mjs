// @ts-check
// Starting and stopping a real VS Code server (code-server) for one test profile.
// Every instance gets its own user-data dir, TMPDIR and XDG dirs, listens on 127.0.0.1 only, refuses a
// port that is already taken (a stale server there once made a run test the wrong instance) and runs in its
// own process group, so stopping it also stops its extension host and our language server.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import http from 'node:http';
import path from 'node:path';
import { pollUntil, requireEnv } from './util.mjs';

/** Workbench settings that keep first-run clutter and network calls out of the way. */
export const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  // code-server notices every port our fakes / proxy open and offers to forward it in a toast.
  'remote.autoForwardPorts': false,
  // The DOM renderer keeps the terminal's text readable by Playwright.
  'terminal.integrated.gpuAcceleration': 'off',
  'terminal.integrated.defaultProfile.linux': 'bash',
  'editor.accessibilitySupport': 'off',
};

export function writeUserSettings(userDataDir, settings) {
  const dir = path.join(userDataDir, 'User');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...settings }, null, 2));
}

/** Resolves if nothing listens on 127.0.0.1:port; rejects otherwise (never picks another port silently). */
export function assertPortFree(port) {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', (/** @type {NodeJS.ErrnoException} */ e) =>
      reject(new Error(e.code === 'EADDRINUSE' ? `port ${port} is already in use: stop what listens there or set E2E_PORT` : e.message)),
    );
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve()));
  });
}

// Servers still running when this process ends (a timeout in run.sh, Ctrl+C, a crash) are killed with
// their whole process group, so no extension host or language server outlives the run.
const running = new Set();
let hooksInstalled = false;
function killAllSync() {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {}
  }
  running.clear();
}
function installExitHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      killAllSync();
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}

const healthy = (url) =>
  new Promise((resolve) => {
    const req = http.get(url, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      // code-server answers {"status":"alive"|"expired","lastHeartbeat":…}: "expired" until a browser connects.
      res.on('end', () => resolve(res.statusCode === 200 && /"status"/.test(body)));
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => req.destroy());
  });

/**
 * Starts code-server. `dir` is a throwaway folder for this instance (user data, tmp, logs).
 * Returns { url, pid, userDataDir, logFile, stop(), onExit }.
 */
export async function startCodeServer({ port, dir, extensionsDir, settings = {}, env = {}, log }) {
  const codeServer = requireEnv('CODE_SERVER');
  await assertPortFree(port);
  const userDataDir = path.join(dir, 'user-data');
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  writeUserSettings(userDataDir, settings);
  const logFile = path.join(dir, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  const args = [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--config', path.join(dir, 'config.yaml'),
    ...(process.env.CS_EXTRA_ARGS || '').split(/\s+/).filter(Boolean),
  ];
  const childEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k]; // profiles remove vars this way
  const child = spawn(codeServer, args, {
    env: {
      ...childEnv,
      EXTENSIONS_GALLERY: '{}',
      // The extension host leaves vscode-*.sock files in TMPDIR; keep them in the throwaway folder.
      TMPDIR: tmp,
      XDG_CONFIG_HOME: path.join(dir, 'xdg-config'),
      XDG_DATA_HOME: path.join(dir, 'xdg-data'),
      XDG_CACHE_HOME: path.join(dir, 'xdg-cache'),
    },
    stdio: ['ignore', out, out],
    detached: true, // own process group: kill(-pid) also ends the extension host and the language server
  });
  fs.closeSync(out);
  installExitHooks();
  running.add(child.pid);
  let exited = null;
  /** Resolves with the exit code/signal if the server ends on its own (a runner races its waits with it). */
  const onExit = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = signal || code))));
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    const alive = () => {
      try {
        process.kill(-child.pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
    for (let i = 0; i < 40 && alive(); i++) await new Promise((r) => setTimeout(r, 250));
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
    running.delete(child.pid);
  };

  try {
    await pollUntil(async () => {
      if (exited !== null) throw new Error(`code-server exited (${exited}); see ${logFile}`);
      return healthy(`${url}/healthz`);
    }, { timeoutMs: 60_000, intervalMs: 250, what: `code-server on ${url}` });
    // The health check could have reached someone else's server if ours died right away.
    if (exited !== null) throw new Error(`code-server exited (${exited}); see ${logFile}`);
  } catch (e) {
    await stop();
    throw e;
  }
  log?.(`code-server ${process.env.CS_VERSION || ''} up on ${url} (pgid ${child.pid})`);
  return { url, pid: child.pid, userDataDir, logFile, stop, onExit };
}

/** Files under the instance's log folder whose name matches `re` (e.g. the Switchyard output channel log). */
export function findLogs(userDataDir, re) {
  const found = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (re.test(p)) found.push(p);
    }
  };
  const logs = path.join(userDataDir, 'logs');
  if (fs.existsSync(logs)) walk(logs);
  return found;
}
