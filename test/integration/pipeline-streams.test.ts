// Streams through the pipeline against the fake gateways: usage always asked for, SSE comments
// tolerated, retries only until the first event reached the caller, and a stream cut short or
// abandoned still metered — once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, chatRequest, drain, type Harness } from './pipeline-harness';
import type { FakeGateway } from '../fakes/index';

const chatCalls = (f: FakeGateway) => f.requests.filter((r) => r.path.endsWith('/chat/completions')).length;

async function withHarness(fn: (h: Harness) => Promise<void>, opts: { chunkDelayMs?: number; replyChars?: number } = {}) {
  const fakeOpts = { streamChunkDelayMs: opts.chunkDelayMs, replyChars: opts.replyChars };
  const h = await startHarness(
    [
      { id: 'nemo', kind: 'nemorouter', opts: fakeOpts },
      { id: 'or', kind: 'openrouter', opts: fakeOpts },
    ],
    { routing: { retryBaseDelayMs: 1, maxRetries: 2 } },
  );
  try {
    await fn(h);
  } finally {
    await h.close();
  }
}

test('a stream asks for usage, passes every event through in order and records the gateway cost once', async () => {
  await withHarness(async (h) => {
    for (const [model, gw] of [['gpt-4o', 'nemo'], ['anthropic/claude-sonnet-4', 'or']] as const) {
      const res = await h.app.pipeline.execute(chatRequest({ model, stream: true }));
      assert.equal(res.ok && res.kind, 'stream', JSON.stringify(res));
      if (!res.ok || res.kind !== 'stream') return;
      assert.equal(res.headers['x-switchyard-gateway'], gw);
      assert.ok(res.headers['x-switchyard-request-id']);
      const { data, text } = await drain(res);
      assert.equal(text, 'Echo: hello there');
      assert.equal(data.at(-1), '[DONE]');
      const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as { choices: unknown[] });
      assert.ok(chunks.every((c) => c.choices.length > 0), 'the usage chunk the caller did not ask for is metered, not passed on');
      const m = await res.done;
      assert.equal(m.status, 'ok');
      assert.equal(m.costSource, 'gateway');
      assert.equal(m.inputTokens, 3);
      assert.equal(m.outputTokens, 5);
      const sent = h.fakes[gw].requests.at(-1)?.body as Record<string, unknown>;
      assert.deepEqual(sent.stream_options, { include_usage: true });
      if (gw === 'or') assert.deepEqual(sent.usage, { include: true }, 'OpenRouter is asked for usage.cost');
    }
    const asked = await h.app.pipeline.execute(chatRequest({ model: 'gpt-4o', stream: true, stream_options: { include_usage: true } }));
    const got = await drain(asked);
    const usageChunk = JSON.parse(got.data.at(-2)!) as { choices: unknown[]; usage?: { prompt_tokens: number } };
    assert.deepEqual([usageChunk.choices.length, usageChunk.usage?.prompt_tokens], [0, 3], 'a caller that asked for usage gets it');
    const lines = await h.ledger();
    assert.equal(lines.length, 3);
    const charged = [...h.fakes.nemo.state.charges, ...h.fakes.or.state.charges].map((c) => c.costUsd);
    assert.deepEqual(lines.map((l) => l.costUsd).sort(), charged.sort(), 'exactly what the gateways debited');
  });
});

test('a stream cut before its first event is retried; one cut after it is never retried and records what was used', async () => {
  await withHarness(async (h) => {
    h.fakes.nemo.fail({ path: '/chat/completions', cutStreamAfterChunks: 0 });
    const early = await h.app.pipeline.execute(chatRequest({ model: 'gpt-4o', stream: true }));
    assert.equal(early.ok && early.kind === 'stream' && early.gateway, 'nemo');
    await drain(early);
    assert.equal(chatCalls(h.fakes.nemo), 2, 'retried: nothing had reached the caller');

    h.fakes.nemo.fail({ path: '/chat/completions', cutStreamAfterChunks: 3 });
    const res = await h.app.pipeline.execute(chatRequest({ model: 'gpt-4o', stream: true }));
    assert.ok(res.ok && res.kind === 'stream');
    if (!res.ok || res.kind !== 'stream') return;
    const seen: string[] = [];
    let threw = false;
    try {
      for await (const ev of res.events) seen.push(ev.data);
    } catch {
      threw = true;
    }
    assert.equal(threw, false, 'a cut ends the event stream; it does not throw at the caller');
    assert.ok(seen.length >= 1 && !seen.includes('[DONE]'), `got ${seen.length} events and no [DONE]`);
    const m = await res.done;
    assert.equal(m.status, 'stream_cut');
    assert.equal(chatCalls(h.fakes.nemo), 3, 'never retried after the first event');
    assert.equal(chatCalls(h.fakes.or), 0, 'nor failed over');
    assert.ok(m.outputTokens > 0, 'output estimated from the text received');
    assert.equal(m.costSource, 'estimated');
    assert.ok(m.costUsd !== null && m.costUsd > 0, 'never a silent 0');
    const lines = await h.ledger();
    assert.equal(lines.length, 2);
    assert.equal(lines[1].status, 'stream_cut');
  });
});

test('the caller aborting mid-stream stops the upstream request and records the usage so far, once', async () => {
  await withHarness(
    async (h) => {
      const ctrl = new AbortController();
      const res = await h.app.pipeline.execute(chatRequest({ model: 'gpt-4o', stream: true }, { signal: ctrl.signal }));
      assert.ok(res.ok && res.kind === 'stream');
      if (!res.ok || res.kind !== 'stream') return;
      let events = 0;
      for await (const _ev of res.events) {
        if (++events === 3) ctrl.abort();
      }
      const m = await res.done;
      assert.equal(m.status, 'aborted');
      assert.ok(m.outputTokens > 0);
      assert.ok(m.costUsd !== null && m.costSource === 'estimated');
      assert.equal(h.fakes.nemo.state.charges.length, 0, 'the fake never reached the end of the stream');
      assert.equal((await h.ledger()).length, 1);
    },
    { chunkDelayMs: 20, replyChars: 400 },
  );
});

test('a caller that stops pulling (breaks out of the loop) is metered as aborted; one that never pulls but aborts, too', async () => {
  await withHarness(
    async (h) => {
      const first = await h.app.pipeline.execute(chatRequest({ model: 'openai/gpt-4o', stream: true }));
      assert.ok(first.ok && first.kind === 'stream');
      if (!first.ok || first.kind !== 'stream') return;
      for await (const _ev of first.events) break;
      assert.equal((await first.done).status, 'aborted');

      const ctrl = new AbortController();
      const second = await h.app.pipeline.execute(chatRequest({ model: 'openai/gpt-4o', stream: true }, { signal: ctrl.signal }));
      assert.ok(second.ok && second.kind === 'stream');
      if (!second.ok || second.kind !== 'stream') return;
      ctrl.abort();
      const m = await second.done;
      assert.equal(m.status, 'aborted');
      assert.equal((await h.ledger()).length, 2);
    },
    { chunkDelayMs: 20, replyChars: 200 },
  );
});

test('OpenRouter keep-alive comments never reach the caller; a malformed chunk mid-stream ends it with a clear error event', async () => {
  await withHarness(async (h) => {
    const res = await h.app.pipeline.execute(chatRequest({ model: 'openai/gpt-4o-mini', stream: true }));
    assert.ok(res.ok && res.kind === 'stream');
    if (!res.ok || res.kind !== 'stream') return;
    const { data } = await drain(res);
    assert.ok(data.every((d) => d === '[DONE]' || d.startsWith('{')), 'only data events reach the caller');
    assert.equal((await res.done).status, 'ok');

    h.fakes.or.fail({ path: '/chat/completions', malformed: true });
    const broken = await h.app.pipeline.execute(chatRequest({ model: 'openai/gpt-4o-mini', stream: true }));
    assert.ok(broken.ok && broken.kind === 'stream');
    if (!broken.ok || broken.kind !== 'stream') return;
    const seen: string[] = [];
    for await (const ev of broken.events) seen.push(ev.data);
    const last = JSON.parse(seen.at(-1)!) as { error?: { code: string } };
    assert.equal(last.error?.code, 'malformed_response');
    assert.ok(seen.every((d) => JSON.parse(d)), 'every event the caller sees is valid JSON');
    const m = await broken.done;
    assert.equal(m.status, 'malformed_response');
    assert.equal(chatCalls(h.fakes.or), 2, 'not retried: the first chunk had reached the caller');
  });
});

test('auto handed to ARouter: the served model is reported in headers, metering and the ledger', async () => {
  const h = await startHarness([{ id: 'ar', kind: 'arouter', opts: { autoModel: 'anthropic/claude-sonnet-4' } }], { routing: { autoPolicy: 'gateway' } });
  try {
    const json = await h.app.pipeline.execute(chatRequest({ model: 'auto' }));
    assert.ok(json.ok && json.kind === 'json', JSON.stringify(json));
    if (!json.ok || json.kind !== 'json') return;
    assert.equal(json.servedModel, 'anthropic/claude-sonnet-4');
    assert.equal(json.headers['x-switchyard-model'], 'anthropic/claude-sonnet-4');
    assert.equal(json.metering.costSource, 'estimated', 'ARouter reports no cost and publishes no prices');
    const sent = h.fakes.ar.requests.at(-1)?.body as { model: string };
    assert.equal(sent.model, 'auto', 'handed to the gateway as auto');

    const stream = await h.app.pipeline.execute(chatRequest({ model: 'auto', stream: true }));
    assert.ok(stream.ok && stream.kind === 'stream');
    if (!stream.ok || stream.kind !== 'stream') return;
    assert.equal(stream.headers['x-switchyard-model'], 'anthropic/claude-sonnet-4', 'known from the first chunk');
    await drain(stream);
    assert.equal((await stream.done).servedModel, 'anthropic/claude-sonnet-4');
    const lines = await h.ledger();
    assert.deepEqual(lines.map((l) => [l.model, l.servedModel]), [['auto', 'anthropic/claude-sonnet-4'], ['auto', 'anthropic/claude-sonnet-4']]);
  } finally {
    await h.close();
  }
});
