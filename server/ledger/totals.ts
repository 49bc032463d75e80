// Running spend totals built from ledger lines (from every writer), keyed by local calendar day and
// gateway, plus the session (lines whose `ts` is at or after this process started). Costs that are
// unknown (`costUsd: null`) add nothing to the dollars but are counted, so "unknown" is never a
// silent zero in the numbers shown.
import type { LedgerRecord } from '../protocol/ledger';
import { localDay } from './files';

export interface Cell {
  usd: number;
  requests: number;
  unknownCost: number;
}

const empty = (): Cell => ({ usd: 0, requests: 0, unknownCost: 0 });

function add(cell: Cell, r: LedgerRecord): void {
  cell.requests++;
  if (r.costUsd === null) cell.unknownCost++;
  else cell.usd += r.costUsd;
}

function sum(cells: Iterable<Cell>): Cell {
  const out = empty();
  for (const c of cells) {
    out.usd += c.usd;
    out.requests += c.requests;
    out.unknownCost += c.unknownCost;
  }
  return out;
}

export class SpendTotals {
  private readonly days = new Map<string, Map<string, Cell>>();
  private readonly session = new Map<string, Cell>();

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
    return pick(this.days.get(day), gateway);
  }

  /** Spend in one local month (`YYYY-MM`), for one gateway or all. */
  month(month: string, gateway?: string): Cell {
    const cells: Cell[] = [];
    for (const [day, byGw] of this.days) if (day.startsWith(month + '-')) cells.push(pick(byGw, gateway));
    return sum(cells);
  }

  sessionSpend(gateway?: string): Cell {
    return pick(this.session, gateway);
  }

  /** Drop days before `day` so a long-running server does not grow without bound. */
  forgetBefore(day: string): void {
    for (const d of [...this.days.keys()]) if (d < day) this.days.delete(d);
  }
}

function cellOf(map: Map<string, Cell>, key: string): Cell {
  let c = map.get(key);
  if (!c) map.set(key, (c = empty()));
  return c;
}

function pick(map: Map<string, Cell> | undefined, gateway?: string): Cell {
  if (!map) return empty();
  if (gateway !== undefined) return { ...(map.get(gateway) ?? empty()) };
  return sum(map.values());
}
