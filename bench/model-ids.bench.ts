// Precision of the model-ID diagnostics (issue 21) on a hand-written corpus of real spellings and
// typos (bench/model-ids/corpus.ts), checked as `switchyard check --offline` checks code. Figures:
// false "unknown model" on the known IDs (target 0) and typos caught (target ≥ 95 %). With
// `--list`, every miss and false alarm is printed.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { evaluateCorpus } from './model-ids/evaluate';

void (async () => {
  const t = performance.now();
  const r = await evaluateCorpus();
  const ms = performance.now() - t;
  const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)} %`;
  const rows = [
    ['corpus spellings', String(r.known + r.typos)],
    ['known IDs', String(r.known)],
    ['false "unknown model" on known IDs', `${r.falseUnknown.length} (${pct(r.falseUnknown.length, r.known)})`],
    ['other diagnostics on known IDs (deprecated, …)', String(r.otherProblems.length)],
    ['typos', String(r.typos)],
    ['typos caught', `${r.caught} (${pct(r.caught, r.typos)})`],
    ['time (catalog load + check)', `${Math.round(ms)} ms`],
  ];
  for (const [k, v] of rows) console.log(`${k.padEnd(50)} ${v}`);
  if (process.argv.includes('--list') || r.falseUnknown.length || r.missed.length) {
    for (const o of r.falseUnknown) console.log(`  false unknown: ${o.entry.id} (${o.entry.kind}) — ${o.problems[0]?.message}`);
    for (const o of r.missed) console.log(`  missed typo:   ${o.entry.id} (${o.entry.kind})${o.problems.length ? ` — ${o.problems[0].message}` : ''}`);
  }
  if (process.argv.includes('--list')) for (const o of r.otherProblems) console.log(`  note:          ${o.entry.id} — ${o.problems.map((p) => p.message).join(' | ')}`);
  // The targets of issue 21: a regression fails `npm run bench` as it fails the test.
  if (r.falseUnknown.length > 0 || r.caught / r.typos < 0.95) process.exitCode = 1;
  const out = path.join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    path.join(out, 'model-ids.json'),
    JSON.stringify({ known: r.known, typos: r.typos, falseUnknown: r.falseUnknown.map((o) => o.entry.id), caught: r.caught, missed: r.missed.map((o) => o.entry.id) }, null, 2),
  );
})();
