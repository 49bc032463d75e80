// Exact money (issue 16 item 7): costs stored rounded to the nano-dollar, sums exact, old lines with
// float noise still read, correction lines add their difference without counting a request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fromNanos, roundUsd, sumUsd, toNanos } from '../../server/ledger/usd';
import { formatLine } from '../../server/ledger/writer';
import { parseLine } from '../../server/ledger/reader';
import { SpendTotals } from '../../server/ledger/totals';
import { buildReport } from '../../server/ledger/report';
import { ledgerDir, localDay } from '../../server/ledger/files';
import { formatCostUsd } from '../../server/pipeline/metering';
import { line, money, settings, tempDirFor } from './ledger-fixtures';

test('nano-dollars: float noise rounds away, a positive cost never becomes 0, sums are exact', () => {
  assert.equal(roundUsd(0.0000031499999999999995), 0.00000315);
  assert.equal(toNanos(0.0000031499999999999995), 3150);
  assert.equal(toNanos(1e-12), 1, 'a positive cost below half a nano is 1 nano, not a silent 0');
  assert.equal(toNanos(0), 0);
  assert.equal(toNanos(-0.25), -250_000_000);
  assert.equal(fromNanos(3150), 0.00000315);
  // 0.1 + 0.2 is 0.30000000000000004 in floats; ten thousand 0.0000001s drift the same way.
  assert.equal(sumUsd([0.1, 0.2]), 0.3);
  assert.equal(sumUsd(Array.from({ length: 10_000 }, () => 0.0000001)), 0.001);
  assert.equal(formatCostUsd(0.0000031499999999999995), '0.00000315');
});

test('a recorded line stores its cost rounded to the nano-dollar; totals and the report sum exactly', async (t) => {
  const dir = tempDirFor(t);
  const m = money(dir, settings({ budget: { daily: 1 } }));
  t.after(() => m.dispose());
  const noisy = 0.0000031499999999999995;
  for (let i = 0; i < 1000; i++) await m.record(line({ costUsd: noisy, attempts: i === 0 ? [{ gateway: 'nemo', status: 'ok', costUsd: noisy, costSource: 'gateway' }] : undefined }));
  const file = readdirSync(ledgerDir(dir)).map((f) => path.join(ledgerDir(dir), f))[0];
  const text = readFileSync(file, 'utf8');
  assert.doesNotMatch(text, /0\.0000031499999/, 'no float noise in the file');
  assert.equal(JSON.parse(text.split('\n')[0]).attempts[0].costUsd, 0.00000315);
  assert.equal(m.status().todaySpendUsd, 0.00315, 'exactly 1000 × $0.00000315');
  const today = localDay(new Date());
  const r = await m.spendReport({ from: today, to: today });
  assert.equal(r.totalUsd, 0.00315);
  assert.equal(r.byDay[0].usd, 0.00315);
  assert.equal(r.byModel[0].usd, 0.00315);
});

test('old lines with float noise are read and summed to the nano-dollar; new fields survive a round trip', () => {
  const old = JSON.stringify({ ...line({ requestId: 'old' }), costUsd: 0.0000031499999999999995 });
  const rec = parseLine(old);
  assert.ok(rec, 'an old line is still readable');
  const totals = new SpendTotals(0);
  totals.add(rec);
  totals.add(rec);
  assert.equal(totals.day(localDay(new Date(rec.ts))).usd, 0.0000063);
  const withAttempts = line({ requestId: 'n', api: 'chat', upstreamId: 'u1', attempts: [{ gateway: 'nemo', status: 'malformed_response', costUsd: 1e-6, costSource: 'gateway', upstreamId: 'u0' }] });
  const back = parseLine(formatLine(withAttempts));
  assert.deepEqual(back, withAttempts, 'every field is written (api, upstreamId, attempts)');
});

test('a correction line adds its (possibly negative) difference, counts no request, and shows in the report', () => {
  const est = line({ requestId: 'r1', costUsd: 0.00001, costSource: 'estimated' });
  const other = line({ requestId: 'r2', costUsd: 0.000004, costSource: 'estimated' });
  const fix = line({ requestId: 'r1', corrects: 'r1', costUsd: -0.000007, costSource: 'gateway', status: 'reconciled', inputTokens: 0, outputTokens: 0 });
  assert.ok(parseLine(formatLine(fix)), 'a negative cost is valid on a correction');
  assert.equal(parseLine(formatLine({ ...fix, corrects: undefined })), undefined, 'but on no other line');
  const totals = new SpendTotals(0);
  for (const r of [est, other, fix]) totals.add(r);
  const day = localDay(new Date(est.ts));
  assert.deepEqual(totals.day(day), { usd: 0.000007, requests: 2, unknownCost: 0 });
  const report = buildReport({ from: day, to: day }, [est, other, fix]);
  assert.equal(report.totalUsd, 0.000007);
  assert.equal(report.requests, 2);
  assert.equal(report.estimatedUsd, 0.000004, 'r2 is still an estimate');
  assert.equal(report.reconciledUsd, 0.000003, 'r1 is now the gateway\'s $0.000003');
});
