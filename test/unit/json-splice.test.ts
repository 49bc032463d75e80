// The outgoing body built from the caller's text (server/core/jsonSplice.ts) says exactly what
// serialising the object would: on thousands of random bodies, written compactly or indented, with
// escapes, non-ASCII text and nested values, and edited as the pipeline edits them (model replaced,
// stream_options and adapter fields added, fields removed), the spliced text parses to the same
// value as JSON.stringify's. Through the real proxy, a gateway receives the caller's body with only
// the model changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spliceJson, topLevelSpans } from '../../server/core/jsonSplice';
import { outgoingBody, outgoingText, type Call } from '../../server/pipeline/attempts';
import type { Candidate } from '../../server/pipeline/candidates';
import { rng } from './rng';

const STRINGS = ['', 'plain', 'quote " inside', 'back\\slash', 'ends with \\', '\\"', 'tab\tnew\nline', 'é ü 中文 🙂', '\u2028\u2029', 'ctl \u0001', '}{][,:', '"', '\\\\"'];

function randomValue(next: () => number, depth: number): unknown {
  const r = next();
  if (depth > 3 || r < 0.35) {
    const p = next();
    if (p < 0.4) return STRINGS[Math.floor(next() * STRINGS.length)] + (next() < 0.3 ? 'x'.repeat(Math.floor(next() * 200)) : '');
    if (p < 0.6) return Math.round((next() - 0.5) * 1e6) / 100;
    if (p < 0.75) return next() < 0.5;
    return null;
  }
  if (r < 0.65) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 4); i > 0; i--) o[randomKey(next)] = randomValue(next, depth + 1);
  return o;
}

function randomKey(next: () => number): string {
  const keys = ['role', 'content', 'a', 'k"q', 'back\\', 'é', '1', '0', 'type', 'text', ' '];
  return keys[Math.floor(next() * keys.length)];
}

function randomBody(next: () => number): Record<string, unknown> {
  const body: Record<string, unknown> = { model: 'openai/gpt-4o-mini' };
  if (next() < 0.5) body.stream = next() < 0.5;
  body.messages = Array.from({ length: 1 + Math.floor(next() * 4) }, () => ({ role: next() < 0.5 ? 'user' : 'assistant', content: randomValue(next, 1) }));
  for (let i = Math.floor(next() * 4); i > 0; i--) body[['temperature', 'tools', 'usage', 'metadata', 'stream_options', '7', 'x"y'][Math.floor(next() * 7)]] = randomValue(next, 1);
  return body;
}

/** The caller's text: compact, indented, or with stray whitespace around tokens (still valid JSON). */
function writeAs(body: unknown, next: () => number): string {
  const r = next();
  if (r < 0.4) return JSON.stringify(body);
  if (r < 0.8) return JSON.stringify(body, null, next() < 0.5 ? 2 : '\t');
  return ` \n${JSON.stringify(body, null, 1).replace(/\n/g, '\r\n')} \t`;
}

test('spliced bodies parse to exactly what JSON.stringify of the edited body says (4,000 random bodies and edits)', () => {
  const next = rng(20261206);
  let spliced = 0;
  for (let n = 0; n < 4000; n++) {
    const text = writeAs(randomBody(next), next);
    const from = JSON.parse(text) as Record<string, unknown>;
    const spans = topLevelSpans(text);
    assert.ok(spans, `spans of ${text.slice(0, 200)}`);
    // Edits as the pipeline makes them: a copy with the gateway's model, maybe stream_options and an
    // adapter's field, maybe a field removed or set to undefined.
    const out: Record<string, unknown> = { ...from, model: next() < 0.5 ? 'gpt-4o-mini' : from.model };
    if (next() < 0.5) out.stream_options = { ...(typeof from.stream_options === 'object' && from.stream_options ? from.stream_options : {}), include_usage: true };
    if (next() < 0.3) out.usage = { include: true };
    if (next() < 0.2) delete out.messages;
    if (next() < 0.2) out.temperature = undefined;
    if (next() < 0.1) out.metadata = 1e21;
    const json = spliceJson(from, text, spans, out);
    assert.ok(json !== undefined);
    assert.deepEqual(JSON.parse(json), JSON.parse(JSON.stringify(out)), text.slice(0, 300));
    // Key order too: what JSON.stringify would write.
    assert.deepEqual(Object.keys(JSON.parse(json)), Object.keys(JSON.parse(JSON.stringify(out))));
    spliced++;
  }
  assert.equal(spliced, 4000);
});

test('values the caller sent are copied from its text, changed ones serialised', () => {
  const text = '{"messages": [ {"role":"user","content":"caf\\u00e9 \\"hi\\""} ],"model":"a","n":1e2}';
  const from = JSON.parse(text) as Record<string, unknown>;
  const spans = topLevelSpans(text)!;
  assert.deepEqual([...spans.keys()], ['messages', 'model', 'n']);
  const json = spliceJson(from, text, spans, { ...from, model: 'b' })!;
  // The messages exactly as written (escapes and spaces kept), the new model, the number re-serialised.
  assert.equal(json, '{"messages":[ {"role":"user","content":"caf\\u00e9 \\"hi\\""} ],"model":"b","n":100}');
});

test('anything unusual falls back to serialising the whole body', () => {
  // A duplicated top-level key (JSON.parse keeps the last), a __proto__ key, not an object, trailing text.
  assert.equal(topLevelSpans('{"model":"a","model":"b"}'), undefined);
  assert.equal(topLevelSpans('{"__proto__":{"x":1},"model":"a"}'), undefined);
  assert.equal(topLevelSpans('["model"]'), undefined);
  assert.equal(topLevelSpans('{"model":"a"} x'), undefined);
  assert.deepEqual([...topLevelSpans(' {} ')!.keys()], []);
  // A key twice in a nested object (JSON.parse keeps the last, some gateways' parsers the first),
  // also when written with an escape; the same key in two objects, or a string value equal to a key, is fine.
  assert.equal(topLevelSpans('{"messages":[{"role":"user","content":"a","content":"b"}]}'), undefined);
  assert.equal(topLevelSpans('{"tools":[{"f":{"x":1,"\\u0078":2}}]}'), undefined);
  assert.ok(topLevelSpans('{"messages":[{"role":"user","content":"role"},{"role":"assistant","content":[{"type":"text","text":"type"}]}]}'));
  assert.ok(topLevelSpans('{"a":[{"k":1},{"k":2}],"b":{"k":{"k":[]},"j":"k"}}'));
  // A body that is no longer what the text says (a field added after parsing): no splice.
  const text = '{"messages":[]}';
  const from = JSON.parse(text) as Record<string, unknown>;
  from.model = 'added';
  assert.equal(spliceJson(from, text, topLevelSpans(text)!, { ...from }), undefined);
});

test('the scan gives up where it would cost as much as serialising: many short tokens, or code full of escaped quotes', () => {
  const schemas = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], tools: Array.from({ length: 40 }, (_, i) => ({ type: 'function', function: { name: `t${i}`, parameters: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } } } } })) });
  assert.equal(topLevelSpans(schemas), undefined);
  const code = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'print("a", "b")\n'.repeat(2000) }] });
  assert.equal(topLevelSpans(code), undefined);
  // Long prose or file contents with few quotes: found.
  const prose = JSON.stringify({ model: 'm', messages: Array.from({ length: 50 }, () => ({ role: 'user', content: 'lorem ipsum dolor sit amet, consectetur. '.repeat(40) })) });
  assert.deepEqual([...topLevelSpans(prose)!.keys()], ['model', 'messages']);
});

test('the pipeline’s outgoing text: the caller’s fields from its text, the gateway’s model, usage asked for on streams', () => {
  const text = '{ "model": "openai/gpt-4o-mini", "stream": true, "messages": [{"role": "user", "content": "a long prompt \\u2014 kept as sent"}], "temperature": 0.2 }';
  const body = JSON.parse(text) as Record<string, unknown>;
  const call = { req: { body, bodyText: text }, stream: true, endpoint: 'chat/completions' } as unknown as Call;
  const c = { id: 'gpt-4o-mini' } as Candidate;
  const out = outgoingBody(call, c, undefined);
  const json = outgoingText(call, out)!;
  assert.ok(json.includes('"messages":[{"role": "user", "content": "a long prompt \\u2014 kept as sent"}]'), json);
  assert.deepEqual(JSON.parse(json), { model: 'gpt-4o-mini', stream: true, messages: body.messages, temperature: 0.2, stream_options: { include_usage: true } });
  // Without the caller's text (the chat panel, a translated Messages or Responses body): serialised whole.
  const own = { req: { body }, stream: true, endpoint: 'chat/completions' } as unknown as Call;
  assert.equal(outgoingText(own, out), undefined);
});
