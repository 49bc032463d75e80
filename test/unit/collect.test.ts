// server/http/collect.ts: the bounded body reader shared by the proxy (requests) and the pipeline (answers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { collect } from '../../server/http/collect';

test('collects every chunk to the end, and stops listening', async () => {
  const s = new PassThrough();
  const p = collect(s, 10);
  s.write('abc');
  s.end('def');
  assert.deepEqual(await p, { kind: 'done', body: Buffer.from('abcdef') });
  assert.equal(s.listenerCount('data') + s.listenerCount('end') + s.listenerCount('close'), 0);
});

test('the chunk that would pass the cap ends it as "over", with what came before', async () => {
  const s = new PassThrough();
  const p = collect(s, 5);
  s.write('abc');
  s.write('def');
  assert.deepEqual(await p, { kind: 'over', body: Buffer.from('abc') });
});

test('a declared length ends it without waiting for the end of the stream', async () => {
  const s = new PassThrough();
  const p = collect(s, 100, 4);
  s.write('ab');
  s.write('cd'); // no end()
  assert.deepEqual(await p, { kind: 'done', body: Buffer.from('abcd') });
});

test('an error, or a close before the end, is "failed" with the stream’s error if it has one', async () => {
  const a = new PassThrough();
  const pa = collect(a, 100);
  a.write('x');
  a.destroy(new Error('reset'));
  const ra = await pa;
  assert.equal(ra.kind, 'failed');
  assert.equal(ra.kind === 'failed' && ra.error?.message, 'reset');

  const b = new PassThrough();
  const pb = collect(b, 100);
  b.write('x');
  b.destroy();
  assert.deepEqual(await pb, { kind: 'failed', error: undefined });
});
