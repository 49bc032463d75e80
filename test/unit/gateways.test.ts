// Adapters against hand-written gateway answers (undici MockAgent): the documented shapes, the
// plausible variants, unknown extra fields, odd records, and the error mapping and messages.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { MockAgent } from 'undici';
import { ADAPTERS } from '../../server/gateways';
import type { GatewayContext } from '../../server/gateways/types';
import { HttpError, describeErrorBody, parseRetryAfter } from '../../server/http/errors';
import { describeFailure } from '../../server/catalog/status';
import { loadPriceTable } from '../../server/catalog/table';
import { silentLogger } from '../../server/core/log';
import type { GatewayKind, ResolvedGateway } from '../../server/protocol/settings';

before(async () => {
  await loadPriceTable();
});

const ORIGIN = 'http://gw.test';
const KEY = 'sk-test-0123456789abcdef';

function setup(kind: GatewayKind, base = `${ORIGIN}/v1`) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(ORIGIN);
  const gateway: ResolvedGateway = { id: kind === 'openai-compatible' ? 'local' : kind, kind, baseUrl: base, headers: { 'x-team': 'a' } };
  const ctx: GatewayContext = { gateway, apiKey: KEY, dispatcher: agent, log: silentLogger };
  return { agent, pool, ctx, adapter: ADAPTERS[kind] };
}
const json = { headers: { 'content-type': 'application/json' } };
const signal = () => new AbortController().signal;

test('NemoRouter: bare IDs with owned_by, LiteLLM prices (list shape), capabilities and deprecation', async () => {
  const { pool, ctx, adapter } = setup('nemorouter');
  pool.intercept({ path: '/v1/models', method: 'GET', headers: { authorization: `Bearer ${KEY}`, 'x-team': 'a' } }).reply(
    200,
    { object: 'list', data: [
      { id: 'gpt-4o', object: 'model', created: 1709251200, owned_by: 'openai', surprise: { nested: true } },
      { id: 'claude-3-5-sonnet', object: 'model', created: 1709251200, owned_by: 'anthropic' },
      { id: 'text-embedding-3-small', owned_by: 'openai' },
      { object: 'model' }, // no id: skipped, not fatal
    ] },
    { headers: { etag: '"m1"', 'content-type': 'application/json' } },
  );
  pool.intercept({ path: '/api/models/pricing', method: 'GET' }).reply(
    200,
    { object: 'list', data: [
      { model: 'gpt-4o', input_cost_per_token: 0.0000025, output_cost_per_token: 0.00001, max_input_tokens: 128000, max_output_tokens: 16384, supports_vision: true, supports_function_calling: true, supports_response_schema: true, mode: 'chat' },
      { model: 'claude-3-5-sonnet', input_cost_per_token: '0.000003', output_cost_per_token: '0.000015', deprecation_date: '2025-10-22' },
      { model: 'text-embedding-3-small', input_cost_per_token: 0.00000002, output_cost_per_token: 0, mode: 'embedding' },
    ] },
    { headers: { etag: '"p1"', 'content-type': 'application/json' } },
  );
  const r = await adapter.listModels(ctx, signal());
  assert.equal(r.models.length, 3);
  assert.deepEqual(r.warnings, ['1 model record(s) with no usable id were skipped']);
  assert.equal(r.etag, '"m1"\n"p1"');
  const [gpt, claude, emb] = r.models;
  assert.equal(gpt.id, 'gpt-4o');
  assert.equal(gpt.canonicalId, 'openai/gpt-4o');
  assert.equal(gpt.provider, 'openai');
  assert.deepEqual(gpt.pricing, { inputPerMTok: 2.5, outputPerMTok: 10 });
  assert.equal(gpt.priceSource, 'gateway');
  assert.equal(gpt.contextLength, 128000);
  assert.equal(gpt.maxOutput, 16384);
  assert.deepEqual(gpt.capabilities, { tools: true, vision: true, reasoning: false, json: true });
  assert.deepEqual(gpt.modalities.input, ['text', 'image']);
  assert.equal(gpt.created, 1709251200);
  assert.deepEqual(claude.pricing, { inputPerMTok: 3, outputPerMTok: 15 });
  assert.deepEqual(claude.deprecated, { since: '2025-10-22' });
  assert.deepEqual(emb.modalities.output, ['embedding']);
});

test('NemoRouter: pricing as a map, pricing failure keeps the models, balance shapes', async () => {
  const { pool, ctx, adapter } = setup('nemorouter');
  pool.intercept({ path: '/v1/models' }).reply(200, { data: [{ id: 'gpt-4o', owned_by: 'openai' }] }, json);
  pool.intercept({ path: '/api/models/pricing' }).reply(200, { 'gpt-4o': { input_cost_per_token: 0.0000025, output_cost_per_token: 0.00001 }, object: 'list' }, json);
  assert.deepEqual((await adapter.listModels(ctx, signal())).models[0].pricing, { inputPerMTok: 2.5, outputPerMTok: 10 });

  pool.intercept({ path: '/v1/models' }).reply(200, { data: [{ id: 'gpt-4o', owned_by: 'openai' }] }, json);
  pool.intercept({ path: '/api/models/pricing' }).reply(404, { error: { message: 'no' } }, json);
  const r = await adapter.listModels(ctx, signal());
  assert.equal(r.models[0].pricing, undefined);
  assert.equal(r.models[0].priceSource, 'none');
  assert.match(r.warnings!.join(), /prices unavailable \(HTTP 404/);

  pool.intercept({ path: '/api/credits/balance' }).reply(200, { balance: 4.25, currency: 'USD', total_spent: 0.75 }, json);
  assert.deepEqual(await adapter.balance!(ctx, signal()), { balanceUsd: 4.25, usedUsd: 0.75 });
  pool.intercept({ path: '/api/credits/balance' }).reply(200, { data: { balance: 1.5 } }, json);
  assert.equal((await adapter.balance!(ctx, signal()))?.balanceUsd, 1.5);
  pool.intercept({ path: '/api/credits/balance' }).reply(200, { hello: 'world' }, json);
  await assert.rejects(adapter.balance!(ctx, signal()), (e: HttpError) => e.kind === 'malformed');
});

test('NemoRouter: 304 on both lists is "not modified"; reported cost from the header or usage.cost', async () => {
  const { pool, ctx, adapter } = setup('nemorouter');
  pool.intercept({ path: '/v1/models', headers: { 'if-none-match': '"m1"' } }).reply(304, '');
  pool.intercept({ path: '/api/models/pricing', headers: { 'if-none-match': '"p1"' } }).reply(304, '');
  const r = await adapter.listModels(ctx, signal(), '"m1"\n"p1"');
  assert.equal(r.notModified, true);
  assert.deepEqual(adapter.reportedCost!({ 'x-nemo-request-cost': '0.000125' }, {}), { costUsd: 0.000125 });
  assert.deepEqual(adapter.reportedCost!({}, { usage: { cost: 0.5 } }), { costUsd: 0.5 });
  assert.equal(adapter.reportedCost!({}, {}), undefined);
});

test('OpenRouter: string prices per token, modalities, capabilities, :free, expiration date, unknown fields', async () => {
  const { pool, ctx, adapter } = setup('openrouter', `${ORIGIN}/api/v1`);
  pool.intercept({ path: '/api/v1/models?output_modalities=all' }).reply(
    200,
    { data: [
      {
        id: 'openai/gpt-4o', canonical_slug: 'openai/gpt-4o', name: 'OpenAI: GPT-4o', created: 1715558400, context_length: 128000,
        architecture: { input_modalities: ['text', 'image', 'file'], output_modalities: ['text'], modality: 'text+image->text', tokenizer: 'GPT' },
        pricing: { prompt: '0.0000025', completion: '0.00001', request: '0' },
        top_provider: { context_length: 128000, max_completion_tokens: 16384, is_moderated: true },
        supported_parameters: ['tools', 'tool_choice', 'response_format', 'structured_outputs'], expiration_date: null, brand_new_field: [1, 2],
      },
      { id: 'meta-llama/llama-3.1-70b-instruct:free', canonical_slug: 'meta-llama/llama-3.1-70b-instruct', name: 'Llama (free)', pricing: { prompt: '0', completion: '0' }, context_length: '131072' },
      { id: 'anthropic/claude-3.5-sonnet', name: 'Claude 3.5 Sonnet', pricing: { prompt: '0.000003', completion: '0.000015' }, expiration_date: '2025-10-22', architecture: { modality: 'text+image->text' } },
      { id: 'openrouter/auto', name: 'Auto', pricing: { prompt: '-1', completion: '-1' }, architecture: 'weird' },
      { id: 'openai/text-embedding-3-small', architecture: { input_modalities: ['text'], output_modalities: ['embeddings'] }, pricing: { prompt: '0.00000002', completion: '0' } },
    ] },
    json,
  );
  const r = await adapter.listModels(ctx, signal());
  const by = new Map(r.models.map((m) => [m.id, m]));
  const gpt = by.get('openai/gpt-4o')!;
  assert.equal(gpt.canonicalId, 'openai/gpt-4o');
  assert.deepEqual(gpt.pricing, { inputPerMTok: 2.5, outputPerMTok: 10 });
  assert.deepEqual(gpt.modalities, { input: ['text', 'image', 'file'], output: ['text'] });
  assert.deepEqual(gpt.capabilities, { tools: true, vision: true, reasoning: false, json: true });
  assert.equal(gpt.maxOutput, 16384);
  assert.equal(gpt.deprecated, undefined);
  const free = by.get('meta-llama/llama-3.1-70b-instruct:free')!;
  assert.equal(free.canonicalId, 'meta-llama/llama-3.1-70b-instruct:free');
  assert.equal(free.free, true);
  assert.equal(free.contextLength, 131072);
  const claude = by.get('anthropic/claude-3.5-sonnet')!;
  assert.deepEqual(claude.deprecated, { since: '2025-10-22' });
  assert.deepEqual(claude.modalities.input, ['text', 'image']);
  const auto = by.get('openrouter/auto')!;
  assert.equal(auto.pricing, undefined); // "-1" = varies: not a price
  assert.deepEqual(by.get('openai/text-embedding-3-small')!.modalities.output, ['embedding']);
});

test('OpenRouter: balance from /credits, /key as fallback; usage accounting switched on', async () => {
  const { pool, ctx, adapter } = setup('openrouter', `${ORIGIN}/api/v1`);
  pool.intercept({ path: '/api/v1/credits' }).reply(200, { data: { total_credits: 10, total_usage: 2.5 } }, json);
  assert.deepEqual(await adapter.balance!(ctx, signal()), { balanceUsd: 7.5, usedUsd: 2.5 });
  pool.intercept({ path: '/api/v1/credits' }).reply(403, { error: { code: 403, message: 'Only management keys' } }, json);
  pool.intercept({ path: '/api/v1/key' }).reply(200, { data: { limit: 20, limit_remaining: 12.5, usage: 7.5 } }, json);
  assert.deepEqual(await adapter.balance!(ctx, signal()), { balanceUsd: 12.5, usedUsd: 7.5 });
  assert.deepEqual(adapter.prepareRequest!('chat/completions', { model: 'x', usage: { foo: 1 } }), { model: 'x', usage: { foo: 1, include: true } });
  assert.deepEqual(adapter.reportedCost!({}, { usage: { cost: 0.001 } }), { costUsd: 0.001 });
});

test('Bifrost: follows next_page_token across pages, canonical_slug folds the prefixed IDs', async () => {
  const { pool, ctx, adapter } = setup('bifrost');
  const rec = (id: string, slug: string) => ({ id, canonical_slug: slug, owned_by: slug.split('/')[0], pricing: { prompt: '0.0000025', completion: '0.00001' } });
  pool.intercept({ path: '/v1/models?page_size=500' }).reply(200, { data: [rec('openai/gpt-4o', 'openai/gpt-4o')], next_page_token: 'p2', extra_fields: {} }, json);
  pool.intercept({ path: '/v1/models?page_size=500&page_token=p2' }).reply(200, { data: [rec('openrouter/openai/gpt-4o', 'openai/gpt-4o')], next_page_token: 'p3' }, json);
  pool.intercept({ path: '/v1/models?page_size=500&page_token=p3' }).reply(200, { data: [rec('anthropic/claude-sonnet-4-20250514', 'anthropic/claude-sonnet-4')] }, json);
  const r = await adapter.listModels(ctx, signal());
  assert.deepEqual(r.models.map((m) => [m.id, m.canonicalId]), [
    ['openai/gpt-4o', 'openai/gpt-4o'],
    ['openrouter/openai/gpt-4o', 'openai/gpt-4o'],
    ['anthropic/claude-sonnet-4-20250514', 'anthropic/claude-sonnet-4'],
  ]);
  assert.equal(r.etag, undefined); // several pages: no conditional refresh

  pool.intercept({ path: '/v1/models?page_size=500' }).reply(200, { data: [rec('a/b', 'a/b')], next_page_token: 'x' }, json);
  pool.intercept({ path: '/v1/models?page_size=500&page_token=x' }).reply(200, { data: [rec('a/c', 'a/c')], next_page_token: 'x' }, json);
  await assert.rejects(adapter.listModels(ctx, signal()), (e: HttpError) => e.kind === 'malformed' && /never ends/.test(e.message));
});

test('ARouter and openai-compatible: OpenAI list (or a bare array), no prices, canonical IDs from the table', async () => {
  const a = setup('arouter');
  a.pool.intercept({ path: '/v1/models' }).reply(200, { object: 'list', data: [{ id: 'openai/gpt-5.4', owned_by: 'openai', created: 1748000000 }, { id: 'auto', owned_by: 'arouter' }] }, json);
  const ar = await a.adapter.listModels(a.ctx, signal());
  assert.deepEqual(ar.models.map((m) => [m.id, m.canonicalId, m.priceSource]), [['openai/gpt-5.4', 'openai/gpt-5.4', 'none']]);
  assert.equal(a.adapter.servesAuto, true);

  const o = setup('openai-compatible', `${ORIGIN}/v1`);
  o.pool.intercept({ path: '/v1/models' }).reply(200, [{ id: 'gpt-4o-mini', owned_by: 'system' }, { id: 'claude-3-5-haiku-latest' }, { id: 'llama3.1:8b', owned_by: 'library', max_model_len: 131072 }], json);
  const oc = await o.adapter.listModels(o.ctx, signal());
  assert.deepEqual(oc.models.map((m) => m.canonicalId), ['openai/gpt-4o-mini', 'anthropic/claude-3-5-haiku-latest', 'local/llama3.1:8b']);
  assert.equal(oc.models[2].contextLength, 131072);
});

test('wrong shapes, HTML pages and non-JSON are `malformed`; statuses map to tagged errors', async () => {
  const cases: [number, unknown, string | undefined, HttpError['kind']][] = [
    [200, { models: 'nope' }, 'application/json', 'malformed'],
    [200, '<html><title>Bad Gateway</title></html>', 'text/html', 'malformed'],
    [200, '{"data": [', 'application/json', 'malformed'],
    [401, { error: { message: 'Invalid API key', code: 'invalid_api_key' } }, 'application/json', 'unauthorized'],
    [403, { error: { message: 'forbidden' } }, 'application/json', 'forbidden'],
    [404, 'Not Found', 'text/plain', 'not_found'],
    [429, { error: { message: 'slow down', code: 'rate_limit_exceeded' } }, 'application/json', 'rate_limited'],
    [402, { error: { message: 'no money', code: 'insufficient_credits' } }, 'application/json', 'client'],
    [503, '<html>oops</html>', 'text/html', 'server'],
  ];
  for (const [status, body, type, kind] of cases) {
    const { pool, ctx, adapter } = setup('arouter');
    pool.intercept({ path: '/v1/models' }).reply(status, typeof body === 'string' ? body : JSON.stringify(body), {
      headers: { 'content-type': type ?? 'text/plain', 'retry-after': '7' },
    });
    await assert.rejects(adapter.listModels(ctx, signal()), (e: HttpError) => {
      assert.equal(e.kind, kind, `${status} ${JSON.stringify(body)}`);
      if (status === 429) assert.equal(e.retryAfterMs, 7000);
      if (status === 402) assert.equal(e.code, 'insufficient_credits');
      assert.ok(!e.message.includes(KEY));
      return true;
    });
  }
});

test('error bodies of every gateway shape yield their message and code', () => {
  assert.deepEqual(describeErrorBody('{"error":{"message":"Invalid key","type":"authentication_error","code":"invalid_api_key"}}'), { message: 'Invalid key', code: 'invalid_api_key', html: false });
  assert.deepEqual(describeErrorBody('{"error":{"code":401,"message":"No auth credentials found"}}'), { message: 'No auth credentials found', code: undefined, html: false });
  assert.deepEqual(describeErrorBody('{"is_bifrost_error":true,"status_code":400,"error":{"type":"invalid_request","code":"invalid_page_token","message":"Invalid page_token"}}'), { message: 'Invalid page_token', code: 'invalid_page_token', html: false });
  assert.deepEqual(describeErrorBody('{"detail":"Not authenticated"}'), { message: 'Not authenticated', code: undefined, html: false });
  assert.equal(describeErrorBody('<!doctype html><html><head><title>502 Bad Gateway</title>').html, true);
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter(new Date(Date.now() + 10_000).toUTCString(), Date.now()) !== undefined, true);
  assert.equal(parseRetryAfter('soon'), undefined);
});

test('status messages say what to do and never carry the key', () => {
  const gw: ResolvedGateway = { id: 'openrouter', kind: 'openrouter', baseUrl: 'https://openrouter.ai/api/v1', apiKeyEnv: 'OPENROUTER_API_KEY', headers: {} };
  const m401 = describeFailure(gw, new HttpError('unauthorized', `HTTP 401 from x: bad key ${KEY}`, { status: 401 }), true);
  assert.deepEqual(m401, { state: 'unauthorized', message: 'OpenRouter (openrouter): 401 — the API key was rejected. Run “Switchyard: Set API Key”.' });
  assert.match(describeFailure(gw, new HttpError('unauthorized', 'x', { status: 401 }), false).message, /no API key is set\. Set OPENROUTER_API_KEY or run “Switchyard: Set API Key”\./);
  assert.equal(describeFailure(gw, new HttpError('rate_limited', 'x', { status: 429, retryAfterMs: 30_000 }), true).state, 'rate-limited');
  assert.match(describeFailure(gw, new HttpError('rate_limited', 'x', { status: 429, retryAfterMs: 30_000 }), true).message, /Try again in 30 s/);
  assert.equal(describeFailure(gw, new HttpError('network', 'cannot reach h (connection refused)'), true).state, 'unreachable');
  assert.equal(describeFailure(gw, new HttpError('timeout', 'no complete answer within 30 s'), true).state, 'unreachable');
  assert.equal(describeFailure(gw, new HttpError('server', 'HTTP 503 from u: down', { status: 503 }), true).state, 'unreachable');
  assert.equal(describeFailure(gw, new HttpError('malformed', 'u answered with an HTML page'), true).state, 'malformed');
  assert.equal(describeFailure(gw, new HttpError('too_large', 'too big'), true).state, 'malformed');
  assert.match(describeFailure(gw, new HttpError('not_found', 'x', { status: 404, url: 'https://openrouter.ai/api/v1/models' }), true).message, /does not exist\. Check the gateway's baseUrl/);
  for (const kind of ['unauthorized', 'forbidden', 'not_found', 'rate_limited', 'client', 'server', 'network', 'timeout', 'too_large', 'redirects', 'malformed'] as const) {
    const { message } = describeFailure(gw, new HttpError(kind, `HTTP 500 from u: echo Bearer ${KEY} and ${KEY}`, { status: 500 }), true);
    assert.ok(!message.includes(KEY), `${kind}: ${message}`);
  }
});

test('cancelling aborts the call with an `aborted` error', async () => {
  const { pool, ctx, adapter } = setup('arouter');
  pool.intercept({ path: '/v1/models' }).reply(200, { data: [] }, json).delay(5_000);
  const ctrl = new AbortController();
  const p = adapter.listModels(ctx, ctrl.signal);
  setImmediate(() => ctrl.abort());
  await assert.rejects(p, (e: HttpError) => e.kind === 'aborted');
  const pre = new AbortController();
  pre.abort();
  await assert.rejects(adapter.listModels(ctx, pre.signal), (e: HttpError) => e.kind === 'aborted');
});
