// The ledger writer: every record is ONE `write(2)` of one whole line on a descriptor opened with
// O_APPEND, so several processes (VS Code windows, a headless `switchyard proxy`) can append to the
// same file at once without locks. The kernel positions each O_APPEND write at the end of the file
// atomically, and a local file system (ext4, xfs, btrfs, APFS, NTFS) holds the inode lock for the
// whole write, so lines never interleave and none is lost. (Network file systems such as NFS do not
// promise atomic appends from several machines; one machine's processes are what we share with.)
//
// The append itself is synchronous (open, one write, close: tens of microseconds on a local disk):
// it keeps lines in call order without a queue and avoids the thread-pool hops of fs/promises
// (measured here: ~1.3 ms per metered record through fs/promises, ~0.25 ms synchronous).
//
// fsync policy: `append()` resolves once write(2) has returned. From then on the line is in the
// kernel's page cache: it survives the death of any process (kill -9 included) and every other
// reader and writer sees it, which is what budgets across windows need. `fdatasync` follows in the
// background, one at a time and coalesced (lines written during a sync are covered by the next), so
// a kernel crash or power cut loses at most the lines of the last few milliseconds while no LLM
// request ever waits for the disk (a sync costs 1-50 ms, more than a fast proxied answer).
// `flush()` waits for that sync (the CLI, tests, shutdown).
//
// Crash safety: a process killed during `write` leaves at worst a torn tail without a newline.
// The first time this process appends to a file it looks at the last byte and, if it is not "\n",
// starts with a newline so its lines stay whole for line-based tools (jq, grep). That look can race
// with another writer's write in progress (the size grows page by page), which costs at most one
// blank line per process and file: readers ignore blank lines. Whatever the probe misses, readers
// resynchronise on `{"ts":` (reader.ts), so a torn fragment never hides the line glued to it.
import { closeSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Logger } from '../core/log';
import type { LedgerRecord } from '../protocol/ledger';
import { errorMessage } from '../core/errors';
import { ledgerDir, localMonth, monthFile } from './files';

/** Serialise with `ts` first: readers use `{"ts":` to resync after a torn fragment. */
export function formatLine(r: LedgerRecord): string {
  const ordered: LedgerRecord = {
    ts: r.ts,
    source: r.source,
    gateway: r.gateway,
    model: r.model,
    servedModel: r.servedModel,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    costUsd: r.costUsd,
    costSource: r.costSource,
    status: r.status,
    requestId: r.requestId,
  };
  // JSON.stringify escapes every control character, so the line itself never contains "\n".
  return JSON.stringify(ordered) + '\n';
}

export interface LedgerWriter {
  /** Resolves once the line is written (visible to all, safe from process death); rejects with a readable error otherwise. */
  append(record: LedgerRecord): Promise<void>;
  /** Resolves when every line appended so far is synced to disk. */
  flush(): Promise<void>;
}

export function createLedgerWriter(dataDir: string, log: Logger): LedgerWriter {
  const dir = ledgerDir(dataDir);
  const probed = new Set<string>();
  const dirty = new Set<string>();
  let syncing: Promise<void> | undefined;

  function appendLine(file: string, line: Buffer): void {
    // 'a' = O_WRONLY|O_CREAT|O_APPEND. Opened per record so a month change, or a person deleting or
    // archiving the file, never leaves us appending to an unlinked inode.
    let fd: number;
    try {
      fd = openSync(file, 'a', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      mkdirSync(dir, { recursive: true, mode: 0o700 }); // first record, or the folder was removed
      fd = openSync(file, 'a', 0o600);
    }
    try {
      let buf = line;
      if (!probed.has(file)) {
        probed.add(file);
        if (endsTorn(file, fstatSync(fd).size)) {
          buf = Buffer.concat([Buffer.from('\n'), line]);
          log.warn(`ledger ${file} ended with an incomplete line (a writer was interrupted, or is writing right now); starting on a new line`);
        }
      }
      writeWhole(fd, buf, file, log);
    } finally {
      closeSync(fd);
    }
  }

  function requestSync(file: string): void {
    dirty.add(file);
    syncing ??= runSyncs();
  }

  async function runSyncs(): Promise<void> {
    while (dirty.size) {
      const files = [...dirty];
      dirty.clear();
      for (const file of files) {
        try {
          // Any descriptor of the inode flushes all of its dirty pages; 'r+' (writable, so it works on
          // Windows too) never recreates a file a person just deleted.
          const fh = await open(file, 'r+');
          try {
            await fh.datasync();
          } finally {
            await fh.close();
          }
        } catch (e) {
          log.warn(`cannot sync the ledger ${file} to disk: ${errorMessage(e)}`);
        }
      }
    }
    syncing = undefined;
  }

  return {
    async append(record) {
      const file = monthFile(dir, localMonth(new Date(record.ts)));
      try {
        appendLine(file, Buffer.from(formatLine(record), 'utf8'));
      } catch (e) {
        throw new Error(`cannot append to the ledger ${file}: ${errorMessage(e)}`);
      }
      requestSync(file);
    },
    async flush() {
      while (syncing) await syncing;
    },
  };
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
