// Metering against the fake gateways and the real ledger: each cost source, exactly one line per
// request under concurrency, and the ledger agreeing with the gateways' own balances to the cent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startHarness, chatRequest, drain, type Harness } from './pipeline-harness';
import { seedModels, type FakeGateway } from '../fakes/index';
import type { PipelineRequest, PipelineResponse } from '../../server/core/services';

async function consume(res: PipelineResponse): Promise<void> {
  if (res.ok && res.kind === 'stream') {
    await drain(res);
    await res.done;
  }
}

test('cost sources: gateway figure, tokens × catalog price, embedded table, unknown — never a silent 0', async () => {
  const local = seedModels('openai-compatible');
  local.push({ ...local[0], id: 'acme/house-model-9000', name: 'House model', canonicalSlug: 'acme/house-model-9000' });
  const h = await startHarness([
    { id: 'nemo', kind: 'nemorouter' },
    { id: 'or', kind: 'openrouter' },
    { id: 'bf', kind: 'bifrost' },
    { id: 'ar', kind: 'arouter' },
    { id: 'local', kind: 'openai-compatible', opts: { models: local } },
  ]);
  try {
    const run = async (model: string, gateway: string, stream = false) => {
      const res = await h.app.pipeline.execute(chatRequest({ model, stream }, { gateway }));
      assert.ok(res.ok, JSON.stringify(res));
      if (!res.ok) throw new Error('unreachable');
      if (res.kind === 'stream') {
        await drain(res);
        return res.done;
      }
      return res.metering;
    };
    const nemo = await run('gpt-4o', 'nemo');
    assert.deepEqual([nemo.costSource, nemo.costUsd], ['gateway', h.fakes.nemo.state.charges[0].costUsd], 'x-nemo-request-cost');
    const nemoStream = await run('gpt-4o', 'nemo', true);
    assert.deepEqual([nemoStream.costSource, nemoStream.costUsd], ['gateway', h.fakes.nemo.state.charges[1].costUsd], 'stream: usage.cost / trailer');
    const or = await run('openai/gpt-4o', 'or');
    assert.deepEqual([or.costSource, or.costUsd], ['gateway', h.fakes.or.state.charges[0].costUsd], 'usage.cost');

    const bf = await run('openai/gpt-4o', 'bf');
    assert.equal(bf.costSource, 'computed', 'Bifrost publishes prices but reports no cost');
    assert.ok(Math.abs(bf.costUsd! - (bf.inputTokens * 2.5 + bf.outputTokens * 10) / 1e6) < 1e-12, `${bf.costUsd}`);

    const ar = await run('openai/gpt-4o-mini', 'ar');
    assert.equal(ar.costSource, 'estimated', 'ARouter publishes no prices: the embedded table');
    assert.ok(ar.costUsd! > 0);

    const unknown = await run('acme/house-model-9000', 'local');
    assert.deepEqual([unknown.costSource, unknown.costUsd], ['unknown', null]);

    const lines = await h.ledger();
    assert.deepEqual(lines.map((l) => l.costSource), ['gateway', 'gateway', 'gateway', 'computed', 'estimated', 'unknown']);
    assert.equal(lines[5].costUsd, null);
  } finally {
    await h.close();
  }
});

test('exactly one ledger line per request under 50 concurrent requests (streams, retries, failures, aborts)', async () => {
  const h = await startHarness(
    [{ id: 'nemo', kind: 'nemorouter', opts: { replyChars: 300 } }, { id: 'or', kind: 'openrouter', opts: { replyChars: 300 } }],
    { routing: { retryBaseDelayMs: 1, maxRetries: 2 } },
  );
  try {
    // Few enough that no request can exhaust both gateways: every one that is not refused succeeds.
    h.fakes.nemo.fail({ path: '/chat/completions', status: 503, times: 4 });
    h.fakes.or.fail({ path: '/chat/completions', status: 502, times: 2 });
    const reqs: PipelineRequest[] = [];
    for (let i = 0; i < 50; i++) {
      const model = i % 10 === 9 ? 'no-such-model-anywhere' : ['gpt-4o', 'openai/gpt-4o-mini', 'anthropic/claude-sonnet-4'][i % 3];
      const ctrl = new AbortController();
      if (i % 17 === 16) ctrl.abort();
      reqs.push(chatRequest({ model, stream: i % 2 === 0 }, { signal: ctrl.signal }));
    }
    const results = await Promise.all(reqs.map(async (r) => consume(await h.app.pipeline.execute(r)).then(() => 'done')));
    assert.equal(results.length, 50);
    const lines = await h.ledger();
    assert.equal(lines.length, 50, 'one line per request');
    const ids = lines.map((l) => l.requestId).sort();
    assert.deepEqual(ids, reqs.map((r) => r.requestId).sort(), 'each request exactly once');
    assert.equal(lines.filter((l) => l.status === 'unknown_model').length, 5);
    assert.equal(lines.filter((l) => l.status === 'aborted').length, 2);
    assert.equal(lines.filter((l) => l.status === 'ok').length, 43);
  } finally {
    await h.close();
  }
});

test('budgets are checked before sending: a gateway over its own budget is skipped, the global one refuses with 402', async () => {
  const h = await startHarness([{ id: 'nemo', kind: 'nemorouter' }, { id: 'or', kind: 'openrouter' }], {
    budget: { perGateway: { nemo: { session: 0.00001 } } },
  });
  try {
    const first = await h.app.pipeline.execute(chatRequest({ model: 'gpt-4o' }));
    assert.equal(first.ok && first.kind === 'json' && first.gateway, 'nemo', 'under budget');
    const second = await h.app.pipeline.execute(chatRequest({ model: 'gpt-4o' }));
    assert.equal(second.ok && second.kind === 'json' && second.gateway, 'or', 'nemo is over its budget: OpenRouter serves the same model');
    const pinned = await h.app.pipeline.execute(chatRequest({ model: 'gpt-4o' }, { gateway: 'nemo' }));
    assert.equal(!pinned.ok && pinned.failure.code, 'budget_exceeded');
    assert.equal(!pinned.ok && pinned.failure.status, 402);
    h.setSettings({ budget: { session: 0.00001 } });
    const global = await h.app.pipeline.execute(chatRequest({ model: 'gpt-4o', stream: true }));
    assert.equal(!global.ok && global.failure.code, 'budget_exceeded');
    assert.equal(h.fakes.nemo.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 1, 'refused before sending');
    const lines = await h.ledger();
    assert.deepEqual(lines.map((l) => `${l.gateway}:${l.status}`), ['nemo:ok', 'or:ok', 'nemo:budget_exceeded', 'nemo:budget_exceeded']);
  } finally {
    await h.close();
  }
});

async function balanceUsd(f: FakeGateway): Promise<number> {
  const url = f.kind === 'nemorouter' ? `${f.url}/api/credits/balance` : `${f.baseUrl}/credits`;
  const res = await request(url, { headers: { authorization: `Bearer ${f.key}` } });
  const body = (await res.body.json()) as { balance?: number; data?: { total_credits: number; total_usage: number } };
  return f.kind === 'nemorouter' ? body.balance! : body.data!.total_credits - body.data!.total_usage;
}

const cents = (x: number) => Math.round(x * 100);

test('after a mixed run of streaming and non-streaming requests, the ledger sum equals each gateway\'s balance change to the cent', async (t) => {
  const h: Harness = await startHarness(
    [
      { id: 'nemo', kind: 'nemorouter', opts: { replyChars: 20000, streamChunkChars: 64, balanceUsd: 50 } },
      { id: 'or', kind: 'openrouter', opts: { replyChars: 20000, streamChunkChars: 64, balanceUsd: 50 } },
    ],
    { routing: { retryBaseDelayMs: 1, maxRetries: 2 } },
  );
  try {
    const before = { nemo: await balanceUsd(h.fakes.nemo), or: await balanceUsd(h.fakes.or) };
    h.fakes.nemo.fail({ path: '/chat/completions', error: 'credit_check_failed', times: 2 });
    const jobs: PipelineRequest[] = [];
    const models = { nemo: ['gpt-4o', 'claude-4-sonnet', 'o3-mini', 'gpt-4o-mini'], or: ['openai/gpt-4o', 'anthropic/claude-sonnet-4', 'openai/o3-mini'] };
    for (const gateway of ['nemo', 'or'] as const) {
      models[gateway].forEach((model, i) => {
        for (const stream of [false, true]) jobs.push(chatRequest({ model, stream, max_tokens: 2000 + 1000 * i }, { gateway }));
      });
      jobs.push({ ...chatRequest({}, { gateway }), endpoint: 'embeddings', body: { model: gateway === 'nemo' ? 'text-embedding-3-small' : 'openai/text-embedding-3-small', input: 'x'.repeat(4000) } });
      jobs.push({ ...chatRequest({}, { gateway }), endpoint: 'completions', body: { model: models[gateway][0], prompt: 'complete me '.repeat(50), stream: true } });
    }
    await Promise.all(jobs.map(async (r) => consume(await h.app.pipeline.execute(r))));
    const after = { nemo: await balanceUsd(h.fakes.nemo), or: await balanceUsd(h.fakes.or) };
    const lines = await h.ledger();
    assert.equal(lines.length, jobs.length);
    assert.ok(lines.every((l) => l.status === 'ok' && l.costSource === 'gateway'), JSON.stringify(lines.filter((l) => l.status !== 'ok')));
    for (const gw of ['nemo', 'or'] as const) {
      const spent = before[gw] - after[gw];
      const sum = lines.filter((l) => l.gateway === gw).reduce((s, l) => s + (l.costUsd ?? 0), 0);
      assert.ok(spent > 0.1, `${gw} spent ${spent}: enough to make cents meaningful`);
      assert.equal(cents(sum), cents(spent), `${gw}: ledger $${sum} vs balance change $${spent}`);
      assert.ok(Math.abs(sum - spent) < 1e-9, `${gw}: even below the cent (${sum} vs ${spent})`);
      t.diagnostic(`${gw}: ${lines.filter((l) => l.gateway === gw).length} requests, ledger $${sum.toFixed(6)}, balance change $${spent.toFixed(6)}`);
    }
  } finally {
    await h.close();
  }
});
