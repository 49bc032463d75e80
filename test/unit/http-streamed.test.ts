// server/http/streamed.ts: an answer pulled chunk by chunk from our own undici handler (the
// pipeline's streamed tries), against a real HTTP server on 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestStreamed, collectBody } from '../../server/http/streamed';
import { Canceller } from '../../server/core/cancel';
import { routeServer } from '../helpers/routes';

const { routes, agent, origin } = routeServer();

const open = (path: string, signal = new Canceller(), extra: Record<string, unknown> = {}) =>
  requestStreamed(agent, { origin: origin(), path, method: 'POST', body: '{}', headers: { 'content-type': 'application/json' }, ...extra }, signal);
const text = async (body: AsyncIterable<Buffer>) => {
  let out = '';
  for await (const c of body) out += c.toString();
  return out;
};

routes.set('/events', (res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', trailer: 'x-cost' });
  res.write('data: 1\n\n');
  setTimeout(() => {
    res.write('data: 2\n\n');
    res.addTrailers({ 'x-cost': '0.25' });
    res.end();
  }, 10);
});
const MB = 1024 * 1024;
const FLOOD = 32 * MB;
let flooded = 0;
routes.set('/flood', (res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const block = Buffer.alloc(64 * 1024, 'a');
  flooded = 0;
  const pump = () => {
    while (flooded < FLOOD) {
      flooded += block.length;
      if (!res.write(block)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
});
routes.set('/error', (res) => res.writeHead(503, { 'retry-after': '1' }).end('x'.repeat(100)));
routes.set('/cut', (res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write('data: 1\n\n');
  setTimeout(() => res.destroy(), 10);
});
routes.set('/slow', (res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write('data: 1\n\n');
  setTimeout(() => res.end('data: 2\n\n'), 2_000);
});
routes.set('/silent', () => undefined);

test('resolves at the headers; the body is pulled to its end, then the trailers are there', async () => {
  const r = await open('/events');
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'text/event-stream');
  assert.equal(await text(r.body), 'data: 1\n\ndata: 2\n\n');
  assert.equal(r.body.trailers['x-cost'], '0.25');
  assert.equal(r.body.closed, true);
});

test('backpressure: an unread body stops the socket being read, and nothing is lost once pulled', async () => {
  const r = await open('/flood');
  await new Promise((resolve) => setTimeout(resolve, 300));
  // Read on, the whole answer would have crossed loopback long before now; unread, the server is
  // held back by what the socket buffers take.
  assert.ok(flooded < FLOOD / 2, `the server wrote ${flooded} of ${FLOOD} bytes to a client that read nothing`);
  let size = 0;
  for await (const c of r.body) size += c.length;
  assert.equal(size, FLOOD);
});

test('an error answer is read up to a cap, and the rest is not wanted', async () => {
  const r = await open('/error');
  assert.equal(r.status, 503);
  const c = await collectBody(r.body, 10);
  assert.equal(c.kind, 'over');
  assert.equal(r.body.closed, true);
  const whole = await collectBody((await open('/error')).body, 1000);
  assert.deepEqual(whole, { kind: 'done', body: Buffer.from('x'.repeat(100)) });
});

test('a connection closed mid-body fails the pull with the transport’s error', async () => {
  const r = await open('/cut');
  const it = r.body[Symbol.asyncIterator]();
  assert.equal((await it.next()).value?.toString(), 'data: 1\n\n');
  await assert.rejects(it.next(), (e: Error & { code?: string }) => typeof e.code === 'string' && e.code.startsWith('UND_ERR'));
});

test('cancelled before the headers: rejects with the reason; after them: the pull fails with it', async () => {
  const before = new Canceller();
  before.abort(new Error('gone already'));
  await assert.rejects(open('/events', before), /gone already/);

  const waiting = new Canceller();
  const p = open('/silent', waiting);
  setTimeout(() => waiting.abort(new Error('caller left')), 30);
  await assert.rejects(p, /caller left/);

  const midBody = new Canceller();
  const r = await open('/slow', midBody);
  const it = r.body[Symbol.asyncIterator]();
  await it.next();
  setTimeout(() => midBody.abort(new Error('stop')), 20);
  await assert.rejects(it.next(), /stop/);
});

test('destroy() and leaving a for-await early abort the request', async () => {
  const r = await open('/slow');
  for await (const c of r.body) {
    assert.equal(c.toString(), 'data: 1\n\n');
    break;
  }
  assert.equal(r.body.closed, true);
  await assert.rejects(r.body.next(), /closed before its end/);
  const s = await open('/slow');
  s.body.destroy(new Error('not wanted'));
  await assert.rejects(s.body.next(), /not wanted/);
});

test('headersTimeout rejects before the headers; bodyTimeout fails the pull', async () => {
  await assert.rejects(open('/silent', undefined, { headersTimeout: 100 }), { code: 'UND_ERR_HEADERS_TIMEOUT' });
  const r = await open('/slow', undefined, { bodyTimeout: 100 });
  const it = r.body[Symbol.asyncIterator]();
  await it.next();
  await assert.rejects(it.next(), { code: 'UND_ERR_BODY_TIMEOUT' });
});

test('after all that, the agent still serves requests', async () => {
  assert.equal(await text((await open('/events')).body), 'data: 1\n\ndata: 2\n\n');
});
