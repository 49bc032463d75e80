// Issue 16 item 4: a healthy gateway must not time out because the proxy admitted more requests
// than the upstream pool had connections. The case was 48 requests at once, 1.2 s answers,
// a 2 s timeout (16 × 200, 32 × 504). Here 64 at once (the default maxConcurrency), 1 s answers and
// a 3 s timeout: a 16-connection pool needs four 1 s waves, so its last 16 time out; sized to the
// admission all are served in one wave, with 2 s to spare for a loaded test machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, rawRequest, auth } from './proxy-harness';

test('64 concurrent requests to a slow but healthy gateway all succeed (pool sized to admission)', async () => {
  const h = await startHarness({ settings: { routing: { requestTimeoutMs: 3000, breakerFailures: 3 }, proxy: { maxConcurrency: 64 } } });
  try {
    const fake = h.fakes.local;
    const slow = fake.fail({ path: '/chat/completions', delayMs: 1000, times: Infinity });
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const send = () => rawRequest(h.port, { method: 'POST', path: '/v1/chat/completions', headers: { ...auth(), 'content-type': 'application/json' }, body });
    const results = await Promise.all(Array.from({ length: 64 }, send));
    const statuses = results.map((r) => r.status);
    assert.deepEqual(statuses, Array(64).fill(200), `statuses: ${JSON.stringify(statuses.reduce<Record<number, number>>((a, s) => ({ ...a, [s]: (a[s] ?? 0) + 1 }), {}))}`);
    assert.equal(slow.hits, 64);
    slow.cancel();
    // The breaker never opened: the next request is served, not refused with circuit_open.
    const after = await send();
    assert.equal(after.status, 200, after.body);
    const lines = await h.ledger();
    assert.equal(lines.filter((l) => l.status === 'ok').length, 65);
  } finally {
    await h.close();
  }
});
