// The fake gateways themselves, driven by real clients (the official openai SDK and undici):
// if these fakes drift from the seeds, every adapter test built on them proves nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { request } from 'undici';
import {
  FAKE_GATEWAY_KINDS, base64ToFloat32, countTokens, generateModels, startFakeGateway, type FakeGateway, type FakeGatewayKind,
} from '../fakes/index';

const gw = {} as Record<FakeGatewayKind, FakeGateway>;
let keyedBifrost: FakeGateway;

before(async () => {
  for (const kind of FAKE_GATEWAY_KINDS) gw[kind] = await startFakeGateway(kind);
  keyedBifrost = await startFakeGateway('bifrost', { key: 'bifrost-virtual-key' });
});
after(async () => {
  await Promise.all([...Object.values(gw), keyedBifrost].map((g) => g.close()));
});

function sdk(g: FakeGateway): OpenAI {
  // maxRetries 0: a retry would hide which answer the fake gave.
  return new OpenAI({ baseURL: g.baseUrl, apiKey: g.key ?? 'unused', maxRetries: 0 });
}

/** `path` is under the base URL, or under the origin when it starts with `/api/` on NemoRouter. */
function urlOf(g: FakeGateway, path: string): string {
  return g.kind === 'nemorouter' && path.startsWith('/api/') ? `${g.url}${path}` : `${g.baseUrl}${path}`;
}

async function get(g: FakeGateway, path: string, headers: Record<string, string> = {}, auth = true) {
  const res = await request(urlOf(g, path), { headers: { ...(auth && g.key ? { authorization: `Bearer ${g.key}` } : {}), ...headers } });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: (): unknown => JSON.parse(text) };
}

/** The few fields these tests read from inference answers. */
interface Answer {
  error: { code: string | number; message: string };
  usage: { prompt_tokens: number; completion_tokens: number; cost?: number };
  data: { embedding: number[] | string }[];
}

async function post(g: FakeGateway, path: string, body: unknown) {
  const res = await request(urlOf(g, path), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(g.key ? { authorization: `Bearer ${g.key}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) as Answer };
}

describe('auth', () => {
  test('keys carry the documented prefixes; missing or wrong keys get 401 in each gateway shape', async () => {
    assert.match(gw.nemorouter.key ?? '', /^sk-nemo-/);
    assert.match(gw.openrouter.key ?? '', /^sk-or-v1-/);
    assert.match(gw.arouter.key ?? '', /^lr_live_/);
    assert.equal(gw.bifrost.key, undefined);

    for (const kind of ['nemorouter', 'arouter', 'openai-compatible'] as const) {
      for (const headers of [{}, { authorization: 'Bearer sk-wrong' }] as Record<string, string>[]) {
        const r = await get(gw[kind], '/models', headers, false);
        assert.equal(r.status, 401, kind);
        assert.deepEqual(Object.keys((r.json() as { error: object }).error).sort(), ['code', 'message', 'param', 'type']);
      }
    }
    const or = await get(gw.openrouter, '/credits', { authorization: 'Bearer sk-or-v1-nope' }, false);
    assert.equal(or.status, 401);
    assert.equal((or.json() as { error: { code: number } }).error.code, 401);
    const bf = await get(keyedBifrost, '/models', {}, false);
    assert.equal(bf.status, 401);
    assert.equal((bf.json() as { is_bifrost_error: boolean }).is_bifrost_error, true);

    // Public or keyless: OpenRouter's catalog and a default local Bifrost need no key.
    assert.equal((await get(gw.openrouter, '/models', {}, false)).status, 200);
    assert.equal((await get(gw.bifrost, '/models', {}, false)).status, 200);
    // The log never holds the credential.
    assert.ok(gw.nemorouter.requests.every((r) => !('authorization' in r.headers)));
  });

  test('the SDK surfaces a 401 as AuthenticationError', async () => {
    const client = new OpenAI({ baseURL: gw.nemorouter.baseUrl, apiKey: 'sk-nemo-wrong', maxRetries: 0 });
    await assert.rejects(client.models.list(), (e: unknown) => e instanceof OpenAI.AuthenticationError);
  });
});

describe('catalogs', () => {
  test('NemoRouter and ARouter list the OpenAI shape in their own ID forms', async () => {
    const nemo = await sdk(gw.nemorouter).models.list();
    const ids = nemo.data.map((m) => m.id);
    assert.ok(ids.includes('gpt-4o') && ids.includes('claude-4-sonnet'));
    assert.ok(ids.every((id) => !id.includes('/')), 'NemoRouter IDs carry no provider prefix');
    assert.equal(nemo.data[0].object, 'model');
    assert.equal((await get(gw.nemorouter, '/models/nope')).status, 404);
    assert.equal((await sdk(gw.nemorouter).models.retrieve('gpt-4o')).owned_by, 'openai');

    const ar = await sdk(gw.arouter).models.list();
    assert.ok(ar.data.every((m) => /^[a-z-]+\/.+/.test(m.id)));
    assert.ok(!ar.data.some((m) => m.id === 'auto'));
  });

  test('NemoRouter pricing is LiteLLM-style per token; deprecation is dated', async () => {
    const r = await get(gw.nemorouter, '/api/models/pricing');
    const body = r.json() as { data: { model: string; input_cost_per_token?: number; deprecation_date?: string }[] };
    const gpt = body.data.find((d) => d.model === 'gpt-4o');
    assert.equal(gpt?.input_cost_per_token, 0.0000025);
    assert.equal(body.data.find((d) => d.model === 'claude-3-5-sonnet')?.deprecation_date, '2025-10-22');
  });

  test('OpenRouter: string prices, :free variant, filters, sort, count, get by slug', async () => {
    const all = (await get(gw.openrouter, '/models')).json() as { data: { id: string; pricing: { prompt: string } }[] };
    assert.equal(all.data.find((m) => m.id === 'openai/gpt-4o')?.pricing.prompt, '0.0000025');
    assert.equal(all.data.find((m) => m.id === 'meta-llama/llama-3.1-70b-instruct:free')?.pricing.prompt, '0');
    assert.ok(!all.data.some((m) => m.id.includes('embedding')), 'output_modalities defaults to text');

    const emb = (await get(gw.openrouter, '/models?output_modalities=embeddings')).json() as { data: { id: string }[] };
    assert.deepEqual(emb.data.map((m) => m.id), ['openai/text-embedding-3-small']);
    const cheap = (await get(gw.openrouter, '/models?sort=pricing-low-to-high&max_price=0.5&input_modalities=text,image')).json() as { data: { id: string }[] };
    assert.deepEqual(cheap.data.map((m) => m.id), ['google/gemini-2.0-flash-001', 'openai/gpt-4o-mini']);
    assert.equal((await get(gw.openrouter, '/models?sort=bogus')).status, 400);
    const count = (await get(gw.openrouter, '/models/count?output_modalities=all')).json() as { data: { count: number } };
    assert.equal(count.data.count, gw.openrouter.state.models.length);
    const free = (await get(gw.openrouter, '/models/meta-llama/llama-3.1-70b-instruct:free')).json() as { data: { canonical_slug: string } };
    assert.equal(free.data.canonical_slug, 'meta-llama/llama-3.1-70b-instruct');
    assert.equal((await get(gw.openrouter, '/models/openai/nope')).status, 404);
    const old = (await get(gw.openrouter, '/models/anthropic/claude-3.5-sonnet')).json() as { data: { expiration_date: string; description: string } };
    assert.equal(old.data.expiration_date, '2025-10-22');
    assert.match(old.data.description, /Use anthropic\/claude-sonnet-4 instead/);
    assert.equal((await get(gw.openrouter, '/models/user', {}, false)).status, 401);
    assert.equal((await get(gw.openrouter, '/models/user')).status, 200);
  });

  test('Bifrost: pagination walks every page, provider filter, string prices', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = (await get(gw.bifrost, `/models?page_size=5${token ? `&page_token=${encodeURIComponent(token)}` : ''}`)).json() as {
        data: { id: string }[]; next_page_token?: string;
      };
      seen.push(...r.data.map((m) => m.id));
      token = r.next_page_token;
      pages++;
    } while (token && pages < 10);
    assert.equal(pages, Math.ceil(gw.bifrost.state.models.length / 5));
    assert.deepEqual(seen, gw.bifrost.state.models.map((m) => m.id));

    const or = (await get(gw.bifrost, '/models?provider=openrouter')).json() as { data: { id: string; owned_by: string; pricing: { prompt: string } }[] };
    assert.deepEqual(or.data.map((m) => m.id), ['openrouter/openai/gpt-4o', 'openrouter/deepseek/deepseek-chat']);
    assert.equal(or.data[0].owned_by, 'openai');
    assert.equal(or.data[0].pricing.prompt, '0.0000025');
    assert.equal((await get(gw.bifrost, '/models?page_size=5&page_token=garbage')).status, 400);
  });

  test('generateModels(5000) serves a scale catalog', async () => {
    const models = generateModels(5000, 'nemorouter');
    assert.equal(new Set(models.map((m) => m.id)).size, 5000);
    const g = await startFakeGateway('nemorouter', { models });
    try {
      const list = (await get(g, '/models')).json() as { data: { id: string }[] };
      assert.equal(list.data.length, 5000);
    } finally {
      await g.close();
    }
  });

  test('ETag: If-None-Match answers 304 until the catalog changes', async () => {
    const g = gw.nemorouter;
    const first = await get(g, '/models');
    const etag = String(first.headers.etag);
    const again = await get(g, '/models', { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
    assert.equal(again.headers['x-nemo-cache'], 'HIT');
    g.state.models.push({ ...g.state.models[0], id: 'gpt-4o-new' });
    try {
      const changed = await get(g, '/models', { 'if-none-match': etag });
      assert.equal(changed.status, 200);
      assert.notEqual(changed.headers.etag, etag);
    } finally {
      g.state.models.pop();
    }
  });
});

describe('inference', () => {
  test('chat: deterministic reply and usage, stream with a final usage chunk', async () => {
    const client = sdk(gw.arouter);
    const content = 'Say hello, please';
    const r = await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content }] });
    assert.equal(r.model, 'openai/gpt-4o-mini', 'auto names the model that ran');
    assert.equal(r.choices[0].message.content, `Echo: ${content}`);
    assert.deepEqual(r.usage, { prompt_tokens: countTokens(content), completion_tokens: countTokens(`Echo: ${content}`), total_tokens: countTokens(content) + countTokens(`Echo: ${content}`) });

    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o', messages: [{ role: 'user', content }], stream: true, stream_options: { include_usage: true }, max_tokens: 3,
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined | null;
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, 'Echo: Say he');
    assert.equal(finish, 'length');
    assert.equal(usage?.completion_tokens, 3);
  });

  test('tools: a [[tool:…]] directive becomes a tool call (JSON and streamed deltas); a tool result ends the loop in text', async () => {
    const client = sdk(gw.nemorouter);
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'Bash', parameters: { type: 'object', properties: { command: { type: 'string' } } } } },
    ];
    const ask = 'Run it: [[tool:Bash {"command":"echo hi"}]] and [[tool:NotOffered]]';
    const r = await client.chat.completions.create({ model: 'gpt-4o-mini', tools, messages: [{ role: 'user', content: ask }] });
    assert.equal(r.choices[0].finish_reason, 'tool_calls');
    const calls = r.choices[0].message.tool_calls ?? [];
    assert.equal(calls.length, 1, 'only offered tools are called');
    const call = calls[0] as OpenAI.ChatCompletionMessageFunctionToolCall;
    assert.equal(call.function.name, 'Bash');
    assert.deepEqual(JSON.parse(call.function.arguments), { command: 'echo hi' });
    assert.equal(r.usage?.completion_tokens, countTokens('Bash{"command":"echo hi"}'));

    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', tools, messages: [{ role: 'user', content: ask }], stream: true });
    let name = '';
    let args = '';
    let id = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      for (const d of chunk.choices[0]?.delta.tool_calls ?? []) {
        id ||= d.id ?? '';
        name += d.function?.name ?? '';
        args += d.function?.arguments ?? '';
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.equal(name, 'Bash');
    assert.match(id, /^call_0_/);
    assert.deepEqual(JSON.parse(args), { command: 'echo hi' });
    assert.equal(finish, 'tool_calls');

    const done = await client.chat.completions.create({
      model: 'gpt-4o-mini', tools,
      messages: [
        { role: 'user', content: ask },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: 'hi' },
      ],
    });
    assert.equal(done.choices[0].finish_reason, 'stop');
    assert.equal(done.choices[0].message.content, 'Tool result: hi');
    const plain = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: ask }] });
    assert.equal(plain.choices[0].message.content, `Echo: ${ask}`, 'without tools the directive is just text');
  });

  test('completions and embeddings (base64 is little-endian float32)', async () => {
    const client = sdk(gw['openai-compatible']);
    const c = await client.completions.create({ model: 'gpt-4o-mini', prompt: 'abc' });
    assert.equal(c.choices[0].text, 'Echo: abc');

    const input = ['alpha', 'beta'];
    const floats = await post(gw['openai-compatible'], '/embeddings', { model: 'text-embedding-3-small', input, encoding_format: 'float' });
    const b64 = await post(gw['openai-compatible'], '/embeddings', { model: 'text-embedding-3-small', input, encoding_format: 'base64', dimensions: 1536 });
    const fv = floats.json().data[1].embedding as number[];
    assert.equal(fv.length, 1536);
    assert.deepEqual(base64ToFloat32(b64.json().data[1].embedding as string), fv);
    // The SDK asks for base64 by default and decodes it itself.
    const viaSdk = await client.embeddings.create({ model: 'text-embedding-3-small', input });
    assert.deepEqual(viaSdk.data[1].embedding, fv);
    assert.equal(viaSdk.usage.prompt_tokens, countTokens('alpha') + countTokens('beta'));
  });

  test('unknown model: 404 (NemoRouter) / 400 (OpenRouter) in their shapes', async () => {
    const nemo = await post(gw.nemorouter, '/chat/completions', { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(nemo.status, 404);
    assert.equal(nemo.json().error.code, 'model_not_found');
    const or = await post(gw.openrouter, '/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(or.status, 400);
    assert.equal(or.json().error.code, 400);
  });
});

describe('money', () => {
  test('NemoRouter: x-nemo-request-cost summed equals the balance change; stream cost in the usage chunk', async () => {
    const g = gw.nemorouter;
    const readBalance = async () => ((await get(g, '/api/credits/balance')).json() as { balance: number }).balance;
    const before = await readBalance();
    let sum = 0;
    for (const model of ['gpt-4o', 'claude-4-sonnet', 'gemini-2.0-flash']) {
      const r = await post(g, '/chat/completions', { model, messages: [{ role: 'user', content: `price check for ${model}` }] });
      assert.equal(r.status, 200);
      assert.ok(r.headers['x-nemo-request-id']);
      const cost = Number(r.headers['x-nemo-request-cost']);
      const m = g.state.models.find((x) => x.id === model);
      const u = r.json().usage;
      assert.ok(Math.abs(cost - (u.prompt_tokens * m!.price!.input + u.completion_tokens * m!.price!.output)) < 1e-12);
      sum += cost;
    }
    const { data } = await sdk(g).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'stream me' }], stream: true, stream_options: { include_usage: true } }).withResponse();
    for await (const chunk of data) if (chunk.usage) sum += (chunk.usage as OpenAI.CompletionUsage & { cost: number }).cost;
    const after = await readBalance();
    assert.equal(Math.round((before - after) * 100), Math.round(sum * 100));
    assert.ok(Math.abs(before - after - sum) < 1e-9);
    assert.equal(g.state.charges.length >= 4, true);
  });

  test('OpenRouter: usage.cost when asked, debited from /credits', async () => {
    const g = gw.openrouter;
    const credits = async () => ((await get(g, '/credits')).json() as { data: { total_credits: number; total_usage: number } }).data;
    const before = await credits();
    const r = await post(g, '/chat/completions', { model: 'openai/gpt-4o', usage: { include: true }, messages: [{ role: 'user', content: 'cost?' }] });
    const cost = r.json().usage.cost ?? 0;
    assert.ok(cost > 0);
    const after = await credits();
    assert.ok(Math.abs(after.total_usage - before.total_usage - cost) < 1e-12);
    const plain = await post(g, '/chat/completions', { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'cost?' }] });
    assert.equal(plain.json().usage.cost, undefined);
  });

  test('NemoRouter typed errors: injected TPM limit, real 402 with no debit, real guardrail', async () => {
    const g = gw.nemorouter;
    const h = g.fail({ path: '/chat/completions', error: 'tpm_limit_exceeded' });
    const limited = await post(g, '/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['retry-after'], '1');
    assert.deepEqual(limited.json().error.code, 'tpm_limit_exceeded');
    assert.equal(h.remaining, 0);

    const saved = g.state.balance;
    g.state.balance = 0.00001;
    try {
      const broke = await post(g, '/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'a long enough prompt to cost more' }] });
      assert.equal(broke.status, 402);
      assert.equal(broke.json().error.code, 'insufficient_credits');
      assert.equal(g.state.balance, 0.00001, 'a 402 debits nothing');
    } finally {
      g.state.balance = saved;
    }
    const blocked = await post(g, '/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'my key is AKIAABCDEFGHIJKLMNOP' }] });
    assert.equal(blocked.status, 400);
    assert.equal(blocked.json().error.code, 'guardrail_blocked');
  });
});

describe('faults', () => {
  test('a stream cut mid-way fails the SDK iteration and is billed (the gateway ran the request)', async () => {
    const g = gw.nemorouter;
    const charges = g.state.charges.length;
    g.fail({ path: '/chat/completions', cutStreamAfterChunks: 2 });
    const stream = await sdk(g).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'cut me off please' }], stream: true });
    let got = '';
    await assert.rejects(async () => {
      for await (const chunk of stream) got += chunk.choices[0]?.delta.content ?? '';
    });
    assert.equal(got, 'Echo: cu');
    assert.equal(g.state.charges.length, charges + 1);
  });

  test('HTML page, malformed JSON, wrong shape, redirect loop, huge body, delay', async () => {
    const g = gw.openrouter;
    g.fail({ path: '/models', html: true, status: 503 });
    const html = await get(g, '/models');
    assert.equal(html.status, 503);
    assert.match(String(html.headers['content-type']), /text\/html/);

    g.fail({ path: '/models', malformed: true });
    const malformed = await get(g, '/models');
    assert.equal(malformed.status, 200);
    assert.throws(() => malformed.json(), SyntaxError);

    g.fail({ path: '/models', wrongShape: true });
    assert.equal(typeof ((await get(g, '/models')).json() as { data: unknown }).data, 'object');

    g.fail({ path: '/models', redirectLoop: true });
    await assert.rejects(fetch(`${g.baseUrl}/models`), /fetch failed/);

    g.fail({ path: '/models', hugeBodyMB: 2 });
    const huge = await get(g, '/models');
    assert.ok(huge.text.length >= 2 * 1024 * 1024);
    assert.equal((huge.json() as { data: unknown[] }).data.length > 1000, true);

    g.fail({ path: '/models', delayMs: 150, times: 1 });
    const t0 = Date.now();
    assert.equal((await get(g, '/models')).status, 200);
    assert.ok(Date.now() - t0 >= 140);
  });

  test('a hang is cut by the client timeout and the fake still closes promptly', async () => {
    const g = await startFakeGateway('arouter');
    try {
      g.fail({ hangMs: Infinity });
      await assert.rejects(request(`${g.baseUrl}/models`, { signal: AbortSignal.timeout(150), headers: { authorization: `Bearer ${g.key}` } }));
    } finally {
      const t0 = Date.now();
      await g.close();
      assert.ok(Date.now() - t0 < 1000);
    }
  });
});
