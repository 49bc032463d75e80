// The spend report and the ledger rows behind CSV export: read from the month files on disk (every
// writer's lines), filtered on each line's own `ts` in local time.
import type { Logger } from '../core/log';
import type { LedgerRecord } from '../protocol/ledger';
import type { SpendReport, SpendReportParams } from '../protocol/messages';
import { daysBetween, localDay, monthFilesBetween, nextMonth, parseLocalDay, previousMonth } from './files';
import { readLedgerFile } from './reader';
import { fromNanos, toNanos } from './usd';

/** Longest range one report covers (about ten years), so a typo cannot make the server loop for ages. */
const MAX_DAYS = 3700;
const DEFAULT_DAYS = 30;

export interface Range {
  from: string;
  to: string;
}

/** A report range a person got wrong (the LSP answers InvalidParams with this message). */
export class ReportRangeError extends Error {
  override name = 'ReportRangeError';
}

/** Validate and default a range; throws a ReportRangeError a person can read. */
export function resolveRange(p: SpendReportParams, now: Date): Range {
  const to = p.to ?? localDay(now);
  let from = p.from;
  if (!from) {
    const start = parseLocalDay(to) ?? now;
    const d = new Date(start.getFullYear(), start.getMonth(), start.getDate() - (DEFAULT_DAYS - 1));
    from = localDay(d);
  }
  for (const [name, v] of [['from', from], ['to', to]] as const) {
    if (!parseLocalDay(v)) throw new ReportRangeError(`"${name}" must be a calendar date YYYY-MM-DD, got "${v}"`);
  }
  if (from > to) throw new ReportRangeError(`"from" (${from}) is after "to" (${to})`);
  if (daysBetween(from, to).length > MAX_DAYS) throw new ReportRangeError(`a report covers at most ${MAX_DAYS} days`);
  return { from, to };
}

/** Every valid record whose local day lies in the range, oldest first. */
export async function readRange(dir: string, range: Range, log: Logger): Promise<LedgerRecord[]> {
  // Neighbouring months too: a writer in another time zone files by its own local month.
  const files = monthFilesBetween(dir, previousMonth(range.from.slice(0, 7)), nextMonth(range.to.slice(0, 7)));
  const out: LedgerRecord[] = [];
  for (const f of files) {
    for (const r of await readLedgerFile(f, log)) {
      const day = localDay(new Date(r.ts));
      if (day >= range.from && day <= range.to) out.push(r);
    }
  }
  return out.sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
}

/** Aggregate by day (every day of the range present, zeros included, for the chart), by model × gateway and by source. */
export function buildReport(range: Range, records: LedgerRecord[]): SpendReport {
  // Sums in integer nano-dollars (usd.ts): exact however many lines; dollars only at the end.
  const byDay = new Map(daysBetween(range.from, range.to).map((day) => [day, { day, nanos: 0, requests: 0 }]));
  type ModelRow = Omit<SpendReport['byModel'][number], 'usd' | 'cacheSavingsUsd' | 'bySource'> & { nanos: number; savedNanos: number; sourceNanos: Map<string, number> };
  const byModel = new Map<string, ModelRow>();
  const bySource = new Map<string, { source: string; nanos: number; requests: number }>();
  let total = 0;
  let unknownCostRequests = 0;
  let requests = 0;
  let cachedInputTokens = 0;
  let savedNanos = 0;
  for (const r of records) {
    const nanos = r.costUsd === null ? 0 : toNanos(r.costUsd);
    // A correction adds its difference to the request it corrects (same day, same model) but no request.
    const counts = r.corrects === undefined ? 1 : 0;
    if (r.costUsd === null && counts) unknownCostRequests++;
    total += nanos;
    requests += counts;
    const d = byDay.get(localDay(new Date(r.ts)));
    if (d) {
      d.nanos += nanos;
      d.requests += counts;
    }
    // What ran is what cost money (`auto` names no model), so group by the served model when known.
    const model = r.servedModel || r.model;
    const key = JSON.stringify([model, r.gateway]);
    let m = byModel.get(key);
    if (!m) byModel.set(key, (m = { model, gateway: r.gateway, nanos: 0, savedNanos: 0, sourceNanos: new Map(), requests: 0, inputTokens: 0, outputTokens: 0 }));
    m.nanos += nanos;
    m.requests += counts;
    m.inputTokens += r.inputTokens;
    m.outputTokens += r.outputTokens;
    m.sourceNanos.set(r.source, (m.sourceNanos.get(r.source) ?? 0) + nanos);
    let s = bySource.get(r.source);
    if (!s) bySource.set(r.source, (s = { source: r.source, nanos: 0, requests: 0 }));
    s.nanos += nanos;
    s.requests += counts;
    // Lines written before the cache fields existed simply add nothing here.
    if (r.cachedInputTokens) {
      m.cachedInputTokens = (m.cachedInputTokens ?? 0) + r.cachedInputTokens;
      cachedInputTokens += r.cachedInputTokens;
    }
    if (r.cacheSavingsUsd) {
      const saved = toNanos(r.cacheSavingsUsd);
      m.savedNanos += saved;
      savedNanos += saved;
    }
  }
  return {
    from: range.from,
    to: range.to,
    totalUsd: fromNanos(total),
    requests,
    byDay: [...byDay.values()].map(({ nanos, ...d }) => ({ ...d, usd: fromNanos(nanos) })),
    byModel: [...byModel.values()]
      .sort((a, b) => b.nanos - a.nanos || b.requests - a.requests)
      .map(({ nanos, savedNanos: saved, sourceNanos, ...m }) => ({
        ...m,
        usd: fromNanos(nanos),
        ...(saved ? { cacheSavingsUsd: fromNanos(saved) } : {}),
        bySource: Object.fromEntries([...sourceNanos].map(([k, v]) => [k, fromNanos(v)])),
      })),
    bySource: [...bySource.values()]
      .sort((a, b) => b.nanos - a.nanos || b.requests - a.requests)
      .map(({ nanos, ...s }) => ({ ...s, usd: fromNanos(nanos) })),
    unknownCostRequests,
    ...estimateShares(records),
    cachedInputTokens,
    cacheSavingsUsd: fromNanos(savedNanos),
  };
}

/** The part of the spend that is still our estimate, and the part the gateways' own books confirmed afterwards (reconcile.ts). */
export function estimateShares(records: LedgerRecord[]): { estimatedUsd: number; reconciledUsd: number } {
  const corrections = new Map<string, number>();
  for (const r of records) if (r.corrects !== undefined) corrections.set(r.corrects, (corrections.get(r.corrects) ?? 0) + toNanos(r.costUsd ?? 0));
  let estimated = 0;
  let reconciled = 0;
  for (const r of records) {
    if (r.corrects !== undefined) continue;
    const delta = corrections.get(r.requestId);
    if (delta !== undefined) reconciled += toNanos(r.costUsd ?? 0) + delta;
    else estimated += estimatedNanos(r);
  }
  return { estimatedUsd: fromNanos(estimated), reconciledUsd: fromNanos(reconciled) };
}

/** The estimated part of one line: its estimated tries, or the whole line when its cost is an estimate. */
export function estimatedNanos(r: LedgerRecord): number {
  if (r.attempts?.length) return r.attempts.reduce((n, a) => n + (a.costSource === 'estimated' && a.costUsd !== null ? toNanos(a.costUsd) : 0), 0);
  return r.costSource === 'estimated' && r.costUsd !== null ? toNanos(r.costUsd) : 0;
}
