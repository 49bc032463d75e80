// Issue 18 end to end: fake gateways with prompt caching on report cached, cache-write and reasoning
// tokens each in their own shape; the ledger records the counts, and its sum equals what each
// gateway billed to the cent — stated by the gateway (NemoRouter's header or trailer, OpenRouter's
// usage.cost) or computed by Switchyard from the gateway's listed cache prices (Bifrost).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, chatRequest, drain } from './pipeline-harness';
import type { LedgerRecord } from '../../server/protocol/ledger';
import type { FakeCharge } from '../fakes/index';

const SYSTEM = 'You are a careful coding agent. '.repeat(250); // ≈ 2,000 tokens, resent every turn

type Message = { role: string; content: unknown };

/** Turn n of a conversation: the system prompt, n earlier exchanges, the new question; Anthropic breakpoint on the last message. */
function conversation(turn: number, breakpoint: boolean): Message[] {
  const msgs: Message[] = [{ role: 'system', content: SYSTEM }];
  for (let i = 0; i < turn; i++) {
    msgs.push({ role: 'user', content: `step ${i}: edit file ${i}.ts` }, { role: 'assistant', content: `Echo: step ${i}: edit file ${i}.ts` });
  }
  const last = `step ${turn}: edit file ${turn}.ts`;
  msgs.push({ role: 'user', content: breakpoint ? [{ type: 'text', text: last, cache_control: { type: 'ephemeral' } }] : last });
  return msgs;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const cents = (x: number) => Math.round(x * 100);

test('a mixed session (streamed and not, cached and not, reasoning) on three gateways: ledger = gateway bill, to the cent', async () => {
  const h = await startHarness(
    [
      { id: 'bf', kind: 'bifrost', opts: { promptCache: true } },
      { id: 'or', kind: 'openrouter', opts: { promptCache: true } },
      { id: 'nemo', kind: 'nemorouter', opts: { promptCache: true } },
    ],
    { routing: { retryBaseDelayMs: 0, retryMaxDelayMs: 0 } },
  );
  try {
    const models: Record<string, string[]> = {
      bf: ['anthropic/claude-sonnet-4-20250514', 'openai/gpt-4o', 'openai/o3-mini'],
      or: ['anthropic/claude-sonnet-4', 'openai/gpt-4o', 'openai/o3-mini'],
      nemo: ['claude-4-sonnet', 'gpt-4o', 'o3-mini'],
    };
    for (const [gateway, ids] of Object.entries(models)) {
      for (const [m, model] of ids.entries()) {
        for (let turn = 0; turn < 4; turn++) {
          const body: Record<string, unknown> = { model, messages: conversation(turn, m === 0) };
          if (m === 2) body.reasoning_effort = 'medium';
          const stream = turn % 2 === 1;
          if (stream) body.stream = true;
          const res = await h.app.pipeline.execute(chatRequest(body, { gateway }));
          assert.ok(res.ok, JSON.stringify(res));
          if (stream) {
            await drain(res);
            if (res.kind === 'stream') await res.done;
          }
        }
      }
    }
    const lines = await h.ledger();
    assert.equal(lines.length, 36);
    for (const gateway of Object.keys(models)) {
      const mine = lines.filter((l) => l.gateway === gateway);
      const billed: FakeCharge[] = h.fakes[gateway].state.billed;
      assert.equal(mine.length, 12, gateway);
      assert.equal(billed.length, 12, gateway);
      assert.ok(mine.every((l) => l.status === 'ok' && l.costUsd !== null), gateway);
      const expectSource = gateway === 'bf' ? 'computed' : 'gateway';
      assert.deepEqual([...new Set(mine.map((l) => l.costSource))], [expectSource], gateway);
      // The counts the gateway reported, line for line (same order: one request at a time).
      const counts = (r: { cachedInputTokens?: number; cachedTokens?: number; cacheWriteTokens?: number; reasoningTokens?: number }) =>
        [('cachedInputTokens' in r ? r.cachedInputTokens : r.cachedTokens) ?? 0, r.cacheWriteTokens ?? 0, r.reasoningTokens ?? 0];
      assert.deepEqual(mine.map((l) => counts(l)), billed.map((b) => counts(b)), gateway);
      assert.ok(mine.some((l) => (l.cachedInputTokens ?? 0) > 0), `${gateway}: some cache reads`);
      assert.ok(mine.some((l) => (l.cacheWriteTokens ?? 0) > 0), `${gateway}: some cache writes`);
      assert.ok(mine.some((l) => (l.reasoningTokens ?? 0) > 0), `${gateway}: some reasoning`);
      const ledgerSum = sum(mine.map((l) => l.costUsd!));
      const billSum = sum(billed.map((b) => b.costUsd));
      assert.equal(cents(ledgerSum), cents(billSum), `${gateway}: ledger ${ledgerSum} vs billed ${billSum}`);
      // Each line is stored rounded to the nano-dollar (ledger/usd.ts): the sums may differ by half a nano-dollar a line.
      assert.ok(Math.abs(ledgerSum - billSum) <= mine.length * 5e-10 + 1e-12, `${gateway}: ledger ${ledgerSum} vs billed ${billSum}`);
      // What caching saved is recorded where caching happened.
      assert.ok(mine.filter((l) => (l.cachedInputTokens ?? 0) > 0).every((l) => (l.cacheSavingsUsd ?? 0) > 0), gateway);
    }
  } finally {
    await h.close();
  }
});

test('an agent session: 30 turns resending a long prefix — recorded cost vs the naive two-price cost', async (t) => {
  const h = await startHarness([{ id: 'bf', kind: 'bifrost', opts: { promptCache: true } }]);
  try {
    const model = 'anthropic/claude-sonnet-4-20250514';
    for (let turn = 0; turn < 30; turn++) {
      const res = await h.app.pipeline.execute(chatRequest({ model, messages: conversation(turn, true), stream: turn % 3 === 0 }, { gateway: 'bf' }));
      assert.ok(res.ok);
      if (res.kind === 'stream') {
        await drain(res);
        await res.done;
      }
    }
    const lines: LedgerRecord[] = await h.ledger();
    const price = h.fakes.bf.state.models.find((m) => m.id === model)!.price!;
    const recorded = sum(lines.map((l) => l.costUsd!));
    const naive = sum(lines.map((l) => l.inputTokens * price.input + l.outputTokens * price.output));
    const billed = sum(h.fakes.bf.state.billed.map((b) => b.costUsd));
    const cached = sum(lines.map((l) => l.cachedInputTokens ?? 0));
    const input = sum(lines.map((l) => l.inputTokens));
    t.diagnostic(`agent session, 30 turns on ${model} via Bifrost: ${input} input tokens, ${cached} read from cache (${((100 * cached) / input).toFixed(1)} %)`);
    t.diagnostic(`recorded $${recorded.toFixed(6)} = billed $${billed.toFixed(6)}; naive two-price $${naive.toFixed(6)} (${(naive / recorded).toFixed(2)}× the bill); saved by caching per the ledger $${sum(lines.map((l) => l.cacheSavingsUsd ?? 0)).toFixed(6)}`);
    // Lines are stored rounded to the nano-dollar (ledger/usd.ts): half a nano-dollar a line, per rounded figure.
    const rounding = lines.length * 5e-10 + 1e-12;
    assert.ok(Math.abs(recorded - billed) <= rounding, `${recorded} vs ${billed}`);
    assert.ok(naive > recorded * 2, `naive ${naive} should be far above the bill ${recorded}`);
    assert.ok(Math.abs(sum(lines.map((l) => l.cacheSavingsUsd ?? 0)) - (naive - recorded)) <= 2 * rounding);
    // The spend report says the same.
    const report = await h.app.money.spendReport({});
    assert.equal(report.cachedInputTokens, cached);
    assert.ok(Math.abs((report.cacheSavingsUsd ?? 0) - (naive - recorded)) <= 2 * rounding);
    assert.equal(report.byModel[0].cachedInputTokens, cached);
  } finally {
    await h.close();
  }
});
