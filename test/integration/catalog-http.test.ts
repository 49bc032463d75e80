// The JSON-over-undici helper against local servers, for what the fake gateways do not produce:
// a huge body with no Content-Length, a redirect to another origin (credentials dropped), and the
// body of every answer consumed or destroyed (the pool keeps working afterwards).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { requestJson } from '../../server/http/json';
import { HttpError } from '../../server/http/errors';

const agent = new Agent({ connections: 2 });
const servers: http.Server[] = [];
after(async () => {
  await agent.close();
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

async function serve(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}
const signal = () => new AbortController().signal;

test('a chunked body past the cap is cut while reading, long before its end', async () => {
  let written = 0;
  let closedEarly = false;
  let onClosed!: () => void;
  const closed = new Promise<void>((r) => (onClosed = r));
  const url = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }); // no Content-Length: chunked
    res.write('{"data":[');
    const chunk = `"${'x'.repeat(64 * 1024)}",`;
    const pump = () => {
      while (written < 50 * 1024 * 1024) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end('"x"]}');
    };
    res.on('close', () => {
      closedEarly = written < 50 * 1024 * 1024;
      onClosed();
    });
    pump();
  });
  await assert.rejects(requestJson({ dispatcher: agent, url: `${url}/v1/models`, signal: signal(), maxBytes: 1024 * 1024 }), (e: HttpError) => {
    assert.equal(e.kind, 'too_large');
    assert.match(e.message, /larger than 1 MB; it was not read/);
    return true;
  });
  await closed; // the client hung up (however long a loaded machine takes to tell the server)
  assert.ok(closedEarly, `the server wrote ${(written / 1024 / 1024).toFixed(1)} MB`);
  assert.ok(written < 20 * 1024 * 1024);
});

test('redirects are followed (bounded), and a key is never sent to another origin', async () => {
  const seen: { host: string; auth?: string }[] = [];
  const other = await serve((req, res) => {
    seen.push({ host: 'other', auth: req.headers.authorization });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  const first = await serve((req, res) => {
    seen.push({ host: 'first', auth: req.headers.authorization });
    if (req.url === '/v1/models') return void res.writeHead(301, { location: '/v1/models/' }).end();
    if (req.url === '/v1/models/') return void res.writeHead(302, { location: `${other}/elsewhere` }).end('moved');
    if (req.url?.startsWith('/chain')) return void res.writeHead(307, { location: `/chain?n=${Math.random()}` }).end();
    res.writeHead(404).end();
  });
  const r = await requestJson({ dispatcher: agent, url: `${first}/v1/models`, headers: { authorization: 'Bearer sk-secret-abcdefgh' }, signal: signal() });
  assert.deepEqual(r.body, { ok: true });
  assert.equal(r.url, `${other}/elsewhere`);
  assert.deepEqual(seen, [
    { host: 'first', auth: 'Bearer sk-secret-abcdefgh' },
    { host: 'first', auth: 'Bearer sk-secret-abcdefgh' },
    { host: 'other', auth: undefined },
  ]);
  await assert.rejects(requestJson({ dispatcher: agent, url: `${first}/chain`, signal: signal(), maxRedirects: 3 }), (e: HttpError) => e.kind === 'redirects' && /too many redirects/.test(e.message));
});

test('error bodies are consumed: many failures in a row do not exhaust the pool', async () => {
  const url = await serve((_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('x'.repeat(200_000)));
  for (let i = 0; i < 20; i++) {
    await assert.rejects(requestJson({ dispatcher: agent, url, signal: signal(), timeoutMs: 2000 }), (e: HttpError) => e.kind === 'server' && e.status === 500);
  }
});
