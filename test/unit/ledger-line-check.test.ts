// isPlainLedgerLine spares the proxy's own lines the schema; it must never vouch for a line the
// schema refuses or would change (strip a key, coerce a value). Checked on the common line and on
// many random variations of it, and the money service still refuses what the schema refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPlainLedgerLine, LedgerRecordSchema, type LedgerRecord } from '../../server/protocol/ledger';
import { formatLine } from '../../server/ledger/writer';
import { line, money, settings, tempDirFor } from './ledger-fixtures';
import { rng, scramble } from './rng';

const ODD: unknown[] = [undefined, null, 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60, '', 'x', 'proxy', 'chat', 'computed', true, {}, [], [{ gateway: 'g', status: 'ok', costUsd: 1, costSource: 'gateway' }]];
const KEYS = [...Object.keys(LedgerRecordSchema.shape), 'extra', '__proto__x'];

test('the common line passes the quick check and the schema alike, unchanged', () => {
  const l = line({ costSource: 'computed', costUsd: 0.0000123, api: 'chat', cachedInputTokens: 3, upstreamId: 'gen-1' });
  assert.equal(isPlainLedgerLine(l), true);
  const parsed = LedgerRecordSchema.safeParse(l);
  assert.equal(parsed.success, true);
  assert.deepEqual(parsed.data, l);
  assert.equal(isPlainLedgerLine(line({ costUsd: null, costSource: 'unknown' })), true);
});

test('the quick check never vouches for a line the schema refuses or changes (5,000 random variations)', () => {
  const next = rng(20261205);
  let vouched = 0;
  let refused = 0;
  for (let i = 0; i < 5000; i++) {
    const l: Record<string, unknown> = { ...line() };
    scramble(l, KEYS, ODD, next);
    const quick = isPlainLedgerLine(l as LedgerRecord);
    const parsed = LedgerRecordSchema.safeParse(l);
    if (quick) {
      vouched++;
      assert.ok(parsed.success, `case ${i}: vouched for a line the schema refuses: ${JSON.stringify(l)}`);
      // As written to the file (formatLine serialises; an undefined field is no field).
      assert.deepEqual(JSON.parse(JSON.stringify(parsed.data)), JSON.parse(JSON.stringify(l)), `case ${i}: the schema would change ${JSON.stringify(l)}`);
    } else if (!parsed.success) refused++;
  }
  // Both sides were exercised: the generator made lines of each kind.
  assert.ok(vouched > 100, `only ${vouched} vouched`);
  assert.ok(refused > 1000, `only ${refused} refused`);
});

test('lines the quick check leaves alone still go through the schema: refused with its reason, or written', async (t) => {
  const m = money(tempDirFor(t), settings({}));
  t.after(() => m.dispose());
  await assert.rejects(m.record({ ...line(), inputTokens: 1.5 }), /invalid ledger line.*inputTokens/s);
  // An unknown key: the schema strips it, so it never reaches the file.
  await m.record({ ...line({ requestId: 'extra' }), extra: 'x' } as LedgerRecord);
  const withTries = line({ requestId: 'tries', attempts: [{ gateway: 'nemo', status: 'timeout', costUsd: 0.001, costSource: 'estimated' }] });
  await m.record(withTries);
  const written = await m.ledger({});
  assert.deepEqual(written.map((l) => l.requestId), ['extra', 'tries']);
  assert.equal('extra' in written[0], false);
  assert.deepEqual(written[1].attempts, withTries.attempts);
});

test('formatLine puts ts first whatever order the record was built in, and is one line', () => {
  const built = line({ requestId: 'order' });
  const { ts, ...rest } = built;
  for (const r of [built, { ...rest, ts } as LedgerRecord, { ...rest, ts, servedModel: 'a\nb' } as LedgerRecord]) {
    const text = formatLine(r);
    assert.ok(text.startsWith('{"ts":'), text);
    assert.equal(text.indexOf('\n'), text.length - 1);
    assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(r)));
  }
});
