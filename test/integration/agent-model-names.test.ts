// The model names terminal agents send (issue 17 §3), through the proxy with the official SDKs:
// Claude Code's spellings (dated snapshots, `-latest`, `-0`, Anthropic's dashed versions) over
// `@anthropic-ai/sdk`, Codex's `gpt-5-codex` over `openai`'s Responses API. No alias is configured:
// each must reach the model the gateway lists through the catalog's spelling joins (server/catalog
// spelling.ts / lookup.ts), in the gateway's own ID form — Bifrost lists Anthropic's dated IDs
// (`anthropic/claude-sonnet-4-20250514`), OpenRouter its dotted versions (`anthropic/claude-opus-4.1`).
// The ledger keeps both names: what the agent asked for and what served it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startHarness, type Harness } from './proxy-harness';
import { seedModels, type FakeGatewayKind, type FakeModel } from '../fakes/index';

/** Models the seed catalogs lack, as each gateway really lists them. */
function extraModels(kind: 'bifrost' | 'openrouter'): FakeModel[] {
  const claude = seedModels(kind).find((m) => m.canonicalSlug === 'anthropic/claude-sonnet-4')!;
  const gpt = seedModels(kind).find((m) => m.canonicalSlug === 'openai/gpt-4o')!;
  const like = (base: FakeModel, id: string, slug: string, name: string): FakeModel => ({ ...structuredClone(base), id, canonicalSlug: slug, name });
  const or = kind === 'openrouter';
  return [
    like(claude, or ? 'anthropic/claude-sonnet-4.5' : 'anthropic/claude-sonnet-4-5-20250929', 'anthropic/claude-sonnet-4.5', 'Anthropic: Claude Sonnet 4.5'),
    like(claude, or ? 'anthropic/claude-opus-4.1' : 'anthropic/claude-opus-4-1-20250805', 'anthropic/claude-opus-4.1', 'Anthropic: Claude Opus 4.1'),
    like(claude, or ? 'anthropic/claude-3.5-haiku' : 'anthropic/claude-3-5-haiku-20241022', 'anthropic/claude-3.5-haiku', 'Anthropic: Claude 3.5 Haiku'),
    like(gpt, 'openai/gpt-5-codex', 'openai/gpt-5-codex', 'OpenAI: GPT-5 Codex'),
  ];
}

/** Requested spelling → the ID each gateway lists for that model. */
const SPELLINGS: Record<string, Record<'bifrost' | 'openrouter', string>> = {
  'claude-sonnet-4-20250514': { bifrost: 'anthropic/claude-sonnet-4-20250514', openrouter: 'anthropic/claude-sonnet-4' },
  'claude-3-5-sonnet-latest': { bifrost: 'anthropic/claude-3-5-sonnet-20241022', openrouter: 'anthropic/claude-3.5-sonnet' },
  'claude-sonnet-4-0': { bifrost: 'anthropic/claude-sonnet-4-20250514', openrouter: 'anthropic/claude-sonnet-4' },
  'claude-sonnet-4-5-20250929': { bifrost: 'anthropic/claude-sonnet-4-5-20250929', openrouter: 'anthropic/claude-sonnet-4.5' },
  'claude-opus-4-1': { bifrost: 'anthropic/claude-opus-4-1-20250805', openrouter: 'anthropic/claude-opus-4.1' },
  'claude-3-5-haiku-latest': { bifrost: 'anthropic/claude-3-5-haiku-20241022', openrouter: 'anthropic/claude-3.5-haiku' },
};

const harnesses: Partial<Record<'bifrost' | 'openrouter', Harness>> = {};

before(async () => {
  for (const kind of ['bifrost', 'openrouter'] as const) {
    harnesses[kind] = await startHarness({ gateways: { gw: kind satisfies FakeGatewayKind }, fake: { models: [...seedModels(kind), ...extraModels(kind)] } });
  }
});
after(async () => {
  for (const h of Object.values(harnesses)) await h?.close();
});

async function lineFor(h: Harness, requestId: string | null) {
  assert.ok(requestId, 'the answer names its request id');
  const line = (await h.ledger()).find((l) => l.requestId === requestId);
  assert.ok(line, `a ledger line for ${requestId}`);
  return line;
}

for (const kind of ['bifrost', 'openrouter'] as const) {
  for (const [spelling, listed] of Object.entries(SPELLINGS)) {
    test(`${kind}: Claude Code's "${spelling}" reaches ${listed[kind]} (messages.create), the ledger keeps both names`, async () => {
      const h = harnesses[kind]!;
      const client = new Anthropic({ baseURL: h.url.replace(/\/v1$/, ''), apiKey: h.token, maxRetries: 0 });
      const { data, response } = await client.messages.create({ model: spelling, max_tokens: 64, messages: [{ role: 'user', content: `hi ${spelling}` }] }).withResponse();
      assert.deepEqual(data.content, [{ type: 'text', text: `Echo: hi ${spelling}` }]);
      assert.equal(response.headers.get('x-switchyard-model'), listed[kind]);
      // The gateway was asked for its own ID.
      const sent = h.fakes.gw.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)?.body as { model: string };
      assert.equal(sent.model, listed[kind]);
      const line = await lineFor(h, response.headers.get('x-switchyard-request-id'));
      assert.equal(line.api, 'messages');
      assert.equal(line.source, 'proxy');
      assert.equal(line.model, spelling);
      assert.equal(line.servedModel, listed[kind]);
      assert.equal(line.status, 'ok');
    });
  }

  test(`${kind}: Codex's "gpt-5-codex" reaches openai/gpt-5-codex (responses.create), not GPT-5 or GPT-4o`, async () => {
    const h = harnesses[kind]!;
    const client = new OpenAI({ baseURL: h.url, apiKey: h.token, maxRetries: 0 });
    const { data, response } = await client.responses.create({ model: 'gpt-5-codex', input: 'hi codex', store: false }).withResponse();
    assert.equal(data.output_text, 'Echo: hi codex');
    assert.equal(response.headers.get('x-switchyard-model'), 'openai/gpt-5-codex');
    const line = await lineFor(h, response.headers.get('x-switchyard-request-id'));
    assert.equal(line.api, 'responses');
    assert.equal(line.model, 'gpt-5-codex');
    assert.equal(line.servedModel, 'openai/gpt-5-codex');
  });
}

test('an agent spelling of a model no gateway lists is Anthropic\'s not_found_error naming the closest IDs, not a wrong model', async () => {
  const h = harnesses.openrouter!;
  const client = new Anthropic({ baseURL: h.url.replace(/\/v1$/, ''), apiKey: h.token, maxRetries: 0 });
  // Opus 4 (not 4.1) is not listed: it must not be served by Opus 4.1 or Sonnet 4.
  const err = await client.messages.create({ model: 'claude-opus-4-0', max_tokens: 16, messages: [{ role: 'user', content: 'x' }] }).then(
    () => assert.fail('an unlisted model was served'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof Anthropic.NotFoundError, String(err));
  assert.match(err.message, /claude-opus-4-0/);
  assert.match(err.message, /did you mean/);
});
