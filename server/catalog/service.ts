// The catalog service: every configured gateway's models, cached on disk, refreshed on a timer and on
// demand, merged into one catalog; the embedded price table when nothing else is there.
// Lifecycle: start() serves the disk cache (or the table) at once, then refreshes in the background;
// update(settings) follows gateway edits; dispose() aborts in-flight requests and stops the timer.
// A failed refresh keeps the gateway's last good list and says why in its status.
import type { Dispatcher } from 'undici';
import type { Logger } from '../core/log';
import type { KeyProvider } from '../core/keys';
import type { CatalogService, Disposable } from '../core/services';
import type { CatalogQuery, CatalogResult, CatalogSource, GatewayState, GatewayStatus, MergedModel, Model } from '../protocol/model';
import { resolveGateways, type ResolvedGateway, type Settings } from '../protocol/settings';
import type { GatewayAdapter } from '../gateways/types';
import { adapterFor } from '../gateways';
import { HttpError } from '../http/errors';
import { errorMessage } from '../core/errors';
import { readCache, writeCache } from './cache';
import { mergeCatalog, preferenceOrder } from './merge';
import { CatalogIndex } from './lookup';
import { groupCatalog, queryCatalog } from './query';
import { providerNames } from './providers';
import { describeFailure, gatewayLabel } from './status';
import { OFFLINE_GATEWAY, loadPriceTable, loadedPriceTable, type PriceTable } from './table';

interface GatewayEntry {
  gw: ResolvedGateway;
  adapter: GatewayAdapter;
  models: Model[];
  etag?: string;
  source: 'live' | 'cache' | 'none';
  state: GatewayState;
  message?: string;
  updatedAt?: string;
  hasKey: boolean;
  inflight?: { ctrl: AbortController; done: Promise<void> };
}

/** What the catalog needs from its process (server/core/app.ts wires it; the offline CLI builds it by hand). */
export interface CatalogDeps {
  /** Where each gateway's catalog is cached. */
  dataDir: string;
  getSettings: () => Settings;
  keys: KeyProvider;
  log: Logger;
  /** Use only the embedded table (CLI --offline). */
  offline?: boolean;
  /** Absent only where no gateway is ever called (offline CLI runs). */
  dispatcher?: Dispatcher;
  /** Limit for one catalog call (tests shorten it). */
  timeoutMs?: number;
}

export function createCatalogService(opts: CatalogDeps): CatalogService {
  return new Catalog(opts);
}

class Catalog implements CatalogService {
  private entries: GatewayEntry[] = [];
  private settings: Settings;
  private index = new CatalogIndex([], []);
  private offers_ = new Map<string, Model[]>();
  private version_ = 0;
  private source_: CatalogSource = 'offline';
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private intervalMinutes = -1;
  private disposed = false;
  private started = false;
  private answeredLive = false;
  private names: { all: readonly MergedModel[]; table: PriceTable | undefined; name: (slug: string) => string } | undefined;

  constructor(private readonly opts: CatalogDeps) {
    this.settings = opts.getSettings();
    this.entries = opts.offline ? [] : resolveGateways(this.settings).map((gw) => this.newEntry(gw));
  }

  get version(): number {
    return this.version_;
  }

  get source(): CatalogSource {
    return this.source_;
  }

  async start(): Promise<void> {
    if (this.started || this.disposed) return;
    this.started = true;
    await Promise.all(this.entries.map((e) => this.loadCache(e)));
    // Nothing cached: the table is the catalog, so it is worth waiting for; otherwise it loads
    // in the background (it only fills prices that gateways do not publish).
    if (this.entries.every((e) => e.models.length === 0)) await this.ensureTable();
    else void this.ensureTable().then(() => this.rebuild());
    this.rebuild();
    if (this.opts.offline || this.disposed) return;
    void this.refresh();
    this.resetTimer();
  }

  async refresh(gatewayId?: string): Promise<GatewayStatus[]> {
    if (this.disposed) return this.statuses();
    const targets = gatewayId === undefined ? this.entries : this.entries.filter((e) => e.gw.id === gatewayId);
    await Promise.all(targets.map((e) => this.refreshOne(e)));
    return this.statuses().filter((s) => gatewayId === undefined || s.gateway === gatewayId);
  }

  query(q: CatalogQuery): CatalogResult {
    const { models, total } = queryCatalog(this.index, q);
    return { models, total, source: this.source_, version: this.version_ };
  }

  groups(groupBy: 'provider' | 'gateway', q?: CatalogQuery) {
    const table = loadedPriceTable();
    const order = preferenceOrder(this.entries.map((e) => e.gw.id), this.settings.defaultGateway);
    return groupCatalog(this.index, groupBy, q, {
      gatewayOrder: [...order, OFFLINE_GATEWAY],
      gateway: (id) => {
        const e = this.entries.find((x) => x.gw.id === id);
        return e ? gatewayLabel(e.gw) : id === OFFLINE_GATEWAY ? 'Embedded price table (offline)' : id;
      },
      provider: this.providerName(table),
    });
  }

  /** Display names for this catalog snapshot (./providers), built once per snapshot and table. */
  private providerName(table: PriceTable | undefined): (slug: string) => string {
    const all = this.index.models;
    if (this.names?.all !== all || this.names.table !== table) this.names = { all, table, name: providerNames(all, table?.providerNames) };
    return this.names.name;
  }

  find(id: string): MergedModel | undefined {
    const infer = loadedPriceTable()?.inferProvider;
    const alias = this.settings.aliases[id.trim()];
    return (alias ? this.index.find(alias, infer) : undefined) ?? this.index.find(id, infer);
  }

  offers(canonicalId: string): Model[] {
    return this.offers_.get(canonicalId.toLowerCase()) ?? [];
  }

  all(): readonly MergedModel[] {
    return this.index.models;
  }

  statuses(): GatewayStatus[] {
    return this.entries.map((e) => ({
      gateway: e.gw.id,
      kind: e.gw.kind,
      label: gatewayLabel(e.gw),
      state: e.state,
      message: e.message,
      modelCount: e.models.length,
      source: e.source,
      updatedAt: e.updatedAt,
      hasKey: e.hasKey,
    }));
  }

  onDidChange(listener: () => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  update(settings: Settings): void {
    if (this.disposed) return;
    const key = (x: Settings) => JSON.stringify([resolveGateways(x), x.defaultGateway, x.aliases, x.catalog]);
    if (key(settings) === key(this.settings)) {
      this.settings = settings;
      return;
    }
    this.settings = settings;
    if (this.opts.offline) return this.rebuild();
    const next = resolveGateways(settings);
    const old = new Map(this.entries.map((e) => [e.gw.id, e]));
    const fresh: GatewayEntry[] = [];
    this.entries = next.map((gw) => {
      const prev = old.get(gw.id);
      old.delete(gw.id);
      if (prev && JSON.stringify(prev.gw) === JSON.stringify(gw)) return prev;
      prev?.inflight?.ctrl.abort();
      const e = this.newEntry(gw);
      fresh.push(e);
      return e;
    });
    for (const gone of old.values()) gone.inflight?.ctrl.abort();
    this.rebuild();
    if (this.started) {
      for (const e of fresh) void this.loadCache(e).then(() => !this.disposed && this.rebuild()).then(() => this.refreshOne(e));
      this.resetTimer();
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const e of this.entries) e.inflight?.ctrl.abort();
    this.listeners.clear();
  }

  // ---- internals ------------------------------------------------------------------------------

  private newEntry(gw: ResolvedGateway): GatewayEntry {
    return { gw, adapter: adapterFor(gw.kind), models: [], source: 'none', state: 'loading', hasKey: false };
  }

  private async loadCache(e: GatewayEntry): Promise<void> {
    const cached = await readCache(this.opts.dataDir, e.gw);
    if (!cached || e.source === 'live' || cached.models.length === 0) return;
    e.models = cached.models;
    e.etag = cached.etag;
    e.source = 'cache';
    e.updatedAt = cached.fetchedAt;
  }

  private async ensureTable(): Promise<PriceTable | undefined> {
    try {
      return await loadPriceTable();
    } catch (err) {
      this.opts.log.error(`the embedded price table failed to load: ${errorMessage(err)}`);
      return undefined;
    }
  }

  private refreshOne(e: GatewayEntry): Promise<void> {
    if (this.disposed || !this.entries.includes(e)) return Promise.resolve();
    if (e.inflight) return e.inflight.done;
    const ctrl = new AbortController();
    const before = { state: e.state, message: e.message };
    e.state = 'loading';
    this.emit();
    const done = this.fetchInto(e, ctrl.signal, before).finally(() => {
      e.inflight = undefined;
      if (!this.disposed && this.entries.includes(e)) this.rebuild();
    });
    e.inflight = { ctrl, done };
    return done;
  }

  private async fetchInto(e: GatewayEntry, signal: AbortSignal, before: { state: GatewayState; message?: string }): Promise<void> {
    const log = this.opts.log;
    try {
      await this.ensureTable(); // canonical IDs of bare model names come from the table's rules
      const apiKey = await this.opts.keys.get(e.gw);
      e.hasKey = !!apiKey;
      const dispatcher = this.opts.dispatcher;
      if (!dispatcher) throw new HttpError('network', 'no network connection is available in this mode');
      const ctx = { gateway: e.gw, apiKey, dispatcher, log, timeoutMs: this.opts.timeoutMs };
      const res = await e.adapter.listModels(ctx, signal, e.models.length ? e.etag : undefined);
      if (signal.aborted) throw new HttpError('aborted', 'cancelled');
      const now = new Date().toISOString();
      if (res.notModified) {
        Object.assign(e, { source: 'live', state: 'ok', message: undefined, updatedAt: now });
      } else if (res.models.length === 0 && e.models.length > 0) {
        // An empty answer never replaces a catalog that had models.
        e.state = 'malformed';
        e.message = `${gatewayLabel(e.gw)}: the gateway listed no models; keeping the last good catalog (${e.models.length} models).`;
        log.warn(e.message);
        return;
      } else {
        Object.assign(e, { models: res.models, etag: res.etag, source: 'live', state: 'ok', updatedAt: now });
        e.message = res.warnings?.length ? `${gatewayLabel(e.gw)}: ${res.warnings.join('; ')}.` : undefined;
        if (e.message) log.warn(e.message);
        // Rebuild before the disk write so that lookups see the new models at once (the pipeline
        // resolves requests against the index while the cache is being written).
        this.answeredLive = true;
        if (!this.disposed) this.rebuild();
        await writeCache(this.opts.dataDir, e.gw, res.models, res.etag).catch((err) => log.warn(`could not write the catalog cache of ${e.gw.id}: ${errorMessage(err)}`));
      }
      this.answeredLive = true;
      log.info(`${gatewayLabel(e.gw)}: ${e.models.length} models${res.notModified ? ' (unchanged)' : ''}`);
    } catch (err) {
      if (signal.aborted || this.disposed) {
        // Superseded or shutting down: not the gateway's fault, nothing to report.
        if (e.state === 'loading') Object.assign(e, before);
        return;
      }
      const { state, message } = describeFailure(e.gw, err, e.hasKey);
      e.state = state;
      e.message = e.models.length ? `${message} Showing the last good catalog (${e.models.length} models).` : message;
      log.warn(e.message);
    }
  }

  private resetTimer(): void {
    const minutes = this.settings.catalog.refreshIntervalMinutes;
    if (minutes === this.intervalMinutes && (this.timer || minutes === 0)) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.intervalMinutes = minutes;
    if (minutes > 0 && !this.disposed && !this.opts.offline) {
      this.timer = setInterval(() => void this.refresh(), minutes * 60_000);
      this.timer.unref?.();
    }
  }

  private rebuild(): void {
    if (this.disposed) return;
    const table = loadedPriceTable();
    const gateways = this.entries.map((e) => ({ gateway: e.gw.id, models: e.models }));
    const out = mergeCatalog({ gateways, defaultGateway: this.settings.defaultGateway, table });
    this.index = new CatalogIndex(out.models, gateways);
    this.offers_ = out.offers;
    this.source_ = out.offline ? 'offline' : this.answeredLive ? 'live' : 'cache';
    this.emit();
  }

  private emit(): void {
    if (this.disposed) return;
    this.version_++;
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch (err) {
        this.opts.log.error(`catalog listener failed: ${errorMessage(err)}`);
      }
    }
  }
}
