// Issue 17 §6: `GET /v1/models` right after `switchyard proxy` starts used to answer an empty list
// (the openai SDK saw 0 models, 30 half a second later). Listing now waits for each configured
// gateway's first catalog, bounded by switchyard.routing.requestTimeoutMs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startAgentProxy } from '../agents/harness';

test('the first /v1/models after start lists every gateway\'s models, even when a catalog is slow', async () => {
  const p = await startAgentProxy({
    gateways: { local: 'openai-compatible' },
    beforeStart: (f) => void f.local.fail({ path: '/models', method: 'GET', delayMs: 800 }),
  });
  try {
    const client = new OpenAI({ baseURL: p.url, apiKey: p.token, maxRetries: 0 });
    const list = await client.models.list();
    const served = p.fakes.local.state.models.length;
    assert.ok(served > 0);
    assert.equal(list.data.length, served, 'all of the gateway\'s models on the very first listing');
    // A single model too, by the gateway's ID.
    const one = await client.models.retrieve(p.fakes.local.state.models[0].id);
    assert.ok(one.id);
  } finally {
    await p.close();
  }
});

test('a gateway whose catalog never answers holds the listing only until the request timeout', async () => {
  const p = await startAgentProxy({
    gateways: { local: 'openai-compatible', stuck: 'openai-compatible' },
    settings: { routing: { requestTimeoutMs: 1000 } },
    beforeStart: (f) => void f.stuck.fail({ path: '/models', method: 'GET', hangMs: Infinity, times: Infinity }),
  });
  try {
    const client = new OpenAI({ baseURL: p.url, apiKey: p.token, maxRetries: 0, timeout: 20_000 });
    const started = Date.now();
    const list = await client.models.list();
    const took = Date.now() - started;
    assert.ok(list.data.length > 0, 'the healthy gateway\'s models');
    assert.ok(list.data.every((m) => (m as unknown as { offers: { gateway: string }[] }).offers.every((o) => o.gateway === 'local')));
    assert.ok(took < 15_000, `answered after ${took} ms`);
  } finally {
    await p.close();
  }
});
