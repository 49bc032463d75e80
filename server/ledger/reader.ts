// Reading the ledger, tolerant by construction: a torn last line (a writer killed mid-write), a line
// garbled by hand or a record from a future version never throws. Bad lines are skipped, counted and
// reported in one warning per read, and a torn fragment that another writer's line was appended to
// is resynchronised on the last `{"ts":` (the writer always puts `ts` first), so the good line
// behind the fragment is still counted.
import { closeSync, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Logger } from '../core/log';
import { closeQuietly, PATH_RECHECK_MS } from './files';
import { LedgerRecordSchema, type LedgerRecord } from '../protocol/ledger';

const RESYNC = '{"ts":';
const CHUNK = 1 << 20;

export interface ParseResult {
  records: LedgerRecord[];
  /** Unreadable lines and torn fragments dropped in front of a good line. */
  skipped: number;
}

/** Parse one line; undefined when it is not a valid record even after resync. */
export function parseLine(line: string): LedgerRecord | undefined {
  return parseLineDetailed(line).record;
}

/** `dropped`: a torn fragment was cut off the front (resync) or the whole line was unreadable. */
function parseLineDetailed(line: string): { record?: LedgerRecord; dropped: boolean } {
  const text = line.trim();
  if (!text) return { dropped: false };
  const direct = tryRecord(text);
  if (direct) return { record: direct, dropped: false };
  const at = text.lastIndexOf(RESYNC);
  return { record: at > 0 ? tryRecord(text.slice(at)) : undefined, dropped: true };
}

function tryRecord(text: string): LedgerRecord | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const r = LedgerRecordSchema.safeParse(raw);
  return r.success && !Number.isNaN(Date.parse(r.data.ts)) ? r.data : undefined;
}

/** Parse complete lines (each ended by "\n"). */
export function parseLines(text: string): ParseResult {
  const records: LedgerRecord[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    const { record, dropped } = parseLineDetailed(line);
    if (record) records.push(record);
    if (dropped) skipped++;
  }
  return { records, skipped };
}

/** Read a whole file; a trailing fragment without "\n" is included (it may be a torn line: skipped if bad). */
export async function readLedgerFile(file: string, log: Logger): Promise<LedgerRecord[]> {
  let text: string;
  try {
    const fh = await open(file, 'r');
    try {
      text = (await fh.readFile()).toString('utf8');
    } finally {
      await fh.close();
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') log.warn(`cannot read ledger ${file}: ${(e as Error).message}`);
    return [];
  }
  const { records, skipped } = parseLines(text);
  if (skipped) log.warn(`ledger ${file}: skipped ${skipped} unreadable line(s) (torn or edited by hand)`);
  return records;
}

/**
 * Follows one ledger file as it grows, from any writer: each `poll()` reads only the bytes added
 * since the last one. Bytes after the last "\n" are held back until their line is complete, so a
 * line another process is writing right now is never half-counted. Synchronous on purpose: a budget
 * check must see every line committed before it, and the delta is a few hundred bytes.
 */
export class LedgerTail {
  private offset = 0;
  private ino = -1;
  private pending = Buffer.alloc(0);
  /** A read descriptor on the inode followed, for the quick look; see poll(). */
  private probe: { fd: number; ino: number } | undefined;
  /** When the path was last checked to still name that inode (performance.now()). */
  private pathCheckedAt = -Infinity;

  constructor(
    readonly file: string,
    private readonly log: Logger,
  ) {}

  /** New complete records since the last poll. `reset` is true when the file was replaced or truncated. */
  poll(): { records: LedgerRecord[]; reset: boolean } {
    // Hot path (every budget check on the proxy). The quick look: an fstat of the descriptor we keep
    // on the inode we follow (no path walk; a stat of the path per check was one of the largest
    // system-call costs of a proxied request). Same size and still linked: no writer appended, and
    // the file was neither truncated, deleted nor replaced (an editor's save-by-rename unlinks the
    // old inode). Only a rename of the file elsewhere is invisible to it: the path is looked at
    // again at most every PATH_RECHECK_MS.
    if (this.probe && this.probe.ino === this.ino && performance.now() - this.pathCheckedAt < PATH_RECHECK_MS) {
      try {
        const st = fstatSync(this.probe.fd);
        if (st.nlink > 0 && st.size === this.offset) return { records: [], reset: false };
      } catch {
        this.close(); // fall through to the full look
      }
    }
    // A missing file (last month's, usually) is an answer, not an exception: no Error object and
    // stack trace per check.
    let st: Stats | undefined | null = null;
    try {
      st = statSync(this.file, { throwIfNoEntry: false });
    } catch {
      // fall through (st stays null): the open below reports an unreadable file
    }
    if (st) this.pathCheckedAt = performance.now();
    if (st && st.ino === this.ino && st.size === this.offset) {
      this.openProbe(st.ino);
      return { records: [], reset: false };
    }
    if (st === undefined && this.ino === -1 && this.offset === 0) return { records: [], reset: false }; // still no such file
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`cannot read ledger ${this.file}: ${(e as Error).message}`);
      const reset = this.offset > 0;
      this.restart(-1);
      return { records: [], reset };
    }
    try {
      const st = fstatSync(fd);
      let reset = false;
      if (st.ino !== this.ino || st.size < this.offset) {
        // Deleted and recreated, or truncated by hand: start over (the caller recounts).
        reset = this.ino !== -1 || this.offset > 0;
        this.restart(st.ino);
      }
      return { records: this.readNew(fd, st.size), reset };
    } finally {
      closeSync(fd);
    }
  }

  private openProbe(ino: number): void {
    if (this.probe?.ino === ino) return;
    this.close();
    try {
      const fd = openSync(this.file, 'r');
      if (fstatSync(fd).ino === ino) this.probe = { fd, ino };
      else closeSync(fd); // replaced between the stat and the open: the next full look sorts it out
    } catch {
      // no quick look for now: every poll takes the full look
    }
  }

  /** Let go of the descriptor kept for the quick look (the tail is dropped, or the service disposed). */
  close(): void {
    const fd = this.probe?.fd;
    this.probe = undefined;
    closeQuietly(fd);
  }

  /**
   * This process just appended `bytes` ending at `size` (writer.ts `Appended`). When the file is
   * the one we follow and everything before our line was already read, the line is ours alone:
   * skip over it without reading it back (the caller counts the record it wrote) and return true.
   * Otherwise nothing changes, and the next poll() reads it together with any other writer's lines.
   */
  skipOwn(ino: number, size: number, bytes: number): boolean {
    if (ino !== this.ino || this.pending.length > 0 || this.offset !== size - bytes) return false;
    this.offset = size;
    return true;
  }

  private restart(ino: number): void {
    if (this.probe && this.probe.ino !== ino) this.close();
    this.ino = ino;
    this.offset = 0;
    this.pending = Buffer.alloc(0);
  }

  private readNew(fd: number, size: number): LedgerRecord[] {
    const out: LedgerRecord[] = [];
    let skipped = 0;
    while (this.offset < size) {
      const buf = Buffer.alloc(Math.min(CHUNK, size - this.offset));
      const n = readSync(fd, buf, 0, buf.length, this.offset);
      if (n <= 0) break;
      this.offset += n;
      const data = this.pending.length ? Buffer.concat([this.pending, buf.subarray(0, n)]) : buf.subarray(0, n);
      const lastNl = data.lastIndexOf(0x0a);
      if (lastNl < 0) {
        this.pending = Buffer.from(data);
        continue;
      }
      this.pending = Buffer.from(data.subarray(lastNl + 1));
      const parsed = parseLines(data.subarray(0, lastNl).toString('utf8'));
      out.push(...parsed.records);
      skipped += parsed.skipped;
    }
    if (skipped) this.log.warn(`ledger ${this.file}: skipped ${skipped} unreadable line(s) (torn or edited by hand)`);
    return out;
  }
}
