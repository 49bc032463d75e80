// The pipeline's pure parts: SSE parsing, failure classification, backoff, the circuit breaker,
// request needs and "did you mean".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSse } from '../../server/pipeline/sse';
import { canFailOver, canRetry, failureFromResponse, failureFromStreamError } from '../../server/pipeline/failure';
import { planRetry, sleep } from '../../server/pipeline/backoff';
import { createBreakers } from '../../server/pipeline/breaker';
import { requestNeeds, estimateTokens, requestText, requestTokens } from '../../server/pipeline/needs';
import type { InferenceEndpoint } from '../../server/gateways/types';
import { suggestModelIds as suggestModels } from '../../server/catalog/suggest';
import { formatCostUsd } from '../../server/pipeline/metering';
import { DEFAULT_SETTINGS } from '../../server/protocol/settings';
import type { MergedModel } from '../../server/protocol/model';

async function collect(chunks: string[]) {
  const out = [];
  async function* gen() {
    for (const c of chunks) yield Buffer.from(c);
  }
  for await (const ev of parseSse(gen())) out.push(ev);
  return out;
}

test('SSE: comments skipped, multi-line data joined, CRLF and CR line ends, chunks split anywhere', async () => {
  const text = ': OPENROUTER PROCESSING\r\n\r\ndata: {"a":1}\r\n\r\nevent: x\ndata: line1\ndata:line2\n\ndata: [DONE]\r\rdata: tail';
  // Split into 1-byte chunks: every boundary case (a CRLF across two chunks included) is exercised.
  const events = await collect(text.split(''));
  assert.deepEqual(events, [
    { data: '{"a":1}' },
    { data: 'line1\nline2', event: 'x' },
    { data: '[DONE]' },
    { data: 'tail' },
  ]);
  assert.deepEqual(await collect([text]), events, 'one chunk gives the same events');
});

test('SSE: random streams with mixed line ends, split at random points, give back their events', async () => {
  let seed = 42;
  const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const ends = ['\n', '\r\n', '\r'];
  for (let round = 0; round < 300; round++) {
    // Most rounds use one line end throughout (as gateways do), some mix them.
    const mixed = next() < 0.3;
    const fixed = ends[Math.floor(next() * ends.length)];
    // A CR end followed by an LF end would read as one CRLF (so does every parser): never generated.
    let prev = '';
    const eol = () => {
      let e = mixed ? ends[Math.floor(next() * ends.length)] : fixed;
      if (prev === '\r' && e === '\n') e = '\r\n';
      return (prev = e);
    };
    const expected: { data: string; event?: string }[] = [];
    let text = '';
    for (let e = 0; e < 1 + Math.floor(next() * 40); e++) {
      if (next() < 0.1) text += `: keep-alive${eol()}`;
      const lines = Array.from({ length: 1 + Math.floor(next() * 3) }, (_, i) => `{"e":${e},"l":${i},"x":"${'y'.repeat(Math.floor(next() * 50))}"}`);
      const event = next() < 0.2 ? `kind${e}` : undefined;
      if (event) text += `event: ${event}${eol()}`;
      for (const l of lines) text += `data: ${l}${eol()}`;
      text += eol();
      expected.push(event ? { data: lines.join('\n'), event } : { data: lines.join('\n') });
    }
    const chunks: string[] = [];
    for (let at = 0; at < text.length; ) {
      const size = 1 + Math.floor(next() * (next() < 0.5 ? 8 : 4000));
      chunks.push(text.slice(at, at + size));
      at += size;
    }
    assert.deepEqual(await collect(chunks), expected, `round ${round}`);
  }
});

test('SSE: multi-byte UTF-8 split across chunks is decoded intact', async () => {
  const bytes = Buffer.from('data: {"t":"héllo ✓"}\n\n');
  const out = [];
  async function* gen() {
    for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
  }
  for await (const ev of parseSse(gen())) out.push(ev);
  assert.deepEqual(out, [{ data: '{"t":"héllo ✓"}' }]);
});

test('failures: NemoRouter typed codes keep their meaning; OpenRouter numeric codes map from the status', () => {
  const nemo = (code: string, status: number) =>
    failureFromResponse('nemo', status, {}, JSON.stringify({ error: { message: 'x', type: 'NemoCreditError', code } }));
  for (const [code, status, retry] of [
    ['insufficient_credits', 402, false],
    ['guardrail_blocked', 400, false],
    ['rate_limit_exceeded', 429, true],
    ['tpm_limit_exceeded', 429, true],
    ['credit_check_failed', 503, true],
  ] as const) {
    const f = nemo(code, status);
    assert.equal(f.code, code);
    assert.equal(f.status, status);
    assert.equal(canRetry(f), retry, `${code} retry`);
    assert.equal(canFailOver(f), retry, `${code} failover`);
  }
  const or = failureFromResponse('or', 429, { 'retry-after': '3' }, JSON.stringify({ error: { code: 429, message: 'slow down' } }));
  assert.equal(or.code, 'rate_limit_exceeded');
  assert.equal(or.retryAfterMs, 3000);
  const date = new Date(Date.now() + 5000).toUTCString();
  const byDate = failureFromResponse('or', 503, { 'retry-after': date }, '<html><title>Bad</title></html>');
  assert.ok(byDate.retryAfterMs! > 3000 && byDate.retryAfterMs! <= 5000, `HTTP-date Retry-After: ${byDate.retryAfterMs}`);
  assert.match(byDate.message, /HTML page/);
  for (const s of [400, 401, 402, 403]) {
    const f = failureFromResponse('g', s, {}, '');
    assert.equal(canRetry(f) || canFailOver(f), false, `${s} is final`);
  }
  assert.equal(canFailOver(failureFromResponse('g', 404, {}, '')), true, 'a stale catalog: another gateway may have it');
  const midStream = failureFromStreamError('or', { error: { code: 502, message: 'provider died' } });
  assert.equal(midStream?.status, 502);
  assert.equal(failureFromStreamError('or', { choices: [] }), undefined);
});

test('failures never carry a key that an upstream echoed', () => {
  const key = 'sk-nemo-0123456789abcdef0123';
  const f = failureFromResponse('nemo', 401, {}, JSON.stringify({ error: { message: `bad key ${key}`, code: 'invalid_api_key' } }), [key]);
  assert.ok(!f.message.includes(key), f.message);
});

test('backoff: full jitter under base×2^n, capped; Retry-After waited exactly, or failover when above the cap', () => {
  const routing = { ...DEFAULT_SETTINGS.routing, maxRetries: 3, retryBaseDelayMs: 100, retryMaxDelayMs: 1000 };
  const f = failureFromResponse('g', 503, {}, '');
  assert.deepEqual(planRetry(f, 0, routing, () => 0.999), { retry: true, delayMs: 99 });
  assert.deepEqual(planRetry(f, 2, routing, () => 0.5), { retry: true, delayMs: 200 });
  assert.deepEqual(planRetry(f, 2, routing, () => 0), { retry: true, delayMs: 0 });
  assert.deepEqual(planRetry({ ...f }, 3, routing), { retry: false, reason: 'exhausted' });
  const big = planRetry({ ...f, retryAfterMs: 0 }, 0, { ...routing, retryBaseDelayMs: 60000 }, () => 1);
  assert.deepEqual(big, { retry: true, delayMs: 0 });
  assert.deepEqual(planRetry({ ...f, retryAfterMs: 700 }, 0, routing), { retry: true, delayMs: 700 });
  assert.deepEqual(planRetry({ ...f, retryAfterMs: 5000 }, 0, routing), { retry: false, reason: 'retry_after_too_long' });
  const capped = planRetry(f, 9, { ...routing, maxRetries: 10 }, () => 0.999);
  assert.ok(capped.retry && capped.delayMs <= 1000);
});

test('sleep ends early when the caller aborts', async () => {
  const ctrl = new AbortController();
  const p = sleep(60_000, ctrl.signal);
  ctrl.abort(new Error('gone'));
  await assert.rejects(p, /gone/);
});

test('circuit breaker: opens after N consecutive failures, half-open probe after the cooldown, closes on success', () => {
  let t = 0;
  const routing = { ...DEFAULT_SETTINGS.routing, breakerFailures: 3, breakerCooldownSeconds: 10 };
  const b = createBreakers(() => routing, () => t);
  for (let i = 0; i < 2; i++) b.failure('g');
  assert.deepEqual(b.admit('g'), { allowed: true, probe: false });
  b.success('g');
  for (let i = 0; i < 3; i++) b.failure('g');
  assert.equal(b.isOpen('g'), true);
  assert.deepEqual(b.admit('g'), { allowed: false, retryInMs: 10_000 });
  assert.equal(b.admit('other').allowed, true, 'per gateway');
  t = 10_000;
  assert.deepEqual(b.admit('g'), { allowed: true, probe: true });
  assert.equal(b.admit('g').allowed, false, 'only one probe at a time');
  b.failure('g');
  assert.deepEqual(b.admit('g'), { allowed: false, retryInMs: 10_000 }, 'a failed probe reopens for a full cooldown');
  t = 20_000;
  assert.equal(b.admit('g').allowed, true);
  b.success('g');
  assert.deepEqual(b.admit('g'), { allowed: true, probe: false });
  assert.equal(b.isOpen('g'), false);
});

test('request needs: tokens, max tokens, tools and images read from the body', () => {
  const n = requestNeeds('chat/completions', {
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'x'.repeat(40) }, { type: 'image_url', image_url: { url: 'data:' } }] },
    ],
    tools: [{ type: 'function', function: { name: 'f' } }],
    max_tokens: 500,
  });
  assert.deepEqual(n, { inputTokens: 10, maxOutputTokens: 500, tools: true, images: true, output: 'text' });
  assert.equal(requestNeeds('embeddings', { input: ['abcd', 'efgh'] }).output, 'embedding');
  assert.equal(requestNeeds('embeddings', { input: ['abcd', 'efgh'] }).inputTokens, 2);
  assert.equal(estimateTokens(''), 0);
  // Counted without joining the text: the same estimate as the text's own.
  const bodies: [InferenceEndpoint, Record<string, unknown>][] = [
    ['chat/completions', { messages: [{ role: 'system', content: 'abc' }, { role: 'user', content: [{ type: 'text', text: 'x'.repeat(41) }, { type: 'image_url' }] }, null, { role: 'tool' }] }],
    ['chat/completions', { messages: 'not a list' }],
    ['completions', { prompt: 'y'.repeat(9) }],
    ['completions', { prompt: ['ab', 3, 'cde'] }],
    ['embeddings', { input: 'z'.repeat(100_001) }],
    ['embeddings', { input: { not: 'text' } }],
  ];
  for (const [endpoint, body] of bodies) assert.equal(requestTokens(endpoint, body), estimateTokens(requestText(endpoint, body)), JSON.stringify(body).slice(0, 80));
});

test('did you mean: close IDs first, across ID forms and aliases', () => {
  const m = (canonicalId: string, ids: [string, string][]): MergedModel =>
    ({ canonicalId, offers: ids.map(([gateway, id]) => ({ gateway, id, priceSource: 'gateway' })) }) as unknown as MergedModel;
  const models = [
    m('openai/gpt-4o', [['nemo', 'gpt-4o'], ['or', 'openai/gpt-4o']]),
    m('openai/gpt-4o-mini', [['nemo', 'gpt-4o-mini']]),
    m('anthropic/claude-sonnet-4', [['or', 'anthropic/claude-sonnet-4']]),
  ];
  assert.equal(suggestModels('gpt4o', models)[0], 'gpt-4o');
  assert.ok(suggestModels('openai/gpt-4', models).includes('openai/gpt-4o'));
  assert.ok(suggestModels('sonnet', models).includes('anthropic/claude-sonnet-4'));
  assert.deepEqual(suggestModels('fsat', models, ['fast']), ['fast']);
  assert.deepEqual(suggestModels('completely-different-thing', models), []);
});

test('cost headers are plain decimals, never exponent notation', () => {
  assert.equal(formatCostUsd(1e-7), '0.0000001');
  assert.equal(formatCostUsd(0.0000575), '0.0000575');
  assert.equal(formatCostUsd(0), '0');
  assert.equal(formatCostUsd(12.5), '12.5');
});
