// How the proxy ends a relayed stream: `[DONE]` waits at most a millisecond for the cost trailers to
// leave with it, and reaches the caller even while the gateway keeps the body open after it (a client
// stops reading at `[DONE]` and must not wait for the metering); the cost trailers follow once the
// ledger line is written, and anything a gateway sends after `[DONE]` follows it, in order. Over real
// HTTP, with a pipeline that hands out a scripted stream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { handleInference, meteringHeaders } from '../../server/proxy/inference';
import { silentLogger } from '../../server/core/log';
import { Canceller } from '../../server/core/cancel';
import type { Metering, PipelineResponse, SseEvent } from '../../server/core/services';

const METERING: Metering = { gateway: 'gw', servedModel: 'm', inputTokens: 3, outputTokens: 5, costUsd: 0.000012, costSource: 'gateway', latencyMs: 4, status: 'ok' };

/** A proxy in front of a pipeline whose stream yields `events`; `order` records when the metering settled. */
async function serve(events: SseEvent[], order: string[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let settle!: (m: Metering) => void;
    const done = new Promise<Metering>((resolve) => (settle = resolve));
    async function* stream(): AsyncGenerator<SseEvent> {
      for (const ev of events) yield ev;
      // The gateway holds the body open a while after its last event; the line is written after that.
      await new Promise((resolve) => setTimeout(resolve, 300));
      order.push('metered');
      settle(METERING);
    }
    const response: PipelineResponse = { ok: true, kind: 'stream', status: 200, gateway: 'gw', headers: {}, events: stream(), done };
    void handleInference('chat/completions', req, res, {
      pipeline: { execute: () => Promise.resolve(response) },
      log: silentLogger,
      maxBodyBytes: 1 << 20,
      requestId: 'req-1',
      signal: new Canceller(),
      suggest: () => [],
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions` };
}

async function relay(events: SseEvent[]): Promise<{ text: string; trailers: Record<string, unknown>; order: string[] }> {
  const order: string[] = [];
  const { server, url } = await serve(events, order);
  try {
    const r = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
    let text = '';
    for await (const chunk of r.body) {
      text += String(chunk);
      if (text.includes('[DONE]') && !order.includes('done seen')) order.push('done seen');
    }
    return { text, trailers: r.trailers, order };
  } finally {
    server.close();
  }
}

test('[DONE] reaches the caller before the stream is metered; the cost trailers come after the line', async () => {
  const { text, trailers, order } = await relay([{ data: '{"choices":[{"delta":{"content":"a"}}]}' }, { data: '[DONE]' }]);
  assert.equal(text, 'data: {"choices":[{"delta":{"content":"a"}}]}\n\ndata: [DONE]\n\n');
  assert.deepEqual(order, ['done seen', 'metered']);
  assert.equal(trailers['x-switchyard-cost'], '0.000012');
  assert.equal(trailers['x-switchyard-status'], 'ok');
});

test('an event a gateway sends after [DONE] follows it, in order', async () => {
  const { text, trailers } = await relay([{ data: '{"n":1}' }, { data: '[DONE]' }, { data: '{"n":2}' }]);
  assert.equal(text, 'data: {"n":1}\n\ndata: [DONE]\n\ndata: {"n":2}\n\n');
  assert.equal(trailers['x-switchyard-cost-source'], 'gateway');
});

test('the cost header and trailer are plain decimals, to the nano-dollar, even under a micro-dollar', () => {
  assert.equal(meteringHeaders({ ...METERING, costUsd: 1.2e-7 })['x-switchyard-cost'], '0.00000012');
  assert.equal(meteringHeaders({ ...METERING, costUsd: 0.0000825 })['x-switchyard-cost'], '0.0000825');
  assert.equal(meteringHeaders({ ...METERING, costUsd: 0 })['x-switchyard-cost'], '0');
  assert.equal(meteringHeaders({ ...METERING, costUsd: null })['x-switchyard-cost'], undefined);
});
