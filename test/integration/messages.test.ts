// The Anthropic Messages API on the proxy, driven by the official `@anthropic-ai/sdk` as Claude Code
// and Anthropic scripts use it: messages.create, messages.stream, a tool_use → tool_result round
// trip, countTokens — over real fake gateways (which speak Chat Completions), with the ledger line
// each request leaves (source proxy, api messages, cost).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startHarness, auth, rawRequest, type Harness } from './proxy-harness';

let h: Harness;
let client: Anthropic;

before(async () => {
  h = await startHarness({
    gateways: { or: 'openrouter' },
    // Claude Code's background model, pointed at a cheap model by an alias (README "Terminal agents").
    settings: { aliases: { 'claude-3-5-haiku-latest': 'openai/gpt-4o-mini' } },
  });
  // The proxy's root without /v1: the SDK appends /v1/messages itself, as Claude Code does.
  client = new Anthropic({ baseURL: h.url.replace(/\/v1$/, ''), apiKey: h.token, maxRetries: 0 });
});
after(async () => {
  await h?.close();
});

async function ledgerLine(requestId: string | null) {
  assert.ok(requestId, 'the answer names its request id');
  const line = (await h.ledger()).find((l) => l.requestId === requestId);
  assert.ok(line, `a ledger line for ${requestId}`);
  return line;
}

/** The body of the last chat request the gateway received. */
const lastChat = () => h.fakes.or.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)?.body;

const WEATHER: Anthropic.Tool = {
  name: 'get_weather',
  description: 'The weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

test('messages.create: an Anthropic message, x-switchyard headers, a ledger line with api "messages" and its cost', async () => {
  const { data, response } = await client.messages
    .create({ model: 'anthropic/claude-sonnet-4', max_tokens: 256, system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: 'hello messages' }] })
    .withResponse();
  assert.equal(data.type, 'message');
  assert.equal(data.role, 'assistant');
  assert.match(data.id, /^msg_/);
  assert.deepEqual(data.content, [{ type: 'text', text: 'Echo: hello messages' }]);
  assert.equal(data.stop_reason, 'end_turn');
  assert.equal(data.stop_sequence, null);
  assert.equal(data.model, 'anthropic/claude-sonnet-4');
  // The fake counts ceil(chars/4) over every message: "Be brief." (3) + "hello messages" (4).
  assert.equal(data.usage.input_tokens, 7);
  assert.equal(data.usage.output_tokens, Math.ceil('Echo: hello messages'.length / 4));
  assert.equal(response.headers.get('x-switchyard-gateway'), 'or');
  assert.equal(response.headers.get('x-switchyard-cost-source'), 'gateway');
  const line = await ledgerLine(response.headers.get('x-switchyard-request-id'));
  assert.equal(line.source, 'proxy');
  assert.equal(line.api, 'messages');
  assert.equal(line.model, 'anthropic/claude-sonnet-4');
  assert.equal(line.servedModel, 'anthropic/claude-sonnet-4');
  assert.equal(line.inputTokens, 7);
  assert.ok(line.costUsd !== null && line.costUsd > 0, `a cost (${line.costUsd})`);
  assert.equal(String(line.costUsd), response.headers.get('x-switchyard-cost'));
  // The gateway was asked in its own language: Chat Completions, the system prompt as a system message.
  const sent = lastChat() as { messages: { role: string; content: unknown }[]; max_tokens: number };
  assert.deepEqual(sent.messages, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello messages' }]);
  assert.equal(sent.max_tokens, 256);
});

test('messages.create: max_tokens reached is stop_reason "max_tokens"', async () => {
  const m = await client.messages.create({ model: 'openai/gpt-4o-mini', max_tokens: 2, messages: [{ role: 'user', content: 'a rather long question for two tokens' }] });
  assert.equal(m.stop_reason, 'max_tokens');
  assert.equal(m.usage.output_tokens, 2);
});

test('messages.stream: Anthropic events in order, the text, stop reason and usage; trailers carry the cost', async () => {
  const stream = client.messages.stream({ model: 'anthropic/claude-sonnet-4', max_tokens: 256, messages: [{ role: 'user', content: 'stream me please' }] });
  const types: string[] = [];
  stream.on('streamEvent', (e) => types.push(e.type));
  const final = await stream.finalMessage();
  assert.deepEqual(final.content, [{ type: 'text', text: 'Echo: stream me please' }]);
  assert.equal(final.stop_reason, 'end_turn');
  assert.equal(final.usage.output_tokens, Math.ceil('Echo: stream me please'.length / 4));
  assert.equal(final.usage.input_tokens, Math.ceil('stream me please'.length / 4));
  // Text in pieces of 8 characters (the fake's default): one start, several deltas, one stop.
  assert.equal(types[0], 'message_start');
  assert.equal(types[1], 'content_block_start');
  assert.ok(types.filter((t) => t === 'content_block_delta').length >= 3);
  assert.deepEqual(types.slice(-3), ['content_block_stop', 'message_delta', 'message_stop']);
  const line = await ledgerLine(stream.request_id ?? null);
  assert.equal(line.api, 'messages');
  assert.equal(line.status, 'ok');
  assert.ok(line.costUsd !== null && line.costUsd > 0);
});

test('raw stream: `event:` names each data type, a ping follows message_start; /v1/messages?beta=true is served (Claude Code)', async () => {
  const r = await rawRequest(h.port, {
    method: 'POST',
    path: '/v1/messages?beta=true',
    headers: { ...auth(), 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14' },
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }], context_management: { edits: [] }, output_config: { effort: 'low' }, thinking: { type: 'enabled', budget_tokens: 1024 }, metadata: { user_id: 'user_abc' } }),
  });
  assert.equal(r.status, 200, r.body);
  assert.match(String(r.headers['content-type']), /text\/event-stream/);
  const events = r.body.trim().split('\n\n').map((block) => {
    const [ev, data] = block.split('\n');
    const type = ev.replace(/^event: /, '');
    const parsed = JSON.parse(data.replace(/^data: /, '')) as { type: string };
    assert.equal(parsed.type, type, 'event name and data type agree');
    return parsed;
  });
  assert.deepEqual(events.slice(0, 3).map((e) => e.type), ['message_start', 'ping', 'content_block_start']);
  assert.equal(events.at(-1)?.type, 'message_stop');
  assert.ok(r.trailers['x-switchyard-cost'], 'the cost follows as a trailer');
  // thinking / metadata / context_management / output_config did not reach the gateway.
  const sent = lastChat() as Record<string, unknown>;
  for (const k of ['thinking', 'metadata', 'context_management', 'output_config', 'user']) assert.equal(sent[k], undefined, k);
  assert.deepEqual(sent.stream_options, { include_usage: true });
});

test('tool_use → tool_result round trip (JSON): parsed input, stop_reason tool_use, then the answer', async () => {
  const first = await client.messages.create({
    model: 'anthropic/claude-sonnet-4',
    max_tokens: 256,
    tools: [WEATHER],
    tool_choice: { type: 'auto' },
    messages: [{ role: 'user', content: 'Weather? [[tool:get_weather {"city":"Paris"}]]' }],
  });
  assert.equal(first.stop_reason, 'tool_use');
  const use = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
  assert.ok(use, JSON.stringify(first.content));
  assert.equal(use.name, 'get_weather');
  assert.deepEqual(use.input, { city: 'Paris' });
  const second = await client.messages.create({
    model: 'anthropic/claude-sonnet-4',
    max_tokens: 256,
    tools: [WEATHER],
    messages: [
      { role: 'user', content: 'Weather? [[tool:get_weather {"city":"Paris"}]]' },
      { role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: [{ type: 'text', text: 'sunny, 21 C' }] }] },
    ],
  });
  assert.equal(second.stop_reason, 'end_turn');
  assert.deepEqual(second.content, [{ type: 'text', text: 'Tool result: sunny, 21 C' }]);
  const sent = lastChat() as { messages: Record<string, unknown>[] };
  assert.deepEqual(sent.messages.slice(1), [
    { role: 'assistant', content: null, tool_calls: [{ id: use.id, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
    { role: 'tool', tool_call_id: use.id, content: 'sunny, 21 C' },
  ]);
});

test('tool_use streamed: content_block_start tool_use, input_json_delta pieces, the SDK assembles the input', async () => {
  const stream = client.messages.stream({
    model: 'openai/gpt-4o-mini',
    max_tokens: 256,
    tools: [WEATHER, { type: 'web_search_20250305', name: 'web_search', max_uses: 2 } as unknown as Anthropic.Tool],
    messages: [{ role: 'user', content: 'Weather? [[tool:get_weather {"city":"Reykjavik, Iceland"}]]' }],
  });
  const deltas: string[] = [];
  stream.on('inputJson', (partial) => deltas.push(partial));
  const final = await stream.finalMessage();
  assert.equal(final.stop_reason, 'tool_use');
  const use = final.content[0] as Anthropic.ToolUseBlock;
  assert.equal(use.type, 'tool_use');
  assert.deepEqual(use.input, { city: 'Reykjavik, Iceland' });
  assert.ok(deltas.length >= 2, `arguments came in pieces (${deltas.length})`);
  // The server tool was left out (a gateway cannot run it), and said so.
  const res = await stream.withResponse();
  assert.equal(res.response.headers.get('x-switchyard-dropped-tools'), 'web_search (web_search_20250305)');
  const sent = lastChat() as { tools: { function: { name: string } }[] };
  assert.deepEqual(sent.tools.map((t) => t.function.name), ['get_weather']);
});

test('an image (base64 and URL) and an is_error tool result are translated for the gateway', async () => {
  const png = Buffer.from('89504e470d0a1a0a', 'hex').toString('base64');
  await client.messages.create({
    model: 'openai/gpt-4o-mini',
    max_tokens: 64,
    tools: [WEATHER],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } }, { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', is_error: true, content: 'no such city' }, { type: 'text', text: 'try again' }] },
    ],
  });
  const sent = lastChat() as { messages: Record<string, unknown>[] };
  assert.deepEqual(sent.messages[0].content, [
    { type: 'text', text: 'look' },
    { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
    { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
  ]);
  assert.deepEqual(sent.messages[2], { role: 'tool', tool_call_id: 'toolu_1', content: 'Error: no such city' });
  assert.deepEqual(sent.messages[3], { role: 'user', content: 'try again' });
});

test('countTokens: the pipeline estimate, marked as an estimate; nothing metered', async () => {
  const before = (await h.ledger()).length;
  const { data, response } = await client.messages
    .countTokens({ model: 'anthropic/claude-sonnet-4', system: 'You are terse.', messages: [{ role: 'user', content: 'count these words please' }], tools: [WEATHER] })
    .withResponse();
  assert.ok(data.input_tokens > Math.ceil('You are terse.count these words please'.length / 4), `tools count too (${data.input_tokens})`);
  assert.equal(response.headers.get('x-switchyard-token-count'), 'estimate');
  assert.equal((await h.ledger()).length, before);
});

test('Claude Code model names: an alias serves the background model; the ledger keeps requested and served model', async () => {
  const { data, response } = await client.messages
    .create({ model: 'claude-3-5-haiku-latest', max_tokens: 64, messages: [{ role: 'user', content: 'quick title' }] })
    .withResponse();
  assert.equal(data.model, 'openai/gpt-4o-mini');
  const line = await ledgerLine(response.headers.get('x-switchyard-request-id'));
  assert.equal(line.model, 'claude-3-5-haiku-latest');
  assert.equal(line.servedModel, 'openai/gpt-4o-mini');
  assert.equal(line.api, 'messages');
});

test('a Claude Code-shaped request (system turn after the user, untyped tools, adaptive thinking) gets its tool call', async () => {
  const m = await client.messages.create({
    model: 'anthropic/claude-sonnet-4',
    max_tokens: 16000,
    thinking: { type: 'adaptive' } as unknown as Anthropic.ThinkingConfigParam,
    tools: [{ name: 'Bash', description: 'Run a command', input_schema: { type: 'object', properties: { command: { type: 'string' } } } }],
    messages: [
      { role: 'user', content: [{ type: 'text', text: '<system-reminder>context</system-reminder>' }, { type: 'text', text: 'go [[tool:Bash {"command":"echo hi"}]]' }] },
      { role: 'system', content: [{ type: 'text', text: '# Environment' }] } as unknown as Anthropic.MessageParam,
    ],
  });
  assert.equal(m.stop_reason, 'tool_use');
  assert.deepEqual((m.content[0] as Anthropic.ToolUseBlock).input, { command: 'echo hi' });
  const sent = lastChat() as { messages: { role: string }[] };
  assert.deepEqual(sent.messages.map((x) => x.role), ['user', 'system']);
});

test('max_tokens above the model\'s output limit (Claude Code asks up to 128000) is capped at the catalog\'s limit', async () => {
  // Streamed, as Claude Code sends it (the SDK refuses a non-streamed request that large).
  const stream = client.messages.stream({ model: 'openai/gpt-4o-mini', max_tokens: 128000, messages: [{ role: 'user', content: 'hi' }] });
  await stream.finalMessage();
  const { response } = await stream.withResponse();
  assert.equal(response.headers.get('x-switchyard-max-tokens'), '16384');
  assert.equal((lastChat() as { max_tokens: number }).max_tokens, 16384);
  await client.messages.create({ model: 'openai/gpt-4o-mini', max_tokens: 1000, messages: [{ role: 'user', content: 'hi' }] });
  assert.equal((lastChat() as { max_tokens: number }).max_tokens, 1000, 'a smaller ask is sent as it is');
});
