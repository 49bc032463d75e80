// Streams through the proxy when things go wrong: a caller that hangs up (the upstream request is
// aborted, the ledger says "aborted"), a caller that reads slowly (the upstream is stalled, not
// buffered), an upstream that dies mid-stream (the caller gets an error event, never a hang).
// The probe upstream below is a real HTTP server that reports what the fakes cannot: how far it
// got writing, whether it is waiting on a full socket, and whether its request was aborted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import OpenAI from 'openai';
import { startHarness, auth, type Harness } from './proxy-harness';
import { until } from '../helpers/wait';

interface ProbeRun {
  written: number;
  total: number;
  /** Waiting for 'drain': the proxy stopped reading. */
  parked: boolean;
  finished: boolean;
  /** The proxy closed the upstream request before it finished. */
  aborted: boolean;
}

interface Probe {
  baseUrl: string;
  runs: ProbeRun[];
  close(): Promise<void>;
}

/** An OpenAI-compatible upstream that streams `total` chunks of `size` characters as fast as it is let. */
async function startProbe(total: number, size: number): Promise<Probe> {
  const runs: ProbeRun[] = [];
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'probe-model', object: 'model', created: 0, owned_by: 'probe' }] }));
      return;
    }
    void readAll(req).then(() => {
      const run: ProbeRun = { written: 0, total, parked: false, finished: false, aborted: false };
      runs.push(run);
      res.on('close', () => {
        if (!run.finished) run.aborted = true;
      });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const content = 'x'.repeat(size);
      const write = () => {
        while (run.written < total && !res.destroyed) {
          const chunk = { id: 'probe', object: 'chat.completion.chunk', created: 0, model: 'probe-model', choices: [{ index: 0, delta: { content }, finish_reason: null }] };
          run.written++;
          if (!res.write(`data: ${JSON.stringify(chunk)}\n\n`)) {
            run.parked = true;
            res.once('drain', () => {
              run.parked = false;
              write();
            });
            return;
          }
        }
        if (res.destroyed) return;
        res.end('data: [DONE]\n\n', () => (run.finished = true));
      };
      write();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    runs,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readAll(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    req.resume();
    req.on('end', resolve);
  });
}

let h: Harness;
let probe: Probe;
const TOTAL = 6_000;
const SIZE = 4096; // ≈ 25 MB in all: more than the socket buffers on the way hold (≈ 10 MB here)

before(async () => {
  probe = await startProbe(TOTAL, SIZE);
  h = await startHarness({ extra: { probe: probe.baseUrl } });
});
after(async () => {
  await h?.close();
  await probe?.close();
});

function streamRequest(body: Record<string, unknown>, gateway: string) {
  return request({
    host: '127.0.0.1',
    port: h.port,
    method: 'POST',
    path: '/v1/chat/completions',
    headers: { ...auth(), 'content-type': 'application/json', 'x-switchyard-gateway': gateway },
  }).end(JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'go' }], ...body }));
}

test('a slow caller stalls the upstream instead of filling the proxy (backpressure)', async () => {
  const req = streamRequest({ model: 'probe-model' }, 'probe');
  const res = await new Promise<IncomingMessage>((resolve) => req.on('response', resolve));
  assert.equal(res.statusCode, 200);
  const requestId = String(res.headers['x-switchyard-request-id']);
  res.pause(); // the caller stops reading
  const run = () => probe.runs.at(-1);
  // Stalled end to end: the proxy waits for the caller's socket, the upstream waits for the proxy's.
  await until(() => h.proxy.load().stalled === 1 && run()?.parked === true, { what: 'the proxy and the upstream both waiting', timeoutMs: 10_000 });
  const writtenWhenStalled = run()!.written;
  assert.ok(writtenWhenStalled < TOTAL, `upstream stalled at ${writtenWhenStalled}/${TOTAL}, not read whole`);
  // The caller reads again: everything arrives, in order, and the ledger line follows.
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (c: string) => (body += c));
  res.resume();
  await new Promise((resolve) => res.on('end', resolve));
  const events = body.split('\n\n').filter((e) => e.startsWith('data: {'));
  assert.equal(events.length, TOTAL);
  assert.match(body, /data: \[DONE\]\n\n$/);
  assert.equal(run()!.finished, true);
  const line = await untilLedger(requestId);
  assert.equal(line.status, 'ok');
  assert.equal(line.gateway, 'probe');
});

test('a caller that hangs up mid-stream aborts the upstream request; the ledger line says aborted', async () => {
  const req = streamRequest({ model: 'probe-model' }, 'probe');
  const res = await new Promise<IncomingMessage>((resolve) => req.on('response', resolve));
  const requestId = String(res.headers['x-switchyard-request-id']);
  await new Promise((resolve) => res.once('data', resolve));
  req.destroy();
  await until(() => probe.runs.at(-1)?.aborted === true, { what: 'the upstream request aborted', timeoutMs: 10_000 });
  assert.ok(probe.runs.at(-1)!.written < TOTAL);
  const line = await untilLedger(requestId);
  assert.equal(line.status, 'aborted');
  assert.equal(line.source, 'proxy');
  await until(() => h.proxy.load().active === 0 && h.proxy.load().stalled === 0, { what: 'the proxy idle again', timeoutMs: 10_000 });
});

test('a caller that hangs up before a non-streamed answer aborts it too', async () => {
  const fake = h.fakes.local;
  const hang = fake.fail({ path: '/chat/completions', hangMs: Infinity });
  const req = request({ host: '127.0.0.1', port: h.port, method: 'POST', path: '/v1/chat/completions', headers: { ...auth(), 'x-request-id': 'hangup-json-1', 'x-switchyard-gateway': 'local' } });
  req.on('error', () => {});
  req.end(JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'wait' }] }));
  await until(() => hang.hits === 1, { what: 'the upstream reached', timeoutMs: 10_000 });
  req.destroy();
  const line = await untilLedger('hangup-json-1');
  assert.equal(line.status, 'aborted');
  hang.cancel();
});

test('an upstream that dies mid-stream ends the caller’s stream with an error, not a hang', async () => {
  h.fakes.local.fail({ path: '/chat/completions', cutStreamAfterChunks: 3 });
  const client = new OpenAI({ baseURL: h.url, apiKey: h.token, maxRetries: 0 });
  const { data: stream, response } = await client.chat.completions
    .create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'this reply will be cut short by the gateway' }] }, { headers: { 'x-switchyard-gateway': 'local' } })
    .withResponse();
  let chunks = 0;
  await assert.rejects(
    (async () => {
      for await (const _ of stream) chunks++;
    })(),
    (e: unknown) => {
      assert.ok(e instanceof OpenAI.APIError, String(e));
      assert.match(e.message, /ended the stream before it finished/);
      assert.equal((e.error as { code?: string }).code, 'upstream_stream_cut');
      return true;
    },
  );
  assert.ok(chunks >= 1 && chunks <= 3, `the chunks sent before the cut arrived (${chunks})`);
  const line = await untilLedger(response.headers.get('x-switchyard-request-id')!);
  assert.equal(line.status, 'stream_cut');
});

test('the raw stream of a cut upstream ends with one error event after the data that arrived', async () => {
  h.fakes.local.fail({ path: '/chat/completions', cutStreamAfterChunks: 2 });
  const req = streamRequest({ model: 'gpt-4o-mini' }, 'local');
  const res = await new Promise<IncomingMessage>((resolve) => req.on('response', resolve));
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (c: string) => (body += c));
  await new Promise((resolve) => res.on('end', resolve));
  const events = body.split('\n\n').filter(Boolean);
  const last = JSON.parse(events.at(-1)!.replace(/^data: /, ''));
  assert.equal(last.error.code, 'upstream_stream_cut');
  assert.equal(last.error.type, 'server_error');
  assert.equal(events.filter((e) => e.includes('"error"')).length, 1);
  assert.ok(!body.includes('[DONE]'));
});

/** The ledger line of a request, once written (the stream's end writes it). */
function untilLedger(requestId: string) {
  return until(async () => (await h.ledger()).find((l) => l.requestId === requestId), { what: 'the ledger line', timeoutMs: 10_000 });
}
