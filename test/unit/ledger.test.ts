import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, truncateSync, writeFileSync, unlinkSync, mkdirSync } from 'node:fs';
import { formatLine, createLedgerWriter } from '../../server/ledger/writer';
import { parseLine, parseLines, readLedgerFile, LedgerTail } from '../../server/ledger/reader';
import { daysBetween, ledgerDir, localDay, localMonth, monthFile, monthFilesBetween, nextMonth, parseLocalDay, previousMonth } from '../../server/ledger/files';
import { SpendTotals } from '../../server/ledger/totals';
import { buildReport, resolveRange, readRange, ReportRangeError } from '../../server/ledger/report';
import { silentLogger } from '../../server/core/log';
import { line, memoryLogger, tempDir } from './ledger-fixtures';

test('a ledger line is one JSON object with ts first, ended by a single newline, with every design.md field', () => {
  const text = formatLine(line({ model: 'weird\nname"', requestId: 'r1' }));
  assert.ok(text.startsWith('{"ts":'));
  assert.equal(text.indexOf('\n'), text.length - 1, 'the only newline is the terminator');
  const back = JSON.parse(text);
  for (const k of ['ts', 'source', 'gateway', 'model', 'servedModel', 'inputTokens', 'outputTokens', 'costUsd', 'costSource', 'status', 'requestId']) {
    assert.ok(k in back, `missing ${k}`);
  }
  assert.equal(back.model, 'weird\nname"');
});

test('reader skips torn and garbled lines, resyncs a fragment glued to a good line, never throws', () => {
  const a = formatLine(line({ requestId: 'a' }));
  const b = formatLine(line({ requestId: 'b' }));
  const torn = a.slice(0, 40); // what a writer killed mid-write would leave, without "\n"
  const text = a + 'not json at all\n' + '{"ts":"x"}\n' + torn + b + '\u0000\u0001garbage';
  const { records, skipped } = parseLines(text);
  assert.deepEqual(records.map((r) => r.requestId), ['a', 'b']);
  assert.equal(skipped, 4, 'two bad lines, the torn fragment in front of b, the garbage tail');
  assert.equal(parseLine(''), undefined);
  assert.equal(parseLine('{"ts":"2024-01-01T00:00:00Z"'), undefined);
});

test('a record from a newer version with extra fields is still read', () => {
  const r = parseLine(JSON.stringify({ ...line({ requestId: 'x' }), futureField: 1 }));
  assert.equal(r?.requestId, 'x');
});

test('the writer appends whole lines and starts after a torn tail left by a killed writer', async () => {
  const t = tempDir();
  try {
    const log = memoryLogger();
    const w = createLedgerWriter(t.dir, log);
    const first = line({ requestId: 'first' });
    await w.append(first);
    const file = monthFile(ledgerDir(t.dir), localMonth(new Date(first.ts)));
    appendFileSync(file, formatLine(line({ requestId: 'torn' })).slice(0, 50));
    // The next process to append (a restarted server) starts on a new line …
    await createLedgerWriter(t.dir, log).append(line({ requestId: 'after' }));
    const text = readFileSync(file, 'utf8');
    assert.ok(text.endsWith('\n'));
    assert.equal(text.split('\n').length, 4, 'first, torn fragment, after, and the final empty string');
    // … and a writer that probed earlier glues onto nothing: the file ends with "\n" again.
    await w.append(line({ requestId: 'again' }));
    const recs = await readLedgerFile(file, log);
    assert.deepEqual(recs.map((r) => r.requestId), ['first', 'after', 'again']);
    assert.ok(log.lines.some((l) => l.startsWith('warn:') && l.includes('incomplete line')));
    assert.ok(log.lines.some((l) => l.startsWith('warn:') && l.includes('skipped 1 unreadable')));
  } finally {
    t.cleanup();
  }
});

test('the writer files a record by the local month of its ts', async () => {
  const t = tempDir();
  try {
    const w = createLedgerWriter(t.dir, silentLogger);
    const old = new Date(2023, 4, 15, 12).toISOString();
    await Promise.all([w.append(line({ ts: old, requestId: 'may' })), w.append(line({ requestId: 'now' }))]);
    const dir = ledgerDir(t.dir);
    const may = await readLedgerFile(monthFile(dir, '2023-05'), silentLogger);
    assert.deepEqual(may.map((r) => r.requestId), ['may']);
    assert.deepEqual(monthFilesBetween(dir, '2000-01', '9999-12').length, 2);
  } finally {
    t.cleanup();
  }
});

test('one batch that spans a local month end splits at the right second, in a zone 5:45 ahead of UTC', () => {
  const tz = process.env.TZ;
  process.env.TZ = 'Asia/Kathmandu'; // local midnight of 1 February is 18:15:00 UTC on 31 January
  const t = tempDir();
  try {
    const w = createLedgerWriter(t.dir, silentLogger);
    const stamps = ['2026-01-31T18:14:59.998Z', '2026-01-31T18:14:59.999Z', '2026-01-31T18:15:00.000Z', '2026-01-31T18:15:00.001Z', '2026-01-31T18:14:59.500Z'];
    const results = w.appendAll(stamps.map((ts, i) => line({ ts, requestId: `r${i}` })));
    assert.ok(results.every((r) => r.ok));
    const dir = ledgerDir(t.dir);
    const ids = (month: string) => readFileSync(monthFile(dir, month), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { requestId: string }).requestId);
    assert.deepEqual(ids('2026-01'), ['r0', 'r1', 'r4']);
    assert.deepEqual(ids('2026-02'), ['r2', 'r3']);
  } finally {
    t.cleanup();
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  }
});

test('the tail reads only new bytes, holds back an unfinished line, and starts over when the file is replaced', () => {
  const t = tempDir();
  try {
    mkdirSync(t.dir, { recursive: true });
    const file = `${t.dir}/ledger-2024-01.jsonl`;
    const tail = new LedgerTail(file, silentLogger);
    assert.deepEqual(tail.poll(), { records: [], reset: false }, 'a missing file is an empty ledger');
    const one = formatLine(line({ requestId: '1' }));
    const two = formatLine(line({ requestId: '2' }));
    writeFileSync(file, one + two.slice(0, 30));
    assert.deepEqual(tail.poll().records.map((r) => r.requestId), ['1']);
    appendFileSync(file, two.slice(30));
    assert.deepEqual(tail.poll().records.map((r) => r.requestId), ['2'], 'the line completed by a later write counts once');
    assert.deepEqual(tail.poll().records, []);
    truncateSync(file, 0);
    writeFileSync(file, formatLine(line({ requestId: '3' })));
    const again = tail.poll();
    assert.equal(again.reset, true);
    assert.deepEqual(again.records.map((r) => r.requestId), ['3']);
    unlinkSync(file);
    assert.equal(tail.poll().reset, true);
  } finally {
    t.cleanup();
  }
});

test('local calendar helpers', () => {
  assert.equal(previousMonth('2024-01'), '2023-12');
  assert.equal(nextMonth('2024-12'), '2025-01');
  assert.equal(parseLocalDay('2024-02-30'), undefined);
  assert.equal(localDay(parseLocalDay('2024-02-29')!), '2024-02-29');
  assert.deepEqual(daysBetween('2024-02-27', '2024-03-01'), ['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
  // Across a DST change (in most zones in March/October) every calendar day appears exactly once.
  const year = daysBetween('2024-01-01', '2024-12-31');
  assert.equal(year.length, 366);
  assert.equal(new Set(year).size, 366);
});

test('totals count by local day, month, session and gateway; unknown costs are counted, not silently zero', () => {
  const start = new Date(2024, 5, 10, 12).getTime();
  const t = new SpendTotals(start);
  t.add(line({ ts: new Date(2024, 5, 10, 9).toISOString(), costUsd: 1, gateway: 'a' })); // before the session
  t.add(line({ ts: new Date(2024, 5, 10, 13).toISOString(), costUsd: 2, gateway: 'b' }));
  t.add(line({ ts: new Date(2024, 5, 11, 0, 30).toISOString(), costUsd: null, costSource: 'unknown', gateway: 'b' }));
  t.add(line({ ts: new Date(2024, 4, 31, 23).toISOString(), costUsd: 4, gateway: 'a' }));
  assert.equal(t.day('2024-06-10').usd, 3);
  assert.equal(t.day('2024-06-10', 'a').usd, 1);
  assert.deepEqual(t.day('2024-06-11'), { usd: 0, requests: 1, unknownCost: 1 });
  assert.equal(t.month('2024-06').usd, 3);
  assert.equal(t.month('2024-05', 'a').usd, 4);
  assert.deepEqual(t.sessionSpend(), { usd: 2, requests: 2, unknownCost: 1 });
  t.forgetBefore('2024-06-01');
  assert.equal(t.month('2024-05').requests, 0);
});

test('spend report: every day of the range (zeros for the chart), by served model × gateway and by source, unknown costs counted', () => {
  const range = { from: '2024-03-01', to: '2024-03-03' };
  const at = (d: number, h = 12) => new Date(2024, 2, d, h).toISOString();
  const rep = buildReport(range, [
    line({ ts: at(1), costUsd: 0.5, model: 'auto', servedModel: 'openai/gpt-4o', gateway: 'ar' }),
    line({ ts: at(1, 23), costUsd: 0.25, model: 'gpt-4o', servedModel: 'openai/gpt-4o', gateway: 'ar', inputTokens: 5, outputTokens: 7, source: 'vscode-chat' }),
    line({ ts: at(3), costUsd: null, costSource: 'unknown', model: 'x', servedModel: '', gateway: 'or' }),
  ]);
  assert.deepEqual(rep.byDay, [
    { day: '2024-03-01', usd: 0.75, requests: 2 },
    { day: '2024-03-02', usd: 0, requests: 0 },
    { day: '2024-03-03', usd: 0, requests: 1 },
  ]);
  assert.equal(rep.totalUsd, 0.75);
  assert.equal(rep.requests, 3);
  assert.equal(rep.unknownCostRequests, 1);
  assert.deepEqual(rep.byModel[0], { model: 'openai/gpt-4o', gateway: 'ar', usd: 0.75, requests: 2, inputTokens: 15, outputTokens: 27, bySource: { proxy: 0.5, 'vscode-chat': 0.25 } });
  assert.deepEqual(rep.bySource, [
    { source: 'proxy', usd: 0.5, requests: 2 },
    { source: 'vscode-chat', usd: 0.25, requests: 1 },
  ]);
  assert.equal(rep.byModel[1].model, 'x', 'falls back to the requested model when nothing says what ran');
});

test('report ranges default to the last 30 days and reject nonsense with a readable error', () => {
  const now = new Date(2024, 2, 15, 10);
  assert.deepEqual(resolveRange({}, now), { from: '2024-02-15', to: '2024-03-15' });
  assert.throws(() => resolveRange({ from: '2024-03-10', to: '2024-03-01' }, now), ReportRangeError);
  assert.throws(() => resolveRange({ from: '2024-13-01' }, now), /calendar date/);
  assert.throws(() => resolveRange({ from: '1900-01-01', to: '2024-01-01' }, now), /at most/);
});

test('reading a range looks into neighbouring month files and filters on each line’s ts', async () => {
  const t = tempDir();
  try {
    const w = createLedgerWriter(t.dir, silentLogger);
    await w.append(line({ ts: new Date(2024, 0, 31, 22).toISOString(), requestId: 'jan31' }));
    await w.append(line({ ts: new Date(2024, 1, 1, 1).toISOString(), requestId: 'feb1' }));
    await w.append(line({ ts: new Date(2024, 1, 2, 1).toISOString(), requestId: 'feb2' }));
    // A line filed in the "wrong" month (a writer in another time zone) is still found by its ts.
    const dir = ledgerDir(t.dir);
    appendFileSync(monthFile(dir, '2024-01'), formatLine(line({ ts: new Date(2024, 1, 1, 5).toISOString(), requestId: 'feb1-late' })));
    const recs = await readRange(dir, { from: '2024-02-01', to: '2024-02-01' }, silentLogger);
    assert.deepEqual(recs.map((r) => r.requestId), ['feb1', 'feb1-late']);
  } finally {
    t.cleanup();
  }
});
