// Issue 21: the spellings behind a model ID (snapshots, -latest, Bedrock, Vertex AI, host prefixes),
// resolved by the catalog for routing and explained on hover; completion capped for big catalogs.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { hostForms, spellingsOf, undecorate } from '../../server/catalog/spelling';
import { loadPriceTable } from '../../server/catalog/table';
import { hoverAt } from '../../server/language/hover';
import { computeProblems, problemContext } from '../../server/language/diagnostics';
import { completeAt, MAX_COMPLETION_ITEMS } from '../../server/language/completion';
import { GATEWAY_MODELS, analyzed, catalogView, envOf, offsetOf } from './language-fixtures';

test('spellings: snapshots and -latest are undone one layer at a time, only on real date shapes', () => {
  assert.deepEqual(undecorate('gpt-4o-2024-08-06'), { id: 'gpt-4o', kind: 'snapshot', detail: '2024-08-06' });
  assert.deepEqual(undecorate('claude-3-5-haiku-latest'), { id: 'claude-3-5-haiku', kind: 'latest' });
  assert.equal(undecorate('gpt-4-0613')?.id, 'gpt-4');
  assert.equal(undecorate('mistral-large-2411')?.id, 'mistral-large');
  assert.equal(undecorate('gpt-4o-2099-13-45'), undefined, 'no month 13');
  assert.equal(undecorate('llama3-70b-8192'), undefined, '8192 is no date');
  assert.equal(undecorate('meta-llama/llama-3.3-70b-instruct:free'), undefined, 'a :variant is another offer');
  // Anthropic's `.0` version aliases (Claude Code sends `claude-sonnet-4-0`); `-1` is another model.
  assert.deepEqual(undecorate('claude-sonnet-4-0'), { id: 'claude-sonnet-4', kind: 'version' });
  assert.equal(undecorate('claude-opus-4-1'), undefined, 'Opus 4.1 is not Opus 4');
  assert.equal(undecorate('gpt-4o-0'), undefined, 'only after a version number');
});

test('spellings: Bedrock, Vertex AI and host prefixes become the provider\'s own ID', () => {
  assert.deepEqual(spellingsOf('us.anthropic.claude-3-7-sonnet-20250219-v1:0').map((s) => s.id), ['anthropic/claude-3-7-sonnet-20250219', 'anthropic/claude-3-7-sonnet']);
  assert.deepEqual(hostForms('claude-3-5-sonnet-v2@20241022').map((s) => s.id), ['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet']);
  assert.equal(hostForms('bedrock/anthropic.claude-3-haiku-20240307-v1:0').at(-1)?.id, 'anthropic/claude-3-haiku-20240307');
  assert.equal(hostForms('models/gemini-1.5-flash')[0].id, 'gemini-1.5-flash');
  assert.deepEqual(hostForms('gpt-3.5-turbo'), [], 'a dotted version is not a Bedrock vendor');
});

test('the catalog finds a snapshot, alias or host spelling of a listed model (what routing sends)', async () => {
  await loadPriceTable(); // which provider makes a bare ID comes from the table's rules
  const catalog = catalogView();
  assert.equal(catalog.find('gpt-4o-2024-08-06')?.canonicalId, 'openai/gpt-4o');
  assert.equal(catalog.find('claude-sonnet-4-20250514')?.canonicalId, 'anthropic/claude-sonnet-4');
  assert.equal(catalog.find('claude-3-5-sonnet-latest')?.canonicalId, 'anthropic/claude-3.5-sonnet');
  assert.equal(catalog.find('us.anthropic.claude-sonnet-4-20250514-v1:0')?.canonicalId, 'anthropic/claude-sonnet-4');
  assert.equal(catalog.find('claude-sonnet-4@20250514')?.canonicalId, 'anthropic/claude-sonnet-4');
  assert.equal(catalog.find('claude-sonnet-4-0')?.canonicalId, 'anthropic/claude-sonnet-4');
  assert.equal(catalog.find('gpt-4o-mnii'), undefined);
});

test('hover on a dated snapshot shows the model\'s card and says it is a snapshot; a host form says whose', async () => {
  await loadPriceTable();
  const text = 'a = client.chat.completions.create(model="gpt-4o-2024-08-06")\nb = x(model="us.anthropic.claude-sonnet-4-20250514-v1:0")\n';
  const { doc, a, env } = analyzed(text);
  const h = (hoverAt(doc, a, offsetOf(text, 'gpt-4o-2024', 2), env)!.contents as { value: string }).value;
  assert.match(h, /^`gpt-4o-2024-08-06` is a dated snapshot of OpenAI: GPT-4o \(2024-08-06\)\./);
  // The model card (server/protocol/present.ts): the name, Markdown-escaped, then its canonical ID.
  assert.match(h, /\*\*OpenAI: GPT\\-4o\*\*\n\n`openai\/gpt-4o`/);
  const b = (hoverAt(doc, a, offsetOf(text, 'us.anthropic', 2), env)!.contents as { value: string }).value;
  assert.match(b, /is Amazon Bedrock's spelling of Anthropic: Claude Sonnet 4\./);
});

test('completion with thousands of models: a capped list marked incomplete, the typed prefix\'s matches first', () => {
  const template = GATEWAY_MODELS.or[0];
  const many = Array.from({ length: 2000 }, (_, i) => ({ ...template, id: `vendor${i % 40}/model-${i}`, canonicalId: `vendor${i % 40}/model-${i}`, name: `Model ${i}`, provider: `vendor${i % 40}` }));
  const big = { ...GATEWAY_MODELS, or: [...GATEWAY_MODELS.or, ...many] };
  const env = envOf({ catalog: catalogView(big) });
  const text = 'r = client.chat.completions.create(model="gpt-4o-m")\n';
  const { doc, a } = analyzed(text, 'python', env);
  const start = offsetOf(text, 'gpt-4o-m');
  const empty = completeAt(doc, a, start, env, { itemDefaults: true })!;
  assert.equal(empty.isIncomplete, true);
  assert.equal(empty.items.length, MAX_COMPLETION_ITEMS);
  const typed = completeAt(doc, a, start + 'gpt-4o-m'.length, env, { itemDefaults: true })!;
  assert.equal(typed.isIncomplete, true, 'asked again as the person types');
  assert.ok(typed.items.length <= MAX_COMPLETION_ITEMS);
  assert.equal(typed.items[0].label, 'gpt-4o-mini', JSON.stringify(typed.items.slice(0, 3).map((i) => i.label)));
  const small = completeAt(doc, a, start, envOf(), { itemDefaults: true })!;
  assert.equal(small.isIncomplete, false, 'a small catalog is sent whole');
});

test('Azure OpenAI deployment names are the person\'s own: left alone, never "unknown"', async () => {
  await loadPriceTable();
  const azure = 'client = AzureOpenAI(azure_endpoint="https://acme.openai.azure.com")\nr = client.chat.completions.create(model="gpt-4o-prod-eastus")\n';
  const plain = 'r = client.chat.completions.create(model="gpt-4o-prod-eastus")\n';
  const run = (text: string) => {
    const { doc, a, env } = analyzed(text);
    return computeProblems(doc, a, problemContext(env)).map((p) => p.rule);
  };
  assert.deepEqual(run(azure), []);
  assert.deepEqual(run(plain), ['unknown']);
});
