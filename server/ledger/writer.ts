// The ledger writer: every batch of records (money.ts gathers the lines of one turn of the event
// loop) is ONE `write(2)` of whole lines on a descriptor opened with O_APPEND, so several processes
// (VS Code windows, a headless `switchyard proxy`) can append to the same file at once without
// locks. The kernel positions each O_APPEND write at the end of the file atomically, and a local
// file system (ext4, xfs, btrfs, APFS, NTFS) holds the inode lock for the whole write, so lines
// never interleave and none is lost. (Network file systems such as NFS do not
// promise atomic appends from several machines; one machine's processes are what we share with.)
//
// The append itself is synchronous (one write and one fstat per batch: tens of microseconds on a
// local disk): it keeps lines in call order without a queue and avoids the thread-pool hops of
// fs/promises (measured here: ~1.3 ms per metered record through fs/promises, ~0.25 ms synchronous).
// The descriptor stays open while lines keep coming, checked against the path every PATH_RECHECK_MS
// (see outputFor), and the fstat after the write tells money.ts whether the lines are ours alone.
//
// fsync policy: `append()` resolves once write(2) has returned. From then on the line is in the
// kernel's page cache: it survives the death of any process (kill -9 included) and every other
// reader and writer sees it, which is what budgets across windows need. `fdatasync` follows in the
// background, after the caller's answer has gone out, one at a time and coalesced: lines written
// while a sync runs or waits are covered by the next one, and syncs start at most every
// SYNC_WINDOW_MS (5 ms; group commit). Within that window a sync waits for a moment when no request
// is waiting for its upstream's first byte (core/firstBytes.ts), and starts at the latest
// SYNC_WINDOW_MS after the oldest line it covers. A kernel crash or power cut therefore loses at most
// the lines of the last few milliseconds (the window plus one sync) while no LLM request ever waits for
// the disk (a sync costs 1-50 ms, more than a fast proxied answer; here each one also costs the
// kernel ~0.1 ms of CPU, which one sync per request made the largest part of a proxied request's
// cost — README "Proxy benchmark"). `flush()` waits for that sync (the CLI, tests, shutdown).
//
// Crash safety: a process killed during `write` leaves at worst a torn tail without a newline.
// The first time this process appends to a file it looks at the last byte and, if it is not "\n",
// starts with a newline so its lines stay whole for line-based tools (jq, grep). That look can race
// with another writer's write in progress (the size grows page by page), which costs at most one
// blank line per process and file: readers ignore blank lines. Whatever the probe misses, readers
// resynchronise on `{"ts":` (reader.ts), so a torn fragment never hides the line glued to it.
import { firstBytes, type Waiting } from '../core/firstBytes';
import { closeSync, fdatasync, fstatSync, mkdirSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import type { Logger } from '../core/log';
import type { LedgerRecord } from '../protocol/ledger';
import { errorMessage } from '../core/errors';
import { closeQuietly, ledgerDir, localMonth, monthFile, PATH_RECHECK_MS } from './files';

/** Serialise with `ts` first (readers use `{"ts":` to resync after a torn fragment), then every field the record has. */
export function formatLine(r: LedgerRecord): string {
  // JSON.stringify escapes every control character, so the line itself never contains "\n".
  // The pipeline builds its records with `ts` first already: no copy for them.
  for (const first in r) {
    if (first === 'ts') return JSON.stringify(r) + '\n';
    break;
  }
  const { ts, ...rest } = r;
  return JSON.stringify({ ts, ...rest }) + '\n';
}

/** Where an appended line landed, so this process's own reader can skip reading it back. */
export interface Appended {
  file: string;
  /** The file's inode and size right after our write(2). */
  ino: number;
  size: number;
  /** Bytes we wrote (the line, plus a leading "\n" after a torn tail). */
  bytes: number;
}

export interface LedgerWriter {
  /** Resolves once the line is written (visible to all, safe from process death); rejects with a readable error otherwise. */
  append(record: LedgerRecord): Promise<Appended>;
  /**
   * Writes several lines at once: ONE write(2) per month file for all of its lines, in order (an
   * O_APPEND write of whole lines is as atomic for several as for one). For each file in turn,
   * where its lines landed, or the readable error that kept them out; never throws.
   */
  appendAll(records: LedgerRecord[]): ({ records: LedgerRecord[] } & ({ ok: true; at: Appended } | { ok: false; error: Error }))[];
  /** Resolves when every line appended so far is synced to disk. */
  flush(): Promise<void>;
}

export function createLedgerWriter(dataDir: string, log: Logger, waiting: Pick<Waiting, 'none'> = firstBytes): LedgerWriter {
  const dir = ledgerDir(dataDir);
  const probed = new Set<string>();
  /** Files with lines not yet synced, and the inode our last line went to. */
  const dirty = new Map<string, number>();
  let syncing: Promise<void> | undefined;
  let syncFd: { file: string; ino: number; fd: number } | undefined;
  let out: { file: string; ino: number; fd: number; checkedAt: number } | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  let lastSyncStart = -Infinity;
  /** When the oldest line not yet handed to a sync was appended. */
  let firstDirtyAt = 0;
  /** The month file of the last `ts` second seen (see fileOf). */
  let fileSecond = '';
  let fileOfSecond = '';

  /**
   * A record's month file, by its `ts` in the local calendar. The pipeline's lines carry
   * `toISOString()` stamps: those of one second share a file (a local month starts on a whole
   * second in every time zone), so one Date parse and one path join serve every line of that second.
   */
  function fileOf(ts: string): string {
    const iso = ts.length === 24 && ts.charCodeAt(23) === 90; // "YYYY-MM-DDTHH:MM:SS.mmmZ"
    const second = iso ? ts.slice(0, 19) : '';
    if (iso && second === fileSecond) return fileOfSecond;
    const file = monthFile(dir, localMonth(new Date(ts)));
    if (iso) {
      fileSecond = second;
      fileOfSecond = file;
    }
    return file;
  }

  /**
   * The descriptor lines are appended to ('a' = O_WRONLY|O_CREAT|O_APPEND), kept open while lines
   * keep coming. It is used only while the path still names its inode, so a month change, or a person
   * deleting or archiving the file, never leaves us appending to an unlinked or renamed inode: the
   * path is looked at again at most every PATH_RECHECK_MS (a stat per line was the largest system
   * call cost of a proxied request), and the fstat after every write catches a deleted file at once
   * (appendLine). A file renamed within that interval receives the lines of those milliseconds: they
   * are on disk, in the renamed file.
   */
  function outputFor(file: string): { fd: number; ino: number; torn: boolean } {
    if (out && out.file === file) {
      if (performance.now() - out.checkedAt < PATH_RECHECK_MS) return { fd: out.fd, ino: out.ino, torn: false };
      const st = statSync(file, { throwIfNoEntry: false });
      if (st && st.ino === out.ino) {
        out.checkedAt = performance.now();
        return { fd: out.fd, ino: out.ino, torn: false };
      }
    }
    closeOutput();
    let fd: number;
    try {
      fd = openSync(file, 'a', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      mkdirSync(dir, { recursive: true, mode: 0o700 }); // first record, or the folder was removed
      fd = openSync(file, 'a', 0o600);
    }
    let torn = false;
    try {
      const st = fstatSync(fd);
      if (!probed.has(file)) {
        probed.add(file);
        torn = endsTorn(file, st.size);
      }
      out = { file, fd, ino: st.ino, checkedAt: performance.now() };
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    return { fd, ino: out.ino, torn };
  }

  function closeOutput(): void {
    const fd = out?.fd;
    out = undefined;
    closeQuietly(fd);
  }

  function appendLine(file: string, line: Buffer, again = false): Appended {
    const o = outputFor(file);
    let buf = line;
    if (o.torn) {
      buf = Buffer.concat([Buffer.from('\n'), line]);
      log.warn(`ledger ${file} ended with an incomplete line (a writer was interrupted, or is writing right now); starting on a new line`);
    }
    let st: { size: number; nlink: number };
    try {
      writeWhole(o.fd, buf, file, log);
      // One fstat after the write: if the size grew by exactly our bytes, no other writer appended
      // since this process last read the file, and money.ts counts the line without reading it back.
      st = fstatSync(o.fd);
    } catch (e) {
      closeOutput(); // start from a fresh open next time
      throw e;
    }
    if (st.nlink === 0 && !again) {
      // The file was deleted since the path was last looked at: the line went to an inode nobody
      // can reach. Write it again, to the file the path names now (created afresh).
      closeOutput();
      log.warn(`ledger ${file} was deleted while in use; starting it again`);
      return appendLine(file, line, true);
    }
    return { file, ino: o.ino, size: st.size, bytes: buf.length };
  }

  function requestSync(file: string, ino: number): void {
    if (dirty.size === 0) firstDirtyAt = performance.now();
    dirty.set(file, ino);
    syncing ??= runSyncs();
  }

  async function runSyncs(): Promise<void> {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = undefined;
    // Not before the caller's answer has gone out: handing a sync to the thread pool is not free.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (dirty.size) {
      // Group commit: one sync per window at most, covering every line appended meanwhile. A sync
      // costs the kernel ~0.1 ms of CPU and ~0.5 ms of disk here, so one per request would cost a
      // busy proxy more than the rest of its ledger work. The first line after a quiet spell is
      // synced at once, unless a first byte is awaited (below).
      const wait = lastSyncStart + SYNC_WINDOW_MS - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      // Not while a request waits for its upstream's first byte (the sync would delay it), but no
      // later than SYNC_WINDOW_MS after the oldest line it covers: what a crash can lose stays the
      // window plus one sync.
      await waiting.none(firstDirtyAt + SYNC_WINDOW_MS - performance.now());
      lastSyncStart = performance.now();
      const batch = [...dirty];
      dirty.clear();
      for (const [file, ino] of batch) {
        try {
          await datasync(syncDescriptor(file, ino));
        } catch (e) {
          closeSyncDescriptor();
          log.warn(`cannot sync the ledger ${file} to disk: ${errorMessage(e)}`);
        }
      }
    }
    syncing = undefined;
    idleTimer = setTimeout(closeIdle, IDLE_CLOSE_MS);
    idleTimer.unref();
  }

  /**
   * The descriptor syncs go through, kept open while lines keep coming (one thread-pool call per
   * sync instead of open + sync + close) and reopened when our lines go to another file or inode
   * (a new month, a person deleting or archiving the file). Any descriptor of the inode flushes all
   * of its dirty pages; 'r+' (writable, so it works on Windows too) never recreates a deleted file.
   * Only runSyncs and its idle timer use it, one at a time, so it is never closed mid-sync.
   */
  function syncDescriptor(file: string, ino: number): number {
    if (syncFd && syncFd.file === file && syncFd.ino === ino) return syncFd.fd;
    closeSyncDescriptor();
    syncFd = { file, ino, fd: openSync(file, 'r+') };
    return syncFd.fd;
  }

  /** Nothing written for a while: release both descriptors (the next line opens them again). */
  function closeIdle(): void {
    idleTimer = undefined;
    closeSyncDescriptor();
    closeOutput();
  }

  function closeSyncDescriptor(): void {
    const fd = syncFd?.fd;
    syncFd = undefined;
    closeQuietly(fd);
  }

  const writer: LedgerWriter = {
    async append(record) {
      const [r] = writer.appendAll([record]);
      if (!r.ok) throw r.error;
      return r.at;
    },
    appendAll(records) {
      // Consecutive lines of the same month go out together (a batch spans a month's end at most once).
      const groups: { file: string; records: LedgerRecord[]; text: string }[] = [];
      for (const record of records) {
        const file = fileOf(record.ts);
        const last = groups[groups.length - 1];
        if (last?.file === file) {
          last.records.push(record);
          last.text += formatLine(record);
        } else groups.push({ file, records: [record], text: formatLine(record) });
      }
      return groups.map(({ file, records: recs, text }) => {
        try {
          const at = appendLine(file, Buffer.from(text, 'utf8'));
          requestSync(file, at.ino);
          return { ok: true as const, records: recs, at };
        } catch (e) {
          return { ok: false as const, records: recs, error: new Error(`cannot append to the ledger ${file}: ${errorMessage(e)}`) };
        }
      });
    },
    async flush() {
      while (syncing) await syncing;
    },
  };
  return writer;
}

/** At most one fdatasync per this many ms (group commit); see the fsync policy above. */
const SYNC_WINDOW_MS = 5;
/** How long the descriptors stay open after the last sync (a burst of requests reuses them). */
const IDLE_CLOSE_MS = 1000;

function datasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (e) => (e ? reject(e) : resolve())));
}

/** True when the file's last byte is not "\n" (a torn line from an interrupted writer). */
function endsTorn(file: string, size: number): boolean {
  if (size === 0) return false;
  const fd = openSync(file, 'r');
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
}

/** One write(2) for the whole line; only a disk-full style short write needs a second call. */
function writeWhole(fd: number, buf: Buffer, file: string, log: Logger): void {
  // position null = write at the O_APPEND end, never pwrite at a stale offset.
  let written = writeSync(fd, buf, 0, buf.length, null);
  if (written < buf.length) {
    log.warn(`short write to ledger ${file} (${written}/${buf.length} bytes); writing the rest`);
    while (written < buf.length) {
      const n = writeSync(fd, buf, written, buf.length - written, null);
      if (n === 0) throw new Error('no space left to write the ledger line');
      written += n;
    }
  }
}
