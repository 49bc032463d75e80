// Every routing rule of design.md "Routing", resolved by the real catalog service loaded from the
// fake gateways over HTTP: explicit gateway, gateway order (exact ID), canonical match across
// gateways, aliases, fallbacks, `auto` by policy or handed to ARouter, unknown models with suggestions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../integration/pipeline-harness';
import { resolveRoute, type RouteResult } from '../../server/pipeline/routing';
import { adapterFor } from '../../server/gateways/index';
import type { SettingsInput } from '../../server/protocol/settings';
import type { InferenceEndpoint } from '../../server/gateways/types';

let h: Harness;

before(async () => {
  h = await startHarness([
    { id: 'nemo', kind: 'nemorouter' },
    { id: 'or', kind: 'openrouter' },
    { id: 'ar', kind: 'arouter' },
    { id: 'bf', kind: 'bifrost' },
  ]);
  for (const s of h.app.catalog.statuses()) assert.equal(s.state, 'ok', `${s.gateway}: ${s.message}`);
});
after(() => h.close());

function route(model: string, opts: { gateway?: string; body?: Record<string, unknown>; endpoint?: InferenceEndpoint; settings?: Partial<SettingsInput> } = {}): RouteResult {
  if (opts.settings) h.setSettings(opts.settings);
  try {
    return resolveRoute(
      { model, gateway: opts.gateway, endpoint: opts.endpoint ?? 'chat/completions', body: { messages: [{ role: 'user', content: 'hi' }], ...opts.body } },
      { settings: h.settings(), catalog: h.app.catalog, servesAuto: (g) => adapterFor(g.kind).servesAuto },
    );
  } finally {
    if (opts.settings) h.setSettings({ defaultGateway: '', defaultModel: '', aliases: {}, fallbacks: [], routing: {} });
  }
}

const pairs = (r: RouteResult) => (r.ok ? r.candidates.map((c) => `${c.gateway.id}:${c.id}`) : [`failure:${r.failure.code}`]);

test('gateway order: a model ID that is exact on a gateway goes there first, then the same model elsewhere', () => {
  assert.deepEqual(pairs(route('gpt-4o')), ['nemo:gpt-4o', 'or:openai/gpt-4o', 'ar:openai/gpt-4o', 'bf:openai/gpt-4o']);
  // `openai/gpt-4o` is exact on OpenRouter, ARouter and Bifrost (in that configured order); NemoRouter serves it as `gpt-4o`.
  assert.deepEqual(pairs(route('openai/gpt-4o')), ['or:openai/gpt-4o', 'ar:openai/gpt-4o', 'bf:openai/gpt-4o', 'nemo:gpt-4o']);
});

test('canonical match across gateways: gateway-prefixed and other-gateway ID forms find every offer', () => {
  const viaPrefix = pairs(route('openrouter/openai/gpt-4o'));
  assert.ok(viaPrefix.includes('nemo:gpt-4o') && viaPrefix.includes('or:openai/gpt-4o'), viaPrefix.join(' '));
  const sonnet = pairs(route('anthropic/claude-sonnet-4'));
  assert.deepEqual(sonnet, ['or:anthropic/claude-sonnet-4', 'ar:anthropic/claude-sonnet-4', 'nemo:claude-4-sonnet', 'bf:anthropic/claude-sonnet-4-20250514'], "NemoRouter's spelling and Bifrost's dated ID");
  assert.deepEqual(pairs(route('deepseek-chat')), ['nemo:deepseek-chat', 'or:deepseek/deepseek-chat', 'ar:deepseek/deepseek-chat', 'bf:openrouter/deepseek/deepseek-chat']);
  // A configured gateway id as prefix prefers that gateway without pinning it.
  assert.deepEqual(pairs(route('or/gpt-4o')).slice(0, 2), ['or:openai/gpt-4o', 'nemo:gpt-4o']);
});

test('defaultGateway goes first among equals', () => {
  assert.deepEqual(pairs(route('gpt-4o-mini', { settings: { defaultGateway: 'or' } })).slice(0, 2), ['nemo:gpt-4o-mini', 'or:openai/gpt-4o-mini'], 'an exact ID still wins');
  assert.equal(pairs(route('anthropic/claude-sonnet-4', { settings: { defaultGateway: 'ar' } }))[0], 'ar:anthropic/claude-sonnet-4');
});

test('explicit gateway pins every candidate to it; unknown or disabled gateways are refused clearly', () => {
  assert.deepEqual(pairs(route('openai/gpt-4o', { gateway: 'nemo' })), ['nemo:gpt-4o']);
  assert.deepEqual(pairs(route('gpt-4o', { gateway: 'bf' })), ['bf:openai/gpt-4o']);
  const nope = route('gpt-4o', { gateway: 'nope' });
  assert.ok(!nope.ok && nope.failure.code === 'unknown_gateway' && /nemo, or, ar, bf/.test(nope.failure.message));
  const notThere = route('openai/o3-mini', { gateway: 'ar', settings: {} });
  assert.deepEqual(pairs(notThere), ['ar:openai/o3-mini']);
  const llama = route('ollama/llama3.1:8b', { gateway: 'nemo' });
  assert.ok(!llama.ok && llama.failure.code === 'model_not_served' && /bf/.test(llama.failure.message), JSON.stringify(llama));
});

test('aliases resolve to their model (and chain), after the catalog found nothing', () => {
  const r = route('fast', { settings: { aliases: { fast: 'openai/gpt-4o-mini', quick: 'fast' } } });
  assert.equal(pairs(r)[0], 'or:openai/gpt-4o-mini');
  assert.equal(pairs(route('quick', { settings: { aliases: { fast: 'openai/gpt-4o-mini', quick: 'fast' } } }))[0], 'or:openai/gpt-4o-mini');
  const loop = route('a', { settings: { aliases: { a: 'b', b: 'a' } } });
  assert.ok(!loop.ok && loop.failure.code === 'unknown_model', 'an alias loop ends as unknown, not a hang');
});

test('fallbacks follow the requested model\'s own failover chain, each in its gateway order', () => {
  const r = pairs(route('gpt-4o', { settings: { fallbacks: ['anthropic/claude-sonnet-4', 'gpt-4o'] } }));
  assert.deepEqual(r.slice(0, 4), ['nemo:gpt-4o', 'or:openai/gpt-4o', 'ar:openai/gpt-4o', 'bf:openai/gpt-4o']);
  assert.equal(r[4], 'or:anthropic/claude-sonnet-4');
  assert.equal(new Set(r).size, r.length, 'no duplicates');
  const viaCandidates = route('gpt-4o', { settings: { fallbacks: ['anthropic/claude-sonnet-4'] } });
  assert.ok(viaCandidates.ok && viaCandidates.candidates.at(-1)?.via === 'fallback');
});

test('auto, cheapest policy: the cheapest priced model that fits context, tools and images', () => {
  const plain = route('auto');
  assert.ok(plain.ok);
  if (!plain.ok) return;
  assert.equal(plain.candidates[0].canonicalId, 'meta-llama/llama-3.1-70b-instruct:free', 'free is cheapest');
  const prices = plain.candidates.map((c) => (c.pricing!.inputPerMTok! + c.pricing!.outputPerMTok! * 1000) / 1);
  assert.deepEqual([...prices].sort((a, b) => a - b), prices, 'cheapest first');

  const tools = route('auto', { body: { tools: [{ type: 'function', function: { name: 'f', parameters: {} } }] } });
  assert.ok(tools.ok && tools.candidates.every((c) => h.app.catalog.find(c.canonicalId!)?.capabilities.tools), 'only tool-capable models');

  const image = [{ role: 'user', content: [{ type: 'text', text: 'what is this' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } }] }];
  const vision = route('auto', { body: { messages: image } });
  assert.ok(vision.ok && vision.candidates.every((c) => h.app.catalog.find(c.canonicalId!)?.modalities.input.includes('image')), pairs(vision).join(' '));
  assert.equal(pairs(vision)[0], 'nemo:gemini-2.0-flash', 'the cheapest vision model, not the cheaper text-only llama');

  const huge = route('auto', { body: { messages: [{ role: 'user', content: 'x'.repeat(4 * 150_000) }] } });
  assert.ok(huge.ok && huge.candidates.every((c) => (h.app.catalog.find(c.canonicalId!)?.contextLength ?? 0) >= 150_000), pairs(huge).join(' '));

  const embed = route('auto', { endpoint: 'embeddings', body: { input: 'hello' } });
  assert.equal(embed.ok && embed.candidates[0].canonicalId, 'openai/text-embedding-3-small');

  const none = route('auto', { body: { messages: [{ role: 'user', content: 'x'.repeat(4 * 3_000_000) }] } });
  assert.deepEqual(pairs(none), ['ar:auto'], 'nothing fits: hand off to the gateway that serves auto');
});

test('auto, gateway policy: handed to the gateway that serves auto itself (ARouter)', () => {
  assert.deepEqual(pairs(route('auto', { settings: { routing: { autoPolicy: 'gateway' } } })), ['ar:auto']);
  const pinned = route('auto', { gateway: 'nemo', settings: { routing: { autoPolicy: 'gateway' } } });
  assert.ok(pinned.ok && pinned.candidates.every((c) => c.gateway.id === 'nemo'), 'no auto gateway in the pin: cheapest on nemo');
});

test('an unknown model is a 404 with the closest catalog IDs as suggestions; an empty model means defaultModel', () => {
  const r = route('gpt4o');
  assert.ok(!r.ok);
  if (r.ok) return;
  assert.equal(r.failure.kind, 'unknown_model');
  assert.equal(r.failure.status, 404);
  assert.ok(r.failure.suggestions?.includes('gpt-4o'), JSON.stringify(r.failure.suggestions));
  assert.match(r.failure.message, /did you mean/);
  assert.equal(pairs(route('', { settings: { defaultModel: 'anthropic/claude-sonnet-4' } }))[0], 'or:anthropic/claude-sonnet-4');
});

test('no gateway configured is its own clear failure', () => {
  const r = resolveRoute(
    { model: 'gpt-4o', endpoint: 'chat/completions', body: {} },
    { settings: { ...h.settings(), gateways: [] }, catalog: h.app.catalog, servesAuto: () => false },
  );
  assert.ok(!r.ok && r.failure.code === 'no_gateway' && r.failure.status === 503);
});
