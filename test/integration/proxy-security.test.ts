// Every refusal of the proxy, sent raw with node:http (and a few with `curl`): token, loopback Host
// (DNS rebinding), browser Origin and CORS preflight, body and header size, header timeout,
// concurrency — each answered in OpenAI's error shape with a message a person can act on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { request } from 'node:http';
import { startHarness, rawRequest, auth, openAiError, type Harness } from './proxy-harness';
import { until } from '../helpers/wait';

const run = promisify(execFile);
let h: Harness;

before(async () => {
  h = await startHarness({
    settings: { proxy: { maxBodyBytes: 4096, maxHeaderBytes: 2048, headersTimeoutMs: 1000, maxConcurrency: 1 } },
  });
});
after(async () => {
  await h?.close();
});

const chatBody = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });

test('a request without the token, or with a wrong one, is refused with 401 and nothing is echoed', async () => {
  for (const headers of [{}, auth('sk-wrong-token-but-long-enough'), { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, { authorization: 'Bearer' }]) {
    const r = await rawRequest(h.port, { headers });
    assert.equal(r.status, 401, JSON.stringify(headers));
    const e = openAiError(r);
    assert.equal(e.code, 'invalid_api_key');
    assert.equal(e.type, 'authentication_error');
    assert.match(e.message, /Authorization: Bearer/);
    assert.ok(!r.body.includes('sk-wrong-token'), 'the presented token is not echoed');
    assert.ok(!r.body.includes(h.token));
  }
  const ok = await rawRequest(h.port, { headers: auth() });
  assert.equal(ok.status, 200);
});

test('a non-loopback Host (DNS rebinding) is refused even with the right token', async () => {
  for (const host of ['evil.example.com', `evil.example.com:${h.port}`, '127.0.0.1.nip.io', '10.0.0.1', '0.0.0.0', '[::ffff:10.0.0.1]', 'a b']) {
    const r = await rawRequest(h.port, { headers: { ...auth(), host } });
    assert.equal(r.status, 403, host);
    assert.equal(openAiError(r).code, 'host_not_allowed');
  }
  for (const host of [`127.0.0.1:${h.port}`, `localhost:${h.port}`, `[::1]:${h.port}`, 'localhost', '127.0.0.2']) {
    const r = await rawRequest(h.port, { headers: { ...auth(), host } });
    assert.equal(r.status, 200, host);
  }
});

test('requests from browsers are refused: any Origin, Sec-Fetch-Site, and CORS preflights', async () => {
  const browsers: Record<string, string>[] = [{ origin: 'https://evil.example' }, { origin: 'null' }, { origin: `http://127.0.0.1:${h.port}` }, { 'sec-fetch-site': 'cross-site' }];
  for (const headers of browsers) {
    const r = await rawRequest(h.port, { method: 'POST', path: '/v1/chat/completions', headers: { ...auth(), ...headers, 'content-type': 'application/json' }, body: chatBody });
    assert.equal(r.status, 403, JSON.stringify(headers));
    assert.equal(openAiError(r).code, 'origin_not_allowed');
    assert.equal(r.headers['access-control-allow-origin'], undefined);
  }
  const pre = await rawRequest(h.port, {
    method: 'OPTIONS',
    path: '/v1/chat/completions',
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
  });
  assert.equal(pre.status, 403);
  assert.equal(openAiError(pre).code, 'cors_not_allowed');
  for (const name of Object.keys(pre.headers)) assert.ok(!name.startsWith('access-control-'), `no ${name}`);
});

test('a body over proxy.maxBodyBytes is refused with 413, declared or chunked', async () => {
  const big = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(5000) }] });
  const declared = await rawRequest(h.port, { method: 'POST', path: '/v1/chat/completions', headers: { ...auth(), 'content-type': 'application/json' }, body: big });
  assert.equal(declared.status, 413);
  assert.equal(openAiError(declared).code, 'request_too_large');
  assert.match(openAiError(declared).message, /maxBodyBytes/);
  const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: h.port, method: 'POST', path: '/v1/chat/completions', headers: { ...auth(), 'transfer-encoding': 'chunked' } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.write(big.slice(0, 3000));
    req.end(big.slice(3000));
  });
  assert.equal(chunked.status, 413);
  assert.equal(JSON.parse(chunked.body).error.code, 'request_too_large');
});

test('headers over proxy.maxHeaderBytes get 431 in OpenAI shape', async () => {
  const r = await rawRequest(h.port, { headers: { ...auth(), 'x-padding': 'p'.repeat(4000) } });
  assert.equal(r.status, 431);
  assert.equal(openAiError(r).code, 'headers_too_large');
});

test('a client that never finishes its headers is cut off after proxy.headersTimeoutMs with 408', async () => {
  const started = Date.now();
  const answer = await new Promise<string>((resolve, reject) => {
    const s = connect(h.port, '127.0.0.1', () => s.write(`GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${h.token}\r\n`));
    let got = '';
    s.on('data', (c) => (got += c));
    s.on('close', () => resolve(got));
    s.on('error', reject);
  });
  assert.match(answer, /^HTTP\/1\.1 408/);
  assert.match(answer, /"code":"request_timeout"/);
  assert.ok(Date.now() - started >= 900, 'not before the timeout');
});

test('malformed requests: bad JSON, a non-object, a wrong endpoint or method, a bad gateway header', async () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    rawRequest(h.port, { method: 'POST', path: '/v1/chat/completions', headers: { ...auth(), 'content-type': 'application/json', ...headers }, body });
  let r = await post('{"model": "gpt-4o-mini", "messages": [');
  assert.equal(r.status, 400);
  assert.equal(openAiError(r).code, 'invalid_json');
  r = await post('[1,2]');
  assert.equal(r.status, 400);
  assert.match(openAiError(r).message, /JSON object/);
  r = await post(JSON.stringify({ model: 'gpt-4o-mini', messages: 'hello' }));
  assert.equal(r.status, 400);
  assert.equal(openAiError(r).param, 'messages');
  r = await post(chatBody, { 'x-switchyard-gateway': '../../etc' });
  assert.equal(r.status, 400);
  assert.equal(openAiError(r).code, 'invalid_gateway');
  r = await rawRequest(h.port, { path: '/v1/chat/completions', headers: auth() });
  assert.equal(r.status, 405);
  assert.equal(r.headers.allow, 'POST');
  r = await rawRequest(h.port, { path: '/v1/images/generations', method: 'POST', headers: auth(), body: '{}' });
  assert.equal(r.status, 404);
  assert.match(openAiError(r).message, /\/v1\/chat\/completions/);
});

test('past proxy.maxConcurrency requests wait in line, and a full line is refused with 503', async () => {
  const fake = h.fakes.local;
  const hang = fake.fail({ path: '/chat/completions', hangMs: Infinity });
  const first = request({ host: '127.0.0.1', port: h.port, method: 'POST', path: '/v1/chat/completions', headers: { ...auth(), 'content-type': 'application/json' } });
  const firstClosed = new Promise<void>((resolve) => first.on('error', () => resolve()).on('close', () => resolve()));
  first.end(chatBody);
  await until(() => hang.hits === 1, { what: 'the hanging request', intervalMs: 5 });
  const second = rawRequest(h.port, { headers: auth() });
  await until(() => h.proxy.load().waiting === 1, { what: 'one waiting request', intervalMs: 5 });
  // The line holds 4 × maxConcurrency + 64 = 68; one more is refused at once.
  const line = Array.from({ length: 67 }, () => rawRequest(h.port, { headers: auth() }));
  await until(() => h.proxy.load().waiting === 68, { what: 'a full line', intervalMs: 5 });
  const busy = await rawRequest(h.port, { headers: auth() });
  assert.equal(busy.status, 503);
  assert.equal(openAiError(busy).code, 'proxy_busy');
  assert.equal(busy.headers['retry-after'], '1');
  assert.equal(h.proxy.load().active, 1);
  // The held request goes away: the line moves.
  first.destroy();
  await firstClosed;
  assert.equal((await second).status, 200);
  assert.deepEqual(new Set((await Promise.all(line)).map((r) => r.status)), new Set([200]));
  hang.cancel();
  await until(() => h.proxy.load().active === 0 && h.proxy.load().waiting === 0, { what: 'an idle proxy', intervalMs: 5 });
});

test('curl: models, a chat completion, a stream with cost trailers, and the refusals', async () => {
  const base = h.url;
  const ok = await run('curl', ['-sS', '-H', `Authorization: Bearer ${h.token}`, `${base}/models`]);
  assert.ok(Array.isArray(JSON.parse(ok.stdout).data));
  const chat = await run('curl', ['-sS', '-i', '-H', `Authorization: Bearer ${h.token}`, '-H', 'Content-Type: application/json', '-d', chatBody, `${base}/chat/completions`]);
  assert.match(chat.stdout, /^HTTP\/1\.1 200/);
  assert.match(chat.stdout, /x-switchyard-gateway: local/i);
  assert.match(chat.stdout, /"chat\.completion"/);
  // Plain `curl -d` sends application/x-www-form-urlencoded: the body is still read as JSON.
  const form = await run('curl', ['-sS', '-H', `Authorization: Bearer ${h.token}`, '-d', chatBody, `${base}/chat/completions`]);
  assert.equal(JSON.parse(form.stdout).object, 'chat.completion');
  const streamBody = JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'trail me' }] });
  const stream = await run('curl', ['-sS', '-N', '--raw', '-H', `Authorization: Bearer ${h.token}`, '-H', 'Content-Type: application/json', '-d', streamBody, `${base}/chat/completions`]);
  assert.match(stream.stdout, /data: \[DONE\]/);
  assert.match(stream.stdout, /x-switchyard-cost-source: \w+/i, 'cost trailer after the last chunk');
  const noToken = await run('curl', ['-sS', '-w', '\n%{http_code}', `${base}/models`]);
  assert.match(noToken.stdout, /invalid_api_key[\s\S]*\n401$/);
  const origin = await run('curl', ['-sS', '-w', '\n%{http_code}', '-H', `Authorization: Bearer ${h.token}`, '-H', 'Origin: https://evil.example', `${base}/models`]);
  assert.match(origin.stdout, /origin_not_allowed[\s\S]*\n403$/);
  const rebound = await run('curl', ['-sS', '-w', '\n%{http_code}', '-H', `Authorization: Bearer ${h.token}`, '-H', 'Host: attacker.example', `${base}/models`]);
  assert.match(rebound.stdout, /host_not_allowed[\s\S]*\n403$/);
});

