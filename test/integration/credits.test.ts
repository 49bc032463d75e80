// `switchyard credits` as a user runs it: the built CLI against the fake gateways, with a ledger
// already holding lines from earlier runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runCli } from './cli-run';
import { startFakeGateway, type FakeGateway } from '../fakes';
import { createLedgerWriter } from '../../server/ledger/writer';
import { localDay, localMonth } from '../../server/ledger/files';
import { silentLogger } from '../../server/core/log';
import type { CreditsJson } from '../../server/cli/credits';
import { line, tempDir } from '../unit/ledger-fixtures';



async function setup(t: import('node:test').TestContext) {
  const tmp = tempDir('switchyard-credits-');
  const nemo = await startFakeGateway('nemorouter', { balanceUsd: 4.25 });
  const or = await startFakeGateway('openrouter', { balanceUsd: 7.5 });
  const bifrost = await startFakeGateway('bifrost');
  t.after(async () => {
    await Promise.all([nemo, or, bifrost].map((g: FakeGateway) => g.close()));
    tmp.cleanup();
  });
  const config = path.join(tmp.dir, 'switchyard.json');
  writeFileSync(
    config,
    JSON.stringify({
      gateways: [
        { id: 'nemo', kind: 'nemorouter', baseUrl: nemo.baseUrl, apiKeyEnv: 'NEMO_KEY' },
        { id: 'or', kind: 'openrouter', baseUrl: or.baseUrl, apiKeyEnv: 'OR_KEY' },
        { id: 'local', kind: 'bifrost', baseUrl: bifrost.baseUrl },
      ],
      budget: { daily: 1, monthly: 10, session: 0.5, perGateway: { or: { daily: 0.1 } } },
    }),
  );
  // Earlier spend: today, earlier this month (when today is not the 1st), last month.
  const now = new Date();
  const w = createLedgerWriter(tmp.dir, silentLogger);
  await w.append(line({ gateway: 'nemo', costUsd: 0.25 }));
  await w.append(line({ gateway: 'or', costUsd: 0.125 }));
  await w.append(line({ gateway: 'or', costUsd: null, costSource: 'unknown' }));
  const earlier = now.getDate() > 1 ? new Date(now.getFullYear(), now.getMonth(), 1, 12) : undefined;
  if (earlier) await w.append(line({ ts: earlier.toISOString(), costUsd: 2 }));
  await w.append(line({ ts: new Date(now.getFullYear(), now.getMonth() - 1, 15).toISOString(), costUsd: 100 }));
  const env = { NEMO_KEY: nemo.key, OR_KEY: or.key, HOME: tmp.dir };
  return { tmp, nemo, or, config, env, now, earlierUsd: earlier ? 2 : 0 };
}

test('credits --json: balance per gateway that has one, ledger spend today and this month, budgets', async (t) => {
  const s = await setup(t);
  const r = await runCli(['credits', '--json', '--config', s.config, '--data-dir', s.tmp.dir], s.env);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as CreditsJson;
  assert.deepEqual(
    out.balances.map((b) => [b.gateway, b.balanceUsd, b.error]),
    [['nemo', 4.25, undefined], ['or', 7.5, undefined]],
  );
  assert.ok(out.balances.every((b) => b.updatedAt && !Number.isNaN(Date.parse(b.updatedAt))));
  assert.deepEqual(out.noBalance, ['local']);
  assert.deepEqual(out.spend.today, { day: localDay(s.now), usd: 0.375, requests: 3, unknownCostRequests: 1, estimatedUsd: 0, reconciledUsd: 0 });
  assert.deepEqual(out.spend.month, { month: localMonth(s.now), usd: 0.375 + s.earlierUsd, requests: s.earlierUsd ? 4 : 3, unknownCostRequests: 1, estimatedUsd: 0, reconciledUsd: 0 });
  assert.deepEqual(
    out.budgets.map((b) => [b.scope, b.period, b.spentUsd, b.level]),
    [['global', 'daily', 0.375, 'ok'], ['global', 'monthly', 0.375 + s.earlierUsd, 'ok'], ['or', 'daily', 0.125, 'exceeded']],
  );
  assert.equal(out.ledgerDir, path.join(s.tmp.dir, 'ledger'));
  // Keys went to the gateways and nowhere else.
  assert.ok(s.nemo.requests.some((q) => q.path === '/api/credits/balance' && q.hadAuth));
  assert.ok(!r.stdout.includes(s.nemo.key!) && !r.stderr.includes(s.nemo.key!));
  assert.ok(!r.stdout.includes(s.or.key!) && !r.stderr.includes(s.or.key!));
});

test('credits (text): readable table; a gateway that fails is named with its error and the exit code is 1', async (t) => {
  const s = await setup(t);
  s.or.fail({ path: /credits|key/, status: 503, times: Infinity });
  const r = await runCli(['credits', '--config', s.config, '--data-dir', s.tmp.dir], s.env);
  assert.equal(r.code, 1, 'a balance could not be read');
  assert.match(r.stdout, /nemo \(NemoRouter\)\s+\$4\.25/);
  assert.match(r.stdout, /or \(OpenRouter\)\s+—\s+\(error: .*503/);
  assert.match(r.stdout, /local \(Bifrost\)\s+—\s+\(this gateway reports no balance\)/);
  assert.match(r.stdout, /today \d{4}-\d{2}-\d{2}\s+\$0\.3750\s+3 request\(s\), 1 with unknown cost/);
  assert.match(r.stdout, /budget\.perGateway\["or"\]\.daily\s+\$0\.1250 of \$0\.1000 \(125%\)\s+EXCEEDED/);
  assert.doesNotMatch(r.stdout, /session/, 'a session budget means nothing to a one-shot command');
});

test('credits: a broken config file is a usage error (exit 2) naming the problem', async (t) => {
  const tmp = tempDir('switchyard-credits-');
  t.after(() => tmp.cleanup());
  const config = path.join(tmp.dir, 'bad.json');
  writeFileSync(config, JSON.stringify({ budget: { daily: -1 } }));
  const r = await runCli(['credits', '--config', config, '--data-dir', tmp.dir], {});
  assert.equal(r.code, 2);
  assert.match(r.stderr, /budget\.daily/);
  const none = await runCli(['credits', '--json', '--data-dir', tmp.dir], { HOME: tmp.dir });
  assert.equal(none.code, 0, none.stderr);
  assert.deepEqual(JSON.parse(none.stdout).balances, []);
});
