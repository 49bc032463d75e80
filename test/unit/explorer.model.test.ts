// The Models tree as data: structure (groups, favorites, error nodes, paging), labels, descriptions,
// tooltips and the filter's parsing and summary. No `vscode` here: client/explorer/{treeModel,filterModel,format}.ts are pure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GatewayStatus, MergedModel } from '../../server/protocol/model';
import { MergedModelSchema } from '../../server/protocol/model';
import { callCost, escapeMarkdown as mdText, formatPricePair, formatTokens, formatUsd } from '../../server/protocol/present';
import {
  buildGroupChildren,
  buildRoot,
  groupLabel,
  modelDescription,
  modelIcon,
  modelTooltip,
  nodeModelId,
  presentGatewayError,
  presentModel,
  type GroupNode,
  type ModelNode,
} from '../../client/explorer/treeModel';
import {
  buildQuery,
  DEFAULT_VIEW,
  filterSummary,
  isFilterActive,
  parseMaxPrice,
  parseTokenCount,
  parseViewSettings,
  toggle,
} from '../../client/explorer/filterModel';

function model(over: Partial<MergedModel> = {}): MergedModel {
  const base: MergedModel = {
    gateway: 'or',
    id: 'openai/gpt-4o',
    canonicalId: 'openai/gpt-4o',
    name: 'GPT-4o',
    provider: 'openai',
    contextLength: 128_000,
    maxOutput: 16_384,
    pricing: { inputPerMTok: 2.5, outputPerMTok: 10 },
    priceSource: 'gateway',
    modalities: { input: ['text', 'image'], output: ['text'] },
    capabilities: { tools: true, vision: true, reasoning: false, json: true },
    created: 1715558400,
    free: false,
    offers: [
      { gateway: 'or', id: 'openai/gpt-4o', pricing: { inputPerMTok: 2.5, outputPerMTok: 10 }, priceSource: 'gateway' },
      { gateway: 'nemo', id: 'gpt-4o', pricing: { inputPerMTok: 2.4, outputPerMTok: 9.6 }, priceSource: 'gateway' },
    ],
    ...over,
  };
  // The fixture must be a valid wire record, or the test proves nothing about real data.
  return MergedModelSchema.parse(base);
}

const status = (over: Partial<GatewayStatus> = {}): GatewayStatus => ({
  gateway: 'or',
  kind: 'openrouter',
  label: 'OpenRouter',
  state: 'ok',
  modelCount: 3,
  source: 'live',
  hasKey: true,
  ...over,
});

test('formatting: prices, tokens and the 1k/1k sample call read the way people write them', () => {
  assert.equal(formatUsd(10), '$10');
  assert.equal(formatUsd(2.5), '$2.50');
  assert.equal(formatUsd(0.15), '$0.15');
  assert.equal(formatUsd(0.6), '$0.60');
  assert.equal(formatUsd(0.1), '$0.10');
  assert.equal(formatUsd(0.075), '$0.075');
  assert.equal(formatUsd(0.0000001), '$0.0000001');
  assert.equal(formatUsd(150), '$150');
  assert.equal(formatUsd(0), '$0');
  assert.equal(formatTokens(128_000), '128k');
  assert.equal(formatTokens(131_072), '131k');
  assert.equal(formatTokens(1_048_576), '1.05M');
  assert.equal(formatTokens(2_000_000), '2M');
  assert.equal(formatTokens(512), '512');
  assert.equal(callCost({ inputPerMTok: 2.5, outputPerMTok: 10 }), 0.0125);
  assert.equal(callCost({ inputPerMTok: 2.5 }), undefined, 'an unknown output price is not a free output');
  assert.equal(formatPricePair(undefined), 'price unknown');
  assert.equal(formatPricePair({ inputPerMTok: 3 }), '$3 / ? per M');
  assert.equal(formatPricePair({ inputPerMTok: 0, outputPerMTok: 0 }), 'free');
  assert.equal(formatPricePair({ inputPerMTok: 1, outputPerMTok: 2 }, { estimated: true }), '≈$1 / $2 per M');
});

test('model item: label is the name (ID without one), description is "$in / $out per M · ctx"', () => {
  const m = model();
  const node: ModelNode = { kind: 'model', id: 'x', model: m, favorite: false };
  const p = presentModel(node);
  assert.equal(p.label, 'GPT-4o');
  assert.equal(p.description, '$2.50 / $10 per M · 128k ctx');
  assert.equal(p.contextValue, 'model');
  assert.equal(p.icon?.id, 'eye', 'vision is the strongest capability of this model');
  assert.equal(presentModel({ ...node, model: model({ name: '  ' }) }).label, 'openai/gpt-4o');
});

test('model item under a gateway group shows and copies that gateway offer', () => {
  const node = { model: model(), gateway: 'nemo' };
  assert.equal(nodeModelId(node), 'gpt-4o');
  assert.equal(modelDescription(node), '$2.40 / $9.60 per M · 128k ctx');
  assert.equal(nodeModelId({ model: model() }), 'openai/gpt-4o', 'grouped by provider: the preferred offer');
  assert.equal(nodeModelId({ model: model(), gateway: 'unknown-gw' }), 'openai/gpt-4o');
});

test('deprecated and free models are marked in description, icon and context value', () => {
  const dep = model({ deprecated: { since: '2025-01-01', replacement: 'openai/gpt-4.1' } });
  const p = presentModel({ kind: 'model', id: 'd', model: dep, favorite: true });
  assert.match(p.description!, /^deprecated · /);
  assert.deepEqual(modelIcon(dep), { id: 'warning', color: 'list.warningForeground' });
  assert.equal(p.contextValue, 'model favorite deprecated');
  const free = model({ id: 'meta-llama/llama-3:free', canonicalId: 'meta-llama/llama-3:free', free: true, pricing: { inputPerMTok: 0, outputPerMTok: 0 }, offers: [], capabilities: { tools: false, vision: false, reasoning: true, json: false } });
  const fp = presentModel({ kind: 'model', id: 'f', model: free, favorite: false });
  assert.equal(fp.description, 'free · 128k ctx');
  assert.deepEqual(fp.icon, { id: 'lightbulb', color: 'charts.green' });
  assert.equal(fp.contextValue, 'model free');
  const tableOnly = model({ priceSource: 'table', offers: [] });
  assert.match(modelDescription({ model: tableOnly }), /^≈\$2\.50/, 'embedded-table prices are marked as estimates');
});

test('tooltip: the model card with IDs per gateway, prices, context, modalities, capabilities, deprecation', () => {
  const md = modelTooltip(model({ deprecated: { since: '2025-01-01', replacement: 'openai/gpt-4.1' } }));
  assert.match(md, /\*\*GPT\\-4o\*\*/);
  assert.match(md, /`openai\/gpt-4o`/);
  assert.match(md, /\$\(warning\) \*\*Deprecated\*\* since 2025\\-01\\-01 — use `openai\/gpt-4\.1` instead/);
  assert.match(md, /\| Context \| 128k tokens \|/);
  assert.match(md, /\| Max output \| 16k tokens \|/);
  assert.match(md, /\| Input \| text, image \|/);
  assert.match(md, /\$\(tools\) tools · \$\(eye\) vision · \$\(json\) JSON output/);
  assert.match(md, /- `or` — `openai\/gpt-4o` — \$2\.50 \/ \$10 per M/);
  assert.match(md, /- `nemo` — `gpt-4o` — /);
  assert.match(md, /\| Released \| 2024-05-13 \|/);
});

test('tooltip escapes catalog text: no links, HTML, icons or code-span breakouts from a hostile name', () => {
  const evil = model({ name: '[click](command:workbench.action.quit) <img src=x> $(alert) *x*', canonicalId: 'a/b`c', provider: 'p|q' });
  const md = modelTooltip(evil);
  assert.ok(!md.includes('[click](command:'), md);
  assert.ok(!/(^|[^\\])<img/.test(md), 'the < of a tag is escaped');
  assert.ok(!md.includes(' $(alert)'), md);
  assert.match(md, /`a\/b'c`/);
  assert.ok(!/[^\\]\|q/.test(md.split('\n')[2] ?? ''), 'a pipe in the provider does not break the table');
  assert.equal(mdText('a\nb'), 'a b');
});

test('root: error nodes first, then favorites, then groups with counts', () => {
  const root = buildRoot({
    groupBy: 'provider',
    groups: [
      { key: 'anthropic', label: 'Anthropic', count: 12 },
      { key: 'openai', label: 'OpenAI', count: 1234 },
    ],
    favorites: { canonicalIds: ['openai/gpt-4o'], count: 1 },
    statuses: [status(), status({ gateway: 'nemo', label: 'NemoRouter', state: 'unauthorized', hasKey: false, message: '401: no key' })],
    filterActive: false,
    refreshing: false,
  });
  assert.deepEqual(root.map((n) => n.kind), ['gatewayError', 'group', 'group', 'group']);
  const [err, fav, a, o] = root as [unknown, GroupNode, GroupNode, GroupNode];
  assert.equal(fav.scope.type, 'favorites');
  assert.equal(groupLabel(fav), 'Favorites (1)');
  assert.equal(groupLabel(a), 'Anthropic (12)');
  assert.equal(groupLabel(o), 'OpenAI (1,234)');
  assert.deepEqual(o.scope, { type: 'provider', key: 'openai' });
  assert.equal(o.id, 'group:provider:openai');
  const e = presentGatewayError(err as Parameters<typeof presentGatewayError>[0]);
  assert.equal(e.label, 'NemoRouter: no API key');
  assert.equal(e.description, '401: no key');
  assert.equal(e.contextValue, 'gatewayError needsKey');
});

test('root: a failing gateway with a cache keeps its models and says so; loading is not an error', () => {
  const root = buildRoot({
    groupBy: 'gateway',
    groups: [{ key: 'or', label: 'or', count: 3 }],
    favorites: { canonicalIds: [], count: 0 },
    statuses: [status({ state: 'unreachable', source: 'cache', message: 'connect ECONNREFUSED' }), status({ gateway: 'b', state: 'loading' })],
    filterActive: false,
    refreshing: true,
  });
  assert.deepEqual(root.map((n) => n.kind), ['gatewayError', 'group']);
  const e = presentGatewayError(root[0] as Parameters<typeof presentGatewayError>[0]);
  assert.equal(e.label, 'OpenRouter: unreachable');
  assert.equal(e.description, 'connect ECONNREFUSED (showing 3 cached models)');
  assert.equal(e.contextValue, 'gatewayError');
  assert.deepEqual((root[1] as GroupNode).scope, { type: 'gateway', key: 'or' });
  const prefixed = presentGatewayError({ kind: 'gatewayError', id: 'e', status: status({ state: 'unauthorized', message: 'OpenRouter: 401 — the key was rejected' }) });
  assert.equal(prefixed.label, 'OpenRouter: API key rejected');
  assert.equal(prefixed.description, '401 — the key was rejected', 'the label is not repeated in the description');
  assert.match(prefixed.tooltip!, /OpenRouter: 401/, 'the tooltip keeps the whole message');
});

test('root: an empty result says why (filter, loading, nothing yet) with a way out', () => {
  const base = { groupBy: 'provider' as const, groups: [], favorites: { canonicalIds: [], count: 0 }, statuses: [] };
  const [f] = buildRoot({ ...base, filterActive: true, refreshing: false });
  assert.equal(f.kind === 'notice' && f.command?.command, 'switchyard.clearFilter');
  const [l] = buildRoot({ ...base, filterActive: false, refreshing: true });
  assert.equal(l.kind === 'notice' && l.label, 'Loading models…');
  const [n] = buildRoot({ ...base, filterActive: false, refreshing: false });
  assert.equal(n.kind === 'notice' && n.command?.command, 'switchyard.refresh');
});

test('group children: one node per model, favorites flagged, a "more" node when the group holds more', () => {
  const group: GroupNode = { kind: 'group', id: 'group:gateway:nemo', scope: { type: 'gateway', key: 'nemo' }, label: 'nemo', count: 450 };
  const models = [model(), model({ id: 'anthropic/claude', canonicalId: 'anthropic/claude', name: 'Claude' })];
  const kids = buildGroupChildren(group, models, 450, new Set(['anthropic/claude']));
  assert.equal(kids.length, 3);
  const [a, b, more] = kids;
  assert.equal(a.kind === 'model' && a.gateway, 'nemo');
  assert.equal(a.id, 'group:gateway:nemo/openai/gpt-4o');
  assert.equal(b.kind === 'model' && b.favorite, true);
  assert.equal(more.kind === 'more' && more.total - more.shown, 448);
  assert.equal(buildGroupChildren(group, models, 2, new Set()).length, 2, 'no "more" node when all are shown');
});

test('filter: parsing price and context input, summary, active state, toggles', () => {
  assert.deepEqual(parseMaxPrice('5'), { ok: true, value: { maxInputPerMTok: 5, maxOutputPerMTok: 5 } });
  assert.deepEqual(parseMaxPrice(' $3 / $15 '), { ok: true, value: { maxInputPerMTok: 3, maxOutputPerMTok: 15 } });
  assert.deepEqual(parseMaxPrice(''), { ok: true, value: {} });
  assert.equal(parseMaxPrice('cheap').ok, false);
  assert.deepEqual(parseTokenCount('128k'), { ok: true, value: 128_000 });
  assert.deepEqual(parseTokenCount('1.5M'), { ok: true, value: 1_500_000 });
  assert.deepEqual(parseTokenCount('32,000'), { ok: true, value: 32_000 });
  assert.deepEqual(parseTokenCount(''), { ok: true, value: undefined });
  assert.equal(parseTokenCount('lots').ok, false);
  assert.equal(filterSummary({}), '');
  assert.equal(isFilterActive({ text: '   ', capabilities: [] }), false);
  assert.equal(
    filterSummary({ text: 'gpt', maxInputPerMTok: 5, maxOutputPerMTok: 5, minContext: 128_000, inputModalities: ['image'], capabilities: ['tools', 'vision'], freeOnly: true }),
    '"gpt" · ≤ $5/M · ≥ 128k ctx · in: image · tools + vision · free',
  );
  assert.equal(filterSummary({ maxInputPerMTok: 3, maxOutputPerMTok: 15 }), 'in ≤ $3/M, out ≤ $15/M');
  assert.deepEqual(toggle(['tools'], 'vision'), ['tools', 'vision']);
  assert.deepEqual(toggle(['tools', 'vision'], 'tools'), ['vision']);
});

test('query per group: the view filter plus the group scope; deprecated models are included and marked', () => {
  const view = { groupBy: 'provider' as const, sort: 'price' as const, filter: { text: ' gpt ', freeOnly: true } };
  assert.deepEqual(buildQuery(view, { type: 'provider', key: 'openai' }, 200), {
    filter: { text: 'gpt', freeOnly: true, includeDeprecated: true, provider: 'openai' },
    sort: 'price',
    offset: 0,
    limit: 200,
  });
  assert.deepEqual(buildQuery(view, { type: 'favorites', canonicalIds: ['a/b'] }).filter?.canonicalIds, ['a/b']);
  assert.equal(buildQuery(view, { type: 'gateway', key: 'nemo' }).filter?.gateway, 'nemo');
});

test('persisted view settings: bad or stale values fall back per field, nothing throws', () => {
  assert.deepEqual(parseViewSettings(undefined), DEFAULT_VIEW);
  assert.deepEqual(parseViewSettings({ groupBy: 'gateway', sort: 'bogus', filter: { minContext: -3 } }), {
    groupBy: 'gateway',
    sort: 'name',
    filter: {},
  });
  assert.deepEqual(parseViewSettings({ groupBy: 'gateway', sort: 'newest', filter: { text: 'x', freeOnly: true } }), {
    groupBy: 'gateway',
    sort: 'newest',
    filter: { text: 'x', freeOnly: true },
  });
  assert.deepEqual(parseViewSettings('garbage'), DEFAULT_VIEW);
});
