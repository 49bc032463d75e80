// Running spend totals built from ledger lines (from every writer), keyed by local calendar day and
// gateway, plus the session (lines whose `ts` is at or after this process started). Costs that are
// unknown (`costUsd: null`) add nothing to the dollars but are counted, so "unknown" is never a
// silent zero in the numbers shown. Dollars are summed as integer nano-dollars (usd.ts): exact.
// A correction line (`corrects`) adds its difference but no request.
import type { LedgerRecord } from '../protocol/ledger';
import { localDay } from './files';
import { fromNanos, toNanos } from './usd';

export interface Cell {
  usd: number;
  requests: number;
  unknownCost: number;
}

interface NanoCell {
  nanos: number;
  requests: number;
  unknownCost: number;
}

const empty = (): NanoCell => ({ nanos: 0, requests: 0, unknownCost: 0 });

function add(cell: NanoCell, r: LedgerRecord): void {
  if (r.corrects === undefined) cell.requests++;
  if (r.costUsd === null) {
    if (r.corrects === undefined) cell.unknownCost++;
  } else cell.nanos += toNanos(r.costUsd);
}

function sum(cells: Iterable<NanoCell>): NanoCell {
  const out = empty();
  for (const c of cells) {
    out.nanos += c.nanos;
    out.requests += c.requests;
    out.unknownCost += c.unknownCost;
  }
  return out;
}

function toCell(c: NanoCell): Cell {
  return { usd: fromNanos(c.nanos), requests: c.requests, unknownCost: c.unknownCost };
}

export class SpendTotals {
  private readonly days = new Map<string, Map<string, NanoCell>>();
  private readonly session = new Map<string, NanoCell>();

  constructor(private readonly sessionStartMs: number) {}

  add(r: LedgerRecord): void {
    const when = new Date(r.ts);
    const day = localDay(when);
    let byGw = this.days.get(day);
    if (!byGw) this.days.set(day, (byGw = new Map()));
    add(cellOf(byGw, r.gateway), r);
    if (when.getTime() >= this.sessionStartMs) add(cellOf(this.session, r.gateway), r);
  }

  clear(): void {
    this.days.clear();
    this.session.clear();
  }

  /** Spend on one local day (`YYYY-MM-DD`), for one gateway or all. */
  day(day: string, gateway?: string): Cell {
    return toCell(pick(this.days.get(day), gateway));
  }

  /** Spend in one local month (`YYYY-MM`), for one gateway or all. */
  month(month: string, gateway?: string): Cell {
    const cells: NanoCell[] = [];
    for (const [day, byGw] of this.days) if (day.startsWith(month + '-')) cells.push(pick(byGw, gateway));
    return toCell(sum(cells));
  }

  sessionSpend(gateway?: string): Cell {
    return toCell(pick(this.session, gateway));
  }

  /** Drop days before `day` so a long-running server does not grow without bound. */
  forgetBefore(day: string): void {
    for (const d of [...this.days.keys()]) if (d < day) this.days.delete(d);
  }
}

function cellOf(map: Map<string, NanoCell>, key: string): NanoCell {
  let c = map.get(key);
  if (!c) map.set(key, (c = empty()));
  return c;
}

function pick(map: Map<string, NanoCell> | undefined, gateway?: string): NanoCell {
  if (!map) return empty();
  if (gateway !== undefined) return { ...(map.get(gateway) ?? empty()) };
  return sum(map.values());
}
