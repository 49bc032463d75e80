// The fault suite (issue 16): for each gateway kind and each fault, through the proxy with the
// official `openai` SDK, the client's answer, the ledger's line and its money against the fake's
// debit. The fakes bill the way a real gateway does (test/fakes/README.md "Cost"): a 429, a 5xx or a
// hang bills nothing; a request the gateway ran bills even when its answer broke on the way back.
// Where every billed try's cost was stated by the gateway the ledger equals the debit to the
// nano-dollar; where Switchyard had to estimate, the debit ≤ the ledger ≤ the debit + the
// estimated part, and that part is marked `estimated`. Only NemoRouter and OpenRouter charge in the
// fakes: for the other kinds the ledger must still carry every try that may have been billed, never at 0.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import OpenAI from 'openai';
import { startHarness, type Harness } from './proxy-harness';
import type { FakeGatewayKind, FaultSpec } from '../fakes/index';
import type { LedgerRecord } from '../../server/protocol/ledger';
import { fromNanos, toNanos } from '../../server/ledger/usd';
import { estimatedNanos } from '../../server/ledger/report';
import { ledgerDir } from '../../server/ledger/files';

interface Fault {
  name: string;
  spec: (h: Harness, id: string) => FaultSpec;
  stream: boolean;
  /** What the caller must see: a full answer, a partial stream that ends in an error, or an HTTP error. */
  answer: 'ok' | 'partial' | number;
  /** Tries the fake must bill (with a price), and the ledger line's status. */
  billed: number;
  status: string | RegExp;
}

const PATH = '/chat/completions';
const FAULTS: Fault[] = [
  { name: '429 + Retry-After', spec: () => ({ path: PATH, status: 429, retryAfter: 1 }), stream: false, answer: 'ok', billed: 1, status: 'ok' },
  { name: '5xx', spec: () => ({ path: PATH, status: 503 }), stream: false, answer: 'ok', billed: 1, status: 'ok' },
  { name: 'stall before headers', spec: () => ({ path: PATH, hangMs: Infinity }), stream: false, answer: 'ok', billed: 1, status: 'ok' },
  { name: 'slow headers', spec: () => ({ path: PATH, slowHeadersMs: 1500 }), stream: false, answer: 'ok', billed: 2, status: 'ok' },
  { name: 'stream cut before 1st chunk', spec: () => ({ path: PATH, cutStreamAfterChunks: 0 }), stream: true, answer: 'ok', billed: 2, status: 'ok' },
  { name: 'stream cut mid-way', spec: () => ({ path: PATH, cutStreamAfterChunks: 2 }), stream: true, answer: 'partial', billed: 1, status: 'stream_cut' },
  { name: 'stream stall', spec: () => ({ path: PATH, stallStreamAfterChunks: 2 }), stream: true, answer: 'partial', billed: 1, status: 'stream_cut' },
  { name: 'malformed body', spec: () => ({ path: PATH, malformed: true }), stream: false, answer: 'ok', billed: 2, status: 'ok' },
  { name: 'malformed stream', spec: () => ({ path: PATH, malformed: true }), stream: true, answer: 'partial', billed: 1, status: 'malformed_response' },
  {
    name: 'key-echoing error',
    spec: (h, id) => ({ path: PATH, status: 400, error: { code: 'invalid_request_error', message: `Bad request for key ${h.fakes[id].key ?? 'sk-none'}` } }),
    stream: false,
    answer: 400,
    billed: 0,
    status: /^(invalid_request_error|bad_request)$/, // OpenRouter's code is the status number: the status's own code
  },
];

const KINDS: FakeGatewayKind[] = ['nemorouter', 'openrouter', 'arouter', 'bifrost', 'openai-compatible'];
const CHARGES: ReadonlySet<FakeGatewayKind> = new Set(['nemorouter', 'openrouter']);
const rows: string[] = [];

async function ask(client: OpenAI, stream: boolean): Promise<{ answer: 'ok' | 'partial' | number; text: string; error?: string }> {
  const body = { model: 'gpt-4o', max_tokens: 20, messages: [{ role: 'user' as const, content: 'tell me about faults' }] };
  try {
    if (!stream) return { answer: 'ok', text: (await client.chat.completions.create(body)).choices[0].message.content ?? '' };
    let text = '';
    let chunks = 0;
    try {
      for await (const c of await client.chat.completions.create({ ...body, stream: true })) {
        chunks++;
        text += c.choices[0]?.delta?.content ?? '';
      }
    } catch (e) {
      if (chunks > 0) return { answer: 'partial', text, error: (e as Error).message };
      throw e;
    }
    return { answer: 'ok', text };
  } catch (e) {
    const err = e as { status?: number; message: string };
    return { answer: err.status ?? 0, text: '', error: err.message };
  }
}

describe('fault suite: fault × gateway → client answer, ledger, gateway debit', { concurrency: true }, () => {
  for (const kind of KINDS) {
    test(kind, async (t) => {
      const id = 'gw';
      const h = await startHarness({
        gateways: { [id]: kind },
        settings: { routing: { maxRetries: 1, retryBaseDelayMs: 0, retryMaxDelayMs: 2000, requestTimeoutMs: 1000 } },
      });
      t.after(() => h.close());
      const fake = h.fakes[id];
      const client = new OpenAI({ baseURL: h.url, apiKey: h.token, maxRetries: 0, timeout: 20_000 });
      for (const f of FAULTS) {
        const charges = fake.state.charges.length;
        const spentBefore = toNanos(fake.state.spent);
        const before = (await h.ledger()).length;
        fake.fail(f.spec(h, id));
        const got = await ask(client, f.stream);
        // The ledger line is written as the request ends; a stream's just after its last event.
        const lines = await waitForLines(h, before + 1);
        const line = lines[before];
        const debit = toNanos(fake.state.spent) - spentBefore;
        const ledger = line.costUsd === null ? 0 : toNanos(line.costUsd);
        const estimated = estimatedNanos(line);
        const where = `${kind} / ${f.name}`;
        rows.push(
          `${f.name.padEnd(28)} ${kind.padEnd(18)} ${String(got.answer === 'partial' ? 'partial + error' : got.answer === 'ok' ? '200' : got.answer).padEnd(16)} ` +
            `$${fromNanos(ledger).toFixed(9)} ${line.costSource.padEnd(9)} (${line.attempts?.length ?? 1} tr${(line.attempts?.length ?? 1) > 1 ? 'ies' : 'y'})  $${fromNanos(debit).toFixed(9)}`,
        );

        assert.equal(got.answer, f.answer, `${where}: ${got.error ?? ''}`);
        if (got.answer === 'ok') assert.match(got.text, /^Echo: tell me/, where);
        if (typeof f.status === 'string') assert.equal(line.status, f.status, where);
        else assert.match(line.status, f.status, where);
        assert.equal(lines.length, before + 1, `${where}: one line per request`);
        if (CHARGES.has(kind)) {
          assert.equal(fake.state.charges.length - charges, f.billed, `${where}: the fake billed ${fake.state.charges.length - charges} tries`);
          if (estimated === 0) assert.ok(Math.abs(ledger - debit) <= (line.attempts?.length ?? 1), `${where}: ledger ${ledger} ≠ debit ${debit} (nanos)`);
          else {
            assert.equal(line.costSource, 'estimated', where);
            assert.ok(ledger >= debit && ledger <= debit + estimated, `${where}: debit ${debit} ≤ ledger ${ledger} ≤ debit + estimate ${estimated} (nanos)`);
          }
        }
        // Every try the gateway may have billed is on the line, never at a silent 0.
        const billedTries = line.attempts ?? [];
        for (const a of billedTries) assert.ok(a.costUsd === null ? a.costSource === 'unknown' : a.costUsd > 0, `${where}: attempt ${JSON.stringify(a)}`);
        if (f.billed > 1) assert.equal(billedTries.length, f.billed, `${where}: attempts listed`);
        if (f.billed === 0) assert.equal(line.costUsd, 0, where);
        // The key a gateway echoed never reaches the caller or the ledger.
        for (const key of h.keys()) assert.ok(!(got.error ?? '').includes(key) && !JSON.stringify(line).includes(key), `${where}: key leaked`);
      }
      // Nothing reserved is left behind once every request has its line.
      assert.equal(h.app.money.reserve(id, 0).ok, true);
      const files = readdirSync(ledgerDir(h.dataDir)).map((f) => readFileSync(path.join(ledgerDir(h.dataDir), f), 'utf8')).join('');
      for (const key of h.keys()) {
        assert.ok(!files.includes(key), `${kind}: key in the ledger`);
        assert.ok(!h.logs.some((l) => l.includes(key)), `${kind}: key in the logs`);
      }
    });
  }
});

test('fault table', (t) => {
  // Printed for the report: fault × gateway → client answer, ledger cost (source, tries), gateway debit.
  for (const r of rows.sort()) t.diagnostic(r);
  assert.equal(rows.length, FAULTS.length * KINDS.length);
});

async function waitForLines(h: Harness, n: number): Promise<LedgerRecord[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const lines = await h.ledger();
    if (lines.length >= n || Date.now() > deadline) return lines;
    await new Promise((r) => setImmediate(r));
  }
}
