// Balance polling against the fake gateways: first poll, refresh shortly after a metered request,
// exponential backoff while a gateway fails (the last good number kept), recovery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeGateway } from '../fakes';
import { createKeyProvider } from '../../server/core/keys';
import type { MoneyService } from '../../server/core/services';
import type { GatewayBalance } from '../../server/protocol/messages';
import { line, money, settings, tempDir } from '../unit/ledger-fixtures';
import { untilChanged } from '../helpers/wait';

/** Resolve when the service's balances satisfy `pred` (checked on each change event); bounded. */
const until = (m: MoneyService, pred: (b: GatewayBalance[]) => boolean, what: string) => untilChanged(m, () => m.balances(), pred, { what });

test('balances: polled at start, refreshed ~afterRequestMs after a request, backoff on failure keeps the last number', async (t) => {
  const tmp = tempDir();
  const nemo = await startFakeGateway('nemorouter', { balanceUsd: 3 });
  const or = await startFakeGateway('openrouter', { balanceUsd: 9 });
  t.after(async () => {
    await nemo.close();
    await or.close();
    tmp.cleanup();
  });
  const s = settings({
    gateways: [
      { id: 'nemo', kind: 'nemorouter', baseUrl: nemo.baseUrl, apiKeyEnv: 'NEMO_KEY' },
      { id: 'or', kind: 'openrouter', baseUrl: or.baseUrl, apiKeyEnv: 'OR_KEY' },
      { id: 'local', kind: 'bifrost' },
    ],
  });
  const m = money(tmp.dir, s, {
    keys: createKeyProvider({ NEMO_KEY: nemo.key, OR_KEY: or.key }),
    balanceTiming: { pollMs: 60_000, afterRequestMs: 30, failureBaseMs: 40, failureMaxMs: 160 },
  });
  t.after(() => m.dispose());

  const first = await until(m, (b) => b.length === 2 && b.every((x) => x.updatedAt), 'the first poll');
  assert.deepEqual(first.map((b) => [b.gateway, b.balanceUsd]), [['nemo', 3], ['or', 9]]);
  assert.equal(first[1].usedUsd, 0);
  assert.ok(!first.some((b) => b.gateway === 'local'), 'Bifrost has no balance API');
  const status = m.status();
  assert.deepEqual(status.balances.map((b) => b.gateway), ['nemo', 'or']);

  // Spend happens on the gateway; the ledger line triggers a refresh of that gateway only.
  const orCalls = or.requests.filter((r) => r.path.endsWith('/credits')).length;
  nemo.state.balance = 2.5;
  await m.record(line({ gateway: 'nemo', costUsd: 0.5 }));
  await until(m, (b) => b[0].balanceUsd === 2.5, 'the refresh after the request');
  assert.equal(or.requests.filter((r) => r.path.endsWith('/credits')).length, orCalls, 'other gateways are not asked');

  // Failing: the error is shown, the last good balance stays, retries back off, then it recovers.
  const fault = nemo.fail({ path: '/api/credits/balance', status: 500, times: 3 });
  await m.refreshBalances();
  const failed = m.balances()[0];
  assert.equal(failed.balanceUsd, 2.5, 'last known balance kept');
  assert.match(failed.error ?? '', /500/);
  const t0 = performance.now();
  nemo.state.balance = 2;
  const recovered = await until(m, (b) => b[0].balanceUsd === 2 && !b[0].error, 'recovery after backoff');
  const waited = performance.now() - t0;
  assert.equal(fault.hits, 3);
  // Two more failures then success: 40 ms + 80 ms of backoff at least.
  assert.ok(waited >= 110, `retries backed off (${waited.toFixed(0)} ms)`);
  assert.ok(recovered[0].updatedAt);
});

test('balances: a key the gateway rejects is an error entry, never a crash, and the key is not in it', async (t) => {
  const tmp = tempDir();
  const nemo = await startFakeGateway('nemorouter');
  t.after(async () => {
    await nemo.close();
    tmp.cleanup();
  });
  const wrong = 'sk-nemo-0000000000000000wrongwrong';
  const s = settings({ gateways: [{ id: 'nemo', kind: 'nemorouter', baseUrl: nemo.baseUrl, apiKeyEnv: 'K' }] });
  const m = money(tmp.dir, s, { keys: createKeyProvider({ K: wrong }) });
  await m.refreshBalances();
  const [b] = m.balances();
  assert.equal(b.balanceUsd, undefined);
  assert.match(b.error ?? '', /401|key|unauthori/i);
  assert.ok(!JSON.stringify(m.status()).includes(wrong));
  m.dispose();
});
