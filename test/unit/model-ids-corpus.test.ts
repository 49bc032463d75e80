// The precision benchmark as a test (issue 21): on the hand-written corpus of real model-ID spellings
// and typos (bench/model-ids/corpus.ts), checked as `switchyard check --offline` checks code, no real
// ID is reported unknown and at least 95 % of the typos are.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CORPUS } from '../../bench/model-ids/corpus';
import { evaluateCorpus } from '../../bench/model-ids/evaluate';

test('the corpus is large and labelled: ≥ 300 distinct spellings, known and typo', () => {
  assert.ok(CORPUS.length >= 300, `${CORPUS.length} spellings`);
  assert.equal(new Set(CORPUS.map((e) => e.id)).size, CORPUS.length, 'no spelling twice');
  for (const kind of ['openai-audio', 'openai-image', 'openai-embedding', 'openai-realtime', 'anthropic-retired', 'bedrock', 'vertex', 'azure']) {
    assert.ok(CORPUS.some((e) => e.kind === kind && e.label === 'known'), `has ${kind}`);
  }
});

test('no real model ID is reported unknown; ≥ 95 % of the typos are; suggestions never repeat nor echo', async () => {
  const r = await evaluateCorpus();
  assert.deepEqual(r.falseUnknown.map((o) => `${o.entry.id}: ${o.problems[0]?.message}`), []);
  assert.ok(r.caught / r.typos >= 0.95, `caught ${r.caught}/${r.typos}; missed: ${r.missed.map((o) => o.entry.id).join(', ')}`);
  for (const o of r.outcomes) {
    for (const p of o.problems) {
      assert.equal(new Set(p.suggestions).size, p.suggestions.length, `${o.entry.id}: ${p.suggestions.join(', ')}`);
      assert.ok(!p.suggestions.includes(o.entry.id), `${o.entry.id} suggested to itself`);
    }
  }
  const message = (id: string) => r.outcomes.find((o) => o.entry.id === id)?.problems[0]?.message ?? '';
  assert.match(message('claude-unknown-model'), /^Unknown model "claude-unknown-model"\./, 'a known family with no such model is unknown');
  assert.match(message('gpt-4o-mnii'), /Did you mean "gpt-4o-mini"/);
  assert.match(message('claude-instant-1.2'), /deprecated.*Use "claude-3-haiku"/);
});
