// The proxy's pure parts: loopback checks, the token store, SSE formatting, embedding encodings,
// failure → OpenAI error mapping, admission gate, and what terminals get.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bearerMatches, hostName, isLoopbackBindAddress, isLoopbackName, tokenBytes } from '../../server/proxy/guards';
import { resolveProxyToken } from '../../server/proxy/token';
import { formatEvent } from '../../server/proxy/inference';
import { base64ToFloats, floatsToBase64, normalizeEmbeddings } from '../../server/proxy/embeddings';
import { errorBody, failureToError } from '../../server/proxy/errors';
import { createGate } from '../../server/proxy/limits';
import { exportLines, proxyEnvironment } from '../../client/terminal/env';
import { registerSecret, redact } from '../../server/core/log';

test('loopback names and bind addresses', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', 'api.localhost', '[::1]', '::1', '::ffff:127.0.0.1', 'localhost.']) assert.ok(isLoopbackName(h), h);
  for (const h of ['0.0.0.0', '10.0.0.1', '192.168.1.1', 'example.com', '127.0.0.1.nip.io', 'localhost.evil.com', '::', '[::ffff:10.0.0.1]', '']) assert.ok(!isLoopbackName(h), h);
  for (const h of ['127.0.0.1', '::1', '[::1]', 'localhost']) assert.ok(isLoopbackBindAddress(h), h);
  for (const h of ['0.0.0.0', '::', '192.168.1.10', 'api.localhost', 'example.com']) assert.ok(!isLoopbackBindAddress(h), h);
  assert.equal(hostName('127.0.0.1:4141'), '127.0.0.1');
  assert.equal(hostName('[::1]:4141'), '[::1]');
  assert.equal(hostName('localhost'), 'localhost');
  assert.equal(hostName('a b:1'), undefined);
  assert.equal(hostName('host:99999999'), undefined);
  assert.equal(hostName(undefined), undefined);
});

test('bearer tokens compare in constant time and need the Bearer scheme', () => {
  const d = tokenBytes('sk-switchyard-abcdefghijklmnop');
  assert.ok(bearerMatches('Bearer sk-switchyard-abcdefghijklmnop', d));
  assert.ok(bearerMatches('bearer   sk-switchyard-abcdefghijklmnop ', d));
  assert.ok(!bearerMatches('Bearer sk-switchyard-abcdefghijklmno', d));
  assert.ok(!bearerMatches('Basic sk-switchyard-abcdefghijklmnop', d));
  assert.ok(!bearerMatches('sk-switchyard-abcdefghijklmnop', d));
  assert.ok(!bearerMatches(undefined, d));
});

test('the token is generated once, kept 0600, repaired when damaged, and masked in logs', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sy-token-'));
  const a = resolveProxyToken({ env: {}, dataDir });
  assert.equal(a.source, 'file');
  assert.match(a.token, /^sk-switchyard-[A-Za-z0-9_-]{43}$/);
  assert.equal(statSync(a.file!).mode & 0o777, 0o600);
  assert.equal(resolveProxyToken({ env: {}, dataDir }).token, a.token, 'stable');
  assert.equal(redact(`token ${a.token} leaked`).includes(a.token), false);
  chmodSync(a.file!, 0o644);
  resolveProxyToken({ env: {}, dataDir });
  assert.equal(statSync(a.file!).mode & 0o777, 0o600, 'mode narrowed again');
  writeFileSync(a.file!, 'bad token\n');
  const repaired = resolveProxyToken({ env: {}, dataDir });
  assert.notEqual(repaired.token, a.token);
  assert.equal(readFileSync(a.file!, 'utf8').trim(), repaired.token);
  assert.equal(resolveProxyToken({ env: { SWITCHYARD_PROXY_TOKEN: 'from-env-0123456789' }, dataDir }).source, 'env');
  assert.equal(resolveProxyToken({ flag: 'from-flag-0123456789', env: { SWITCHYARD_PROXY_TOKEN: 'from-env-0123456789' }, dataDir }).source, 'flag');
  assert.throws(() => resolveProxyToken({ flag: 'short', env: {}, dataDir }), /--token/);
  assert.throws(() => resolveProxyToken({ env: { SWITCHYARD_PROXY_TOKEN: 'has spaces in it oh no' }, dataDir }), /SWITCHYARD_PROXY_TOKEN/);
});

test('SSE events are written back with multi-line data split and event names kept', () => {
  assert.equal(formatEvent({ data: '{"a":1}' }), 'data: {"a":1}\n\n');
  assert.equal(formatEvent({ data: 'line1\nline2' }), 'data: line1\ndata: line2\n\n');
  assert.equal(formatEvent({ data: 'x', event: 'error' }), 'event: error\ndata: x\n\n');
  assert.equal(formatEvent({ data: 'x', event: 'bad\nname' }), 'event: badname\ndata: x\n\n');
  assert.equal(formatEvent({ data: '[DONE]' }), 'data: [DONE]\n\n');
});

test('embeddings come back in the encoding asked for, whatever the gateway sent', () => {
  const v = [0.5, -0.25, 1.5];
  assert.deepEqual(base64ToFloats(floatsToBase64(v)), v);
  const floats = { object: 'list', data: [{ object: 'embedding', index: 0, embedding: v }], model: 'm' };
  const b64 = normalizeEmbeddings(floats, 'base64') as typeof floats & { data: { embedding: string }[] };
  assert.equal(typeof b64.data[0].embedding, 'string');
  assert.deepEqual(normalizeEmbeddings(b64, 'float'), floats);
  assert.equal(normalizeEmbeddings(floats, undefined), floats, 'float asked, floats sent: untouched');
  assert.deepEqual(normalizeEmbeddings({ weird: true }, 'base64'), { weird: true }, 'not an embeddings list: untouched');
});

test('pipeline failures become OpenAI errors: status, type, code, Retry-After, suggestions, no keys', () => {
  registerSecret('sk-upstream-key-0123456789');
  const e = failureToError({ kind: 'upstream', status: 429, code: 'rate_limit_exceeded', message: 'slow down sk-upstream-key-0123456789', gateway: 'or', retryable: true, retryAfterMs: 1500 });
  assert.equal(e.status, 429);
  assert.equal(e.headers?.['retry-after'], '2');
  const body = JSON.parse(errorBody(e));
  assert.equal(body.error.type, 'rate_limit_error');
  assert.equal(body.error.code, 'rate_limit_exceeded');
  assert.ok(!body.error.message.includes('sk-upstream-key-0123456789'));
  assert.match(body.error.message, /"or"/);
  const unknown = failureToError({ kind: 'unknown_model', status: 404, code: 'unknown_model', message: 'no such model', retryable: false, suggestions: ['openai/gpt-4o'] }, 'gpt-4oo');
  assert.match(unknown.message, /gpt-4oo/);
  assert.match(unknown.message, /Did you mean: openai\/gpt-4o\?/);
  assert.equal(unknown.param, 'model');
  assert.equal(failureToError({ kind: 'network', status: 0, code: 'unreachable', message: 'x', retryable: true }).status, 502);
  assert.equal(JSON.parse(errorBody({ status: 402, code: 'budget_exceeded', message: 'm' })).error.type, 'insufficient_quota');
});

test('the admission gate serves in order, lets a leaver go, and refuses a full line', async () => {
  const gate = createGate(() => 1, () => 2);
  const a = new AbortController();
  const first = await gate.acquire(a.signal);
  assert.ok(first);
  const order: string[] = [];
  const leaver = new AbortController();
  const p2 = gate.acquire(leaver.signal).then((r) => (order.push(r ? 'leaver' : 'left'), r));
  const p3 = gate.acquire(new AbortController().signal).then((r) => (order.push('third'), r));
  assert.equal(await gate.acquire(new AbortController().signal), undefined, 'line full');
  leaver.abort();
  assert.equal(await p2, undefined);
  first!();
  first!(); // releasing twice is harmless
  const third = await p3;
  assert.ok(third);
  assert.deepEqual(order, ['left', 'third']);
  assert.equal(gate.active, 1);
  third!();
  assert.equal(gate.active, 0);
});

test('terminals get the proxy variables only when it runs; export lines quote safely', () => {
  assert.equal(proxyEnvironment({ running: false, requests: 0 }), undefined);
  const env = proxyEnvironment({ running: true, url: 'http://127.0.0.1:4141/v1', token: "sk-it's", requests: 3 })!;
  assert.deepEqual(Object.keys(env), ['OPENAI_BASE_URL', 'OPENAI_API_BASE', 'OPENAI_API_KEY']);
  assert.equal(
    exportLines(env),
    "export OPENAI_BASE_URL='http://127.0.0.1:4141/v1'\nexport OPENAI_API_BASE='http://127.0.0.1:4141/v1'\nexport OPENAI_API_KEY='sk-it'\\''s'\n",
  );
  assert.match(exportLines(env, 'powershell'), /^\$env:OPENAI_API_KEY = 'sk-it''s'$/m);
});
