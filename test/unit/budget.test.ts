import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateBudgets, overallLevel, budgetFailure, ThresholdTracker, ALL_SCOPES } from '../../server/ledger/budget';
import { backoffMs } from '../../server/ledger/balances';
import { computeHealth } from '../../server/ledger/health';
import type { GatewayStatus } from '../../server/protocol/model';
import { line, money, settings, stubCatalog, tempDir } from './ledger-fixtures';

const budget = (b: object) => settings({ budget: b }).budget;

test('budgets: one state per configured limit, levels at warnAt and 100%', () => {
  const b = budget({ daily: 10, session: 1, warnAt: [0.5, 0.8], perGateway: { nemo: { monthly: 4 } } });
  const spent = (scope: string, period: string) => (scope === 'global' ? (period === 'daily' ? 6 : 1) : 3);
  const states = evaluateBudgets(b, spent, new Set());
  assert.deepEqual(
    states.map((s) => [s.scope, s.period, s.level]),
    [['global', 'daily', 'warning'], ['global', 'session', 'exceeded'], ['nemo', 'monthly', 'warning']],
  );
  assert.equal(overallLevel(states), 'exceeded');
  assert.equal(overallLevel(evaluateBudgets(b, spent, new Set(['global']))), 'warning', 'an overridden excess is a warning');
  assert.equal(overallLevel(evaluateBudgets(budget({}), spent, new Set())), 'ok');
});

test('budget refusal: global limits stop every gateway, a gateway limit only its own; message says how to raise or override', () => {
  const b = budget({ perGateway: { nemo: { daily: 2 } }, monthly: 100 });
  const states = evaluateBudgets(b, (s) => (s === 'nemo' ? 2 : 5), new Set());
  const f = budgetFailure(states, 'nemo');
  assert.ok(f);
  assert.equal(f.kind, 'budget');
  assert.equal(f.status, 402);
  assert.equal(f.code, 'budget_exceeded');
  assert.equal(f.retryable, false);
  assert.match(f.message, /Daily budget on gateway "nemo" reached: \$2\.00 spent today of a \$2\.00 limit/);
  assert.match(f.message, /switchyard\.budget\.perGateway\["nemo"\]\.daily/);
  assert.match(f.message, /Override Budget/);
  assert.equal(budgetFailure(states, 'openrouter'), undefined);
  assert.equal(budgetFailure(evaluateBudgets(b, () => 2, new Set(['nemo'])), 'nemo'), undefined);
  assert.equal(budgetFailure(evaluateBudgets(b, () => 2, new Set([ALL_SCOPES])), 'nemo'), undefined);
  const zero = evaluateBudgets(budget({ daily: 0 }), () => 0, new Set());
  assert.match(budgetFailure(zero, 'any')!.message, /budget\.daily/, 'a limit of 0 means no spending at all');
});

test('thresholds are announced once each as spending crosses them, and re-armed when a period starts over', () => {
  const tracker = new ThresholdTracker();
  const b = budget({ daily: 10, warnAt: [0.5, 0.8] });
  const at = (usd: number) => tracker.update(evaluateBudgets(b, () => usd, new Set()), b.warnAt);
  assert.deepEqual(at(1), []);
  assert.deepEqual(at(5).map((m) => m.text), ['Daily budget at 50%: $5.00 of $10.00 spent today.']);
  assert.deepEqual(at(6), []);
  assert.deepEqual(at(9).map((m) => m.exceeded), [false]);
  const full = at(10);
  assert.equal(full.length, 1);
  assert.equal(full[0].exceeded, true);
  assert.match(full[0].text, /refused until you raise the limit/);
  assert.deepEqual(at(12), []);
  assert.deepEqual(at(0), [], 'a new day: nothing to say');
  assert.equal(at(8).length, 1, 'and the thresholds fire again');
});

test('balance backoff doubles from the base and stops at the cap', () => {
  const t = { failureBaseMs: 60_000, failureMaxMs: 30 * 60_000 };
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffMs(n, t) / 60_000), [1, 2, 4, 8, 16, 30, 30, 30]);
});

test('health: ok, degraded, offline and starting from the catalog statuses', () => {
  const st = (gateway: string, state: GatewayStatus['state']): GatewayStatus => ({
    gateway, kind: 'openrouter', label: gateway, state, modelCount: 1, source: 'live', hasKey: true, message: `${gateway} says no`,
  });
  assert.equal(computeHealth(stubCatalog([st('a', 'ok')]), true).health, 'ok');
  const d = computeHealth(stubCatalog([st('a', 'ok'), st('b', 'unauthorized'), st('c', 'unreachable')]), true);
  assert.equal(d.health, 'degraded');
  assert.equal(d.message, 'b: b says no (and 1 more)');
  assert.equal(computeHealth(stubCatalog([st('a', 'unreachable')], 'offline'), true).health, 'offline');
  assert.equal(computeHealth(stubCatalog([st('a', 'unreachable')], 'cache'), true).health, 'degraded');
  assert.equal(computeHealth(stubCatalog([st('a', 'loading')]), true).health, 'starting');
  assert.match(computeHealth(stubCatalog([], 'offline'), false).message!, /No gateway configured/);
});

test('money service: at 100% requests are refused (402 budget_exceeded) until the limit is raised or overridden', async () => {
  const t = tempDir();
  try {
    let s = settings({ budget: { daily: 0.05, warnAt: [0.5] } });
    const m = money(t.dir, s, { getSettings: () => s });
    assert.equal(m.checkBudget('nemo'), undefined);
    await m.record(line({ costUsd: 0.03 }));
    assert.equal(m.checkBudget('nemo'), undefined);
    assert.equal(m.status().budgetLevel, 'warning');
    await m.record(line({ costUsd: 0.02 }));
    const f = m.checkBudget('nemo');
    assert.equal(f?.code, 'budget_exceeded');
    assert.equal(f?.status, 402);
    assert.equal(m.status().budgetLevel, 'exceeded');
    s = settings({ budget: { daily: 1 } }); // the person raised the limit
    assert.equal(m.checkBudget('nemo'), undefined);
    s = settings({ budget: { daily: 0.05 } });
    assert.ok(m.checkBudget('nemo'));
    m.override();
    assert.equal(m.checkBudget('nemo'), undefined, 'overridden until restart');
    const state = m.status().budgets[0];
    assert.deepEqual([state.level, state.overridden], ['exceeded', true]);
    m.dispose();
    // A new server (the editor restarted) starts without the override: the ledger still says $0.05 today.
    const again = money(t.dir, s);
    assert.equal(again.checkBudget('nemo')?.code, 'budget_exceeded');
    again.dispose();
  } finally {
    t.cleanup();
  }
});

test('money service: per-gateway override leaves the other gateways’ limits in force', async () => {
  const t = tempDir();
  try {
    const s = settings({ budget: { perGateway: { nemo: { session: 0.01 }, or: { session: 0.01 } } } });
    const m = money(t.dir, s);
    await m.record(line({ gateway: 'nemo', costUsd: 0.01 }));
    await m.record(line({ gateway: 'or', costUsd: 0.01 }));
    m.override('nemo');
    assert.equal(m.checkBudget('nemo'), undefined);
    assert.match(m.checkBudget('or')!.message, /Session budget on gateway "or"/);
    m.dispose();
  } finally {
    t.cleanup();
  }
});

test('money service: another writer’s lines count in this process’s budgets at the next turn’s check', async () => {
  const t = tempDir();
  try {
    const s = settings({ budget: { daily: 1 } });
    const window1 = money(t.dir, s);
    const headlessProxy = money(t.dir, s);
    assert.equal(window1.checkBudget('nemo'), undefined);
    await headlessProxy.record(line({ costUsd: 0.6, source: 'proxy' }));
    await headlessProxy.record(line({ costUsd: 0.4, source: 'proxy' }));
    // Budget checks look for other writers' lines once per turn of the event loop (money.ts).
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(window1.checkBudget('nemo')?.code, 'budget_exceeded');
    const st = window1.status();
    assert.equal(st.todaySpendUsd, 1);
    assert.equal(st.sessionSpendUsd, 1, 'the session counts every writer since this server started');
    assert.equal(st.lastRequest, undefined, 'last request is this server’s own');
    window1.dispose();
    headlessProxy.dispose();
  } finally {
    t.cleanup();
  }
});

test('money service: an invalid line is refused with a readable reason, nothing is written', async () => {
  const t = tempDir();
  try {
    const m = money(t.dir, settings({}));
    await assert.rejects(m.record({ ...line(), costUsd: -1 }), /invalid ledger line/);
    await assert.rejects(m.record({ ...line(), ts: 'yesterday' }), /not a date/);
    assert.equal((await m.ledger({})).length, 0);
    m.dispose();
  } finally {
    t.cleanup();
  }
});

test('reservations: spent + held + this worst case must fit; a lone request larger than the limit may go; sums in nano-dollars; overrides win', () => {
  const states = (spent: number, over: string[] = []) => evaluateBudgets(budget({ daily: 1, perGateway: { nemo: { daily: 0.5 } } }), (s) => (s === 'global' ? spent : 0), new Set(over));
  const held = (usd: number, requests: number) => (scope: string) => (scope === 'global' ? { usd, requests } : { usd: 0, requests: 0 });
  const f = budgetFailure(states(0.5), 'or', held(0.4, 1), 0.2);
  assert.equal(f?.code, 'budget_exceeded');
  assert.match(f!.message, /\$0\.5000 spent today and \$0\.4000 reserved by 1 request\(s\) in flight of a \$1\.00 limit, and this request may cost up to \$0\.2000/);
  assert.equal(budgetFailure(states(0.5), 'or', held(0.3, 1), 0.2), undefined, 'fits exactly');
  assert.equal(budgetFailure(states(0.1), 'or', held(0.2, 1), 0.7), undefined, '0.1 + 0.2 + 0.7 is 1 in nano-dollars (1.0000000000000002 in floats)');
  assert.equal(budgetFailure(states(0.5), 'or', held(0, 0), 5), undefined, 'a worst case above the whole limit, alone in flight with room left: let through');
  assert.equal(budgetFailure(states(0.5), 'or', held(0, 0), 0.6)?.code, 'budget_exceeded', 'a worst case that could fit an empty budget must fit this one');
  assert.match(budgetFailure(states(1), 'or', held(0, 0), 0)!.message, /reached: \$1\.00 spent today of a \$1\.00 limit/);
  assert.equal(budgetFailure(states(0.5, ['global']), 'or', held(0.4, 1), 0.2), undefined, 'overridden');
  // The gateway's own limit: its holds only.
  const nemoHeld = (scope: string) => (scope === 'nemo' ? { usd: 0.4, requests: 2 } : { usd: 0.4, requests: 2 });
  assert.match(budgetFailure(states(0), 'nemo', nemoHeld, 0.2)!.message, /on gateway "nemo" has no room/);
  assert.equal(budgetFailure(states(0), 'or', nemoHeld, 0.2), undefined, 'another gateway is not bound by nemo\'s limit');
});

test('money.reserve: holds count against every budget until released, release is idempotent', async (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const m = money(tmp.dir, settings({ budget: { session: 0.001 } }));
  t.after(() => m.dispose());
  const a = m.reserve('nemo', 0.0006);
  assert.ok(a.ok);
  const b = m.reserve('nemo', 0.0006);
  assert.ok(!b.ok && /reserved by 1 request\(s\) in flight/.test(b.failure.message));
  assert.equal(m.checkBudget('nemo'), undefined, 'nothing is spent yet');
  if (a.ok) {
    a.reservation.release();
    a.reservation.release();
  }
  const c = m.reserve('nemo', 0.0006);
  const d = m.reserve('or', 0.0004);
  assert.ok(c.ok && d.ok, 'the room came back once, not twice');
  assert.ok(!m.reserve('or', 0.000001).ok);
});
