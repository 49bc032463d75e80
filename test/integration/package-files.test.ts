// What the .vsix ships (.vscodeignore is an allow-list): exactly the files the extension loads.
// `vsce ls` applies the same rules as `vsce package`, in ~2 s of CPU, so this runs with `npm test`
// (which builds dist/ first) rather than only in CI's package step: a source file that slips into the
// package, or a bundle or grammar that falls out of it, fails here before anyone packages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';

const ROOT = path.resolve(import.meta.dirname, '../..');
const VSCE = path.join(ROOT, 'node_modules', '.bin', 'vsce');

// The parts of package.json that name files the editor loads.
const Manifest = z.object({
  main: z.string(),
  bin: z.record(z.string(), z.string()),
  icon: z.string(),
  contributes: z.object({
    viewsContainers: z.record(z.string(), z.array(z.object({ icon: z.string() }))),
    views: z.record(z.string(), z.array(z.object({ icon: z.string().optional() }))),
    jsonValidation: z.array(z.object({ url: z.string() })),
    grammars: z.array(z.object({ path: z.string() })),
    walkthroughs: z.array(z.object({ steps: z.array(z.object({ media: z.object({ markdown: z.string() }) })) })),
  }),
});

const rel = (p: string) => path.posix.normalize(p.replace(/^\.\//, ''));

/** Every file the package must hold: named by package.json, or loaded by the client at run time. */
function requiredFiles(): Set<string> {
  const pkg = Manifest.parse(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')));
  const c = pkg.contributes;
  return new Set([
    'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md',
    rel(pkg.main), ...Object.values(pkg.bin).map(rel), rel(pkg.icon),
    ...Object.values(c.viewsContainers).flat().map((v) => rel(v.icon)),
    ...Object.values(c.views).flat().flatMap((v) => (v.icon ? [rel(v.icon)] : [])),
    ...c.jsonValidation.map((j) => rel(j.url)),
    ...c.grammars.map((g) => rel(g.path)),
    ...c.walkthroughs.flatMap((w) => w.steps.map((s) => rel(s.media.markdown))),
    // Loaded by path from client code: the language client after activation (client/extension.ts),
    // the chat webview's script and styles (client/chat/panel.ts).
    'dist/lsp-client.js', 'dist/webview.js', 'dist/webview.css', 'dist/codicon.css', 'dist/codicon.ttf',
  ]);
}

test('the .vsix holds exactly the files the extension loads (vsce ls)', async () => {
  assert.ok(existsSync(path.join(ROOT, 'dist', 'client.js')), 'dist/ is built (npm test builds it first)');
  const { stdout } = await promisify(execFile)(VSCE, ['ls', '--no-dependencies'], { cwd: ROOT, timeout: 120_000 });
  const listed = new Set(stdout.split('\n').map((l) => l.trim()).filter(Boolean));
  const required = requiredFiles();
  const extra = [...listed].filter((f) => !required.has(f)).sort();
  const missing = [...required].filter((f) => !listed.has(f)).sort();
  assert.deepEqual(extra, [], 'files the extension does not load are packaged (.vscodeignore is an allow-list)');
  assert.deepEqual(missing, [], 'files the extension loads are missing from the package');
  assert.ok(![...listed].some((f) => /\.(ts|tsx|map)$/.test(f) || f.startsWith('test/') || f.startsWith('node_modules/')), 'no sources, source maps, tests or node_modules');
});
