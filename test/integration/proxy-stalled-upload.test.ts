// Issue 16 item 5: a client that sends its headers and then no body must not hold a concurrency
// slot. The body is read (within switchyard.proxy.bodyTimeoutMs) before the request is admitted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { startHarness, rawRequest, auth, openAiError } from './proxy-harness';

/** Open a connection, send a POST's headers promising a body, and never send it; resolves with what the proxy answers. */
function stall(port: number): { socket: Socket; answer: Promise<string> } {
  const socket = connect({ host: '127.0.0.1', port });
  const chunks: Buffer[] = [];
  const answer = new Promise<string>((resolve) => {
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', () => {});
  });
  socket.write(
    'POST /v1/chat/completions HTTP/1.1\r\n' +
      `Host: 127.0.0.1:${port}\r\n` +
      `Authorization: ${auth().authorization}\r\n` +
      'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n',
  );
  return { socket, answer };
}

test('four stalled uploads with maxConcurrency 4 block nobody; each gets a 408 naming the body timeout', async () => {
  const h = await startHarness({ settings: { proxy: { maxConcurrency: 4, bodyTimeoutMs: 1500 } } });
  try {
    const stalled = Array.from({ length: 4 }, () => stall(h.port));
    // Wait until the proxy has all four requests (their headers parsed) in hand.
    const started = Date.now();
    while (h.proxy.info().requests < 4) {
      assert.ok(Date.now() - started < 10_000, 'the stalled requests never arrived');
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(h.proxy.load().active, 0, 'a stalled upload holds no slot');
    const models = await rawRequest(h.port, { headers: auth() });
    assert.equal(models.status, 200, models.body);
    const chat = await rawRequest(h.port, {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'still served' }] }),
    });
    assert.equal(chat.status, 200, chat.body);
    for (const s of stalled) {
      const text = await s.answer;
      assert.match(text, /^HTTP\/1\.1 408 /, text);
      const body = text.slice(text.indexOf('\r\n\r\n') + 4);
      const err = openAiError({ status: 408, headers: {}, body, trailers: {} });
      assert.equal(err.code, 'body_timeout');
      assert.match(err.message, /1500 ms.*switchyard\.proxy\.bodyTimeoutMs/);
    }
    // Nothing was metered for the stalled requests: they never reached the pipeline.
    assert.equal((await h.ledger()).length, 1);
  } finally {
    await h.close();
  }
});
