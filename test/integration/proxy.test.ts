// The proxy driven by the official `openai` SDK, as terminal tools use it: models, chat (plain and
// streamed), completions, embeddings (the SDK's default base64 and float), errors; real fake gateways
// behind it and the ledger lines each request leaves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startHarness, type Harness } from './proxy-harness';

let h: Harness;
let client: OpenAI;

before(async () => {
  h = await startHarness({ gateways: { local: 'openai-compatible', or: 'openrouter' } });
  client = new OpenAI({ baseURL: h.url, apiKey: h.token, maxRetries: 0 });
});
after(async () => {
  await h?.close();
});

async function ledgerLine(requestId: string) {
  const line = (await h.ledger()).find((l) => l.requestId === requestId);
  assert.ok(line, `a ledger line for ${requestId}`);
  return line;
}

test('GET /v1/models lists the models the configured gateways serve, in OpenAI list shape', async () => {
  const page = await client.models.list();
  const ids = page.data.map((m) => m.id);
  assert.ok(ids.length > 0, 'some models');
  for (const m of page.data) {
    assert.equal(m.object, 'model');
    assert.equal(typeof m.owned_by, 'string');
    assert.equal(typeof m.created, 'number');
  }
  const gpt = page.data.find((m) => m.id === 'openai/gpt-4o') as unknown as { offers: { gateway: string; id: string }[] };
  assert.ok(gpt, `openai/gpt-4o listed (got ${ids.slice(0, 8).join(', ')}…)`);
  assert.deepEqual(new Set(gpt.offers.map((o) => o.gateway)), new Set(['local', 'or']), 'both gateways serve gpt-4o');
});

test('GET /v1/models/{id} accepts any ID form, and a near miss says which IDs are close', async () => {
  const m = await client.models.retrieve('openai/gpt-4o');
  assert.equal(m.id, 'openai/gpt-4o');
  const bare = await client.models.retrieve('gpt-4o');
  assert.equal(bare.id, 'openai/gpt-4o');
  await assert.rejects(client.models.retrieve('openai/gpt-4oo'), (e: unknown) => {
    assert.ok(e instanceof OpenAI.NotFoundError, String(e));
    assert.match(e.message, /gpt-4oo/);
    assert.match(e.message, /Did you mean: .*gpt-4o/);
    return true;
  });
});

test('chat completion: OpenAI shape, x-switchyard headers, one ledger line from source proxy', async () => {
  const { data, response } = await client.chat.completions
    .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello proxy' }] }, { headers: { 'x-switchyard-gateway': 'local' } })
    .withResponse();
  assert.equal(data.object, 'chat.completion');
  assert.match(data.choices[0].message.content ?? '', /hello proxy/);
  assert.equal(response.headers.get('x-switchyard-gateway'), 'local');
  assert.equal(response.headers.get('x-switchyard-model'), 'gpt-4o-mini');
  assert.ok(response.headers.get('x-switchyard-cost-source'), 'cost source header');
  const id = response.headers.get('x-switchyard-request-id')!;
  const line = await ledgerLine(id);
  assert.equal(line.source, 'proxy');
  assert.equal(line.gateway, 'local');
  assert.equal(line.status, 'ok');
  assert.equal(response.headers.get('x-switchyard-cost-source'), line.costSource);
  if (line.costUsd !== null) assert.equal(Number(response.headers.get('x-switchyard-cost')), line.costUsd);
});

test('the gateway that reports cost (OpenRouter usage.cost) shows up in the cost header', async () => {
  const { response } = await client.chat.completions
    .create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'price me' }] }, { headers: { 'x-switchyard-gateway': 'or' } })
    .withResponse();
  assert.equal(response.headers.get('x-switchyard-gateway'), 'or');
  assert.equal(response.headers.get('x-switchyard-cost-source'), 'gateway');
  const cost = Number(response.headers.get('x-switchyard-cost'));
  assert.ok(cost > 0, `cost ${cost}`);
  const line = await ledgerLine(response.headers.get('x-switchyard-request-id')!);
  assert.equal(line.costUsd, cost);
});

test('streaming chat: the SDK iterates chunks to the end; cost arrives in the ledger', async () => {
  const { data: stream, response } = await client.chat.completions
    .create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'stream this sentence back' }] }, { headers: { 'x-switchyard-gateway': 'local' } })
    .withResponse();
  assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
  let text = '';
  let chunks = 0;
  for await (const c of stream) {
    chunks++;
    text += c.choices[0]?.delta?.content ?? '';
  }
  assert.ok(chunks > 2, `several chunks (${chunks})`);
  assert.match(text, /stream this sentence back/);
  const line = await ledgerLine(response.headers.get('x-switchyard-request-id')!);
  assert.equal(line.status, 'ok');
  assert.equal(line.source, 'proxy');
});

test('streaming through OpenRouter (SSE comment keep-alives upstream) reaches the SDK intact', async () => {
  const stream = await client.chat.completions.create(
    { model: 'openai/gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'comments are skipped' }] },
    { headers: { 'x-switchyard-gateway': 'or' } },
  );
  let text = '';
  for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
  assert.match(text, /comments are skipped/);
});

test('the gateway receives the caller’s body as sent, with only the model, stream_options and the adapter’s usage changed', async () => {
  // Written the way a hand-rolled client might: indented, escapes, a field the proxy does not know.
  const text = `{
    "messages": [ { "role": "user", "content": "caf\\u00e9 \\"quoted\\" \\\\ end \\ud83d\\ude00 ${'long prompt '.repeat(2000)}" } ],
    "model" : "openai/gpt-4o-mini",
    "vendor_extension": { "nested": [1, 2.5e1, null, true, "x"] },
    "stream": true,
    "stream_options": { "keep": "me" },
    "temperature": 0.25
  }`;
  const sent = JSON.parse(text) as Record<string, unknown>;
  const res = await fetch(`${h.url}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json', 'x-switchyard-gateway': 'or' },
    body: text,
  });
  assert.equal(res.status, 200);
  assert.match(await res.text(), /\[DONE\]/);
  const got = h.fakes.or.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)?.body;
  assert.deepEqual(got, { ...sent, stream_options: { keep: 'me', include_usage: true }, usage: { include: true } });
});

test('legacy completions', async () => {
  const r = await client.completions.create({ model: 'gpt-4o-mini', prompt: 'say something' }, { headers: { 'x-switchyard-gateway': 'local' } });
  assert.equal(r.object, 'text_completion');
  assert.ok(r.choices[0].text.length > 0);
});

test('embeddings: the SDK default (base64) decodes to the same vector as encoding_format float', async () => {
  const viaBase64 = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'vector me' }, { headers: { 'x-switchyard-gateway': 'local' } });
  const viaFloat = await client.embeddings.create(
    { model: 'text-embedding-3-small', input: 'vector me', encoding_format: 'float' },
    { headers: { 'x-switchyard-gateway': 'local' } },
  );
  const a = Array.from(viaBase64.data[0].embedding);
  const b = viaFloat.data[0].embedding;
  assert.ok(a.length > 0);
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-6, `component ${i}`);
  assert.equal(viaBase64.object, 'list');
});

test('errors reach the SDK as its typed errors with a useful message', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'gpt-4o-mni', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-switchyard-gateway': 'local' } }),
    (e: unknown) => {
      assert.ok(e instanceof OpenAI.NotFoundError, String(e));
      assert.match(e.message, /gpt-4o-mni/);
      assert.match(e.message, /gpt-4o-mini/, 'names the close ID');
      return true;
    },
  );
  await assert.rejects(client.chat.completions.create({ model: 'gpt-4o-mini', messages: [] }), (e: unknown) => {
    assert.ok(e instanceof OpenAI.BadRequestError, String(e));
    assert.match(e.message, /messages/);
    return true;
  });
  const wrong = new OpenAI({ baseURL: h.url, apiKey: 'sk-not-the-proxy-token-000000', maxRetries: 0 });
  await assert.rejects(wrong.models.list(), (e: unknown) => {
    assert.ok(e instanceof OpenAI.AuthenticationError, String(e));
    assert.match(e.message, /proxy token/);
    assert.doesNotMatch(e.message, /sk-not-the-proxy-token/, 'the presented token is not echoed');
    return true;
  });
});

test('an upstream error keeps its status and code, and the gateway key never comes back', async () => {
  h.fakes.local.fail({ path: '/chat/completions', status: 401, error: { code: 'invalid_api_key', message: `Incorrect API key provided: ${h.fakes.local.key}` } });
  await assert.rejects(
    client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-switchyard-gateway': 'local' } }),
    (e: unknown) => {
      assert.ok(e instanceof OpenAI.APIError, String(e));
      assert.equal(e.status, 401);
      for (const key of h.keys()) assert.ok(!e.message.includes(key), 'no key in the message');
      return true;
    },
  );
});

test('no gateway key or proxy token appears in any log line', () => {
  assert.ok(h.logs.length > 0);
  for (const line of h.logs) {
    for (const key of h.keys()) assert.ok(!line.includes(key), `key in log: ${line}`);
    assert.ok(!line.includes(h.token), `proxy token in log: ${line}`);
  }
});
