// Reconciliation (issue 16 item 3): estimates replaced by the gateways' own figures afterwards, by
// appending correction lines — NemoRouter's GET /api/credits/history (request ids), OpenRouter's
// GET /api/v1/generation?id= — in the running app and headless with `switchyard credits --reconcile`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import OpenAI from 'openai';
import { runCli } from './cli-run';
import { startHarness, type Harness } from './proxy-harness';
import { sumUsd } from '../../server/ledger/usd';
import type { CreditsJson } from '../../server/cli/credits';


/** A stream each gateway cuts mid-way (billed in full, estimated by us), and a timed-out try on NemoRouter (billed, no id: stays estimated). */
async function spendWithEstimates(h: Harness): Promise<void> {
  const client = new OpenAI({ baseURL: h.url, apiKey: h.token, maxRetries: 0 });
  const body = { max_tokens: 20, messages: [{ role: 'user' as const, content: 'reconcile me' }], stream: true as const };
  for (const [id, model] of [['nemo', 'gpt-4o'], ['or', 'openai/gpt-4o']] as const) {
    h.fakes[id].fail({ path: '/chat/completions', cutStreamAfterChunks: 2 });
    const s = await client.chat.completions.create({ ...body, model }, { headers: { 'x-switchyard-gateway': id } });
    await assert.rejects(async () => {
      for await (const _ of s) void _;
    });
  }
  h.fakes.nemo.fail({ path: '/chat/completions', slowHeadersMs: 1500 });
  await client.chat.completions.create({ model: 'gpt-4o', max_tokens: 20, messages: [{ role: 'user', content: 'slow' }] }, { headers: { 'x-switchyard-gateway': 'nemo' } });
}

const debit = (h: Harness) => sumUsd([h.fakes.nemo.state.spent, h.fakes.or.state.spent]);

test('reconcile: estimates with a gateway id become the gateway\'s figure (correction lines), the rest stays estimated; a second run changes nothing', async (t) => {
  const h = await startHarness({ gateways: { nemo: 'nemorouter', or: 'openrouter' }, settings: { routing: { maxRetries: 1, requestTimeoutMs: 1000 } } });
  t.after(() => h.close());
  await spendWithEstimates(h);
  const before = await h.ledger();
  assert.equal(before.length, 3);
  const cut = before.filter((l) => l.status === 'stream_cut');
  assert.equal(cut.length, 2);
  assert.ok(cut.every((l) => l.costSource === 'estimated' && l.upstreamId), JSON.stringify(cut));
  const overBefore = sumUsd(before.map((l) => l.costUsd ?? 0)) - debit(h);
  assert.ok(overBefore > 0, 'the estimates are above what was charged');

  const result = await h.app.money.reconcile({});
  assert.equal(result.corrected, 2);
  assert.deepEqual(result.errors, []);
  const after = await h.ledger();
  assert.equal(after.length, 5, 'two correction lines appended, nothing rewritten');
  assert.deepEqual(after.filter((l) => l.corrects === undefined), before, 'the original lines are untouched');
  for (const l of cut) {
    const fix = after.find((x) => x.corrects === l.requestId);
    assert.ok(fix && fix.status === 'reconciled' && fix.costSource === 'gateway');
    const fake = l.gateway === 'nemo' ? h.fakes.nemo : h.fakes.or;
    const charge = fake.state.charges.find((c) => c.requestId === l.upstreamId || c.responseId === l.upstreamId);
    assert.ok(charge, `the gateway charged ${l.upstreamId}`);
    assert.equal(sumUsd([l.costUsd ?? 0, fix.costUsd ?? 0]), charge.costUsd, 'line + correction = the gateway\'s figure');
  }
  // What is left above the debit is only the timed-out try the gateway gave no id for.
  const slow = after.find((l) => l.attempts?.some((a) => a.status === 'timeout'));
  const stillEstimated = slow!.attempts!.find((a) => a.status === 'timeout')!.costUsd!;
  assert.equal(result.stillEstimatedUsd, stillEstimated);
  const report = await h.app.money.spendReport({});
  assert.equal(report.requests, 3, 'corrections count no request');
  assert.equal(report.totalUsd, sumUsd(after.map((l) => l.costUsd ?? 0)));
  assert.equal(report.estimatedUsd, stillEstimated);
  assert.equal(report.reconciledUsd, sumUsd(cut.map((l) => (l.gateway === 'nemo' ? h.fakes.nemo : h.fakes.or).state.charges.find((c) => c.requestId === l.upstreamId || c.responseId === l.upstreamId)!.costUsd)));
  assert.ok(report.totalUsd - debit(h) <= stillEstimated + 1e-9, 'the ledger is over the debit by at most the remaining estimate');
  assert.equal(h.app.money.status().todaySpendUsd, report.totalUsd, 'the status bar counts the corrections');

  const again = await h.app.money.reconcile({});
  assert.equal(again.corrected, 0);
  assert.equal((await h.ledger()).length, 5);
});

test('switchyard credits --reconcile (headless): corrections appended, estimated and reconciled shares in --json and text', async (t) => {
  const h = await startHarness({ gateways: { nemo: 'nemorouter', or: 'openrouter' }, settings: { routing: { maxRetries: 1, requestTimeoutMs: 1000 } } });
  t.after(() => h.close());
  await spendWithEstimates(h);
  const config = path.join(h.dataDir, 'config.json');
  writeFileSync(config, JSON.stringify({ gateways: [
    { id: 'nemo', kind: 'nemorouter', baseUrl: h.fakes.nemo.baseUrl, apiKeyEnv: 'NEMO_KEY' },
    { id: 'or', kind: 'openrouter', baseUrl: h.fakes.or.baseUrl, apiKeyEnv: 'OR_KEY' },
  ] }));
  const env = { NEMO_KEY: h.fakes.nemo.key, OR_KEY: h.fakes.or.key, HOME: h.dataDir };
  const json = await runCli(['credits', '--reconcile', '--json', '--config', config, '--data-dir', h.dataDir], env);
  assert.equal(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout) as CreditsJson;
  assert.equal(out.reconcile?.corrected, 2);
  assert.ok(out.spend.today.reconciledUsd > 0 && out.spend.today.estimatedUsd > 0);
  const text = await runCli(['credits', '--reconcile', '--config', config, '--data-dir', h.dataDir], env);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /0 of 0 estimated request\(s\) corrected/, 'already reconciled: nothing more to do');
  assert.match(text.stdout, /today .* 3 request\(s\), \$0\.\d+ estimated, \$0\.\d+ reconciled/);
  for (const key of h.keys()) assert.ok(!json.stdout.includes(key) && !text.stdout.includes(key) && !text.stderr.includes(key));
});

test('OpenRouter BYOK: an answer and a reconciled estimate both count the provider\'s inference as well as OpenRouter\'s fee', async (t) => {
  // The person's own provider key: OpenRouter debits 5 % of the inference's price as its fee.
  const h = await startHarness({ gateways: { or: 'openrouter' }, fake: { byokFee: 0.05 }, settings: { routing: { maxRetries: 1, requestTimeoutMs: 1000 } } });
  t.after(() => h.close());
  const client = new OpenAI({ baseURL: h.url, apiKey: h.token, maxRetries: 0 });
  const fake = h.fakes.or;
  const paid = (upstreamId: string | undefined) => {
    const c = fake.state.charges.find((x) => x.responseId === upstreamId);
    assert.ok(c && c.inferenceCostUsd !== undefined && c.inferenceCostUsd > 0, `a BYOK charge for ${upstreamId}`);
    assert.equal(c.costUsd, Math.round(c.inferenceCostUsd * 0.05 * 1e12) / 1e12, 'the fee is what was debited');
    return sumUsd([c.costUsd, c.inferenceCostUsd]);
  };

  const { response } = await client.chat.completions.create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'my own key' }] }).withResponse();
  const answered = (await h.ledger()).find((l) => l.requestId === response.headers.get('x-switchyard-request-id'));
  assert.equal(answered?.costSource, 'gateway');
  assert.equal(answered?.costUsd, paid(answered?.upstreamId), 'fee + inference');
  assert.equal(Number(response.headers.get('x-switchyard-cost')), answered?.costUsd);

  fake.fail({ path: '/chat/completions', cutStreamAfterChunks: 2 });
  const s = await client.chat.completions.create({ model: 'openai/gpt-4o', max_tokens: 20, stream: true, messages: [{ role: 'user', content: 'cut me' }] });
  await assert.rejects(async () => {
    for await (const _ of s) void _;
  });
  const cut = (await h.ledger()).find((l) => l.status === 'stream_cut');
  assert.equal(cut?.costSource, 'estimated');
  const result = await h.app.money.reconcile({});
  assert.equal(result.corrected, 1);
  assert.deepEqual(result.errors, []);
  const fix = (await h.ledger()).find((l) => l.corrects === cut!.requestId);
  assert.equal(sumUsd([cut!.costUsd ?? 0, fix?.costUsd ?? 0]), paid(cut!.upstreamId), 'line + correction = fee + inference, not the fee alone');
});
