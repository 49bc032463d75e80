// `POST /v1/responses` through the proxy, driven by the official `openai` SDK over the fake
// gateways: text, streams, a function-tool round trip, freeform and namespaced tools, errors in
// OpenAI's shape, a length stop, and an upstream cut mid-stream that ends in response.failed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startHarness, rawRequest, auth, openAiError, type Harness } from './proxy-harness';

let h: Harness;
let client: OpenAI;

before(async () => {
  h = await startHarness({ gateways: { nemo: 'nemorouter' }, settings: { aliases: { 'gpt-5-codex': 'gpt-4o-mini' } } });
  client = new OpenAI({ baseURL: h.url, apiKey: h.token, maxRetries: 0 });
});
after(() => h?.close());

const weather = [{ type: 'function' as const, name: 'get_weather', description: 'Weather in a city', strict: false, parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];

test('text: instructions and a string input answer a completed response with usage, metered as api "responses"', async () => {
  const { data: r, response } = await client.responses.create({ model: 'gpt-4o-mini', instructions: 'Be brief.', input: 'hello there' }).withResponse();
  assert.equal(r.object, 'response');
  assert.equal(r.status, 'completed');
  assert.match(r.id, /^resp_/);
  assert.equal(r.output_text, 'Echo: hello there');
  assert.equal(r.output[0].type, 'message');
  assert.ok(r.usage && r.usage.input_tokens > 0 && r.usage.output_tokens > 0);
  assert.equal(r.usage.total_tokens, r.usage.input_tokens + r.usage.output_tokens);
  assert.equal(r.usage.input_tokens_details.cached_tokens, 0);
  assert.equal(response.headers.get('x-switchyard-gateway'), 'nemo');
  const cost = Number(response.headers.get('x-switchyard-cost'));
  assert.ok(cost > 0);
  const line = (await h.ledger()).find((l) => l.requestId === response.headers.get('x-switchyard-request-id'));
  assert.equal(line?.api, 'responses');
  assert.equal(line?.source, 'proxy');
  assert.equal(line?.costUsd, cost);
  // The gateway was asked in Chat Completions, with the instructions as a system message.
  const sent = h.fakes.nemo.requests.at(-1)!.body as { messages: { role: string; content: unknown }[] };
  assert.deepEqual(sent.messages, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello there' }]);
});

test('an agent\'s model name resolves through switchyard.aliases; the ledger keeps requested and served model', async () => {
  const { data: r, response } = await client.responses.create({ model: 'gpt-5-codex', input: [{ role: 'developer', content: 'dev note' }, { role: 'user', content: [{ type: 'input_text', text: 'hi' }] }] }).withResponse();
  assert.equal(r.output_text, 'Echo: hi');
  const line = (await h.ledger()).find((l) => l.requestId === response.headers.get('x-switchyard-request-id'));
  assert.equal(line?.model, 'gpt-5-codex');
  assert.equal(line?.servedModel, 'gpt-4o-mini');
});

test('stream: the real event sequence with increasing sequence numbers, text deltas and usage at the end', async () => {
  const stream = await client.responses.create({ model: 'gpt-4o-mini', input: 'stream me a fairly long answer please', stream: true });
  const types: string[] = [];
  const seqs: number[] = [];
  let text = '';
  let completed: OpenAI.Responses.Response | undefined;
  for await (const ev of stream) {
    types.push(ev.type);
    seqs.push(ev.sequence_number);
    if (ev.type === 'response.output_text.delta') text += ev.delta;
    if (ev.type === 'response.completed') completed = ev.response;
  }
  assert.deepEqual(types.slice(0, 4), ['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
  assert.deepEqual(types.slice(-4), ['response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed']);
  assert.ok(types.filter((t) => t === 'response.output_text.delta').length > 1, 'text arrives in several deltas');
  assert.deepEqual(seqs, seqs.map((_, i) => i));
  assert.equal(text, 'Echo: stream me a fairly long answer please');
  const item = completed?.output[0];
  assert.equal(item?.type === 'message' && item.content[0].type === 'output_text' ? item.content[0].text : undefined, text);
  assert.ok(completed?.usage && completed.usage.output_tokens > 0);
  const line = (await h.ledger()).at(-1);
  assert.equal(line?.api, 'responses');
  assert.equal(line?.status, 'ok');
});

for (const stream of [false, true]) {
  test(`function tool round trip${stream ? ' (streamed)' : ''}: function_call with call_id, then function_call_output`, async () => {
    const ask = 'What is the weather? [[tool:get_weather {"city":"Paris"}]]';
    let call: OpenAI.Responses.ResponseFunctionToolCall | undefined;
    if (stream) {
      const s = client.responses.stream({ model: 'gpt-4o-mini', input: ask, tools: weather });
      let args = '';
      s.on('response.function_call_arguments.delta', (e) => (args += e.delta));
      const final = await s.finalResponse();
      call = final.output.find((o) => o.type === 'function_call');
      assert.equal(args, call?.arguments);
    } else {
      const r = await client.responses.create({ model: 'gpt-4o-mini', input: ask, tools: weather, parallel_tool_calls: false });
      call = r.output.find((o) => o.type === 'function_call');
    }
    assert.ok(call, 'a function_call item');
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.arguments), { city: 'Paris' });
    assert.ok(call.call_id);
    const second = await client.responses.create({
      model: 'gpt-4o-mini',
      tools: weather,
      input: [
        { role: 'user', content: ask },
        { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: 'function_call_output', call_id: call.call_id, output: 'sunny, 21 C' },
      ],
    });
    assert.equal(second.output_text, 'Tool result: sunny, 21 C');
    const sent = h.fakes.nemo.requests.at(-1)!.body as { messages: Record<string, unknown>[] };
    assert.deepEqual(sent.messages.slice(1), [
      { role: 'assistant', content: null, tool_calls: [{ id: call.call_id, type: 'function', function: { name: 'get_weather', arguments: call.arguments } }] },
      { role: 'tool', tool_call_id: call.call_id, content: 'sunny, 21 C' },
    ]);
  });
}

test('freeform (custom) and namespaced tools come back as custom_tool_call and function_call with namespace; web_search is dropped and said so', async () => {
  const tools = [
    { type: 'custom', name: 'apply_patch', description: 'Apply a patch', format: { type: 'grammar', syntax: 'lark', definition: 'start: "*** Begin Patch"' } },
    { type: 'namespace', name: 'multi_agent_v1', description: 'agents', tools: [{ type: 'function', name: 'spawn_agent', parameters: { type: 'object', properties: { task: { type: 'string' } } } }] },
    { type: 'web_search', external_web_access: false },
  ];
  const input = 'go [[tool:apply_patch {"input":"*** Begin Patch"}]] [[tool:multi_agent_v1__spawn_agent {"task":"t"}]]';
  for (const stream of [false, true]) {
    const res = await rawRequest(h.port, { method: 'POST', path: '/v1/responses', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', input, tools, stream }) });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.headers['x-switchyard-dropped-tools'], 'web_search');
    const response = stream ? lastEvent(res.body, 'response.completed').response : JSON.parse(res.body);
    const [custom, ns] = response.output as Record<string, unknown>[];
    assert.deepEqual({ type: custom.type, name: custom.name, input: custom.input }, { type: 'custom_tool_call', name: 'apply_patch', input: '*** Begin Patch' });
    assert.deepEqual({ type: ns.type, name: ns.name, namespace: ns.namespace, arguments: ns.arguments }, { type: 'function_call', name: 'spawn_agent', namespace: 'multi_agent_v1', arguments: '{"task":"t"}' });
  }
  const sent = h.fakes.nemo.requests.at(-1)!.body as { tools: { function: { name: string; description?: string } }[] };
  assert.deepEqual(sent.tools.map((t) => t.function.name), ['apply_patch', 'multi_agent_v1__spawn_agent']);
  assert.match(sent.tools[0].function.description ?? '', /lark grammar/);
});

test('a length stop is an incomplete response with incomplete_details', async () => {
  const r = await client.responses.create({ model: 'gpt-4o-mini', input: 'a long question that will be cut short', max_output_tokens: 2 });
  assert.equal(r.status, 'incomplete');
  assert.deepEqual(r.incomplete_details, { reason: 'max_output_tokens' });
  assert.equal(r.output_text.length, 8);
  const s = await rawRequest(h.port, { method: 'POST', path: '/v1/responses', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', input: 'a long question that will be cut short', max_output_tokens: 2, stream: true }) });
  assert.equal(lastEvent(s.body, 'response.incomplete').response.incomplete_details.reason, 'max_output_tokens');
});

test('errors in OpenAI\'s shape: unknown model (404 with close IDs), previous_response_id, unsupported tool type, bad input', async () => {
  await assert.rejects(client.responses.create({ model: 'gpt-4o-minii', input: 'x' }), (e: unknown) => {
    assert.ok(e instanceof OpenAI.NotFoundError);
    assert.equal(e.code, 'model_not_found');
    assert.match(e.message, /gpt-4o-minii[\s\S]*gpt-4o-mini/);
    return true;
  });
  await assert.rejects(client.responses.create({ model: 'gpt-4o-mini', input: 'x', previous_response_id: 'resp_123' }), (e: unknown) => {
    assert.ok(e instanceof OpenAI.BadRequestError);
    assert.equal(e.param, 'previous_response_id');
    assert.match(e.message, /keeps no conversations/);
    return true;
  });
  const badTool = await rawRequest(h.port, { method: 'POST', path: '/v1/responses', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', input: 'x', tools: [{ type: 'computer_use_2099' }] }) });
  assert.equal(badTool.status, 400);
  assert.match(openAiError(badTool).message, /tool type "computer_use_2099"/);
  assert.equal(openAiError(badTool).param, 'tools.0.type');
  const noInput = await rawRequest(h.port, { method: 'POST', path: '/v1/responses', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini' }) });
  assert.equal(noInput.status, 400);
  assert.equal(openAiError(noInput).param, 'input');
  const get = await rawRequest(h.port, { method: 'GET', path: '/v1/responses', headers: auth() });
  assert.equal(get.status, 405);
  const unauth = await rawRequest(h.port, { method: 'POST', path: '/v1/responses', body: '{}' });
  assert.equal(unauth.status, 401);
});

test('an upstream cut mid-stream ends with response.failed, never a hang; the ledger says so', async () => {
  h.fakes.nemo.fail({ path: '/chat/completions', cutStreamAfterChunks: 2 });
  const stream = await client.responses.create({ model: 'gpt-4o-mini', input: 'this answer will be cut by the gateway halfway', stream: true });
  const types: string[] = [];
  let failed: OpenAI.Responses.Response | undefined;
  for await (const ev of stream) {
    types.push(ev.type);
    if (ev.type === 'response.failed') failed = ev.response;
  }
  assert.equal(types.at(-1), 'response.failed');
  assert.ok(!types.includes('response.completed'));
  assert.equal(failed?.status, 'failed');
  assert.equal(failed?.error?.code, 'upstream_stream_cut');
  const line = (await h.ledger()).at(-1);
  assert.equal(line?.api, 'responses');
  assert.notEqual(line?.status, 'ok');
});

function lastEvent(body: string, type: string): { response: Record<string, unknown> & { incomplete_details: { reason: string }; output: unknown[] } } {
  const events = body
    .split('\n\n')
    .map((block) => block.split('\n').find((l) => l.startsWith('data: ')))
    .filter((l): l is string => !!l)
    .map((l) => JSON.parse(l.slice(6)) as { type: string });
  const found = events.filter((e) => e.type === type).at(-1);
  assert.ok(found, `no ${type} event in: ${events.map((e) => e.type).join(', ')}`);
  return found as never;
}
