// The catalog's pure parts: canonical ID folding, the price helpers and the embedded table,
// merging across gateways, query/filter/sort/groups, lookups, and the disk cache.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { canonicalize, foldKey, splitId } from '../../server/catalog/canonical';
import { costUsd, estimatePricing, perTokenToPerMTok, tablePricing } from '../../server/catalog/price';
import { loadPriceTable, type PriceTable } from '../../server/catalog/table';
import { mergeCatalog, type GatewayModels } from '../../server/catalog/merge';
import { CatalogIndex } from '../../server/catalog/lookup';
import { groupCatalog, queryCatalog } from '../../server/catalog/query';
import { readCache, writeCache } from '../../server/catalog/cache';
import type { Model } from '../../server/protocol/model';
import type { ResolvedGateway } from '../../server/protocol/settings';

let table: PriceTable;
before(async () => {
  table = await loadPriceTable();
});

function model(gateway: string, id: string, canonicalId: string, extra: Partial<Model> = {}): Model {
  return {
    gateway,
    id,
    canonicalId,
    name: extra.name ?? id,
    provider: canonicalId.split('/')[0],
    priceSource: extra.pricing ? 'gateway' : 'none',
    modalities: { input: ['text'], output: ['text'] },
    capabilities: { tools: false, vision: false, reasoning: false, json: false },
    free: false,
    ...extra,
  };
}

test('canonical IDs fold every form of one model and keep variants distinct', () => {
  const infer = table.inferProvider;
  assert.equal(canonicalize('gpt-4o', { owner: 'openai' }), 'openai/gpt-4o');
  assert.equal(canonicalize('gpt-4o', { infer }), 'openai/gpt-4o');
  assert.equal(canonicalize('openai/gpt-4o'), 'openai/gpt-4o');
  assert.equal(canonicalize('openrouter/openai/gpt-4o'), 'openai/gpt-4o');
  assert.equal(canonicalize('OpenAI/GPT-4o'), 'openai/gpt-4o');
  assert.equal(canonicalize('meta-llama/llama-3.1-70b-instruct:free'), 'meta-llama/llama-3.1-70b-instruct:free');
  assert.notEqual(canonicalize('meta-llama/llama-3.1-70b-instruct:free'), canonicalize('meta-llama/llama-3.1-70b-instruct'));
  assert.equal(canonicalize('gemini/gemini-2.0-flash'), 'google/gemini-2.0-flash');
  assert.equal(canonicalize('mistral/mistral-large-latest'), 'mistralai/mistral-large-latest');
  assert.equal(canonicalize('claude-3-5-sonnet', { infer }), 'anthropic/claude-3-5-sonnet');
  assert.equal(canonicalize('my-local-model', { infer, fallbackProvider: 'ollama' }), 'ollama/my-local-model');
  assert.equal(canonicalize('   '), undefined);
  assert.deepEqual(splitId('bifrost/openrouter/openai/gpt-4o'), { provider: 'openrouter', model: 'openai/gpt-4o' });
});

test('costUsd: tokens × USD per million, undefined (never 0) when a needed price is unknown', () => {
  assert.equal(costUsd({ inputPerMTok: 2.5, outputPerMTok: 10 }, 1_000_000, 500_000), 7.5);
  assert.equal(costUsd({ inputPerMTok: 2.5, outputPerMTok: 10 }, 1000, 0), 0.0025);
  assert.equal(costUsd({ inputPerMTok: 0.02 }, 1000, 0), 0.00002); // an embedding has no output price
  assert.equal(costUsd({ inputPerMTok: 2.5 }, 1000, 10), undefined);
  assert.equal(costUsd(undefined, 10, 10), undefined);
  assert.equal(costUsd({ inputPerMTok: 0, outputPerMTok: 0 }, 10, 10), 0);
});

test('per-token gateway prices convert to clean USD per million tokens', () => {
  assert.equal(perTokenToPerMTok('0.0000025'), 2.5);
  assert.equal(perTokenToPerMTok(0.00000015), 0.15);
  assert.equal(perTokenToPerMTok('0'), 0);
  assert.equal(perTokenToPerMTok('-1'), undefined); // OpenRouter's "varies"
  assert.equal(perTokenToPerMTok('abc'), undefined);
  assert.equal(perTokenToPerMTok(null), undefined);
});

test('tablePricing estimates from the embedded table for any ID form', async () => {
  const gpt4o = { inputPerMTok: 2.5, outputPerMTok: 10, cacheReadPerMTok: 1.25 };
  for (const id of ['gpt-4o', 'openai/gpt-4o', 'openrouter/openai/gpt-4o', 'OPENAI/GPT-4O', 'gpt-4o-2024-08-06']) {
    assert.deepEqual(tablePricing(id), gpt4o, id);
  }
  // Anthropic's own entry lists cache prices; OpenRouter's section (the dotted ID) does not.
  assert.deepEqual(tablePricing('claude-3-5-sonnet-20241022'), { inputPerMTok: 3, outputPerMTok: 15, cacheReadPerMTok: 0.3, cacheWritePerMTok: 3.75 });
  assert.deepEqual(tablePricing('anthropic/claude-3.5-sonnet'), { inputPerMTok: 3, outputPerMTok: 15 });
  assert.equal(tablePricing('no-such-model-anywhere'), undefined);
  assert.deepEqual(await estimatePricing('mistral-large'), { inputPerMTok: 2, outputPerMTok: 6 });
});

test('the offline table: canonical IDs, prices, context windows and deprecations, gateway "offline"', () => {
  const byId = new Map(table.models.map((m) => [m.canonicalId, m]));
  assert.ok(table.models.length > 300, `only ${table.models.length} models`);
  const g = byId.get('openai/gpt-4o');
  assert.ok(g);
  assert.equal(g.gateway, 'offline');
  assert.equal(g.priceSource, 'table');
  assert.equal(g.contextLength, 128000);
  assert.deepEqual(g.pricing, { inputPerMTok: 2.5, outputPerMTok: 10, cacheReadPerMTok: 1.25 });
  assert.ok(table.models.some((m) => m.deprecated), 'some models are deprecated');
  for (const m of table.models) {
    assert.match(m.canonicalId, /^[^/\s]+\/[^\s]+$/, m.canonicalId);
    assert.equal(m.canonicalId, m.canonicalId.toLowerCase());
  }
  assert.equal(table.inferProvider('claude-sonnet-4'), 'anthropic');
  assert.equal(table.inferProvider('gemini-2.5-pro'), 'google');
});

const nemo: GatewayModels = {
  gateway: 'nemo',
  models: [
    model('nemo', 'gpt-4o', 'openai/gpt-4o', { pricing: { inputPerMTok: 2.4, outputPerMTok: 9.5 }, contextLength: 128000 }),
    model('nemo', 'deepseek-chat', 'deepseek/deepseek-chat', { pricing: { inputPerMTok: 0.27, outputPerMTok: 1.1 } }),
  ],
};
const or: GatewayModels = {
  gateway: 'or',
  models: [
    model('or', 'openai/gpt-4o', 'openai/gpt-4o', {
      pricing: { inputPerMTok: 2.5, outputPerMTok: 10 },
      maxOutput: 16384,
      description: 'omni',
      created: 1715558400,
      modalities: { input: ['text', 'image'], output: ['text'] },
      capabilities: { tools: true, vision: true, reasoning: false, json: true },
    }),
    model('or', 'meta-llama/llama-3.1-70b-instruct:free', 'meta-llama/llama-3.1-70b-instruct:free', {
      pricing: { inputPerMTok: 0, outputPerMTok: 0 },
      free: true,
      contextLength: 131072,
      created: 1721692800,
    }),
    model('or', 'meta-llama/llama-3.1-70b-instruct', 'meta-llama/llama-3.1-70b-instruct', {
      pricing: { inputPerMTok: 0.4, outputPerMTok: 0.4 },
      contextLength: 131072,
      deprecated: { since: '2025-01-01' },
    }),
  ],
};
const ar: GatewayModels = {
  gateway: 'ar',
  models: [model('ar', 'openai/gpt-4o', 'openai/gpt-4o'), model('ar', 'anthropic/claude-sonnet-4', 'anthropic/claude-sonnet-4')],
};
const bf: GatewayModels = {
  gateway: 'bf',
  models: [
    model('bf', 'openai/gpt-4o', 'openai/gpt-4o', { pricing: { inputPerMTok: 2.5, outputPerMTok: 10 } }),
    model('bf', 'openrouter/openai/gpt-4o', 'openai/gpt-4o', { pricing: { inputPerMTok: 2.6, outputPerMTok: 11 } }),
  ],
};

test('merge: a model served by several gateways appears once, with each gateway\'s ID and price', () => {
  const out = mergeCatalog({ gateways: [nemo, or, ar, bf], table });
  assert.equal(out.offline, false);
  const gpt = out.models.filter((m) => m.canonicalId === 'openai/gpt-4o');
  assert.equal(gpt.length, 1);
  const [m] = gpt;
  assert.deepEqual(m.offers.map((o) => [o.gateway, o.id]), [['nemo', 'gpt-4o'], ['or', 'openai/gpt-4o'], ['ar', 'openai/gpt-4o'], ['bf', 'openai/gpt-4o']]);
  // Preferred = first configured gateway; what it lacks comes from the others.
  assert.equal(m.gateway, 'nemo');
  assert.equal(m.id, 'gpt-4o');
  assert.deepEqual(m.pricing, { inputPerMTok: 2.4, outputPerMTok: 9.5 });
  assert.equal(m.maxOutput, 16384);
  assert.equal(m.description, 'omni');
  assert.equal(m.capabilities.tools, true);
  assert.deepEqual(m.modalities.input, ['text', 'image']);
  // ARouter publishes no prices: the table fills them, marked as such.
  const arOffer = m.offers.find((o) => o.gateway === 'ar')!;
  assert.equal(arOffer.priceSource, 'table');
  assert.deepEqual(arOffer.pricing, { inputPerMTok: 2.5, outputPerMTok: 10, cacheReadPerMTok: 1.25 });
  assert.equal(out.offers.get('openai/gpt-4o')!.length, 4);
  // :free variants stay their own model.
  assert.ok(out.models.some((x) => x.canonicalId === 'meta-llama/llama-3.1-70b-instruct:free' && x.free));
  assert.ok(out.models.some((x) => x.canonicalId === 'meta-llama/llama-3.1-70b-instruct' && !x.free));
  // No offline rows mixed in.
  assert.ok(out.models.every((x) => x.offers.every((o) => o.gateway !== 'offline')));
});

test('spellings of one model fold together; versions, snapshots and variants do not', () => {
  const same = [
    ['anthropic/claude-4-sonnet', 'anthropic/claude-sonnet-4'],
    ['anthropic/claude-3-5-sonnet', 'anthropic/claude-3.5-sonnet'],
    ['google/gemini-2.5-pro', 'google/gemini-pro-2.5'],
  ];
  for (const [a, b] of same) assert.equal(foldKey(a), foldKey(b), `${a} ≡ ${b}`);
  const different = [
    ['anthropic/claude-sonnet-4', 'anthropic/claude-sonnet-4-20250514'],
    ['anthropic/claude-3.5-sonnet', 'anthropic/claude-5.3-sonnet'],
    ['meta-llama/llama-3.1-70b-instruct', 'meta-llama/llama-3.1-70b-instruct:free'],
    ['openai/gpt-4o', 'openai/gpt-4o-mini'],
    ['openai/gpt-4o', 'azure/gpt-4o'],
  ];
  for (const [a, b] of different) assert.notEqual(foldKey(a), foldKey(b), `${a} ≢ ${b}`);
  // NemoRouter's `claude-4-sonnet` joins OpenRouter's model under OpenRouter's spelling.
  const out = mergeCatalog({
    gateways: [
      { gateway: 'nemo', models: [model('nemo', 'claude-4-sonnet', 'anthropic/claude-4-sonnet', { name: 'claude-4-sonnet' })] },
      { gateway: 'or', models: [model('or', 'anthropic/claude-sonnet-4', 'anthropic/claude-sonnet-4', { name: 'Anthropic: Claude Sonnet 4' })] },
    ],
    table,
  });
  assert.equal(out.models.length, 1);
  assert.equal(out.models[0].canonicalId, 'anthropic/claude-sonnet-4');
  assert.equal(out.models[0].name, 'Anthropic: Claude Sonnet 4');
  assert.deepEqual(out.models[0].offers.map((o) => [o.gateway, o.id]), [['nemo', 'claude-4-sonnet'], ['or', 'anthropic/claude-sonnet-4']]);
  assert.ok(out.offers.get('anthropic/claude-sonnet-4')!.every((m) => m.canonicalId === 'anthropic/claude-sonnet-4'));
  // Two spellings one gateway lists side by side are two models to it: left apart.
  const apart = mergeCatalog({
    gateways: [{ gateway: 'x', models: [model('x', 'claude-4-sonnet', 'anthropic/claude-4-sonnet'), model('x', 'claude-sonnet-4', 'anthropic/claude-sonnet-4')] }],
    table,
  });
  assert.equal(apart.models.length, 2);
});

test('merge: defaultGateway is preferred over the configured order', () => {
  const out = mergeCatalog({ gateways: [nemo, or, ar], defaultGateway: 'or', table });
  const m = out.models.find((x) => x.canonicalId === 'openai/gpt-4o')!;
  assert.equal(m.gateway, 'or');
  assert.equal(m.id, 'openai/gpt-4o');
  assert.deepEqual(m.offers.map((o) => o.gateway), ['or', 'nemo', 'ar']);
  // An unknown defaultGateway changes nothing.
  assert.equal(mergeCatalog({ gateways: [nemo, or], defaultGateway: 'nope' }).models.find((x) => x.canonicalId === 'openai/gpt-4o')!.gateway, 'nemo');
});

test('merge: with no gateway models the catalog is the embedded table', () => {
  const out = mergeCatalog({ gateways: [{ gateway: 'down', models: [] }], table });
  assert.equal(out.offline, true);
  assert.ok(out.models.length > 300);
  assert.ok(out.models.every((m) => m.gateway === 'offline' && m.priceSource === 'table'));
  assert.equal(out.offers.size, 0);
  assert.equal(mergeCatalog({ gateways: [] }).models.length, 0); // table not loaded yet: empty, not a crash
});

function index(gws = [nemo, or, ar, bf]) {
  const out = mergeCatalog({ gateways: gws, table });
  return new CatalogIndex(out.models, gws);
}

test('find: every ID form resolves to the same merged model', () => {
  const ix = index();
  for (const id of ['gpt-4o', 'openai/gpt-4o', 'OpenAI/GPT-4o', 'openrouter/openai/gpt-4o', 'nemo/gpt-4o', 'bf/openrouter/openai/gpt-4o', 'or/openai/gpt-4o']) {
    assert.equal(ix.find(id, table.inferProvider)?.canonicalId, 'openai/gpt-4o', id);
  }
  assert.equal(ix.find('claude-sonnet-4', table.inferProvider)?.canonicalId, 'anthropic/claude-sonnet-4');
  assert.equal(ix.find('meta-llama/llama-3.1-70b-instruct:free')?.free, true);
  assert.equal(ix.find('nope/nothing'), undefined);
  assert.equal(ix.find(''), undefined);
});

test('query: search, filters, sorts and paging', () => {
  const ix = index();
  const ids = (q: Parameters<typeof queryCatalog>[1]) => queryCatalog(ix, q).models.map((m) => m.canonicalId);
  assert.deepEqual(ids({ filter: { text: 'llama' }, sort: 'name' }).sort(), ['meta-llama/llama-3.1-70b-instruct', 'meta-llama/llama-3.1-70b-instruct:free']);
  assert.deepEqual(ids({ filter: { text: 'LLAMA free' } }), ['meta-llama/llama-3.1-70b-instruct:free']);
  assert.deepEqual(ids({ filter: { freeOnly: true } }), ['meta-llama/llama-3.1-70b-instruct:free']);
  assert.deepEqual(ids({ filter: { maxInputPerMTok: 0.3 }, sort: 'price' }), ['meta-llama/llama-3.1-70b-instruct:free', 'deepseek/deepseek-chat']);
  assert.deepEqual(ids({ filter: { maxOutputPerMTok: 0.5, minContext: 100000 } }), ['meta-llama/llama-3.1-70b-instruct', 'meta-llama/llama-3.1-70b-instruct:free']);
  assert.deepEqual(ids({ filter: { inputModalities: ['image'] } }), ['openai/gpt-4o']);
  assert.deepEqual(ids({ filter: { capabilities: ['tools', 'json'] } }), ['openai/gpt-4o']);
  assert.deepEqual(ids({ filter: { provider: 'deepseek' } }), ['deepseek/deepseek-chat']);
  assert.deepEqual(ids({ filter: { includeDeprecated: false, text: 'llama' } }), ['meta-llama/llama-3.1-70b-instruct:free']);
  assert.deepEqual(ids({ filter: { canonicalIds: ['OPENAI/GPT-4O'] } }), ['openai/gpt-4o']);
  assert.deepEqual(ids({ sort: 'context' }).slice(0, 3), ['meta-llama/llama-3.1-70b-instruct', 'meta-llama/llama-3.1-70b-instruct:free', 'openai/gpt-4o']);
  assert.deepEqual(ids({ sort: 'newest' }).slice(0, 2), ['meta-llama/llama-3.1-70b-instruct:free', 'openai/gpt-4o']);
  const sortedByPrice = queryCatalog(ix, { sort: 'price' }).models;
  const unknown = sortedByPrice.findIndex((m) => !m.pricing);
  assert.ok(unknown === -1 || sortedByPrice.slice(unknown).every((m) => !m.pricing), 'unknown prices sort last');
  const page = queryCatalog(ix, { sort: 'name', offset: 1, limit: 2 });
  assert.equal(page.total, 5);
  assert.deepEqual(page.models.map((m) => m.canonicalId), ids({ sort: 'name' }).slice(1, 3));
});

test('query with a gateway shows that gateway\'s offer, and price filters use it', () => {
  const ix = index();
  const r = queryCatalog(ix, { filter: { gateway: 'ar' } });
  assert.deepEqual(r.models.map((m) => [m.canonicalId, m.gateway, m.id, m.priceSource]), [
    ['anthropic/claude-sonnet-4', 'ar', 'anthropic/claude-sonnet-4', 'table'],
    ['openai/gpt-4o', 'ar', 'openai/gpt-4o', 'table'],
  ]);
  assert.deepEqual(queryCatalog(ix, { filter: { gateway: 'or', maxInputPerMTok: 2.45 } }).models.map((m) => m.canonicalId), [
    'meta-llama/llama-3.1-70b-instruct',
    'meta-llama/llama-3.1-70b-instruct:free',
  ]);
  assert.equal(queryCatalog(ix, { filter: { gateway: 'nemo', maxInputPerMTok: 2.45 } }).total, 2);
  assert.equal(queryCatalog(ix, { filter: { gateway: 'nope' } }).total, 0);
});

test('groups: counts by provider and by gateway after the filter', () => {
  const ix = index();
  const labels = { gateway: (g: string) => `GW ${g}`, provider: (p: string) => p.toUpperCase(), gatewayOrder: ['nemo', 'or', 'ar', 'bf'] };
  assert.deepEqual(groupCatalog(ix, 'gateway', undefined, labels).map((g) => [g.key, g.count, g.label]), [
    ['nemo', 2, 'GW nemo'],
    ['or', 3, 'GW or'],
    ['ar', 2, 'GW ar'],
    ['bf', 1, 'GW bf'],
  ]);
  assert.deepEqual(groupCatalog(ix, 'provider', { filter: { text: 'gpt' } }, labels), [{ key: 'openai', count: 1, label: 'OPENAI' }]);
});

test('disk cache: round trip with the ETag; another baseUrl, kind or a corrupt file reads as nothing', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'switchyard-cache-'));
  const gw: ResolvedGateway = { id: 'or', kind: 'openrouter', baseUrl: 'http://127.0.0.1:1/api/v1', headers: {} };
  assert.equal(await readCache(dir, gw), undefined);
  await writeCache(dir, gw, or.models as Model[], '"abc"');
  const back = await readCache(dir, gw);
  assert.equal(back?.etag, '"abc"');
  assert.deepEqual(back?.models, or.models);
  assert.equal(await readCache(dir, { ...gw, baseUrl: 'http://127.0.0.1:2/api/v1' }), undefined);
  assert.equal(await readCache(dir, { ...gw, kind: 'arouter' }), undefined);
  const file = path.join(dir, 'catalog', 'or.json');
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.slice(0, text.length - 10)); // cut short
  assert.equal(await readCache(dir, gw), undefined);
  writeFileSync(file, text.replace('"openai/gpt-4o"', '"openai/gpt-4x"')); // changed behind our back
  assert.equal(await readCache(dir, gw), undefined);
  writeFileSync(file, text.replace('"v":2', '"v":1')); // an older layout
  assert.equal(await readCache(dir, gw), undefined);
  writeFileSync(file, 'not json at all');
  assert.equal(await readCache(dir, gw), undefined);
  writeFileSync(file, text);
  assert.equal((await readCache(dir, gw))?.models.length, 3);
});
