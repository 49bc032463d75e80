// Renders media/icon.png (128×128, the Marketplace icon) from media/switchyard.svg: the activity-bar glyph in
// white on a rounded dark-teal tile. Run after changing the SVG: `node scripts/gen-icon.mjs`.
// With headless Chromium (/usr/bin/chromium or $CHROMIUM, driven by the playwright-core that
// test/e2e/setup.sh installs) the SVG itself is rendered; without it, a small rasterizer draws the same
// glyph (its three strokes, hard-coded below from the SVG) into a PNG written with node's zlib.
// The PNG is committed, so building never needs a browser.
import { createRequire } from 'node:module';
import { existsSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'media/icon.png');
const SIZE = 128;
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
const pwDir = process.env.PLAYWRIGHT_CORE || path.join(root, '.cache/e2e/tools/node_modules/playwright-core');

async function withChromium() {
  const { chromium: pw } = createRequire(import.meta.url)(pwDir);
  const svg = readFileSync(path.join(root, 'media/switchyard.svg'), 'utf8')
    .replace('width="24" height="24"', 'width="96" height="96"')
    .replace('stroke-width="1.6"', 'stroke-width="1.9"');
  const html = `<!doctype html><html><head><style>
html,body{margin:0;width:${SIZE}px;height:${SIZE}px;background:transparent;overflow:hidden}
.tile{box-sizing:border-box;width:${SIZE}px;height:${SIZE}px;border-radius:26px;display:flex;align-items:center;
justify-content:center;background:linear-gradient(145deg,#1f6f78 0%,#15394f 100%);color:#fff}
</style></head><body><div class="tile">${svg}</div></body></html>`;
  const browser = await pw.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
    await page.setContent(html);
    return await page.screenshot({ omitBackground: true });
  } finally {
    await browser.close();
  }
}

// ---- fallback: distance-field rasterizer (anti-aliased), PNG via zlib
function withZlib() {
  const s = 96 / 24, off = 16; // the SVG's 24-unit box scaled to 96 px, centred
  const P = (x, y) => [off + x * s, off + y * s];
  const curve = [P(3, 5), P(9, 5)];
  for (let i = 1; i <= 24; i++) {
    const t = i / 24; // "c3 0 4 2 5 4" then "s2 4 5 4": two cubic Béziers from (9,5) via (14,9) to (19,13)
    const b = (a, c1, c2, d, u) => (1 - u) ** 3 * a + 3 * (1 - u) ** 2 * u * c1 + 3 * (1 - u) * u * u * c2 + u ** 3 * d;
    const seg = t <= 0.5 ? [[9, 12, 13, 14], [5, 5, 7, 9], t * 2] : [[14, 15, 16, 19], [9, 11, 13, 13], t * 2 - 1];
    curve.push(P(b(...seg[0], seg[2]), b(...seg[1], seg[2])));
  }
  curve.push(P(21, 13));
  const lines = [[P(3, 19), P(21, 19)], [P(3, 12), P(21, 12)], curve];
  const dots = [P(6, 19), P(18, 5)];
  const half = (1.9 * s) / 2;
  const segDist = (x, y, [ax, ay], [bx, by]) => {
    const dx = bx - ax, dy = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy || 1)));
    return Math.hypot(x - ax - t * dx, y - ay - t * dy);
  };
  const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
  for (let y = 0; y < SIZE; y++) {
    raw[y * (SIZE * 4 + 1)] = 0;
    for (let x = 0; x < SIZE; x++) {
      const cx = x + 0.5, cy = y + 0.5, r = 26;
      const qx = Math.max(r - cx, cx - (SIZE - r), 0), qy = Math.max(r - cy, cy - (SIZE - r), 0);
      const tileA = Math.max(0, Math.min(1, r - Math.hypot(qx, qy) + 0.5));
      let d = Infinity;
      for (const pts of lines) for (let i = 1; i < pts.length; i++) d = Math.min(d, segDist(cx, cy, pts[i - 1], pts[i]));
      let glyph = Math.max(0, Math.min(1, half - d + 0.5));
      for (const [px, py] of dots) glyph = Math.max(glyph, Math.max(0, Math.min(1, 1.4 * s - Math.hypot(cx - px, cy - py) + 0.5)));
      const g = (x + y) / (2 * SIZE); // the same diagonal gradient as the Chromium version
      const bg = [0x1f + (0x15 - 0x1f) * g, 0x6f + (0x39 - 0x6f) * g, 0x78 + (0x4f - 0x78) * g];
      const i = y * (SIZE * 4 + 1) + 1 + x * 4;
      for (let c = 0; c < 3; c++) raw[i + c] = Math.round(bg[c] + (255 - bg[c]) * glyph);
      raw[i + 3] = Math.round(255 * tileA);
    }
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4), sum = Buffer.alloc(4), td = Buffer.concat([Buffer.from(type), data]);
    len.writeUInt32BE(data.length);
    sum.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIZE, 0);
  ihdr.writeUInt32BE(SIZE, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0)),
  ]);
}

const useChromium = existsSync(chromium) && existsSync(path.join(pwDir, 'package.json')) && !process.argv.includes('--zlib');
const png = useChromium ? await withChromium() : withZlib();
writeFileSync(target, png);
console.log(`media/icon.png ${statSync(target).size} bytes (${useChromium ? 'Chromium' : 'zlib rasterizer'})`);
