// server/http/buffered.ts: a whole answer gathered by our own undici handler (the pipeline's
// non-streamed tries), against a real HTTP server on 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestBuffered } from '../../server/http/buffered';
import { Canceller } from '../../server/core/cancel';
import { routeServer } from '../helpers/routes';

const { routes, agent, origin } = routeServer();

const limits = { maxOk: 64, maxError: 16 };
const post = (path: string, signal = new Canceller(), extra: Record<string, unknown> = {}, onStart?: (s: number) => void) =>
  requestBuffered(agent, { origin: origin(), path, method: 'POST', body: '{"q":1}', headers: { 'content-type': 'application/json' }, ...extra }, { signal, ...limits, onStart });

routes.set('/ok', (res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'x-cost': '0.5' });
  res.write('{"a":');
  setTimeout(() => res.end('1}'), 5);
});
routes.set('/big', (res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('x'.repeat(40));
  setTimeout(() => res.end('y'.repeat(40)), 5);
});
routes.set('/error', (res) => {
  res.writeHead(429, { 'retry-after': '2' });
  res.write('0123456789');
  setTimeout(() => res.end('abcdefghij'), 5);
});
routes.set('/cut', (res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
  res.write('{"a":');
  setTimeout(() => res.destroy(), 5);
});
routes.set('/slow-body', (res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"a":');
  setTimeout(() => res.end('1}'), 2_000);
});
routes.set('/silent', () => undefined);

test('a 2xx answer: status, headers and the whole body, once its end has come', async () => {
  const seen: number[] = [];
  const r = await post('/ok', undefined, {}, (s) => seen.push(s));
  assert.equal(r.status, 200);
  assert.equal(r.headers['x-cost'], '0.5');
  assert.equal(r.body.toString(), '{"a":1}');
  assert.equal(r.complete, true);
  assert.deepEqual(seen, [200], 'told of the status line before the body');
});

test('a 2xx body past maxOk is not complete: what came before the chunk that passed it', async () => {
  const r = await post('/big');
  assert.equal(r.status, 200);
  assert.equal(r.complete, false);
  assert.equal(r.body.toString(), 'x'.repeat(40));
});

test('an error body is kept up to maxError, not maxOk', async () => {
  const r = await post('/error');
  assert.equal(r.status, 429);
  assert.equal(r.headers['retry-after'], '2');
  assert.equal(r.complete, false);
  assert.equal(r.body.toString(), '0123456789');
});

test('a connection closed in the middle of the body rejects with the transport’s error', async () => {
  await assert.rejects(post('/cut'), (e: Error & { code?: string }) => typeof e.code === 'string' && e.code.startsWith('UND_ERR'));
});

test('bodyTimeout and headersTimeout reject with undici’s timeout errors', async () => {
  await assert.rejects(post('/slow-body', undefined, { bodyTimeout: 100 }), { code: 'UND_ERR_BODY_TIMEOUT' });
  await assert.rejects(post('/silent', undefined, { headersTimeout: 100 }), { code: 'UND_ERR_HEADERS_TIMEOUT' });
});

test('cancelled before, while waiting for the answer, or in the middle of the body: rejects with the reason', async () => {
  const before = new Canceller();
  before.abort(new Error('gone already'));
  await assert.rejects(post('/ok', before), /gone already/);

  const waiting = new Canceller();
  const p = post('/silent', waiting);
  setTimeout(() => waiting.abort(new Error('caller left')), 30);
  await assert.rejects(p, /caller left/);

  const midBody = new Canceller();
  const q = post('/slow-body', midBody, {}, () => setTimeout(() => midBody.abort(new Error('stop')), 20));
  await assert.rejects(q, /stop/);
});

test('after all that, the agent still serves requests (no connection left stuck)', async () => {
  const r = await post('/ok');
  assert.equal(r.body.toString(), '{"a":1}');
});
