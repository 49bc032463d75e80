// The Anthropic Messages ⇄ Chat Completions translation, pure: every block type of a request, every
// field of the answer, every stream event, the error shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toChatRequest, toChatMessages } from '../../server/proxy/messages/request';
import { anthropicUsage, parseToolInput, stopReason, toAnthropicMessage } from '../../server/proxy/messages/response';
import { StreamTranslator, type AnthropicEvent } from '../../server/proxy/messages/stream';
import { anthropicErrorBody, anthropicErrorType } from '../../server/proxy/messages/errors';
import { MessagesRequest, parseWith } from '../../server/proxy/messages/schema';

function chat(body: Record<string, unknown>) {
  const parsed = parseWith(MessagesRequest, 'messages', { model: 'm', max_tokens: 100, ...body });
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
  const r = toChatRequest(parsed.value);
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r;
}

function refusal(body: Record<string, unknown>): string {
  const parsed = parseWith(MessagesRequest, 'messages', { model: 'm', max_tokens: 100, ...body });
  if (!parsed.ok) return parsed.message;
  const r = toChatRequest(parsed.value);
  assert.ok(!r.ok, 'expected a refusal');
  return r.message;
}

test('request: system as a string or text blocks (cache_control dropped); max_tokens, stop_sequences, temperature, top_p', () => {
  const r = chat({
    system: [{ type: 'text', text: 'A', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'B' }],
    messages: [{ role: 'user', content: 'hi' }],
    stop_sequences: ['END'],
    temperature: 0.2,
    top_p: 0.9,
    top_k: 5,
  });
  assert.deepEqual(r.body, { model: 'm', messages: [{ role: 'system', content: 'A\n\nB' }, { role: 'user', content: 'hi' }], max_tokens: 100, stop: ['END'], temperature: 0.2, top_p: 0.9 });
  assert.deepEqual(chat({ system: 'S', messages: [{ role: 'user', content: 'x' }] }).body.messages, [{ role: 'system', content: 'S' }, { role: 'user', content: 'x' }]);
});

test('request: max_tokens is required, as Anthropic requires it; roles are user/assistant/system (Claude Code 2.1 sends system turns)', () => {
  const r = parseWith(MessagesRequest, 'messages', { model: 'm', messages: [{ role: 'user', content: 'x' }] });
  assert.ok(!r.ok && /max_tokens/.test(r.message));
  assert.match(refusal({ messages: [{ role: 'tool', content: 'x' }] }), /"user", "assistant" or "system"/);
  const turns = chat({ messages: [{ role: 'user', content: 'x' }, { role: 'system', content: [{ type: 'text', text: 'env' }, { type: 'text', text: 'notes' }] }] });
  assert.deepEqual(turns.body.messages, [{ role: 'user', content: 'x' }, { role: 'system', content: 'env\n\nnotes' }]);
  assert.match(refusal({ messages: [{ role: 'system', content: [{ type: 'image', source: { type: 'url', url: 'u' } }] }] }), /text blocks only/);
});

test('request: text, image (base64, URL) and document blocks become chat parts', () => {
  const r = chat({
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'see' },
          { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: 'AAA' } },
          { type: 'image', source: { type: 'url', url: 'https://x/y.png' } },
          { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'notes' }, title: 'n.txt' },
          { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' } },
        ],
      },
    ],
  });
  assert.deepEqual((r.body.messages as { content: unknown }[])[0].content, [
    { type: 'text', text: 'see' },
    { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,AAA' } },
    { type: 'image_url', image_url: { url: 'https://x/y.png' } },
    { type: 'text', text: 'n.txt\n\nnotes' },
    { type: 'file', file: { filename: 'document.pdf', file_data: 'data:application/pdf;base64,JVBE' } },
  ]);
  assert.match(refusal({ messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'file', file_id: 'f' } }] }] }), /"file" source/);
});

test('request: assistant tool_use → tool_calls; tool_result (string, blocks, is_error, images) → tool messages first', () => {
  const r = chat({
    messages: [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm', signature: 's' }, { type: 'text', text: 'Calling.' }, { type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'ls' } }, { type: 'tool_use', id: 't2', name: 'Read', input: {} }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'after' },
          { type: 'tool_result', tool_use_id: 't1', content: 'a.txt' },
          { type: 'tool_result', tool_use_id: 't2', is_error: true, content: [{ type: 'text', text: 'denied' }, { type: 'image', source: { type: 'url', url: 'u' } }] },
        ],
      },
    ],
  });
  assert.deepEqual(r.body.messages, [
    { role: 'user', content: 'go' },
    { role: 'assistant', content: 'Calling.', tool_calls: [{ id: 't1', type: 'function', function: { name: 'Bash', arguments: '{"command":"ls"}' } }, { id: 't2', type: 'function', function: { name: 'Read', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 't1', content: 'a.txt' },
    { role: 'tool', tool_call_id: 't2', content: 'Error: denied' },
    { role: 'user', content: [{ type: 'text', text: 'after' }, { type: 'text', text: '(attachments of tool result t2)' }, { type: 'image_url', image_url: { url: 'u' } }] },
  ]);
  assert.match(refusal({ messages: [{ role: 'user', content: [{ type: 'tool_use', id: 'x', name: 'n', input: {} }] }] }), /assistant messages/);
  assert.match(refusal({ messages: [{ role: 'user', content: [{ type: 'tool_result' }] }] }), /messages\.0\.content\.0\.tool_use_id/);
});

test('request: tools (no type, or custom) → functions; server tools dropped and named; tool_choice auto/any/tool/none', () => {
  const tools = [
    { name: 'Bash', description: 'Run', input_schema: { type: 'object', properties: { command: { type: 'string' } } } },
    { type: 'custom', name: 'Edit', input_schema: { type: 'object' } },
    { type: 'web_search_20250305', name: 'web_search', max_uses: 5 },
  ];
  const auto = chat({ tools, tool_choice: { type: 'auto', disable_parallel_tool_use: true }, messages: [{ role: 'user', content: 'x' }] });
  assert.deepEqual(auto.body.tools, [
    { type: 'function', function: { name: 'Bash', description: 'Run', parameters: { type: 'object', properties: { command: { type: 'string' } } } } },
    { type: 'function', function: { name: 'Edit', parameters: { type: 'object' } } },
  ]);
  assert.deepEqual(auto.dropped, ['web_search (web_search_20250305)']);
  assert.equal(auto.body.tool_choice, 'auto');
  assert.equal(auto.body.parallel_tool_calls, false);
  const msg = [{ role: 'user', content: 'x' }];
  assert.equal(chat({ tools, tool_choice: { type: 'any' }, messages: msg }).body.tool_choice, 'required');
  assert.equal(chat({ tools, tool_choice: { type: 'none' }, messages: msg }).body.tool_choice, 'none');
  assert.deepEqual(chat({ tools, tool_choice: { type: 'tool', name: 'Bash' }, messages: msg }).body.tool_choice, { type: 'function', function: { name: 'Bash' } });
  assert.match(refusal({ tools, tool_choice: { type: 'tool', name: 'Nope' }, messages: msg }), /not among/);
  assert.match(refusal({ tools: [tools[2]], tool_choice: { type: 'any' }, messages: msg }), /offers none/);
});

test('request: stream asks for usage; thinking, metadata, context_management, output_config are not forwarded', () => {
  const r = chat({ stream: true, thinking: { type: 'enabled', budget_tokens: 2000 }, metadata: { user_id: 'u' }, context_management: {}, output_config: {}, messages: [{ role: 'user', content: 'x' }] });
  assert.deepEqual(r.body, { model: 'm', messages: [{ role: 'user', content: 'x' }], max_tokens: 100, stream: true, stream_options: { include_usage: true } });
});

test('request: structured outputs (output_config.format, beta output_format) → response_format json_schema; effort dropped', () => {
  const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };
  const expected = { type: 'json_schema', json_schema: { name: 'output', schema, strict: true } };
  const msg = [{ role: 'user', content: 'x' }];
  assert.deepEqual(chat({ output_config: { effort: 'high', format: { type: 'json_schema', schema } }, messages: msg }).body.response_format, expected);
  assert.deepEqual(chat({ output_format: { type: 'json_schema', schema }, messages: msg }).body.response_format, expected);
  assert.equal(chat({ output_config: { effort: 'low' }, messages: msg }).body.response_format, undefined);
});

test('toChatMessages: the prompt alone (count_tokens), refusals as results', () => {
  const ok = toChatMessages('s', [{ role: 'user', content: 'x' }]);
  assert.deepEqual(ok, { ok: true, messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'x' }] });
  const bad = toChatMessages(undefined, [{ role: 'user', content: [{ type: 'weird' }] }]);
  assert.ok(!bad.ok && /"weird"/.test(bad.message));
});

test('response: text and tool_use blocks, stop reasons, usage with cache fields', () => {
  const m = toAnthropicMessage(
    {
      model: 'served',
      choices: [{ finish_reason: 'tool_calls', message: { content: 'Let me look.', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'Read', arguments: '{"path":"a"}' } }] } }],
      usage: { prompt_tokens: 100, completion_tokens: 9, prompt_tokens_details: { cached_tokens: 60, cache_write_tokens: 10 } },
    },
    { model: 'asked', id: 'msg_1' },
  );
  assert.deepEqual(m, {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'served',
    content: [{ type: 'text', text: 'Let me look.' }, { type: 'tool_use', id: 'c1', name: 'Read', input: { path: 'a' } }],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 30, output_tokens: 9, cache_read_input_tokens: 60, cache_creation_input_tokens: 10 },
  });
  assert.equal(stopReason({ finish_reason: 'stop' }).reason, 'end_turn');
  assert.equal(stopReason({ finish_reason: 'length' }).reason, 'max_tokens');
  assert.equal(stopReason({ finish_reason: 'content_filter' }).reason, 'refusal');
  assert.deepEqual(stopReason({ finish_reason: 'stop', stop_reason: 'END' }, ['END']), { reason: 'stop_sequence', sequence: 'END' });
  assert.deepEqual(stopReason({ finish_reason: 'stop', native_finish_reason: 'stop_sequence' }, ['X']), { reason: 'stop_sequence', sequence: 'X' });
  // A tool call with finish_reason "stop" (some gateways) is still a tool_use stop.
  assert.equal(toAnthropicMessage({ choices: [{ finish_reason: 'stop', message: { tool_calls: [{ id: 'a', function: { name: 'n', arguments: '' } }] } }] }, { model: 'x' }).stop_reason, 'tool_use');
});

test('usage: pass-through Anthropic fields; no usage → undefined; tool arguments that are not JSON are kept', () => {
  assert.deepEqual(anthropicUsage({ input_tokens: 5, output_tokens: 2, cache_read_input_tokens: 7 }), { input_tokens: 5, output_tokens: 2, cache_read_input_tokens: 7 });
  assert.deepEqual(anthropicUsage({ prompt_tokens: 5, completion_tokens: 2 }), { input_tokens: 5, output_tokens: 2 });
  assert.equal(anthropicUsage(null), undefined);
  assert.equal(anthropicUsage({}), undefined);
  assert.deepEqual(parseToolInput('{"a":1}'), { a: 1 });
  assert.deepEqual(parseToolInput(''), {});
  assert.deepEqual(parseToolInput('[1]'), { value: [1] });
  assert.deepEqual(parseToolInput('{broken'), { _raw_arguments: '{broken' });
});

const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) => ({ model: 'served', choices: [{ index: 0, delta, finish_reason: finish }], ...extra });
const types = (evs: AnthropicEvent[]) => evs.map((e) => (e.type === 'content_block_delta' ? `delta:${(e.delta as { type: string }).type}` : e.type));

test('stream: text → message_start, ping, content_block_start/delta/stop, message_delta with usage, message_stop', () => {
  const t = new StreamTranslator({ id: 'msg_x', model: 'asked', inputTokens: 3 });
  const out = [
    ...t.chunk(chunk({ role: 'assistant', content: '' })),
    ...t.chunk(chunk({ content: 'Hel' })),
    ...t.chunk(chunk({ content: 'lo' })),
    ...t.chunk(chunk({}, 'stop')),
    ...t.chunk({ choices: [], usage: { prompt_tokens: 4, completion_tokens: 2 } }),
  ];
  assert.ok(t.finished);
  out.push(...t.end());
  assert.deepEqual(types(out), ['message_start', 'ping', 'content_block_start', 'delta:text_delta', 'delta:text_delta', 'content_block_stop', 'message_delta', 'message_stop']);
  const start = out[0].message as { id: string; model: string; usage: unknown };
  assert.equal(start.id, 'msg_x');
  assert.equal(start.model, 'served');
  assert.deepEqual(start.usage, { input_tokens: 3, output_tokens: 0 });
  assert.deepEqual(out[2], { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  assert.deepEqual(out[6], { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { input_tokens: 4, output_tokens: 2 } });
  assert.deepEqual(t.end(), [], 'ends once');
});

test('stream: text then two tool calls → blocks in order, input_json_delta pieces, stop_reason tool_use', () => {
  const t = new StreamTranslator({ id: 'msg_y', model: 'm', inputTokens: 0 });
  const out = [
    ...t.chunk(chunk({ content: 'Running.' })),
    ...t.chunk(chunk({ tool_calls: [{ index: 0, id: 'c0', type: 'function', function: { name: 'Bash', arguments: '' } }] })),
    ...t.chunk(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"command":' } }] })),
    ...t.chunk(chunk({ tool_calls: [{ index: 0, function: { arguments: '"echo hi"}' } }] })),
    ...t.chunk(chunk({ tool_calls: [{ index: 1, id: 'c1', function: { name: 'Read', arguments: '{}' } }] })),
    ...t.chunk(chunk({}, 'tool_calls')),
    ...t.end({ input_tokens: 9, output_tokens: 8 }),
  ];
  assert.deepEqual(types(out), [
    'message_start', 'ping',
    'content_block_start', 'delta:text_delta',
    'content_block_stop', 'content_block_start', 'delta:input_json_delta', 'delta:input_json_delta',
    'content_block_stop', 'content_block_start', 'delta:input_json_delta',
    'content_block_stop', 'message_delta', 'message_stop',
  ]);
  assert.deepEqual(out[5], { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'c0', name: 'Bash', input: {} } });
  assert.deepEqual(out[6], { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"command":' } });
  assert.equal(out[9].index, 2);
  const delta = out.at(-2) as AnthropicEvent & { delta: { stop_reason: string } };
  assert.equal(delta.delta.stop_reason, 'tool_use');
  assert.deepEqual(delta.usage, { input_tokens: 9, output_tokens: 8 }, 'no usage chunk: the fallback counts');
});

test('stream: length → max_tokens; a gateway error chunk → one error event and nothing after; fail() maps status', () => {
  const t = new StreamTranslator({ id: 'msg_z', model: 'm', inputTokens: 0 });
  t.chunk(chunk({ content: 'a' }, 'length'));
  assert.equal((t.end().at(-2)?.delta as { stop_reason: string }).stop_reason, 'max_tokens');
  const e = new StreamTranslator({ id: 'msg_e', model: 'm', inputTokens: 0 });
  e.chunk(chunk({ content: 'a' }));
  assert.deepEqual(e.chunk({ error: { code: 429, message: 'slow down' } }), [{ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }]);
  assert.ok(e.hasFailed);
  assert.deepEqual(e.chunk(chunk({ content: 'b' })), []);
  assert.deepEqual(e.end(), []);
  const f = new StreamTranslator({ id: 'msg_f', model: 'm', inputTokens: 0 });
  assert.deepEqual(f.fail(502, 'cut'), [{ type: 'error', error: { type: 'api_error', message: 'cut' } }]);
});

test('errors: Anthropic types by status, the shape, keys redacted', () => {
  const expected: [number, string][] = [
    [400, 'invalid_request_error'], [401, 'authentication_error'], [402, 'billing_error'], [403, 'permission_error'],
    [404, 'not_found_error'], [413, 'request_too_large'], [429, 'rate_limit_error'], [500, 'api_error'], [502, 'api_error'],
    [503, 'overloaded_error'], [504, 'timeout_error'], [529, 'overloaded_error'], [422, 'invalid_request_error'],
  ];
  for (const [status, type] of expected) assert.equal(anthropicErrorType(status), type, String(status));
  assert.deepEqual(JSON.parse(anthropicErrorBody({ status: 404, message: 'no such model' }, 'req_1')), {
    type: 'error',
    error: { type: 'not_found_error', message: 'no such model' },
    request_id: 'req_1',
  });
});
