// The proxy's hot-path shortcuts keep their contracts: a free admission slot is taken without a
// promise but never ahead of a waiting caller; a chat body the proxy validated satisfies the
// pipeline's own schema (which then does not parse it again), and one it refuses names the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createGate } from '../../server/proxy/limits';
import { validateRequest } from '../../server/proxy/body';
import { BODY_SCHEMAS, checkBody, isPlainChatBody } from '../../server/pipeline/body';
import { rng, scramble } from './rng';

test('tryAcquire takes a free slot at once, never one a waiting caller is owed', async () => {
  const gate = createGate(() => 1);
  const first = gate.tryAcquire();
  assert.ok(first);
  assert.equal(gate.tryAcquire(), undefined, 'no free slot');
  const waiting = gate.acquire(new AbortController().signal);
  first!();
  // The slot went to the caller in line, not to a newcomer.
  assert.equal(gate.tryAcquire(), undefined);
  const second = await waiting;
  assert.ok(second);
  second!();
  const third = gate.tryAcquire();
  assert.ok(third);
  third!();
  assert.equal(gate.active, 0);
});

test('the proxy checks bodies with the pipeline’s schemas: stream_options must be an object, messages need a role', () => {
  const ok = validateRequest('chat/completions', { model: 'm', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(ok.ok, true);
  const bad = validateRequest('chat/completions', { model: 'm', stream_options: 5, messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.equal(bad.error.status, 400);
    assert.equal(bad.error.code, 'invalid_request');
    assert.equal(bad.error.param, 'stream_options');
  }
  assert.equal(validateRequest('chat/completions', { messages: [] }).ok, false, 'messages must not be empty');
  assert.equal(validateRequest('chat/completions', { messages: [{ content: 'no role' }] }).ok, false);
});

test('the quick chat-body check never vouches for a body the schema refuses (8,000 random variations)', () => {
  class Box {
    role = 'user';
  }
  const bare = Object.assign(Object.create(null) as Record<string, unknown>, { role: 'user' });
  const ODD: unknown[] = [
    undefined, null, 0, 1, true, false, '', ' ', 'm', ' m ', 'x'.repeat(512), ` ${'x'.repeat(512)} `, 'x'.repeat(513),
    {}, [], new Map(), new Date(0), new Box(), bare, { include_usage: true },
    [{ role: 'user', content: 'hi' }], [{ role: 1 }], [{ content: 'no role' }], [null], [[]], [{ role: 'user' }, 5], [new Box()], [bare], [new Date(0)],
  ];
  const KEYS = ['model', 'stream', 'stream_options', 'messages', 'temperature'];
  const next = rng(20261206);
  let vouched = 0;
  let refused = 0;
  for (let i = 0; i < 8000; i++) {
    const body: Record<string, unknown> = { model: 'openai/gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] };
    scramble(body, KEYS, ODD, next);
    const schema = BODY_SCHEMAS['chat/completions'].safeParse(body).success;
    if (isPlainChatBody(body)) {
      vouched++;
      assert.ok(schema, `case ${i}: vouched for a body the schema refuses: ${JSON.stringify(body)}`);
    } else if (!schema) refused++;
    // Whichever way it went, checkBody answers as the schema does.
    assert.equal(checkBody('chat/completions', body).ok, schema, `case ${i}: ${JSON.stringify(body)}`);
  }
  assert.ok(vouched > 1000, `only ${vouched} vouched`);
  assert.ok(refused > 1000, `only ${refused} refused`);
});
