// The Responses ↔ Chat Completions translation (server/proxy/responses), pure: every input item,
// tool type, option and output item, and every stream event, without a network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translateRequest, type Translated } from '../../server/proxy/responses/request';
import { fromChatCompletion, toUsage, type ResponseShell } from '../../server/proxy/responses/response';
import { ResponsesStream } from '../../server/proxy/responses/stream';

function ok(body: unknown): Translated {
  const r = translateRequest(body);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

function refused(body: unknown): { message: string; param?: string } {
  const r = translateRequest(body);
  assert.equal(r.ok, false, 'expected a refusal');
  return r as { message: string; param?: string };
}

test('input items: messages of every role and part, tool calls and their outputs, reasoning left out', () => {
  const t = ok({
    model: 'm',
    instructions: 'sys',
    input: [
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'dev' }] },
      { role: 'system', content: 'also sys' },
      { role: 'user', content: [{ type: 'input_text', text: 'look' }, { type: 'input_image', image_url: 'data:image/png;base64,AA==', detail: 'low' }] },
      { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'opaque' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'calling' }] },
      { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{"a":1}' },
      { type: 'custom_tool_call', call_id: 'c2', name: 'apply_patch', input: '*** Begin' },
      { type: 'function_call', call_id: 'c3', name: 'spawn', namespace: 'ns', arguments: '{}' },
      { type: 'local_shell_call', call_id: 'c4', status: 'completed', action: { type: 'exec', command: ['ls'] } },
      { type: 'function_call_output', call_id: 'c1', output: 'one' },
      { type: 'custom_tool_call_output', call_id: 'c2', output: [{ type: 'input_text', text: 'two' }, { type: 'input_image', image_url: 'x' }] },
      { type: 'function_call_output', call_id: 'c3', output: 'three' },
      { type: 'local_shell_call_output', call_id: 'c4', output: 'four' },
      { type: 'web_search_call', id: 'ws', status: 'completed', action: { type: 'search', query: 'q' } },
    ],
    tools: [
      { type: 'function', name: 'f', parameters: { type: 'object', properties: {} } },
      { type: 'custom', name: 'apply_patch' },
      { type: 'namespace', name: 'ns', tools: [{ type: 'function', name: 'spawn', parameters: {} }] },
      { type: 'local_shell' },
    ],
  });
  assert.deepEqual(t.chat.messages, [
    { role: 'system', content: 'sys' },
    { role: 'system', content: 'dev' },
    { role: 'system', content: 'also sys' },
    { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA==', detail: 'low' } }] },
    {
      role: 'assistant',
      content: 'calling',
      tool_calls: [
        { id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
        { id: 'c2', type: 'function', function: { name: 'apply_patch', arguments: '{"input":"*** Begin"}' } },
        { id: 'c3', type: 'function', function: { name: 'ns__spawn', arguments: '{}' } },
        { id: 'c4', type: 'function', function: { name: 'local_shell', arguments: '{"command":["ls"]}' } },
      ],
    },
    { role: 'tool', tool_call_id: 'c1', content: 'one' },
    { role: 'tool', tool_call_id: 'c2', content: 'two\n[input_image omitted: tool results are text in Chat Completions]' },
    { role: 'tool', tool_call_id: 'c3', content: 'three' },
    { role: 'tool', tool_call_id: 'c4', content: 'four' },
  ]);
  assert.deepEqual((t.chat.tools as { function: { name: string } }[]).map((x) => x.function.name), ['f', 'apply_patch', 'ns__spawn', 'local_shell']);
});

test('options: stream asks for usage, max_output_tokens, sampling, tool_choice, text.format, reasoning effort; metadata and store stay local', () => {
  const t = ok({
    model: 'm',
    input: 'hi',
    stream: true,
    max_output_tokens: 50,
    temperature: 0.2,
    top_p: 0.9,
    parallel_tool_calls: false,
    tools: [{ type: 'function', name: 'f', parameters: {} }],
    tool_choice: { type: 'function', name: 'f' },
    text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true } },
    reasoning: { effort: 'low', summary: 'auto' },
    metadata: { k: 'v' },
    store: false,
    include: ['reasoning.encrypted_content'],
    prompt_cache_key: 'abc',
  });
  assert.deepEqual(t.chat, {
    messages: [{ role: 'user', content: 'hi' }],
    model: 'm',
    stream: true,
    stream_options: { include_usage: true },
    tools: [{ type: 'function', function: { parameters: {}, name: 'f' } }],
    parallel_tool_calls: false,
    tool_choice: { type: 'function', function: { name: 'f' } },
    max_tokens: 50,
    temperature: 0.2,
    top_p: 0.9,
    reasoning_effort: 'low',
    response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } },
  });
  assert.deepEqual(ok({ input: 'x', text: { format: { type: 'json_object' } } }).chat.response_format, { type: 'json_object' });
  assert.equal(ok({ input: 'x', tools: [{ type: 'custom', name: 'c' }], tool_choice: 'required' }).chat.tool_choice, 'required');
});

test('hosted tools are dropped and named; unknown tool and item types, stateful fields and bad choices are refused with the field', () => {
  const t = ok({ input: 'x', tools: [{ type: 'web_search', external_web_access: false }, { type: 'file_search' }, { type: 'function', name: 'f' }] });
  assert.deepEqual(t.dropped, ['web_search', 'file_search']);
  assert.equal((t.chat.tools as unknown[]).length, 1);
  assert.equal(ok({ input: 'x', tools: [{ type: 'web_search' }] }).chat.tools, undefined, 'no empty tools list goes upstream');
  assert.deepEqual(refused({ input: 'x', tools: [{ type: 'warp_drive' }] }), { ok: false, message: 'tool type "warp_drive" is not supported by the Switchyard proxy (function, custom, namespace and local_shell tools are)', param: 'tools.0.type' });
  assert.equal(refused({ input: [{ type: 'mystery_item' }] }).param, 'input.0.type');
  assert.equal(refused({ input: [{ type: 'item_reference', id: 'msg_1' }] }).param, 'input.0');
  assert.equal(refused({ input: 'x', previous_response_id: 'resp_1' }).param, 'previous_response_id');
  assert.equal(refused({ input: 'x', conversation: 'conv_1' }).param, 'conversation');
  assert.equal(refused({ input: 'x', background: true }).param, 'background');
  assert.equal(refused({ input: 'x', tools: [{ type: 'web_search' }, { type: 'function', name: 'f' }], tool_choice: { type: 'web_search' } }).param, 'tool_choice');
  assert.equal(refused({ input: 'x', tools: [{ type: 'function', name: 'f' }], tool_choice: { type: 'function', name: 'g' } }).param, 'tool_choice');
  assert.equal(refused({ input: 'x', text: { format: { type: 'yaml' } } }).param, 'text.format.type');
  assert.equal(refused({ input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_1' }] }] }).param, 'input.0.content.0');
  assert.equal(refused({ input: [{ type: 'function_call_output', output: 'x' }] }).param, 'input.0.call_id');
  assert.equal(refused({ model: 'm' }).param, 'input');
  assert.equal(refused([]).message, 'the request body must be a JSON object');
  assert.equal(refused({ input: 'x', max_output_tokens: -1 }).param, 'max_output_tokens');
});

const shell = (t: Translated): ResponseShell => ({ id: 'resp_1', createdAt: 1, request: t.request, model: 'asked' });

test('a chat answer becomes a response: message, function/custom/namespaced/shell calls, usage with cached and reasoning tokens', () => {
  const t = ok({ input: 'x', tools: [{ type: 'function', name: 'f' }, { type: 'custom', name: 'c' }, { type: 'namespace', name: 'ns', tools: [{ type: 'function', name: 'g' }] }, { type: 'local_shell' }] });
  const r = fromChatCompletion(
    {
      model: 'served',
      choices: [{
        finish_reason: 'tool_calls',
        message: {
          content: 'thinking aloud',
          tool_calls: [
            { id: 'a', function: { name: 'f', arguments: '{"x":1}' } },
            { id: 'b', function: { name: 'c', arguments: '{"input":"raw text"}' } },
            { id: 'c', function: { name: 'ns__g', arguments: '{}' } },
            { id: 'd', function: { name: 'local_shell', arguments: '{"command":["echo","hi"]}' } },
          ],
        },
      }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 2 } },
    },
    t.tools,
    shell(t),
  ) as { status: string; model: string; output: Record<string, unknown>[]; usage: unknown };
  assert.equal(r.status, 'completed');
  assert.equal(r.model, 'served');
  assert.deepEqual(r.output.map((o) => o.type), ['message', 'function_call', 'custom_tool_call', 'function_call', 'local_shell_call']);
  assert.deepEqual((r.output[0].content as unknown[])[0], { type: 'output_text', text: 'thinking aloud', annotations: [], logprobs: [] });
  assert.deepEqual([r.output[1].call_id, r.output[1].name, r.output[1].arguments], ['a', 'f', '{"x":1}']);
  assert.deepEqual([r.output[2].call_id, r.output[2].name, r.output[2].input], ['b', 'c', 'raw text']);
  assert.deepEqual([r.output[3].name, r.output[3].namespace], ['g', 'ns']);
  assert.deepEqual(r.output[4].action, { command: ['echo', 'hi'], type: 'exec' });
  assert.deepEqual(r.usage, { input_tokens: 10, input_tokens_details: { cached_tokens: 4 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 2 }, total_tokens: 15 });
});

test('a length stop is incomplete; no usage from the gateway falls back to the metered tokens', () => {
  const t = ok({ input: 'x', max_output_tokens: 1 });
  const r = fromChatCompletion({ choices: [{ finish_reason: 'length', message: { content: 'ab' } }] }, t.tools, shell(t), { inputTokens: 3, outputTokens: 1 }) as Record<string, unknown>;
  assert.equal(r.status, 'incomplete');
  assert.deepEqual(r.incomplete_details, { reason: 'max_output_tokens' });
  assert.equal(r.max_output_tokens, 1);
  assert.equal((r.usage as { total_tokens: number }).total_tokens, 4);
  assert.equal(toUsage(undefined), null);
});

function events(list: { event?: string; data: string }[]): { type: string; sequence_number: number } & Record<string, unknown>[] {
  return list.map((e) => {
    const d = JSON.parse(e.data) as { type: string; sequence_number: number };
    assert.equal(e.event, d.type, 'the SSE event name is the type');
    return d;
  }) as never;
}

test('stream: text then a function call, with every event of the sequence and numbered in order', () => {
  const t = ok({ input: 'x', stream: true, tools: [{ type: 'function', name: 'f' }] });
  const s = new ResponsesStream(shell(t), t.tools);
  const all = [
    ...s.start(),
    ...s.chunk({ model: 'served', choices: [{ delta: { role: 'assistant', content: '' } }] }),
    ...s.chunk({ choices: [{ delta: { content: 'Hel' } }] }),
    ...s.chunk({ choices: [{ delta: { content: 'lo' } }] }),
    ...s.chunk({ choices: [{ delta: { tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: '' } }] } }] }),
    ...s.chunk({ choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] } }] }),
    ...s.chunk({ choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: '1}' } }] } }] }),
    ...s.chunk({ choices: [{ delta: {}, finish_reason: 'tool_calls' }] }),
    ...s.chunk({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 3 } }),
    ...s.finish(),
    ...s.finish(),
  ];
  const ev = events(all) as unknown as ({ type: string; sequence_number: number } & Record<string, unknown>)[];
  assert.deepEqual(ev.map((e) => e.type), [
    'response.created', 'response.in_progress',
    'response.output_item.added', 'response.content_part.added', 'response.output_text.delta', 'response.output_text.delta',
    'response.output_text.done', 'response.content_part.done', 'response.output_item.done',
    'response.output_item.added', 'response.function_call_arguments.delta', 'response.function_call_arguments.delta',
    'response.function_call_arguments.done', 'response.output_item.done',
    'response.completed',
  ]);
  assert.deepEqual(ev.map((e) => e.sequence_number), ev.map((_, i) => i));
  assert.equal(ev[6].text, 'Hello');
  assert.equal(ev[12].arguments, '{"a":1}');
  const done = ev.at(-1)!.response as { status: string; model: string; output: Record<string, unknown>[]; usage: { total_tokens: number } };
  assert.equal(done.status, 'completed');
  assert.equal(done.model, 'served');
  assert.deepEqual(done.output.map((o) => [o.type, o.status]), [['message', 'completed'], ['function_call', 'completed']]);
  assert.equal(done.output[1].call_id, 'call_1');
  assert.equal(done.usage.total_tokens, 10);
});

test('stream: a freeform call is whole at its end; a length stop ends incomplete; a failure ends with response.failed', () => {
  const t = ok({ input: 'x', stream: true, tools: [{ type: 'custom', name: 'c' }] });
  const s = new ResponsesStream(shell(t), t.tools);
  const custom = events([
    ...s.start(),
    ...s.chunk({ choices: [{ delta: { tool_calls: [{ index: 0, id: 'k', function: { name: 'c', arguments: '{"input":"a' } }] } }] }),
    ...s.chunk({ choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: 'b"}' } }] } }] }),
    ...s.finish(),
  ]) as unknown as Record<string, unknown>[];
  assert.deepEqual(custom.map((e) => e.type), ['response.created', 'response.in_progress', 'response.output_item.added', 'response.custom_tool_call_input.done', 'response.output_item.done', 'response.completed']);
  assert.equal(custom[3].input, 'ab');
  assert.deepEqual((custom[4].item as Record<string, unknown>).input, 'ab');

  const l = new ResponsesStream(shell(t), t.tools);
  const cut = events([...l.start(), ...l.chunk({ choices: [{ delta: { content: 'ab' }, finish_reason: 'length' }] }), ...l.finish()]) as unknown as Record<string, unknown>[];
  const last = cut.at(-1)!;
  assert.equal(last.type, 'response.incomplete');
  assert.deepEqual((last.response as Record<string, unknown>).incomplete_details, { reason: 'max_output_tokens' });
  assert.equal(((cut.find((e) => e.type === 'response.output_item.done')!.item) as Record<string, unknown>).status, 'incomplete');

  const f = new ResponsesStream(shell(t), t.tools);
  const failed = events([...f.start(), ...f.chunk({ choices: [{ delta: { content: 'par' } }] }), ...f.fail('upstream_stream_cut', 'gone'), ...f.finish()]) as unknown as Record<string, unknown>[];
  assert.equal(failed.at(-1)!.type, 'response.failed');
  const resp = failed.at(-1)!.response as Record<string, unknown>;
  assert.equal(resp.status, 'failed');
  assert.deepEqual(resp.error, { code: 'upstream_stream_cut', message: 'gone' });
});
