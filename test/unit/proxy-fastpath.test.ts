// The proxy's hot-path shortcuts keep their contracts: a free admission slot is taken without a
// promise but never ahead of a waiting caller; a chat body the proxy validated satisfies the
// pipeline's own schema (which then does not parse it again), and one it refuses names the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createGate } from '../../server/proxy/limits';
import { validateRequest } from '../../server/proxy/body';

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
