// The money service counts its own ledger lines from memory (no read-back) whenever no other
// writer appended in between, and falls back to reading the file otherwise; the writer keeps its
// descriptor open but follows the path when the file is archived or deleted; last month's file is
// followed closely only near the start of a month.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { ledgerDir, localMonth, monthFile, PATH_RECHECK_MS, previousMonth } from '../../server/ledger/files';
import { createLedgerWriter, formatLine } from '../../server/ledger/writer';
import { LedgerTail, readLedgerFile } from '../../server/ledger/reader';
import { silentLogger } from '../../server/core/log';
import { line, money, settings, tempDirFor } from './ledger-fixtures';

const fileOf = (dataDir: string, d = new Date()) => monthFile(ledgerDir(dataDir), localMonth(d));
const cents = (usd: number) => Math.round(usd * 100);
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

test('own lines are counted once from memory; another writer’s lines in between are read from the file, ours with them', async (t) => {
  const dir = tempDirFor(t);
  const s = settings({ budget: { daily: 100 } });
  const a = money(dir, s);
  const b = money(dir, s); // another window or `switchyard proxy` on the same ledger
  assert.equal(a.checkBudget('nemo'), undefined);
  await a.record(line({ costUsd: 1 })); // a new file: read back once
  await a.record(line({ costUsd: 2 })); // ours alone: from memory
  await b.record(line({ costUsd: 4 })); // b's line lands between a's
  await a.record(line({ costUsd: 8 })); // a must read b's line and its own, counting each once
  await a.record(line({ costUsd: 16 })); // ours alone again
  appendFileSync(fileOf(dir), formatLine(line({ costUsd: 32 }))); // a third writer
  assert.equal(cents(a.status().todaySpendUsd), 6300);
  assert.equal(cents(b.status().todaySpendUsd), 6300);
  assert.equal(cents(a.status().sessionSpendUsd), 6300);
  // And the ledger on disk agrees.
  const recs = await readLedgerFile(fileOf(dir), silentLogger);
  assert.equal(cents(recs.reduce((x, r) => x + (r.costUsd ?? 0), 0)), 6300);
  a.dispose();
  b.dispose();
});

test('a torn fragment left by another writer is skipped and our line after it counted once', async (t) => {
  const dir = tempDirFor(t);
  const m = money(dir, settings({ budget: { daily: 100 } }));
  await m.record(line({ costUsd: 1 }));
  // A writer killed mid-write: half a line, no newline. Ours is glued to it by O_APPEND (this
  // process probed the file's end before the fragment arrived), and the reader resyncs on `{"ts":`.
  appendFileSync(fileOf(dir), formatLine(line({ costUsd: 50 })).slice(0, 40));
  await m.record(line({ costUsd: 2 }));
  await m.record(line({ costUsd: 4 }));
  assert.equal(cents(m.status().todaySpendUsd), 700);
  m.dispose();
});

test('many interleaved writers at once: each one’s in-memory totals match the file', async (t) => {
  const dir = tempDirFor(t);
  const s = settings({});
  const writers = Array.from({ length: 4 }, () => money(dir, s));
  const rounds = 50;
  await Promise.all(
    writers.map(async (w, i) => {
      for (let k = 0; k < rounds; k++) {
        w.checkBudget('nemo');
        await w.record(line({ costUsd: (i + 1) / 100 }));
        if (k % 7 === i) await new Promise((r) => setImmediate(r));
      }
    }),
  );
  const expected = rounds * (1 + 2 + 3 + 4); // in cents
  for (const w of writers) assert.equal(cents(w.status().todaySpendUsd), expected);
  const recs = await readLedgerFile(fileOf(dir), silentLogger);
  assert.equal(recs.length, rounds * writers.length);
  for (const w of writers) w.dispose();
});

test('the writer follows its file: a deleted ledger is started again at once, an archived (renamed) one within PATH_RECHECK_MS', async (t) => {
  const dir = tempDirFor(t);
  const w = createLedgerWriter(dir, silentLogger);
  const file = fileOf(dir);
  await w.append(line({ requestId: 'before' }));
  // Deleted: the fstat after the write sees the unlinked inode, and the line is written again to a new file.
  unlinkSync(file);
  const afterDelete = await w.append(line({ requestId: 'after-delete' }));
  assert.equal(afterDelete.file, file);
  assert.deepEqual((await readLedgerFile(file, silentLogger)).map((r) => r.requestId), ['after-delete'], 'nothing lost, nothing twice');
  // Renamed: lines of the next few milliseconds are still on disk, in the renamed file; after the
  // recheck interval they go to a new file under the ledger's name.
  renameSync(file, `${file}.archived`);
  await w.append(line({ requestId: 'right-after-archive' }));
  await new Promise((resolve) => setTimeout(resolve, PATH_RECHECK_MS + 50));
  await w.append(line({ requestId: 'after-recheck' }));
  await w.flush();
  assert.deepEqual((await readLedgerFile(`${file}.archived`, silentLogger)).map((r) => r.requestId), ['after-delete', 'right-after-archive']);
  assert.deepEqual((await readLedgerFile(file, silentLogger)).map((r) => r.requestId), ['after-recheck']);
});

test('budget checks look for other writers’ lines once a turn: a line appended before the turn counts, as does a file replaced by an editor’s save', async (t) => {
  const dir = tempDirFor(t);
  const a = money(dir, settings({ budget: { daily: 3 } }));
  t.after(() => a.dispose());
  assert.equal(a.checkBudget('nemo'), undefined);
  await a.record(line({ costUsd: 1 }));
  assert.equal(a.checkBudget('nemo'), undefined); // the quick look is armed (descriptor open, path just checked)
  appendFileSync(fileOf(dir), formatLine(line({ costUsd: 2 })));
  assert.equal(a.checkBudget('nemo'), undefined, 'within the same turn the look is not repeated');
  await nextTurn();
  assert.equal(a.checkBudget('nemo')?.code, 'budget_exceeded', 'the next turn’s first check sees the other writer’s line');
  writeFileSync(`${fileOf(dir)}.tmp`, formatLine(line({ costUsd: 0.5 })));
  renameSync(`${fileOf(dir)}.tmp`, fileOf(dir));
  await nextTurn();
  assert.equal(a.checkBudget('nemo'), undefined, 'only what the replaced file holds counts');
  assert.equal(cents(a.status().todaySpendUsd), 50);
});

test('append reports where the line landed, and a tail skips exactly our own bytes', async (t) => {
  const dir = tempDirFor(t);
  const w = createLedgerWriter(dir, silentLogger);
  const file = fileOf(dir);
  const first = await w.append(line({ requestId: '1' }));
  const tail = new LedgerTail(file, silentLogger);
  assert.deepEqual(tail.poll().records.map((r) => r.requestId), ['1']);
  const second = await w.append(line({ requestId: '2' }));
  assert.equal(second.size, first.size + second.bytes);
  assert.equal(tail.skipOwn(second.ino, second.size, second.bytes), true);
  assert.deepEqual(tail.poll().records, [], 'skipped, not read again');
  appendFileSync(file, formatLine(line({ requestId: 'other' })));
  const third = await w.append(line({ requestId: '3' }));
  assert.equal(tail.skipOwn(third.ino, third.size, third.bytes), false, 'another line came first');
  assert.deepEqual(tail.poll().records.map((r) => r.requestId), ['other', '3']);
  await w.flush();
});

test('last month’s file: a line filed there by a writer still in last month counts near the month’s start', async (t) => {
  const dataDir = tempDirFor(t);
  const dir = ledgerDir(dataDir);
  mkdirSync(dir, { recursive: true });
  let now = new Date(2024, 4, 1, 0, 30); // 1 May, 00:30 local
  const m = money(dataDir, settings({ budget: { daily: 1 } }), { now: () => now });
  assert.equal(m.checkBudget('nemo'), undefined);
  // A writer whose local calendar still says April (another time zone) files a line that is
  // 1 May here: it counts for today at the next turn's check (budget checks look once a turn).
  const aprilFile = monthFile(dir, previousMonth(localMonth(now)));
  writeFileSync(aprilFile, formatLine(line({ ts: now.toISOString(), costUsd: 1 })));
  await nextTurn();
  assert.equal(m.checkBudget('nemo')?.code, 'budget_exceeded');
  // Mid-month, last month's file can no longer get lines that count now; it is not looked at.
  now = new Date(2024, 4, 15, 12);
  appendFileSync(aprilFile, formatLine(line({ ts: new Date(2024, 3, 30, 23).toISOString(), costUsd: 5 })));
  await nextTurn();
  assert.equal(m.checkBudget('nemo'), undefined, 'a new day: nothing spent on 15 May');
  assert.equal(readFileSync(aprilFile, 'utf8').split('\n').filter(Boolean).length, 2);
  m.dispose();
});

test('a ledger rewritten by hand is counted again from scratch, and own lines after it from memory again', async (t) => {
  const dir = tempDirFor(t);
  const a = money(dir, settings({ budget: { daily: 100 } }));
  assert.equal(a.checkBudget('nemo'), undefined);
  for (const costUsd of [1, 2, 4]) await a.record(line({ costUsd }));
  assert.equal(cents(a.status().todaySpendUsd), 700);
  writeFileSync(fileOf(dir), formatLine(line({ costUsd: 8 }))); // a person edits the ledger down to one line
  assert.equal(a.checkBudget('nemo'), undefined);
  assert.equal(cents(a.status().todaySpendUsd), 800, 'only what the file now holds');
  await a.record(line({ costUsd: 16 }));
  await a.record(line({ costUsd: 32 }));
  assert.equal(cents(a.status().todaySpendUsd), 5600);
  const recs = await readLedgerFile(fileOf(dir), silentLogger);
  assert.equal(cents(recs.reduce((x, r) => x + (r.costUsd ?? 0), 0)), 5600, 'and the file agrees');
  a.dispose();
});
