// The spend report and the ledger rows behind CSV export: read from the month files on disk (every
// writer's lines), filtered on each line's own `ts` in local time.
import type { Logger } from '../core/log';
import type { LedgerRecord } from '../protocol/ledger';
import type { SpendReport, SpendReportParams } from '../protocol/messages';
import { daysBetween, localDay, monthFilesBetween, nextMonth, parseLocalDay, previousMonth } from './files';
import { readLedgerFile } from './reader';

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
  const byDay = new Map(daysBetween(range.from, range.to).map((day) => [day, { day, usd: 0, requests: 0 }]));
  const byModel = new Map<string, SpendReport['byModel'][number]>();
  const bySource = new Map<string, { source: string; usd: number; requests: number }>();
  let totalUsd = 0;
  let unknownCostRequests = 0;
  for (const r of records) {
    const cost = r.costUsd ?? 0;
    if (r.costUsd === null) unknownCostRequests++;
    totalUsd += cost;
    const d = byDay.get(localDay(new Date(r.ts)));
    if (d) {
      d.usd += cost;
      d.requests++;
    }
    // What ran is what cost money (`auto` names no model), so group by the served model when known.
    const model = r.servedModel || r.model;
    const key = JSON.stringify([model, r.gateway]);
    let m = byModel.get(key);
    if (!m) byModel.set(key, (m = { model, gateway: r.gateway, usd: 0, requests: 0, inputTokens: 0, outputTokens: 0, bySource: {} }));
    m.bySource![r.source] = (m.bySource![r.source] ?? 0) + cost;
    let s = bySource.get(r.source);
    if (!s) bySource.set(r.source, (s = { source: r.source, usd: 0, requests: 0 }));
    s.usd += cost;
    s.requests++;
    m.usd += cost;
    m.requests++;
    m.inputTokens += r.inputTokens;
    m.outputTokens += r.outputTokens;
  }
  return {
    from: range.from,
    to: range.to,
    totalUsd,
    requests: records.length,
    byDay: [...byDay.values()],
    byModel: [...byModel.values()].sort((a, b) => b.usd - a.usd || b.requests - a.requests),
    bySource: [...bySource.values()].sort((a, b) => b.usd - a.usd || b.requests - a.requests),
    unknownCostRequests,
  };
}
