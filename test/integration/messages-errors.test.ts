// Every way a Messages request can fail, as the official `@anthropic-ai/sdk` sees it: Anthropic's
// error shape and status for each, the SDK's typed error class, an unknown model answered once with
// the nearest IDs (no retry loop), a budget refusal, an upstream cut mid-stream ending in an `error`
// event (never a hang), and the token as x-api-key or Bearer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import Anthropic from '@anthropic-ai/sdk';
import { startHarness, rawRequest, TOKEN, type Harness } from './proxy-harness';

let h: Harness;
let client: Anthropic;
const root = () => h.url.replace(/\/v1$/, '');

before(async () => {
  h = await startHarness({ gateways: { or: 'openrouter' }, settings: { routing: { maxRetries: 0 } } });
  client = new Anthropic({ baseURL: root(), apiKey: h.token, maxRetries: 0 });
});
after(async () => {
  await h?.close();
});

/** Polls a condition every 25 ms for up to 10 s. */
async function until(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(25);
  }
}

const ask = (c: Anthropic = client, model = 'openai/gpt-4o-mini') => c.messages.create({ model, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });

/** The raw body of a refused request must be Anthropic's shape exactly. */
async function rawError(body: unknown, headers: Record<string, string> = { 'x-api-key': TOKEN }, path = '/v1/messages') {
  const r = await rawRequest(h.port, { method: 'POST', path, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const parsed = JSON.parse(r.body) as { type: string; error: { type: string; message: string } };
  assert.equal(parsed.type, 'error', r.body);
  assert.equal(typeof parsed.error.type, 'string');
  assert.equal(typeof parsed.error.message, 'string');
  return { status: r.status, headers: r.headers, error: parsed.error };
}

test('the token as x-api-key (ANTHROPIC_API_KEY) and as Bearer (ANTHROPIC_AUTH_TOKEN) both work; a wrong one is authentication_error 401', async () => {
  assert.equal((await ask()).type, 'message');
  const bearer = new Anthropic({ baseURL: root(), apiKey: null, authToken: h.token, maxRetries: 0 });
  assert.equal((await ask(bearer)).type, 'message');
  const wrong = new Anthropic({ baseURL: root(), apiKey: 'sk-wrong-token-0123456789', maxRetries: 0 });
  await assert.rejects(ask(wrong), (e: unknown) => {
    assert.ok(e instanceof Anthropic.AuthenticationError, String(e));
    assert.equal(e.status, 401);
    assert.equal((e.error as { error: { type: string } }).error.type, 'authentication_error');
    assert.match(e.message, /x-api-key/);
    return true;
  });
  // x-api-key is for the Anthropic endpoints only: the OpenAI endpoints keep Bearer.
  const r = await rawRequest(h.port, { method: 'GET', path: '/v1/models', headers: { 'x-api-key': TOKEN } });
  assert.equal(r.status, 401);
});

test('invalid requests are invalid_request_error 400 naming the field (missing max_tokens, bad block, server-tool tool_choice)', async () => {
  const noMax = await rawError({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(noMax.status, 400);
  assert.equal(noMax.error.type, 'invalid_request_error');
  assert.match(noMax.error.message, /max_tokens/);
  const badBlock = await rawError({ model: 'openai/gpt-4o-mini', max_tokens: 8, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64' } }] }] });
  assert.equal(badBlock.status, 400);
  assert.match(badBlock.error.message, /messages\.0\.content\.0\.source/);
  const unknownBlock = await rawError({ model: 'openai/gpt-4o-mini', max_tokens: 8, messages: [{ role: 'user', content: [{ type: 'container_upload', file_id: 'f' }] }] });
  assert.match(unknownBlock.error.message, /"container_upload"/);
  const serverChoice = await rawError({
    model: 'openai/gpt-4o-mini',
    max_tokens: 8,
    tools: [{ type: 'web_search_20250305', name: 'web_search' }],
    tool_choice: { type: 'tool', name: 'web_search' },
    messages: [{ role: 'user', content: 'hi' }],
  });
  assert.equal(serverChoice.status, 400);
  assert.match(serverChoice.error.message, /web_search_20250305/);
  const notJson = await rawRequest(h.port, { method: 'POST', path: '/v1/messages', headers: { 'x-api-key': TOKEN }, body: '{oops' });
  assert.equal(notJson.status, 400);
  assert.equal((JSON.parse(notJson.body) as { error: { type: string } }).error.type, 'invalid_request_error');
  await assert.rejects(client.messages.create({ model: 'x', max_tokens: 0, messages: [{ role: 'user', content: 'hi' }] }), Anthropic.BadRequestError);
});

test('an unknown model is not_found_error 404 naming the closest IDs, answered once (no retry, no hang)', async () => {
  const before = h.fakes.or.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
  await assert.rejects(ask(client, 'claude-sonet-4'), (e: unknown) => {
    assert.ok(e instanceof Anthropic.NotFoundError, String(e));
    assert.equal((e.error as { error: { type: string } }).error.type, 'not_found_error');
    assert.match(e.message, /claude-sonet-4/);
    assert.match(e.message, /anthropic\/claude-sonnet-4/);
    return true;
  });
  assert.equal(h.fakes.or.requests.filter((r) => r.path.endsWith('/chat/completions')).length, before, 'nothing was sent upstream');
  const line = (await h.ledger()).at(-1);
  assert.equal(line?.api, 'messages');
  assert.equal(line?.model, 'claude-sonet-4');
  assert.equal(line?.status, 'unknown_model');
});

test('upstream failures keep their status with Anthropic error types (403 permission, 429 rate limit, 500 api, 529 overloaded)', async () => {
  const cases: [number, string, new (...a: never[]) => Error][] = [
    [403, 'permission_error', Anthropic.PermissionDeniedError],
    [429, 'rate_limit_error', Anthropic.RateLimitError],
    [500, 'api_error', Anthropic.InternalServerError],
    [529, 'overloaded_error', Anthropic.InternalServerError],
  ];
  for (const [status, type, cls] of cases) {
    const fault = h.fakes.or.fail({ path: '/chat/completions', status, times: 1 });
    await assert.rejects(ask(), (e: unknown) => {
      assert.ok(e instanceof cls, `${status}: ${String(e)}`);
      assert.equal((e as InstanceType<typeof Anthropic.APIError>).status, status);
      assert.equal(((e as InstanceType<typeof Anthropic.APIError>).error as { error: { type: string } }).error.type, type);
      return true;
    });
    assert.equal(fault.hits, 1, `${status}: one upstream attempt (routing.maxRetries 0)`);
  }
});

test('a budget refusal is billing_error 402 naming the setting to raise', async () => {
  const cheap = await startHarness({ gateways: { or: 'openrouter' }, settings: { budget: { daily: 0.0000001 } } });
  try {
    const c = new Anthropic({ baseURL: cheap.url.replace(/\/v1$/, ''), apiKey: cheap.token, maxRetries: 0 });
    await ask(c); // spends past the tiny limit
    await assert.rejects(ask(c), (e: unknown) => {
      assert.ok(e instanceof Anthropic.APIError, String(e));
      assert.equal(e.status, 402);
      assert.equal((e.error as { error: { type: string } }).error.type, 'billing_error');
      assert.match(e.message, /budget\.daily/);
      assert.equal(e.headers?.get('x-switchyard-error-code'), 'budget_exceeded');
      return true;
    });
  } finally {
    await cheap.close();
  }
});

test('an upstream cut mid-stream ends with an Anthropic error event; the SDK raises it, nothing hangs', async () => {
  h.fakes.or.fail({ path: '/chat/completions', cutStreamAfterChunks: 2 });
  const stream = client.messages.stream({ model: 'openai/gpt-4o-mini', max_tokens: 256, messages: [{ role: 'user', content: 'a long enough question to stream' }] });
  await assert.rejects(stream.finalMessage(), (e: unknown) => {
    assert.ok(e instanceof Anthropic.APIError, String(e));
    assert.match(e.message, /ended the stream before it finished/);
    assert.equal((e.error as { error: { type: string } }).error.type, 'api_error');
    return true;
  });
  const line = (await h.ledger()).at(-1);
  assert.equal(line?.api, 'messages');
  assert.equal(line?.status, 'stream_cut');
});

test('other paths under /v1/messages are Anthropic not_found_error; GET is 405', async () => {
  const batches = await rawError({}, { 'x-api-key': TOKEN }, '/v1/messages/batches');
  assert.equal(batches.status, 404);
  assert.equal(batches.error.type, 'not_found_error');
  const get = await rawRequest(h.port, { method: 'GET', path: '/v1/messages', headers: { 'x-api-key': TOKEN } });
  assert.equal(get.status, 405);
  assert.equal((JSON.parse(get.body) as { type: string }).type, 'error');
});

test('a caller that aborts a messages stream aborts the upstream request; the ledger says aborted', async () => {
  // A slow, long answer: 4000 characters in 8-character pieces, 20 ms apart.
  const slow = await startHarness({ gateways: { or: 'openrouter' }, fake: { streamChunkDelayMs: 20, replyChars: 4000 } });
  try {
    const c = new Anthropic({ baseURL: slow.url.replace(/\/v1$/, ''), apiKey: slow.token, maxRetries: 0 });
    const stream = c.messages.stream({ model: 'openai/gpt-4o-mini', max_tokens: 4096, messages: [{ role: 'user', content: 'talk for a while' }] });
    await new Promise<void>((resolve) => stream.once('text', () => resolve()));
    stream.abort();
    await assert.rejects(stream.finalMessage(), Anthropic.APIUserAbortError);
    await until(async () => (await slow.ledger()).length > 0, 'the ledger line');
    const line = (await slow.ledger()).at(-1);
    assert.equal(line?.status, 'aborted');
    assert.equal(line?.api, 'messages');
    // Nothing was charged: the fake charges a stream just before its end, which never came.
    assert.equal(slow.fakes.or.state.spent, 0);
    await until(() => slow.proxy.load().active === 0, 'the proxy idle again');
  } finally {
    await slow.close();
  }
});

test('a gateway stream that turns to garbage ends with an Anthropic error event naming it', async () => {
  h.fakes.or.fail({ path: '/chat/completions', malformed: true });
  const stream = client.messages.stream({ model: 'openai/gpt-4o-mini', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });
  await assert.rejects(stream.finalMessage(), (e: unknown) => {
    assert.ok(e instanceof Anthropic.APIError, String(e));
    assert.match(e.message, /not valid JSON/);
    assert.equal((e.error as { error: { type: string } }).error.type, 'api_error');
    return true;
  });
  assert.equal((await h.ledger()).at(-1)?.status, 'malformed_response');
});

test('a body over proxy.maxBodyBytes on /v1/messages is refused in Anthropic\'s shape (request_too_large), as the SDK expects', async () => {
  const big = { model: 'openai/gpt-4o-mini', max_tokens: 16, messages: [{ role: 'user', content: 'x'.repeat(11 * 1024 * 1024) }] };
  const { status, error } = await rawError(big);
  assert.equal(status, 413);
  assert.match(error.message, /larger|bytes|maxBodyBytes/i);
});
