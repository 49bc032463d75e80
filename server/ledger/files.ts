// Where the ledger lives and how local calendar days/months are named.
//
// Layout (documented in the README): `<dataDir>/ledger/ledger-YYYY-MM.jsonl`, one file per local
// calendar month of the record's `ts`. Monthly files keep "today" and "this month" (the numbers every
// budget check needs) to one small file, let a person archive or delete old months by hand, and keep
// the spend report's reads proportional to the range asked for. Readers never trust the file name
// alone: every aggregation filters on each line's own `ts`.
import { closeSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

export const LEDGER_DIR = 'ledger';
const FILE_RE = /^ledger-(\d{4})-(\d{2})\.jsonl$/;

export function ledgerDir(dataDir: string): string {
  return path.join(dataDir, LEDGER_DIR);
}

const pad = (n: number) => String(n).padStart(2, '0');

// Each local-calendar conversion is a time-zone lookup, and the ledger's hot path (every record,
// every budget check) asks about the same second again and again: the last answer is kept. Zone
// offsets are whole seconds, so a second never straddles two local days.
let lastDay = { sec: NaN, day: '' };

/** `YYYY-MM-DD` of a moment in local time. */
export function localDay(d: Date): string {
  const sec = Math.floor(d.getTime() / 1000);
  if (sec === lastDay.sec) return lastDay.day;
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  lastDay = { sec, day };
  return day;
}

/** `YYYY-MM` of a moment in local time. */
export function localMonth(d: Date): string {
  return localDay(d).slice(0, 7);
}

/** The month before `YYYY-MM`. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${pad(m - 1)}`;
}

export function monthFile(dir: string, month: string): string {
  return path.join(dir, `ledger-${month}.jsonl`);
}

/** Month files present in `dir` whose month lies within [fromMonth, toMonth] (inclusive), oldest first. */
export function monthFilesBetween(dir: string, fromMonth: string, toMonth: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return []; // no ledger yet
  }
  return names
    .map((n) => FILE_RE.exec(n))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => `${m[1]}-${m[2]}`)
    .filter((month) => month >= fromMonth && month <= toMonth)
    .sort()
    .map((month) => monthFile(dir, month));
}

/** Parse `YYYY-MM-DD` as local midnight; undefined when not a real calendar date. */
export function parseLocalDay(day: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return localDay(d) === day ? d : undefined;
}

/** Every local day from `from` to `to` inclusive (both `YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const start = parseLocalDay(from);
  const end = parseLocalDay(to);
  if (!start || !end) return out;
  // Step by calendar date, not by 24 h, so DST changes never skip or repeat a day.
  for (const d = start; localDay(d) <= to && out.length < 40_000; d.setDate(d.getDate() + 1)) out.push(localDay(d));
  return out;
}

/** The month after `YYYY-MM`. */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${pad(m + 1)}`;
}

/**
 * How often, at most, the ledger's writer and readers check that a month file's path still names the
 * inode they hold open (ms). Between checks, appends and reads go straight to that inode; a file
 * someone deletes, renames or replaces by hand is noticed within this time (writer.ts, reader.ts).
 */
export const PATH_RECHECK_MS = 250;

/** Close a ledger descriptor we are done with; one already closed (or never opened) is not an error. */
export function closeQuietly(fd: number | undefined): void {
  if (fd === undefined) return;
  try {
    closeSync(fd);
  } catch {
    // already gone: nothing to release
  }
}
