// The money service: this process's single ledger writer, running totals that include every other
// writer's lines (tailed on each budget check, on fs.watch and on a slow tick), budgets, balances
// and the status-bar numbers. This process's own lines are counted from memory as they are written
// (no read-back, no second parse and validation) whenever no other writer appended in between;
// otherwise the file is read, ours included, so every line counts once. See files.ts for the
// layout, writer.ts for durability, reader.ts for tolerance.
import { mkdirSync, watch, type FSWatcher } from 'node:fs';
import { z } from 'zod';
import type { Dispatcher } from 'undici';
import type { Logger } from '../core/log';
import type { KeyProvider } from '../core/keys';
import type { CatalogService, Disposable, MoneyService } from '../core/services';
import type { GatewayAdapter } from '../gateways/types';
import type { GatewayKind, Settings } from '../protocol/settings';
import type { StatusParams } from '../protocol/messages';
import { isPlainLedgerLine, LedgerRecordSchema, type LedgerRecord } from '../protocol/ledger';
import { resolveGateways } from '../protocol/settings';
import { errorMessage } from '../core/errors';
import { ledgerDir, localDay, localMonth, monthFile, previousMonth } from './files';
import { createLedgerWriter } from './writer';
import { LedgerTail } from './reader';
import { SpendTotals } from './totals';
import { ALL_SCOPES, budgetFailure, evaluateBudgets, overallLevel, ThresholdTracker, type Period } from './budget';
import { BalancePoller, DEFAULT_BALANCE_TIMING, type BalanceTiming } from './balances';
import { buildReport, readRange, resolveRange } from './report';
import { adapterForKind } from './adapters';
import { computeHealth } from './health';
import { reconcileLines } from './reconcile';
import { fromNanos, roundUsd, sumUsd, toNanos } from './usd';

/** What the money service needs from its process (server/core/app.ts wires it). */
export interface MoneyDeps {
  /** The ledger lives under `<dataDir>/ledger`. */
  dataDir: string;
  getSettings: () => Settings;
  /** For the balance calls. */
  keys: KeyProvider;
  log: Logger;
  dispatcher: Dispatcher;
  catalog: CatalogService;
  /** Tests: a fixed clock, faster balance timing, fake adapters. */
  now?: () => Date;
  balanceTiming?: Partial<BalanceTiming>;
  adapterFor?: (kind: GatewayKind) => GatewayAdapter | undefined;
  /** How often other writers' lines are looked for when fs.watch says nothing (ms). */
  tickMs?: number;
}

export function createMoneyService(deps: MoneyDeps): MoneyService {
  return new Money(deps);
}

class Money implements MoneyService {
  private readonly now: () => Date;
  private readonly dir: string;
  private readonly writer;
  private readonly totals: SpendTotals;
  /** Spend whose ledger line could not be written (disk full…): still counted against budgets. */
  private readonly unwritten: SpendTotals;
  private readonly tails = new Map<string, LedgerTail>();
  private tailsMonth: string | undefined;
  /** Last month's file, followed closely only near the start of a month (see catchUp). */
  private previousTail: LedgerTail | undefined;
  private previousPolled = false;
  private readonly recordedGateways = new Set<string>();
  private afterRecordsTimer: NodeJS.Immediate | undefined;
  private readonly overrides = new Set<string>();
  /** Worst-case costs of requests in flight (reserve), until their ledger lines are written. */
  private readonly held = new Set<{ gateway: string; nanos: number }>();
  private readonly listeners = new Set<() => void>();
  private readonly thresholds = new ThresholdTracker();
  private readonly poller: BalancePoller;
  private last: StatusParams['lastRequest'];
  private ledgerError: string | undefined;
  private watcher: FSWatcher | undefined;
  private tick: NodeJS.Timeout | undefined;
  private watchTimer: NodeJS.Timeout | undefined;
  private started = false;
  private disposed = false;
  private lastDay: string;

  constructor(private readonly deps: MoneyDeps) {
    this.now = deps.now ?? (() => new Date());
    this.dir = ledgerDir(deps.dataDir);
    this.writer = createLedgerWriter(deps.dataDir, deps.log);
    const start = this.now().getTime();
    this.totals = new SpendTotals(start);
    this.unwritten = new SpendTotals(start);
    this.lastDay = localDay(this.now());
    this.poller = new BalancePoller({
      gateways: () => resolveGateways(deps.getSettings()),
      adapterFor: deps.adapterFor ?? adapterForKind,
      keys: deps.keys,
      dispatcher: deps.dispatcher,
      log: deps.log,
      timing: { ...DEFAULT_BALANCE_TIMING, ...deps.balanceTiming },
      onChange: () => this.emit(),
    });
  }

  checkBudget(gateway: string) {
    if (this.lookForOthers()) this.emit();
    return budgetFailure(this.budgets(), gateway, (scope) => this.heldIn(scope));
  }

  reserve(gateway: string, worstUsd: number): ReturnType<MoneyService['reserve']> {
    if (this.lookForOthers()) this.emit();
    // Check and hold in one synchronous step: requests arriving together see each other's holds.
    const failure = budgetFailure(this.budgets(), gateway, (scope) => this.heldIn(scope), worstUsd);
    if (failure) return { ok: false, failure };
    const held = { gateway, nanos: toNanos(Math.max(0, worstUsd)) };
    this.held.add(held);
    let released = false;
    return {
      ok: true,
      reservation: {
        usd: fromNanos(held.nanos),
        release: () => {
          if (released) return;
          released = true;
          this.held.delete(held);
        },
      },
    };
  }

  /** True while this turn of the event loop has already looked for other writers' lines. */
  private looked = false;

  /**
   * Budget checks look for other writers' lines once per turn of the event loop: the requests a busy
   * proxy admits in one turn share the look (a system call each cost several microseconds here). A
   * line another process appended before this turn's first check counts at once; one appended
   * during the turn, at the next turn's. (Processes' requests are not ordered with each other
   * anyway: what one window holds in flight, another never sees.) Our own lines are counted as
   * they are written.
   */
  private lookForOthers(): boolean {
    if (this.looked) return false;
    this.looked = true;
    setImmediate(() => (this.looked = false));
    return this.catchUp();
  }

  /** What requests in flight hold in a scope ("global" = all of them). */
  private heldIn(scope: string): { usd: number; requests: number } {
    let nanos = 0;
    let requests = 0;
    for (const h of this.held) {
      if (scope !== 'global' && h.gateway !== scope) continue;
      nanos += h.nanos;
      requests++;
    }
    return { usd: fromNanos(nanos), requests };
  }

  async record(line: LedgerRecord): Promise<void> {
    // The pipeline's own lines are checked without the schema's cost; anything else goes through it.
    const parsed = isPlainLedgerLine(line) ? { success: true as const, data: line } : LedgerRecordSchema.safeParse(line);
    if (!parsed.success || Number.isNaN(Date.parse(parsed.data.ts))) {
      const why = parsed.success ? `ts "${parsed.data.ts}" is not a date` : z.prettifyError(parsed.error);
      throw new Error(`refusing to write an invalid ledger line: ${why}`);
    }
    // Stored rounded to the nano-dollar: no float noise in the line, exact sums when read back.
    const rec = parsed.data.costUsd === null ? { ...parsed.data } : { ...parsed.data, costUsd: roundUsd(parsed.data.costUsd) };
    if (rec.attempts) rec.attempts = rec.attempts.map((a) => (a.costUsd === null ? a : { ...a, costUsd: roundUsd(a.costUsd) }));
    // Lines recorded in the same turn of the event loop (a busy proxy answers several upstream
    // responses per turn) are written together at its end: one write(2) and one fstat for all of
    // them instead of per line — system calls cost several microseconds each here, the largest part
    // of a proxied request's ledger work. A line recorded while no other request is in flight is
    // written at once (nothing could join it). Each caller resolves only once its line is written,
    // so an answer never goes out before its line.
    return new Promise<void>((resolve) => {
      this.pending.push({ rec, done: resolve });
      // Alone in flight (at most this request's own hold): nobody can join the batch, write now.
      if (this.pending.length === 1 && this.held.size <= 1) this.writePending();
      else this.pendingTimer ??= setImmediate(() => this.writePending());
    });
  }

  /** Lines waiting for the end of this turn of the event loop, and the callers waiting on them. */
  private pending: { rec: LedgerRecord; done: () => void }[] = [];
  private pendingTimer: NodeJS.Immediate | undefined;

  private writePending(): void {
    if (this.pendingTimer) clearImmediate(this.pendingTimer);
    this.pendingTimer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    let counted = true;
    for (const r of this.writer.appendAll(batch.map((b) => b.rec))) {
      if (r.ok) {
        this.ledgerError = undefined;
        // Our own lines, with no other writer's in between: count the records we hold instead of
        // reading them back, parsing and validating them again (the proxy's hot path).
        const tail = this.currentTails().get(r.at.file);
        if (tail?.skipOwn(r.at.ino, r.at.size, r.at.bytes)) for (const rec of r.records) this.totals.add(rec);
        else counted = false;
      } else {
        // The requests happened and cost money: keep them in the budgets even though the lines are lost.
        this.ledgerError = errorMessage(r.error);
        for (const rec of r.records) this.unwritten.add(rec);
        this.deps.log.error(this.ledgerError);
      }
    }
    // Another writer's lines came first (or the file is new to us): read them, ours included.
    if (!counted) this.catchUp();
    const rec = batch[batch.length - 1].rec;
    this.last = { costSource: rec.costSource, model: rec.servedModel || rec.model, gateway: rec.gateway };
    if (rec.costUsd !== null) this.last.costUsd = rec.costUsd;
    if (rec.cachedInputTokens) this.last.cachedInputTokens = rec.cachedInputTokens;
    if (rec.cacheSavingsUsd !== undefined) this.last.cacheSavingsUsd = rec.cacheSavingsUsd;
    // Threshold warnings, listeners (the status bar) and the balance refresh follow on the next turn
    // of the event loop, coalesced: the answers the callers are waiting for do not wait for them.
    // Totals, budgets and `last` above are already up to date for whoever asks next.
    for (const b of batch) this.recordedGateways.add(b.rec.gateway);
    this.afterRecordsTimer ??= setImmediate(() => this.afterRecords());
    for (const b of batch) b.done();
  }

  private afterRecords(): void {
    this.afterRecordsTimer = undefined;
    if (this.disposed) return;
    for (const gw of this.recordedGateways) this.poller.refreshSoon(gw);
    this.recordedGateways.clear();
    const budgets = this.budgets();
    if (budgets.length) for (const m of this.thresholds.update(budgets, this.deps.getSettings().budget.warnAt)) this.deps.log.warn(m.text);
    this.emit();
  }

  status(): StatusParams {
    this.catchUp();
    this.poller.sync();
    const settings = this.deps.getSettings();
    const budgets = this.budgets();
    const today = localDay(this.now());
    const { health, message } = computeHealth(this.deps.catalog, resolveGateways(settings).length > 0);
    const status: StatusParams = {
      health,
      balances: this.poller.list(),
      sessionSpendUsd: this.spend('global', 'session'),
      todaySpendUsd: sumUsd([this.totals.day(today).usd, this.unwritten.day(today).usd]),
      budgets,
      budgetLevel: overallLevel(budgets),
      catalogSource: this.deps.catalog.source,
    };
    const problems = [message, this.ledgerError && `Ledger not writable: ${this.ledgerError}`].filter(Boolean);
    if (problems.length) status.message = problems.join(' — ');
    if (this.last) status.lastRequest = { ...this.last };
    const active = settings.defaultGateway || this.last?.gateway || resolveGateways(settings)[0]?.id;
    if (active) status.activeGateway = active;
    return status;
  }

  balances() {
    this.poller.sync();
    return this.poller.list();
  }

  refreshBalances(): Promise<void> {
    return this.poller.refresh();
  }

  async spendReport(p: Parameters<MoneyService['spendReport']>[0]) {
    const range = resolveRange(p, this.now());
    return buildReport(range, await readRange(this.dir, range, this.deps.log));
  }

  async ledger(p: Parameters<MoneyService['ledger']>[0]) {
    return readRange(this.dir, resolveRange(p, this.now()), this.deps.log);
  }

  async reconcile(p: Parameters<MoneyService['reconcile']>[0]) {
    const records = await readRange(this.dir, resolveRange(p, this.now()), this.deps.log);
    const signal = AbortSignal.timeout(120_000);
    const deps = { gateways: resolveGateways(this.deps.getSettings()), keys: this.deps.keys, dispatcher: this.deps.dispatcher, log: this.deps.log, signal };
    const { corrections, result } = await reconcileLines(records, deps);
    for (const c of corrections) await this.record(c);
    if (result.corrected) this.deps.log.info(`reconciled ${result.corrected} ledger line(s) with the gateways' books: ${result.deltaUsd >= 0 ? '+' : ''}${result.deltaUsd} USD`);
    return result;
  }

  override(scope?: string): void {
    this.overrides.add(scope || ALL_SCOPES);
    this.deps.log.info(`budget override until restart: ${scope || 'all budgets'}`);
    this.emit();
  }

  onDidChange(listener: () => void): Disposable {
    this.listeners.add(listener);
    this.startWatching();
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    // Lines already recorded are still written: a request that was answered keeps its line.
    if (this.pendingTimer) this.writePending();
    this.disposed = true;
    this.poller.dispose();
    for (const tail of this.tails.values()) tail.close();
    this.watcher?.close();
    if (this.tick) clearInterval(this.tick);
    if (this.watchTimer) clearTimeout(this.watchTimer);
    if (this.afterRecordsTimer) clearImmediate(this.afterRecordsTimer);
    this.listeners.clear();
  }

  // ------------------------------------------------------------------ internals

  private spend(scope: string, period: Period): number {
    const gw = scope === 'global' ? undefined : scope;
    const now = this.now();
    const pick = (t: SpendTotals) =>
      period === 'daily' ? t.day(localDay(now), gw) : period === 'monthly' ? t.month(localMonth(now), gw) : t.sessionSpend(gw);
    return sumUsd([pick(this.totals).usd, pick(this.unwritten).usd]);
  }

  private budgets() {
    return evaluateBudgets(this.deps.getSettings().budget, (s, p) => this.spend(s, p), this.overrides);
  }

  /** The tails of last month's and this month's files (built again only when the month changes). */
  private currentTails(now = this.now()): Map<string, LedgerTail> {
    const month = localMonth(now);
    if (month === this.tailsMonth) return this.tails;
    const wanted = [previousMonth(month), month].map((m) => monthFile(this.dir, m));
    for (const [f, tail] of [...this.tails]) {
      if (wanted.includes(f)) continue;
      tail.close();
      this.tails.delete(f);
    }
    for (const f of wanted) if (!this.tails.has(f)) this.tails.set(f, new LedgerTail(f, this.deps.log));
    this.tailsMonth = month;
    this.previousTail = this.tails.get(wanted[0]);
    this.previousPolled = false;
    return this.tails;
  }

  /** Read every writer's new lines into the totals; true when anything changed. */
  private catchUp(): boolean {
    const now = this.now();
    let changed = false;
    const fresh: LedgerRecord[] = [];
    // Last month's file gets new lines that count for this month (or today, or this session) only
    // from a writer whose local calendar is still in last month: within a day of the month's start
    // (time zones span 26 hours). After the 2nd it is read once (at start) and then left alone,
    // which spares every budget check a stat.
    const closeToMonthStart = now.getDate() <= 2;
    for (const tail of this.currentTails(now).values()) {
      if (tail === this.previousTail) {
        if (this.previousPolled && !closeToMonthStart) continue;
        this.previousPolled = true;
      }
      const { records, reset } = tail.poll();
      if (reset) return this.recount();
      for (const r of records) fresh.push(r);
    }
    for (const r of fresh) this.totals.add(r);
    changed = fresh.length > 0;
    const today = localDay(now);
    if (today !== this.lastDay) {
      this.lastDay = today;
      this.totals.forgetBefore(`${previousMonth(localMonth(now))}-01`);
      changed = true;
    }
    return changed;
  }

  /** A ledger file was truncated or replaced by hand: count everything again from scratch. */
  private recount(): boolean {
    this.totals.clear();
    for (const tail of this.tails.values()) tail.close();
    this.tails.clear();
    this.tailsMonth = undefined; // currentTails builds both tails afresh
    for (const tail of this.currentTails().values()) for (const r of tail.poll().records) this.totals.add(r);
    this.previousPolled = true;
    return true;
  }

  private startWatching(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    this.poller.start();
    const onTick = () => {
      if (this.catchUp()) this.emit();
    };
    this.tick = setInterval(onTick, this.deps.tickMs ?? 30_000);
    this.tick.unref?.();
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      // Another window or `switchyard proxy` appended: pick its lines up within ~50 ms.
      this.watcher = watch(this.dir, { persistent: false }, () => {
        if (this.watchTimer) return;
        this.watchTimer = setTimeout(() => {
          this.watchTimer = undefined;
          onTick();
        }, 50);
        this.watchTimer.unref?.();
      });
      this.watcher.on('error', (e) => this.deps.log.debug(`ledger watch stopped (${errorMessage(e)}); polling instead`));
    } catch (e) {
      this.deps.log.debug(`cannot watch ${this.dir} (${errorMessage(e)}); polling every ${(this.deps.tickMs ?? 30_000) / 1000} s`);
    }
  }

  private emit(): void {
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch (e) {
        this.deps.log.error(`money listener failed: ${errorMessage(e)}`);
      }
    }
  }
}
