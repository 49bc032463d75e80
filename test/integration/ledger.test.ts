// Several processes appending to one ledger at once, and a writer killed with SIGKILL mid-write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { ledgerDir, localMonth, monthFile } from '../../server/ledger/files';
import { parseLines } from '../../server/ledger/reader';
import { money, line, memoryLogger, settings, tempDir } from '../unit/ledger-fixtures';

const FIXTURE = path.resolve(__dirname, 'fixtures/ledger-writer.ts');

interface Writer {
  child: ChildProcessWithoutNullStreams;
  acks: number[];
  /** Resolves with the first stdout line matching. */
  waitFor(pred: (l: string) => boolean): Promise<string>;
  exited: Promise<number | null>;
  stderr(): string;
}

function spawnWriter(args: string[]): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const acks: number[] = [];
  const waiters: { pred: (l: string) => boolean; resolve(l: string): void }[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => {
    const m = /^ack (\d+)$/.exec(l);
    if (m) acks.push(Number(m[1]));
    for (const w of [...waiters]) if (w.pred(l)) waiters.splice(waiters.indexOf(w), 1), w.resolve(l);
  });
  // 'close', not 'exit': every line the child printed (its acks) has been read by then.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    acks,
    exited,
    stderr: () => stderr,
    waitFor: (pred) =>
      new Promise((resolve, reject) => {
        waiters.push({ pred, resolve });
        void exited.then((code) => reject(new Error(`writer exited (${code}) first: ${stderr}`)));
      }),
  };
}

const ledgerFile = (dataDir: string) => monthFile(ledgerDir(dataDir), localMonth(new Date()));

test('3 processes × 300 records at once: no line lost, none interleaved, each writer’s order kept; totals count every writer', async (t) => {
  const tmp = tempDir();
  t.after(() => tmp.cleanup());
  const N = 300;
  // Different shapes on purpose: one at a time, a burst (coalesced syncs), and long lines (~4 KB).
  const specs = [['a', 'seq', '12'], ['b', 'burst', '12'], ['c', 'seq', '4000']];
  const observer = money(tmp.dir, settings({ budget: { daily: 1000 } }));
  const writers = specs.map(([id, mode, chars]) => spawnWriter([tmp.dir, id, String(N), mode, chars]));
  await Promise.all(writers.map((w) => w.waitFor((l) => l === 'ready')));
  for (const w of writers) w.child.stdin.write('go\n');
  // The observer checks budgets while the others write: its incremental tail must never miscount.
  let checks = 0;
  const done = Promise.all(writers.map((w) => w.waitFor((l) => l === 'done')));
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished) {
    observer.checkBudget('nemo');
    checks++;
    await new Promise((r) => setImmediate(r));
  }
  await done;
  for (const w of writers) assert.equal(await w.exited, 0, w.stderr());

  const text = readFileSync(ledgerFile(tmp.dir), 'utf8');
  assert.ok(text.endsWith('\n'), 'the file ends with a newline');
  // A writer's first-append probe may race another's write in progress: at most one blank line each.
  const rawLines = text.split('\n').filter((l) => l !== '');
  assert.equal(rawLines.length, 3 * N, 'one line per record');
  const { records, skipped } = parseLines(text);
  assert.equal(skipped, 0, 'every line parses on its own: nothing interleaved');
  for (const [id, , chars] of specs) {
    const mine = records.filter((r) => r.requestId.startsWith(`${id}-`));
    assert.equal(new Set(mine.map((r) => r.requestId)).size, N, `writer ${id}: all ${N} records, no duplicates`);
    assert.ok(mine.every((r) => r.model.length === Number(chars)));
    if (id !== 'b') assert.deepEqual(mine.map((r) => r.inputTokens), [...Array(N).keys()], `writer ${id} order kept`);
  }
  const st = observer.status();
  assert.equal(Math.round(st.todaySpendUsd * 1000), 3 * N, 'the observer’s totals include every writer');
  assert.equal(Math.round(st.sessionSpendUsd * 1000), 3 * N);
  assert.ok(checks > 0);
  observer.dispose();
});

test('a writer killed with SIGKILL mid-write leaves a readable ledger: every committed line kept, the next writer carries on', async (t) => {
  const tmp = tempDir();
  t.after(() => tmp.cleanup());
  // 4 MB lines: write(2) copies them page by page, so the file is seen growing and the kill lands
  // inside the write (the kernel stops a write at a page boundary for a fatal signal): a real torn line.
  const LINE = 4 * 1024 * 1024;
  const w = spawnWriter([tmp.dir, 'k', '0', 'forever', String(LINE)]);
  await w.waitFor((l) => l === 'ready');
  w.child.stdin.write('go\n');
  await w.waitFor((l) => l === 'ack 2');
  const file = ledgerFile(tmp.dir);
  const committedSize = statSync(file).size;
  // Ready condition, not a sleep: the next line has started to land. Bounded in case it never does.
  const deadline = Date.now() + 10_000;
  let sizeAtKill = committedSize;
  while (Date.now() < deadline) {
    sizeAtKill = statSync(file).size;
    if (sizeAtKill > committedSize) break;
  }
  w.child.kill('SIGKILL');
  assert.equal(await w.exited, null, 'killed');
  assert.ok(sizeAtKill > committedSize, 'the kill came while the next line was being written');
  const committed = [...w.acks];
  assert.ok(committed.length >= 3);

  const log = memoryLogger();
  const after = money(tmp.dir, settings({}), { log });
  // Reading never throws, whatever the kill left.
  const before = await after.ledger({});
  const ids = new Set(before.map((r) => r.requestId));
  for (const i of committed) assert.ok(ids.has(`k-${i}`), `committed record k-${i} is in the ledger`);
  const torn = !readFileSync(file, 'utf8').endsWith('\n');
  t.diagnostic(`torn tail after the kill: ${torn}; ${committed.length} committed lines`);

  await after.record(line({ requestId: 'next-writer', costUsd: 0.5 }));
  const rows = await after.ledger({});
  assert.equal(rows.at(-1)?.requestId, 'next-writer', 'the next writer’s line is whole and readable');
  assert.equal(rows.length, before.length + 1);
  const { skipped } = parseLines(readFileSync(file, 'utf8'));
  assert.equal(skipped, torn ? 1 : 0, 'exactly the torn line is skipped');
  if (torn) assert.ok(log.lines.some((l) => l.includes('incomplete line')), 'the writer said it found a torn tail');
  assert.equal(after.status().todaySpendUsd.toFixed(3), (0.5 + before.length * 0.001).toFixed(3));
  after.dispose();
});

test('a torn line in the middle of the ledger (a crash long ago) is skipped with one warning, the rest counted', async (t) => {
  const tmp = tempDir();
  t.after(() => tmp.cleanup());
  const log = memoryLogger();
  const m = money(tmp.dir, settings({}), { log });
  await m.record(line({ requestId: 'one', costUsd: 1 }));
  appendFileSync(ledgerFile(tmp.dir), '{"ts":"2024-01-01T00:00:00.000Z","source":"pro');
  const m2 = money(tmp.dir, settings({}), { log });
  await m2.record(line({ requestId: 'two', costUsd: 2 }));
  await m.record(line({ requestId: 'three', costUsd: 4 }));
  const fresh = money(tmp.dir, settings({}), { log });
  assert.equal(fresh.status().todaySpendUsd, 7);
  assert.deepEqual((await fresh.ledger({})).map((r) => r.requestId), ['one', 'two', 'three']);
  assert.ok(log.lines.some((l) => l.startsWith('warn:') && l.includes('skipped 1 unreadable')));
  for (const x of [m, m2, fresh]) x.dispose();
});
