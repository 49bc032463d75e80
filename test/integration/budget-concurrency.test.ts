// Budgets under concurrency (issue 16 item 1): 20 requests sent at once through the proxy with the
// official `openai` SDK, against a budget with room for two, for every budget kind (daily, monthly,
// session, per gateway), streamed and not. Each request's worst case is held before it is sent, so
// exactly two go while they are in flight, the others get 402 budget_exceeded naming what is
// reserved, the gateway's debit stays within the limit, and the ledger's sum equals that debit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startHarness } from './proxy-harness';
import type { SettingsInput } from '../../server/protocol/settings';
import { sumUsd } from '../../server/ledger/usd';

const PROMPT = 'hello there'; // 3 tokens
const MAX_TOKENS = 10;
// gpt-4o on the fake NemoRouter: $2.50 / $10 per million tokens.
const WORST = (3 * 2.5 + MAX_TOKENS * 10) / 1e6;
const LIMIT = 2.5 * WORST; // room for two worst cases, not three

const KINDS: { name: string; budget: SettingsInput['budget'] }[] = [
  { name: 'daily', budget: { daily: LIMIT } },
  { name: 'monthly', budget: { monthly: LIMIT } },
  { name: 'session', budget: { session: LIMIT } },
  { name: 'per gateway', budget: { perGateway: { nemo: { daily: LIMIT } } } },
];

for (const kind of KINDS) {
  for (const stream of [false, true]) {
    test(`${kind.name} budget, ${stream ? 'streams' : 'JSON'}: 20 at once against room for 2 → 2 or 3 served, the rest refused, debit ≤ limit, ledger = debit`, async (t) => {
      const h = await startHarness({ gateways: { nemo: 'nemorouter' }, settings: { budget: kind.budget } });
      t.after(() => h.close());
      const client = new OpenAI({ baseURL: h.url, apiKey: h.token, maxRetries: 0 });
      // Every answer takes a moment, so all twenty are in flight together.
      h.fakes.nemo.fail({ path: '/chat/completions', delayMs: 150, times: Infinity });
      const one = async (): Promise<string> => {
        try {
          const body = { model: 'gpt-4o', max_tokens: MAX_TOKENS, messages: [{ role: 'user' as const, content: PROMPT }] };
          if (!stream) return (await client.chat.completions.create(body)).choices[0].message.content ?? '';
          let text = '';
          for await (const c of await client.chat.completions.create({ ...body, stream: true })) text += c.choices[0]?.delta?.content ?? '';
          return text;
        } catch (e) {
          const err = e as { status?: number; code?: string; message: string };
          assert.equal(err.status, 402, err.message);
          assert.equal(err.code, 'budget_exceeded');
          assert.match(err.message, /has no room for this request: \$[\d.]+ spent [a-z ]+?( and \$[\d.]+ reserved by \d+ request\(s\) in flight)? of a \$0\.000269 limit/);
          assert.match(err.message, /may cost up to \$0\.00010[78]/);
          return / reserved by /.test(err.message) ? 'refused while others were in flight' : 'refused';
        }
      };
      const answers = await Promise.all(Array.from({ length: 20 }, one));
      const served = answers.filter((a) => !a.startsWith('refused'));
      assert.ok(answers.includes('refused while others were in flight'), 'the refusal names what requests in flight hold');
      const debit = h.fakes.nemo.state.spent;
      t.diagnostic(`overshoot: ${served.length} served, gateway debit $${debit} of a $${LIMIT.toFixed(9)} limit (${Math.round((debit / LIMIT) * 100)}%)`);
      // Two fit at once; on a busy machine a late arrival may find the first two already settled
      // (2 × $0.0000575 spent + one worst case still fits, a fourth would not): never past the limit.
      assert.ok(served.length >= 2 && served.length <= 3, `${served.length} served`);
      assert.ok(served.every((a) => a === 'Echo: hello there'));
      assert.ok(debit <= LIMIT, `the gateway debited $${debit}, over the $${LIMIT} limit`);
      const lines = await h.ledger();
      assert.equal(lines.length, 20, 'one line per request, refused ones included');
      assert.equal(sumUsd(lines.map((l) => l.costUsd ?? 0)), debit, 'the ledger sums exactly to the gateway\'s debit');
      assert.equal(lines.filter((l) => l.status === 'budget_exceeded').length, 20 - served.length);
      // Every hold was given back: one more worst case fits whenever spent leaves room for it.
      if (debit + WORST > LIMIT) return;
      const after = await client.chat.completions.create({ model: 'gpt-4o', max_tokens: MAX_TOKENS, messages: [{ role: 'user', content: PROMPT }] });
      assert.equal(after.choices[0].message.content, 'Echo: hello there');
    });
  }
}
