// The status notification and the money requests over a real LSP connection (in memory, in-process,
// so the test can meter a request through the server's own money service). An integration test: the
// server runs its local proxy on a loopback port and watches the ledger files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ShowMessageNotification,
  ErrorCodes,
  ResponseError,
  type ShowMessageParams,
} from 'vscode-languageserver-protocol/node';
import { startInMemoryLsp, waitForNotification } from '../helpers/lsp';
import {
  BudgetOverrideRequest,
  LedgerRequest,
  SpendReportRequest,
  StatusNotification,
  StatusRequest,
  type StatusParams,
} from '../../server/protocol/messages';
import { line, money, settings, tempDir } from '../unit/ledger-fixtures';

async function start(dataDir: string, switchyard: unknown) {
  const s = await startInMemoryLsp({ settings: switchyard, initializationOptions: { dataDir } });
  const of = <T>(method: string) => s.notifications.filter((n) => n.method === method).map((n) => n.params as T);
  /** The first status pushed (now or later) that satisfies `pred`; no fixed sleeps. */
  const waitStatus = (pred: (st: StatusParams) => boolean, what: string, timeoutMs = 5000) =>
    waitForNotification<StatusParams>(s, StatusNotification.method, pred, { what: `status with ${what}`, timeoutMs });
  const waitApp = async () => {
    await waitStatus(() => true, 'anything');
    const app = s.server.app();
    assert.ok(app, 'the server built its app');
    return app;
  };
  return {
    client: s.connection,
    get statuses() {
      return of<StatusParams>(StatusNotification.method);
    },
    get messages() {
      return of<ShowMessageParams>(ShowMessageNotification.type.method).map((m) => m.message);
    },
    waitStatus,
    waitApp,
    /** The first window/showMessage text, now or later. */
    firstMessage: () => waitForNotification<ShowMessageParams>(s, ShowMessageNotification.type.method).then(() => of<ShowMessageParams>(ShowMessageNotification.type.method)[0].message),
    close: () => s.close(),
  };
}

test('status notification: spend, last request with its cost source, budgets, health; pushed again after each change', async () => {
  const t = tempDir();
  const cfg = { budget: { session: 1, daily: 0.1, warnAt: [0.5] }, proxy: { enabled: true, port: 0 } };
  const s = await start(t.dir, cfg);
  try {
    const app = await s.waitApp();
    const first = s.statuses[0];
    assert.equal(first.sessionSpendUsd, 0);
    assert.equal(first.budgetLevel, 'ok');
    assert.equal(first.health, 'offline', 'no gateway configured: the embedded table only');
    assert.match(first.message ?? '', /No gateway configured/);

    await app.money.record(line({ gateway: 'nemo', servedModel: 'gpt-4o', costUsd: 0.06, costSource: 'gateway' }));
    const st = await s.waitStatus((x) => x.lastRequest !== undefined, 'a last request');
    assert.deepEqual(st.lastRequest, { costUsd: 0.06, costSource: 'gateway', model: 'gpt-4o', gateway: 'nemo' });
    assert.equal(st.sessionSpendUsd, 0.06);
    assert.equal(st.todaySpendUsd, 0.06);
    assert.equal(st.budgetLevel, 'warning');
    assert.deepEqual(
      st.budgets.map((b) => [b.scope, b.period, b.limitUsd, b.spentUsd, b.level, b.overridden]),
      [['global', 'daily', 0.1, 0.06, 'warning', false], ['global', 'session', 1, 0.06, 'ok', false]],
    );
    assert.equal(st.activeGateway, 'nemo');
    const withProxy = await s.waitStatus((x) => !!x.proxy && 'url' in x.proxy, 'the local proxy');
    assert.match((withProxy.proxy as { url: string }).url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.equal(st.catalogSource, app.catalog.source);
    await s.firstMessage();
    assert.match(s.messages[0], /Daily budget at 50%/);

    // An unknown cost is shown as such, never as $0.
    await app.money.record(line({ costUsd: null, costSource: 'unknown', servedModel: 'mystery' }));
    const unknown = await s.waitStatus((x) => x.lastRequest?.model === 'mystery', 'the unknown-cost request');
    assert.equal(unknown.lastRequest?.costUsd, undefined);
    assert.equal(unknown.lastRequest?.costSource, 'unknown');

    // Another writer (a headless `switchyard proxy`) on the same ledger: seen through fs.watch.
    const other = money(t.dir, settings({}));
    await other.record(line({ costUsd: 0.05, source: 'proxy', requestId: 'from-elsewhere' }));
    const exceeded = await s.waitStatus((x) => x.budgetLevel === 'exceeded', 'the other writer’s spend');
    assert.equal(Math.round(exceeded.todaySpendUsd * 100), 11);
    other.dispose();

    const asked = await s.client.sendRequest(StatusRequest);
    assert.equal(asked.budgetLevel, 'exceeded');
    assert.equal(app.money.checkBudget('nemo')?.code, 'budget_exceeded');

    const after = await s.client.sendRequest(BudgetOverrideRequest, {});
    assert.ok(after.budgets.find((b) => b.period === 'daily')?.overridden);
    assert.equal(after.budgetLevel, 'warning');
    assert.equal(app.money.checkBudget('nemo'), undefined);
    await s.waitStatus((x) => x.budgets.some((b) => b.overridden), 'the override pushed');
  } finally {
    await s.close();
    t.cleanup();
  }
});

test('spend report and ledger rows over LSP; a bad range is InvalidParams with a readable message', async () => {
  const t = tempDir();
  const s = await start(t.dir, { proxy: { enabled: false } });
  try {
    const app = await s.waitApp();
    await app.money.record(line({ costUsd: 0.5, gateway: 'or', servedModel: 'openai/gpt-4o' }));
    await app.money.record(line({ costUsd: 0.25, gateway: 'or', servedModel: 'openai/gpt-4o' }));
    const rep = await s.client.sendRequest(SpendReportRequest, {});
    assert.equal(rep.byDay.length, 30);
    assert.equal(rep.totalUsd, 0.75);
    assert.deepEqual(rep.byModel.map((m) => [m.model, m.gateway, m.requests]), [['openai/gpt-4o', 'or', 2]]);
    const rows = await s.client.sendRequest(LedgerRequest, { from: rep.to, to: rep.to });
    assert.equal(rows.length, 2);
    await assert.rejects(s.client.sendRequest(SpendReportRequest, { from: 'last week' }), (e: ResponseError<unknown>) => {
      assert.equal(e.code, ErrorCodes.InvalidParams);
      assert.match(e.message, /YYYY-MM-DD/);
      return true;
    });
    await assert.rejects(s.client.sendRequest(LedgerRequest, { from: '2024-05-02', to: '2024-05-01' }), /after/);
  } finally {
    await s.close();
    t.cleanup();
  }
});
