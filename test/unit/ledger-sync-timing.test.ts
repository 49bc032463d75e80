// When the ledger's group-committed fdatasync runs: never while a request waits for its upstream's
// first byte if it can help it, and never later than the window after the oldest line it covers
// (server/ledger/writer.ts, server/core/firstBytes.ts) — what a crash can lose stays the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createLedgerWriter } from '../../server/ledger/writer';
import { Waiting } from '../../server/core/firstBytes';
import { silentLogger } from '../../server/core/log';
import { line, tempDir } from './ledger-fixtures';

test('Waiting: counts begun waits, each ended once, and wakes whoever waits for none', async () => {
  const w = new Waiting();
  assert.equal(w.pending, 0);
  const t0 = performance.now();
  await w.none(1_000);
  assert.ok(performance.now() - t0 < 50, 'nothing waits: at once');
  const a = w.begin();
  const b = w.begin();
  assert.equal(w.pending, 2);
  a();
  a();
  assert.equal(w.pending, 1, 'a second end of the same wait does not count');
  let woke = false;
  const p = w.none(10_000).then(() => (woke = true));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(woke, false, 'still one waiting');
  b();
  await p;
  assert.equal(w.pending, 0);
});

test('Waiting: none() gives up after its bound when requests keep waiting', async () => {
  const w = new Waiting();
  const end = w.begin();
  const t0 = performance.now();
  await w.none(30);
  const took = performance.now() - t0;
  assert.ok(took >= 25 && took < 1_000, `waited ${took.toFixed(1)} ms for a 30 ms bound`);
  end();
});

test('the writer asks to wait at most the window (5 ms) after the oldest unsynced line, then syncs', async () => {
  const t = tempDir();
  try {
    const asked: number[] = [];
    const w = createLedgerWriter(t.dir, silentLogger, {
      none(ms: number) {
        asked.push(ms);
        return Promise.resolve();
      },
    });
    await w.append(line({ requestId: 'one' }));
    await w.flush();
    assert.equal(asked.length, 1);
    assert.ok(asked[0]! > 0 && asked[0]! <= 5, `asked to wait ${asked[0]} ms`);
  } finally {
    t.cleanup();
  }
});

test('with a first byte awaited the whole time, the sync still runs by the window’s end', async () => {
  const t = tempDir();
  try {
    const waiting = new Waiting();
    const end = waiting.begin();
    const w = createLedgerWriter(t.dir, silentLogger, waiting);
    const t0 = performance.now();
    const at = await w.append(line({ requestId: 'held' }));
    await w.flush();
    const took = performance.now() - t0;
    assert.ok(took >= 3, `synced after ${took.toFixed(1)} ms: it waited for the first byte`);
    assert.ok(took < 1_000, `synced after ${took.toFixed(1)} ms: not past the window by much`);
    assert.ok(readFileSync(at.file, 'utf8').includes('"held"'));
    end();
  } finally {
    t.cleanup();
  }
});

test('the sync waits on it: nothing is synced until the wait is over', async () => {
  const t = tempDir();
  try {
    let release!: () => void;
    const w = createLedgerWriter(t.dir, silentLogger, { none: () => new Promise<void>((r) => (release = r)) });
    await w.append(line({ requestId: 'released' }));
    let synced = false;
    const flushed = w.flush().then(() => (synced = true));
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(synced, false, 'held while a first byte is awaited');
    release();
    await flushed;
    assert.equal(synced, true);
  } finally {
    t.cleanup();
  }
});
