// Model-ID diagnostics as pure functions over a two-gateway catalog (NemoRouter `nemo` with bare IDs,
// OpenRouter `or` with provider/model IDs) merged by the catalog's own code.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { computeProblems, problemContext } from '../../server/language/diagnostics';
import { suggestModels, modelIndex } from '../../server/language/lookup';
import { editDistance } from '../../server/catalog/distance';
import { loadPriceTable } from '../../server/catalog/table';
import type { Problem } from '../../server/language/types';
import { analyzed, envOf, NEMO_URL, OR_URL, catalogView } from './language-fixtures';
import type { SettingsInput } from '../../server/protocol/settings';

let tableLookup: (id: string) => { canonicalId: string; name?: string } | undefined;
before(async () => {
  const table = await loadPriceTable();
  tableLookup = (id) => table.lookup(id);
});

function problems(text: string, languageId = 'python', settings: SettingsInput = {}): Problem[] {
  const env = envOf({ settings });
  const { doc, a } = analyzed(text, languageId, env);
  return computeProblems(doc, a, problemContext(env, tableLookup));
}

function brief(ps: Problem[]): [string, string, string[]][] {
  return ps.map((p) => [p.rule, p.value, p.suggestions]);
}

test('edit distance (bit-parallel and long-string fallback) agrees with the textbook definition', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('gpt-4o', 'gpt-4o'), 0);
  assert.equal(editDistance('claude-3-5-sonet', 'claude-3-5-sonnet'), 1);
  const long = 'meta-llama/llama-3.1-405b-instruct-turbo-extended';
  assert.equal(editDistance(long, long.replace('405b', '70b')), 2);
});

test('unknown IDs: canonical forms first, then edit distance; strings that are not IDs stay quiet', () => {
  const text = [
    `client = OpenAI(base_url="${OR_URL}")`,
    'a = client.create(model="gpt4o")',
    'b = client.create(model="openai/gpt-4o-mnii")',
    'c = client.create(model="totally-unrelated-thing-9000")',
    'd = ChatOpenAI(model_name="book")',
    'e = client.create(model="openai/brand-new-model")',
    'f = client.create(model="{{ model }}")',
  ].join('\n');
  const ps = problems(text);
  assert.deepEqual(brief(ps), [
    ['unknown', 'gpt4o', ['openai/gpt-4o']],
    ['unknown', 'openai/gpt-4o-mnii', ['openai/gpt-4o-mini']],
    ['unknown', 'openai/brand-new-model', []],
  ]);
  assert.equal(ps[0].message, 'Unknown model "gpt4o". Did you mean "openai/gpt-4o"?');
  assert.equal(ps[1].message, 'Unknown model "openai/gpt-4o-mnii". Did you mean "openai/gpt-4o-mini"?');
  assert.equal(ps[0].severity, 'warning');
  // Suggestions are written the way the target gateway spells them.
  const nemo = problems(`OpenAI(base_url="${NEMO_URL}").create(model="gpt-4o-mnii")`);
  assert.deepEqual(brief(nemo), [['unknown', 'gpt-4o-mnii', ['gpt-4o-mini']]]);
});

test('while a gateway\'s first catalog is on its way, "unknown" waits for it; deprecations still show', () => {
  const base = catalogView();
  const loading = base.statuses().map((s) => (s.gateway === 'or' ? { ...s, state: 'loading' as const, source: 'none' as const, modelCount: 0 } : s));
  const env = envOf({ catalog: { ...base, statuses: () => loading } });
  const text = ['a = client.create(model="gpt-4o-mnii")', 'b = client.create(model="anthropic/claude-3.5-sonnet")'].join('\n');
  const { doc, a } = analyzed(text, 'python', env);
  const pc = problemContext(env, tableLookup);
  assert.equal(pc.pending, true);
  assert.deepEqual(brief(computeProblems(doc, a, pc)).map(([rule, value]) => [rule, value]), [['deprecated', 'anthropic/claude-3.5-sonnet']]);
  // Once it has answered (or failed with nothing cached: no longer "loading"), unknown IDs are
  // reported again, and so is a model only the failed gateway would serve.
  const failed = loading.map((s) => (s.gateway === 'or' ? { ...s, state: 'unreachable' as const } : s));
  const env2 = envOf({ catalog: { ...base, statuses: () => failed } });
  const pc2 = problemContext(env2, tableLookup);
  assert.equal(pc2.pending, false);
  assert.deepEqual(brief(computeProblems(doc, a, pc2)).map(([rule, value]) => [rule, value]), [['unknown', 'gpt-4o-mnii'], ['deprecated', 'anthropic/claude-3.5-sonnet'], ['notServed', 'anthropic/claude-3.5-sonnet']]);
});

test('deprecated models name their replacement in the target form', () => {
  const ps = problems(`base_url = "${OR_URL}"\nmodel = "anthropic/claude-3.5-sonnet"`);
  assert.deepEqual(brief(ps), [['deprecated', 'anthropic/claude-3.5-sonnet', ['anthropic/claude-sonnet-4']]]);
  assert.match(ps[0].message, /deprecated since 2025-10-22\. Use "anthropic\/claude-sonnet-4" instead\./);
});

test('wrong ID form for the gateway the code targets: inferred from the base URL, else the default gateway', () => {
  const nemo = problems(`client = OpenAI(base_url="${NEMO_URL}")\nclient.create(model="openai/gpt-4o")\nclient.create(model="claude-sonnet-4")\nclient.create(model="gpt-4o")`);
  assert.deepEqual(brief(nemo), [
    ['wrongForm', 'openai/gpt-4o', ['gpt-4o']],
    ['wrongForm', 'claude-sonnet-4', ['claude-4-sonnet']],
  ]);
  assert.equal(nemo[0].message, 'NemoRouter (nemo) names this model "gpt-4o", not "openai/gpt-4o" (the base URL in this file points at it).');
  // No URL: the default gateway (first configured = nemo; `defaultGateway` overrides).
  assert.deepEqual(brief(problems('model = "openai/gpt-4o"')), [['wrongForm', 'openai/gpt-4o', ['gpt-4o']]]);
  assert.deepEqual(brief(problems('model = "openai/gpt-4o"', 'python', { defaultGateway: 'or' })), []);
  assert.deepEqual(brief(problems('model = "gpt-4o"', 'python', { defaultGateway: 'or' })), [['wrongForm', 'gpt-4o', ['openai/gpt-4o']]]);
  // The local proxy accepts every form; the nearest URL wins in a file that talks to two gateways.
  assert.deepEqual(brief(problems('OPENAI_BASE_URL=http://127.0.0.1:4141/v1\nOPENAI_MODEL=openai/gpt-4o\n', 'dotenv')), []);
  const two = problems(`a = OpenAI(base_url="${OR_URL}", model="gpt-4o")\nb = OpenAI(base_url="${NEMO_URL}", model="gpt-4o")`);
  assert.deepEqual(brief(two), [['wrongForm', 'gpt-4o', ['openai/gpt-4o']]]);
});

test('known but not served by any configured gateway (the embedded table knows it, no gateway lists it)', () => {
  const ps = problems(`base_url = "${OR_URL}"\nmodel = "openai/o1"`);
  assert.equal(ps.length, 1);
  assert.equal(ps[0].rule, 'notServed');
  assert.match(ps[0].message, /is a known model, but none of your gateways \(nemo, or\) serves it/);
  assert.equal(ps[0].severity, 'information');
  // Served, but not by the gateway this file's base URL names.
  const elsewhere = problems(`base_url = "${NEMO_URL}"\nmodel = "google/gemini-2.0-flash-001"`);
  assert.deepEqual(elsewhere.map((p) => [p.rule, p.message]), [
    ['notServed', 'NemoRouter (nemo), which the base URL in this file points at, does not serve "google/gemini-2.0-flash-001" (Google: Gemini 2.0 Flash); OpenRouter (or) as "google/gemini-2.0-flash-001" does.'],
  ]);
});

test('severity settings, the ignore list (with wildcards), aliases, auto and inline suppression comments', () => {
  const text = `base_url = "${OR_URL}"\na_model = "gpt4o"\nb_model = "acme/finetune-1"\nc_model = "fast"\nd_model = "auto"\ne_model = "gpt4o"  # switchyard-ignore\n# switchyard-ignore-next-line deprecated-model\nf_model = "gpt4o"\n# switchyard-ignore-next-line unknown-model, wrong-id-form\ng_model = "gpt4o"`;
  const settings: SettingsInput = { language: { ignore: ['acme/*'], severity: { unknown: 'error' } }, aliases: { fast: 'openai/gpt-4o-mini' } };
  const ps = problems(text, 'python', settings);
  assert.deepEqual(ps.map((p) => [p.value, p.severity]), [['gpt4o', 'error'], ['gpt4o', 'error']]);
  assert.deepEqual(problems(text, 'python', { language: { severity: { unknown: 'off' } } }), []);
  assert.deepEqual(problems(text, 'python', { language: { enabled: true, ignore: ['gpt4o'] } }), []);
});

test('suggestions rank the same provider first and are cached per catalog snapshot', () => {
  const catalog = catalogView();
  const idx = modelIndex(catalog);
  assert.equal(modelIndex(catalog), idx, 'one index per snapshot');
  const first = suggestModels(idx, 'anthropic/claude-sonnet');
  assert.equal(first[0].canonicalId, 'anthropic/claude-sonnet-4');
  const cached = idx.suggestions.size;
  assert.deepEqual(suggestModels(idx, 'anthropic/claude-sonnet'), first);
  assert.equal(idx.suggestions.size, cached, 'served from the cache');
  assert.deepEqual(suggestModels(idx, 'xx'), [], 'tiny strings get no fuzzy suggestions');
});
