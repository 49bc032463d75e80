// Routing decisions are memoised per catalog version and settings object, and never for `auto`
// (whose pick depends on the request body), against the real catalog loaded from the fakes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../integration/pipeline-harness';
import { RouteCache, resolveRoute, type RouteContext, type RouteResult } from '../../server/pipeline/routing';
import { adapterFor } from '../../server/gateways/index';

let h: Harness;

before(async () => {
  h = await startHarness([
    { id: 'nemo', kind: 'nemorouter' },
    { id: 'or', kind: 'openrouter' },
  ]);
});
after(() => h.close());

const body = { messages: [{ role: 'user', content: 'hi' }] };
const ctx = (): RouteContext => ({ settings: h.settings(), catalog: h.app.catalog, servesAuto: (g) => adapterFor(g.kind).servesAuto });
const pairs = (r: RouteResult) => (r.ok ? r.candidates.map((c) => `${c.gateway.id}:${c.id}`) : [`failure:${r.failure.code}`]);

test('the same request in the same catalog version and settings reuses the decision; the answer equals resolveRoute’s', () => {
  const cache = new RouteCache();
  const c = ctx();
  const input = { model: 'gpt-4o', endpoint: 'chat/completions' as const, body };
  const first = cache.resolve(input, c, h.app.catalog.version);
  assert.equal(cache.resolve(input, c, h.app.catalog.version), first, 'memoised');
  assert.deepEqual(pairs(first), pairs(resolveRoute(input, c)));
  // Another gateway pin, endpoint or model is another decision.
  assert.notEqual(cache.resolve({ ...input, gateway: 'or' }, c, h.app.catalog.version), first);
  assert.deepEqual(pairs(cache.resolve({ ...input, gateway: 'or' }, c, h.app.catalog.version)), ['or:openai/gpt-4o']);
  // Unknown models (with their suggestions) are memoised too, and stay failures.
  const unknown = cache.resolve({ ...input, model: 'gpt-4q' }, c, h.app.catalog.version);
  assert.equal(unknown.ok, false);
  assert.equal(cache.resolve({ ...input, model: 'gpt-4q' }, c, h.app.catalog.version), unknown);
});

test('a new catalog version or new settings start afresh', () => {
  const cache = new RouteCache();
  const input = { model: 'gpt-4o', endpoint: 'chat/completions' as const, body };
  const v = h.app.catalog.version;
  const first = cache.resolve(input, ctx(), v);
  assert.notEqual(cache.resolve(input, ctx(), v + 1), first, 'the catalog changed');
  const before = cache.resolve(input, ctx(), v + 1);
  h.setSettings({ defaultGateway: 'or' });
  try {
    const after = cache.resolve(input, ctx(), v + 1);
    assert.notEqual(after, before, 'the settings changed');
    assert.deepEqual(pairs(after), pairs(resolveRoute(input, ctx())));
  } finally {
    h.setSettings({ defaultGateway: '' });
  }
});

test('`auto`, asked for or reachable through an alias or a fallback, is resolved per request', () => {
  const cache = new RouteCache();
  const v = h.app.catalog.version;
  const small = { messages: [{ role: 'user', content: 'hi' }] };
  const huge = { messages: [{ role: 'user', content: 'x'.repeat(4 * 150_000) }] }; // ~150k tokens: few models fit
  const auto = (b: Record<string, unknown>) => cache.resolve({ model: 'auto', endpoint: 'chat/completions', body: b }, ctx(), v);
  assert.notEqual(auto(small), auto(small), 'never memoised');
  assert.notDeepEqual(pairs(auto(small)), pairs(auto(huge)), 'the body decides');
  h.setSettings({ aliases: { fast: 'auto' } });
  try {
    const viaAlias = (b: Record<string, unknown>) => cache.resolve({ model: 'fast', endpoint: 'chat/completions', body: b }, ctx(), v);
    assert.notEqual(viaAlias(small), viaAlias(small));
    assert.notDeepEqual(pairs(viaAlias(small)), pairs(viaAlias(huge)));
  } finally {
    h.setSettings({ aliases: {} });
  }
});
