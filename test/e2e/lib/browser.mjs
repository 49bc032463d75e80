// @ts-check
// Headless Debian Chromium driven by playwright-core; loopback traffic only.
import fs from 'node:fs';
import path from 'node:path';
import { playwright } from './util.mjs';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** One browser per run; `dir` keeps Chromium's profile, crash reports and caches out of the home folder. */
export async function launchBrowser(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const { chromium } = playwright();
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    env: { ...process.env, XDG_CONFIG_HOME: dir, XDG_CACHE_HOME: dir, HOME: dir },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    ],
  });
}

/**
 * A fresh context + page. Anything that is not loopback is aborted and logged: a test never depends on
 * the internet, and a request that tries to leave the machine is worth seeing in the log.
 * @param {any} browser
 * @param {{ log?: (msg: string) => void, viewport?: { width: number, height: number }, onConsole?: (msg: any) => void }} [options]
 */
export async function newPage(browser, { log, viewport = { width: 1400, height: 900 }, onConsole } = {}) {
  const context = await browser.newContext({ viewport, permissions: ['clipboard-read', 'clipboard-write'] });
  const blocked = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || LOOPBACK.has(url.hostname)) return route.continue();
    blocked.push(url.href);
    log?.(`blocked non-loopback request: ${url.href}`);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (e) => log?.(`pageerror: ${String(e.message).slice(0, 300)}`));
  if (onConsole) page.on('console', onConsole);
  return { context, page, blocked };
}

/**
 * Saves `<outDir>/<name>.png`: the whole page, or only `clip` ({ x, y, width, height } in CSS pixels).
 * @param {any} page
 * @param {string} outDir
 * @param {string} name
 * @param {(msg: string) => void} log
 * @param {{ clip?: { x: number, y: number, width: number, height: number } }} [options]
 */
export async function screenshot(page, outDir, name, log, { clip } = {}) {
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${name}.png`);
  await page.screenshot({ path: file, ...(clip ? { clip } : {}) });
  log?.(`screenshot ${path.relative(process.cwd(), file)}`);
  return file;
}
