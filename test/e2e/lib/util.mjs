// @ts-check
// Shared bits of the e2e harness: paths, timestamped logging, the Playwright import (it lives in the
// git-ignored cache installed by setup.sh, not in the project's node_modules), condition waits.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';

export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(E2E_DIR, '..', '..');
export const CACHE = process.env.E2E_CACHE || path.join(ROOT, '.cache', 'e2e');

const t0 = Date.now();
/** `[04:12:01.234 +12.3s] tag message` — wall clock to match server logs, offset to read durations. */
export function makeLog(tag) {
  return (...args) => {
    const now = new Date();
    const clock = now.toTimeString().slice(0, 8) + '.' + String(now.getMilliseconds()).padStart(3, '0');
    console.log(`[${clock} +${((Date.now() - t0) / 1000).toFixed(1)}s] ${tag}`, ...args);
  };
}

/** playwright-core from the e2e cache (PLAYWRIGHT_CORE is written into env.sh by setup.sh). */
export function playwright() {
  const dir = process.env.PLAYWRIGHT_CORE || path.join(CACHE, 'tools', 'node_modules', 'playwright-core');
  if (!fs.existsSync(path.join(dir, 'package.json'))) {
    throw new Error(`playwright-core not found at ${dir}: run bash test/e2e/setup.sh`);
  }
  return createRequire(import.meta.url)(dir);
}

export function requireEnv(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: source ${path.join(CACHE, 'env.sh')} (written by test/e2e/setup.sh)`);
  return v;
}

/** Rejects with `what` after ms; the promise itself keeps running (callers tear down what they started). */
export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Polls `probe` until it returns a truthy value (returned) or the deadline passes; an error with `fatal: true`
 * ends the wait at once. For conditions outside the page (inside it, use Playwright's own waits).
 */
export async function pollUntil(probe, { timeoutMs = 30_000, intervalMs = 200, what = 'condition' } = {}) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      if (e.fatal) throw e; // the probe knows waiting longer cannot help
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Parses argv of the form --key value / --flag into an object. */
export function parseArgs(argv = process.argv.slice(2)) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const key = a.slice(2);
    if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out[key] = argv[++i];
    else out[key] = true;
  }
  return out;
}

/** Results files let run.sh add up the UI scenarios and the extension-host tests into one line. */
export function writeResults(file, results) {
  if (!file) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(results, null, 2));
}
