// Renders media/icon.png (128×128, the Marketplace icon) from media/switchyard.svg with headless Chromium:
// the activity-bar glyph in white on a rounded dark-teal tile. Run once after changing the SVG:
//   node scripts/gen-icon.mjs
// Needs /usr/bin/chromium (or $CHROMIUM); the PNG is committed, so building never needs a browser.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
const svg = readFileSync(path.join(root, 'media/switchyard.svg'), 'utf8')
  .replace('width="24" height="24"', 'width="96" height="96"')
  .replace('stroke-width="1.6"', 'stroke-width="1.9"');

const html = `<!doctype html><html><head><style>
html,body{margin:0;width:128px;height:128px;background:transparent;overflow:hidden}
.tile{box-sizing:border-box;width:128px;height:128px;border-radius:26px;display:flex;align-items:center;justify-content:center;
  background:linear-gradient(145deg,#1f6f78 0%,#15394f 100%);color:#ffffff}
</style></head><body><div class="tile">${svg}</div></body></html>`;

const dir = mkdtempSync(path.join(tmpdir(), 'switchyard-icon-'));
try {
  const page = path.join(dir, 'icon.html');
  const out = path.join(dir, 'icon.png');
  writeFileSync(page, html);
  execFileSync(chromium, [
    '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--force-device-scale-factor=1',
    '--default-background-color=00000000', `--user-data-dir=${path.join(dir, 'profile')}`,
    '--window-size=128,128', `--screenshot=${out}`, `file://${page}`,
  ], { stdio: 'ignore', timeout: 60_000 });
  const target = path.join(root, 'media/icon.png');
  writeFileSync(target, readFileSync(out));
  console.log(`media/icon.png ${statSync(target).size} bytes`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
