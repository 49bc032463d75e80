// Shared by the ledger/budget tests: a ledger line factory, a stand-in catalog (the money service
// only reads its statuses and source) and a money service on a temporary data directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Agent } from 'undici';
import type { CatalogService } from '../../server/core/services';
import type { LedgerRecord } from '../../server/protocol/ledger';
import type { GatewayStatus } from '../../server/protocol/model';
import { parseSettings, type Settings, type SettingsInput } from '../../server/protocol/settings';
import { createKeyProvider } from '../../server/core/keys';
import { silentLogger, type Logger } from '../../server/core/log';
import { createMoneyService, type MoneyDeps } from '../../server/ledger/money';

let seq = 0;
export function line(over: Partial<LedgerRecord> = {}): LedgerRecord {
  seq++;
  return {
    ts: new Date().toISOString(),
    source: 'proxy',
    gateway: 'nemo',
    model: 'gpt-4o-mini',
    servedModel: 'gpt-4o-mini',
    inputTokens: 10,
    outputTokens: 20,
    costUsd: 0.01,
    costSource: 'gateway',
    status: 'ok',
    requestId: `req-${process.pid}-${seq}`,
    ...over,
  };
}

export function tempDir(prefix = 'switchyard-ledger-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A temporary data directory removed when the test ends. */
export function tempDirFor(t: { after(fn: () => void): void }): string {
  const d = tempDir();
  t.after(d.cleanup);
  return d.dir;
}

export function settings(input: SettingsInput): Settings {
  const r = parseSettings(input);
  if (!r.ok) throw new Error(r.error);
  return r.settings;
}

export function stubCatalog(statuses: GatewayStatus[] = [], source: CatalogService['source'] = 'live'): CatalogService {
  return {
    async start() {},
    async refresh() { return statuses; },
    query: () => ({ models: [], total: 0, source, version: 1 }),
    groups: () => [],
    find: () => undefined,
    offers: () => [],
    all: () => [],
    statuses: () => statuses,
    version: 1,
    source,
    onDidChange: () => ({ dispose() {} }),
    update() {},
    dispose() {},
  };
}

/** A logger that keeps what it was told, to assert on warnings. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => void lines.push(`${level}: ${m}`);
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

export function money(dataDir: string, s: Settings, extra: Partial<MoneyDeps> = {}) {
  return createMoneyService({
    dataDir,
    getSettings: () => s,
    keys: createKeyProvider({}),
    log: silentLogger,
    dispatcher: new Agent(),
    catalog: stubCatalog(),
    ...extra,
  });
}
