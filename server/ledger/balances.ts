// Credit balances of the gateways that report one, polled in the background: every 5 minutes per
// gateway, with exponential backoff after failures (1 min, 2, 4 … capped at 30 min), and once more
// ~2 s after a metered request to that gateway (debounced), so the status bar follows spending.
import type { Dispatcher } from 'undici';
import type { GatewayAdapter } from '../gateways/types';
import type { KeyProvider } from '../core/keys';
import type { Logger } from '../core/log';
import type { GatewayBalance } from '../protocol/messages';
import { GATEWAY_PRESETS, type GatewayKind, type ResolvedGateway } from '../protocol/settings';
import { errorMessage } from '../core/errors';

export interface BalanceTiming {
  pollMs: number;
  failureBaseMs: number;
  failureMaxMs: number;
  afterRequestMs: number;
  timeoutMs: number;
}

export const DEFAULT_BALANCE_TIMING: BalanceTiming = {
  pollMs: 5 * 60_000,
  failureBaseMs: 60_000,
  failureMaxMs: 30 * 60_000,
  afterRequestMs: 2_000,
  timeoutMs: 15_000,
};

export interface BalanceDeps {
  gateways(): ResolvedGateway[];
  adapterFor(kind: GatewayKind): GatewayAdapter | undefined;
  keys: KeyProvider;
  dispatcher: Dispatcher;
  log: Logger;
  timing: BalanceTiming;
  onChange(): void;
}

interface Entry {
  gateway: ResolvedGateway;
  state: GatewayBalance;
  failures: number;
  timer?: NodeJS.Timeout;
  soon?: NodeJS.Timeout;
  inflight?: Promise<void>;
}

/** Exponential backoff after `failures` consecutive failures (≥ 1). */
export function backoffMs(failures: number, t: Pick<BalanceTiming, 'failureBaseMs' | 'failureMaxMs'>): number {
  return Math.min(t.failureMaxMs, t.failureBaseMs * 2 ** Math.min(30, Math.max(0, failures - 1)));
}

export class BalancePoller {
  private readonly entries = new Map<string, Entry>();
  private readonly stop = new AbortController();
  private running = false;

  constructor(private readonly deps: BalanceDeps) {}

  /** Begin polling (idempotent). Until then only explicit refreshes fetch balances. */
  start(): void {
    if (this.running || this.stop.signal.aborted) return;
    this.running = true;
    this.sync();
    for (const e of this.entries.values()) this.schedule(e, 0);
  }

  /** Settings changed: follow added, removed and edited gateways. */
  sync(): void {
    const wanted = new Map(this.deps.gateways().filter((g) => this.deps.adapterFor(g.kind)?.balance).map((g) => [g.id, g]));
    for (const [id, e] of this.entries) {
      if (!wanted.has(id) || JSON.stringify(wanted.get(id)) !== JSON.stringify(e.gateway)) {
        this.clearTimers(e);
        this.entries.delete(id);
      }
    }
    for (const [id, g] of wanted) {
      if (this.entries.has(id)) continue;
      const e: Entry = { gateway: g, failures: 0, state: { gateway: id, label: `${id} (${GATEWAY_PRESETS[g.kind].label})` } };
      this.entries.set(id, e);
      if (this.running) this.schedule(e, 0);
    }
  }

  list(): GatewayBalance[] {
    return [...this.entries.values()].map((e) => ({ ...e.state }));
  }

  /** Fetch now (one gateway or all) and resolve when done; never rejects. */
  async refresh(gatewayId?: string): Promise<void> {
    this.sync();
    const targets = [...this.entries.values()].filter((e) => !gatewayId || e.gateway.id === gatewayId);
    await Promise.all(targets.map((e) => this.fetch(e)));
  }

  /** A request to this gateway was metered: look again shortly (debounced). */
  refreshSoon(gatewayId: string): void {
    const e = this.entries.get(gatewayId);
    if (!e || !this.running) return;
    if (e.soon) clearTimeout(e.soon);
    e.soon = setTimeout(() => {
      e.soon = undefined;
      void this.fetch(e);
    }, this.deps.timing.afterRequestMs);
    e.soon.unref?.();
  }

  dispose(): void {
    this.stop.abort();
    for (const e of this.entries.values()) this.clearTimers(e);
  }

  private schedule(e: Entry, delayMs: number): void {
    if (e.timer) clearTimeout(e.timer);
    e.timer = setTimeout(() => void this.fetch(e), delayMs);
    e.timer.unref?.();
  }

  private clearTimers(e: Entry): void {
    if (e.timer) clearTimeout(e.timer);
    if (e.soon) clearTimeout(e.soon);
  }

  /** One fetch per gateway at a time; listeners hear of the result only once it is settled, so a
   * refresh asked for from a change listener starts a new fetch rather than joining the old one. */
  private fetch(e: Entry): Promise<void> {
    e.inflight ??= this.fetchOnce(e).then((changed) => {
      e.inflight = undefined;
      if (changed) this.deps.onChange();
    });
    return e.inflight;
  }

  private async fetchOnce(e: Entry): Promise<boolean> {
    const { deps } = this;
    const adapter = deps.adapterFor(e.gateway.kind);
    if (!adapter?.balance || this.stop.signal.aborted) return false;
    const before = JSON.stringify(e.state);
    try {
      const apiKey = await deps.keys.get(e.gateway);
      const signal = AbortSignal.any([this.stop.signal, AbortSignal.timeout(deps.timing.timeoutMs)]);
      const b = await adapter.balance({ gateway: e.gateway, apiKey, dispatcher: deps.dispatcher, log: deps.log }, signal);
      e.failures = 0;
      e.state = { gateway: e.state.gateway, label: e.state.label, updatedAt: new Date().toISOString() };
      if (b?.balanceUsd !== undefined && Number.isFinite(b.balanceUsd)) e.state.balanceUsd = b.balanceUsd;
      if (b?.usedUsd !== undefined && Number.isFinite(b.usedUsd)) e.state.usedUsd = b.usedUsd;
      // A key without a credit limit (OpenRouter /key) reports usage only: no balance, and no error either.
      if (e.state.balanceUsd === undefined && e.state.usedUsd === undefined) e.state.error = 'the gateway did not report a balance';
    } catch (err) {
      if (this.stop.signal.aborted) return false;
      e.failures++;
      const msg = errorMessage(err);
      // Keep the last known number: a failed poll says "stale", it does not erase the balance.
      e.state = { ...e.state, error: msg };
      // When polling, say when we look again; a one-shot caller (the CLI) shows the error itself.
      if (this.running) deps.log.warn(`balance of ${e.gateway.id}: ${msg} (retry in ${Math.round(backoffMs(e.failures, deps.timing) / 1000)} s)`);
      else deps.log.debug(`balance of ${e.gateway.id}: ${msg}`);
    }
    if (this.running && this.entries.get(e.gateway.id) === e) {
      this.schedule(e, e.failures ? backoffMs(e.failures, deps.timing) : deps.timing.pollMs);
    }
    return JSON.stringify(e.state) !== before;
  }
}
