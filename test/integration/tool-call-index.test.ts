// Parallel tool calls from an endpoint that streams them without `index` (Gemini's OpenAI-compatible
// endpoint: the fake's `toolCallDeltas: 'indexless'`, each call's id and name on its first delta only,
// the arguments in later pieces, finish_reason "stop"), through the proxy to the official SDKs: Chat
// Completions (the chunks get their `index`), Responses and Anthropic Messages (two calls, each with
// its own arguments, never merged or split).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { startHarness, type Harness } from './proxy-harness';

let h: Harness;
let openai: OpenAI;
let anthropic: Anthropic;

before(async () => {
  // Small argument pieces, so that each call's arguments span several index-less deltas.
  h = await startHarness({ gateways: { gem: 'openai-compatible' }, fake: { toolCallDeltas: 'indexless', streamChunkChars: 5 } });
  openai = new OpenAI({ baseURL: h.url, apiKey: h.token, maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: h.url.replace(/\/v1$/, ''), apiKey: h.token, maxRetries: 0 });
});
after(() => h?.close());

const ASK = 'Paris and Oslo? [[tool:get_weather {"city":"Paris","unit":"celsius"}]] [[tool:get_time {"zone":"Europe/Oslo"}]]';
const expected = [
  { name: 'get_weather', args: { city: 'Paris', unit: 'celsius' } },
  { name: 'get_time', args: { zone: 'Europe/Oslo' } },
];
const fn = (name: string) => ({ type: 'function' as const, function: { name, parameters: { type: 'object', properties: {} } } });

test('the fake really streams index-less deltas, arguments in several pieces', async () => {
  const res = await fetch(`${h.fakes.gem.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${h.fakes.gem.key}` },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: ASK }], tools: [fn('get_weather'), fn('get_time')] }),
  });
  const deltas = (await res.text())
    .split('\n')
    .filter((l) => l.startsWith('data: {'))
    .flatMap((l) => (JSON.parse(l.slice(6)) as { choices: { delta?: { tool_calls?: Record<string, unknown>[] } }[] }).choices.flatMap((c) => c.delta?.tool_calls ?? []));
  assert.ok(deltas.length > 4, `${deltas.length} tool-call deltas`);
  assert.ok(deltas.every((d) => !('index' in d)));
  assert.equal(deltas.filter((d) => d.id).length, 2);
});

test('Chat Completions: every relayed tool-call delta has its index, and the SDK assembles both calls', async () => {
  const stream = openai.chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: ASK }], tools: [fn('get_weather'), fn('get_time')] });
  const indexes: number[] = [];
  stream.on('chunk', (c) => {
    for (const t of c.choices[0]?.delta?.tool_calls ?? []) indexes.push(t.index);
  });
  const done = await stream.finalChatCompletion();
  assert.ok(indexes.length > 4 && indexes.every((i) => i === 0 || i === 1), JSON.stringify(indexes));
  const calls = done.choices[0]!.message.tool_calls ?? [];
  assert.deepEqual(
    calls.map((c) => (c.type === 'function' ? { name: c.function.name, args: JSON.parse(c.function.arguments) as unknown } : c)),
    expected,
  );
  assert.equal(new Set(calls.map((c) => c.id)).size, 2);
});

test('Responses: two function_call items with their own arguments', async () => {
  const stream = openai.responses.stream({
    model: 'gpt-4o-mini',
    input: ASK,
    tools: ['get_weather', 'get_time'].map((name) => ({ type: 'function' as const, name, strict: false, parameters: { type: 'object', properties: {} } })),
  });
  const r = await stream.finalResponse();
  assert.equal(r.status, 'completed');
  const calls = r.output.filter((o) => o.type === 'function_call');
  assert.deepEqual(
    calls.map((c) => ({ name: c.name, args: JSON.parse(c.arguments) as unknown })),
    expected,
  );
});

test('Messages: two tool_use blocks with parsed input, and stop_reason tool_use although the gateway said "stop"', async () => {
  const stream = anthropic.messages.stream({
    model: 'gpt-4o-mini',
    max_tokens: 256,
    messages: [{ role: 'user', content: ASK }],
    tools: ['get_weather', 'get_time'].map((name) => ({ name, input_schema: { type: 'object' as const, properties: {} } })),
  });
  const m = await stream.finalMessage();
  assert.equal(m.stop_reason, 'tool_use');
  const uses = m.content.filter((b) => b.type === 'tool_use');
  assert.deepEqual(
    uses.map((u) => ({ name: u.name, args: u.input })),
    expected,
  );
});
