// Failure handling against the fake gateways over real HTTP: bounded retries with Retry-After,
// failover across gateways then to fallbacks, the circuit breaker, and the statuses never retried.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, chatRequest, manualClock, type Harness } from './pipeline-harness';
import type { FakeGateway } from '../fakes/index';
import { validateRequest } from '../../server/proxy/body';
import { until } from '../helpers/wait';

const chatCalls = (f: FakeGateway) => f.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
const fast = { retryBaseDelayMs: 1, retryMaxDelayMs: 3000, maxRetries: 2 };

async function withHarness(fn: (h: Harness) => Promise<void>, routing: Record<string, unknown> = fast, extra: Record<string, unknown> = {}) {
  const h = await startHarness([{ id: 'nemo', kind: 'nemorouter' }, { id: 'or', kind: 'openrouter' }], { routing, ...extra });
  try {
    await fn(h);
  } finally {
    await h.close();
  }
}

test('Retry-After in seconds is waited for exactly, then the same gateway answers', async () => {
  await withHarness(async (h) => {
    h.fakes.nemo.fail({ path: '/chat/completions', error: 'rate_limit_exceeded', retryAfter: 1 });
    const t0 = performance.now();
    const res = await h.app.pipeline.execute(chatRequest({ model: 'gpt-4o' }));
    const elapsed = performance.now() - t0;
    assert.equal(res.ok, true, JSON.stringify(res));
    assert.equal(res.ok && res.kind === 'json' && res.gateway, 'nemo');
    assert.equal(chatCalls(h.fakes.nemo), 2, 'one retry');
    assert.equal(chatCalls(h.fakes.or), 0, 'no failover needed');
    assert.ok(elapsed >= 990, `waited ${elapsed.toFixed(0)} ms for Retry-After: 1`);
  });
});

test('Retry-After as an HTTP date is honoured; one above the cap fails over at once instead of waiting', async () => {
  await withHarness(async (h) => {
    // HTTP dates have 1 s resolution: ask for ~2 s so the wait is clearly visible.
    h.fakes.nemo.fail({ path: '/chat/completions', status: 503, retryAfter: new Date(Date.now() + 2000).toUTCString() });
    const t0 = performance.now();
    const res = await h.app.pipeline.execute(chatRequest({ model: 'gpt-4o' }));
    assert.equal(res.ok && res.kind === 'json' && res.gateway, 'nemo');
    assert.ok(performance.now() - t0 >= 900, 'waited for the date');

    h.fakes.nemo.fail({ path: '/chat/completions', error: 'rate_limit_exceeded', retryAfter: 60 });
    const t1 = performance.now();
    const over = await h.app.pipeline.execute(chatRequest({ model: 'gpt-4o' }));
    assert.equal(over.ok && over.kind === 'json' && over.gateway, 'or', 'failed over to OpenRouter');
    assert.ok(performance.now() - t1 < 2000, 'did not sit out a 60 s Retry-After');
  });
});

test('retries are bounded, then the request fails over to another gateway serving the same canonical model', async () => {
  await withHarness(async (h) => {
    h.fakes.nemo.fail({ path: '/chat/completions', status: 503, times: Infinity });
    const res = await h.app.pipeline.execute(chatRequest({ model: 'gpt-4o' }));
    assert.equal(res.ok, true, JSON.stringify(res));
    assert.equal(res.ok && res.kind === 'json' && res.gateway, 'or');
    assert.equal(res.ok && res.kind === 'json' && res.servedModel, 'openai/gpt-4o');
    assert.equal(chatCalls(h.fakes.nemo), 3, '1 try + maxRetries (2)');
    const body = h.fakes.or.requests.at(-1)?.body as { model: string };
    assert.equal(body.model, 'openai/gpt-4o', 'the ID in OpenRouter form');
    const lines = await h.ledger();
    assert.equal(lines.length, 1);
    assert.equal(lines[0].gateway, 'or');
    assert.equal(lines[0].model, 'gpt-4o', 'as requested');
  });
});

test('after every gateway of the model fails, the configured fallback model answers', async () => {
  await withHarness(
    async (h) => {
      h.fakes.nemo.fail({ path: '/chat/completions', status: 502, times: Infinity });
      h.fakes.or.fail({ path: '/chat/completions', status: 500 });
      const res = await h.app.pipeline.execute(chatRequest({ model: 'gpt-4o' }));
      assert.equal(res.ok, true, JSON.stringify(res));
      if (!res.ok || res.kind !== 'json') return;
      assert.equal(res.gateway, 'or');
      assert.equal(res.servedModel, 'anthropic/claude-sonnet-4');
      const [line] = await h.ledger();
      assert.equal(line.model, 'gpt-4o');
      assert.equal(line.servedModel, 'anthropic/claude-sonnet-4');
    },
    { ...fast, maxRetries: 0 },
    { fallbacks: ['anthropic/claude-sonnet-4'] },
  );
});

test('400/401/402/403 are never retried nor failed over; NemoRouter codes reach the caller as such', async () => {
  await withHarness(async (h) => {
    for (const error of ['insufficient_credits', 'guardrail_blocked']) {
      h.fakes.nemo.fail({ path: '/chat/completions', error });
      const res = await h.app.pipeline.execute(chatRequest({ model: 'gpt-4o' }));
      assert.equal(res.ok, false);
      if (res.ok) return;
      assert.equal(res.failure.code, error);
      assert.equal(res.failure.gateway, 'nemo');
    }
    for (const status of [401, 403]) {
      h.fakes.nemo.fail({ path: '/chat/completions', status });
      const res = await h.app.pipeline.execute(chatRequest({ model: 'gpt-4o' }));
      assert.equal(!res.ok && res.failure.status, status);
    }
    assert.equal(chatCalls(h.fakes.nemo), 4, 'one call each');
    assert.equal(chatCalls(h.fakes.or), 0, 'never failed over');
    // A real guardrail block: the fake NemoRouter detects the AWS key in the prompt.
    const blocked = await h.app.pipeline.execute(chatRequest({ model: 'gpt-4o', messages: [{ role: 'user', content: 'key AKIAABCDEFGHIJKLMNOP' }] }));
    assert.equal(!blocked.ok && blocked.failure.code, 'guardrail_blocked');
    assert.equal(!blocked.ok && blocked.failure.status, 400);
    const lines = await h.ledger();
    assert.deepEqual(lines.map((l) => l.status), ['insufficient_credits', 'guardrail_blocked', 'invalid_api_key', 'permission_denied', 'guardrail_blocked']);
    assert.ok(lines.every((l) => l.costUsd === 0 && l.costSource === 'computed'), 'failed requests cost nothing, said explicitly');
  });
});

test('rate_limit_exceeded, tpm_limit_exceeded and credit_check_failed are retried and keep their code when retries run out', async () => {
  await withHarness(
    async (h) => {
      for (const error of ['rate_limit_exceeded', 'tpm_limit_exceeded', 'credit_check_failed']) {
        h.fakes.nemo.fail({ path: '/chat/completions', error, times: 2 });
        const res = await h.app.pipeline.execute(chatRequest({ model: 'gpt-4o' }, { gateway: 'nemo' }));
        assert.equal(!res.ok && res.failure.code, error, `${error} after retries`);
      }
      assert.equal(chatCalls(h.fakes.nemo), 6, 'two tries each (maxRetries 1), pinned to nemo');
      assert.equal(chatCalls(h.fakes.or), 0, 'an explicit gateway is never failed over');
    },
    { ...fast, maxRetries: 1, breakerFailures: 10 },
  );
});

test('circuit breaker: a gateway that keeps failing is skipped for the cooldown, probed after it, closed on success', async () => {
  await withHarness(
    async (h) => {
      const clock = manualClock();
      const pipeline = h.pipeline({ now: clock.now, random: () => 0 });
      const nemoFault = h.fakes.nemo.fail({ path: '/chat/completions', status: 503, times: Infinity });
      const run = async () => {
        const r = await pipeline.execute(chatRequest({ model: 'gpt-4o' }));
        assert.equal(r.ok, true, JSON.stringify(r));
        return r.ok && r.kind === 'json' ? r.gateway : '';
      };
      assert.equal(await run(), 'or');
      assert.equal(await run(), 'or');
      assert.equal(chatCalls(h.fakes.nemo), 2, 'two consecutive failures open the breaker');
      assert.equal(await run(), 'or');
      assert.equal(chatCalls(h.fakes.nemo), 2, 'open: nemo is not even tried');
      clock.advance(30_000);
      assert.equal(await run(), 'or');
      assert.equal(chatCalls(h.fakes.nemo), 3, 'half-open: one probe, which failed');
      assert.equal(await run(), 'or');
      assert.equal(chatCalls(h.fakes.nemo), 3, 'reopened for another cooldown');
      nemoFault.cancel();
      clock.advance(30_000);
      assert.equal(await run(), 'nemo', 'the probe succeeded');
      assert.equal(await run(), 'nemo', 'closed again');
    },
    { ...fast, maxRetries: 0, breakerFailures: 2, breakerCooldownSeconds: 30 },
  );
});

test('timeouts and refused connections are retryable and fail over', async () => {
  await withHarness(
    async (h) => {
      h.fakes.nemo.fail({ path: '/chat/completions', hangMs: 10_000 });
      const res = await h.app.pipeline.execute(chatRequest({ model: 'gpt-4o' }));
      assert.equal(res.ok && res.kind === 'json' && res.gateway, 'or', JSON.stringify(res));
      await h.fakes.nemo.close();
      const again = await h.app.pipeline.execute(chatRequest({ model: 'gpt-4o' }));
      assert.equal(again.ok && again.kind === 'json' && again.gateway, 'or');
      const pinned = await h.app.pipeline.execute(chatRequest({ model: 'gpt-4o' }, { gateway: 'nemo' }));
      assert.equal(!pinned.ok && pinned.failure.kind, 'network');
      assert.equal(!pinned.ok && pinned.failure.code, 'unreachable');
    },
    { ...fast, maxRetries: 0, requestTimeoutMs: 1000 },
  );
});

test('a malformed 200 (broken JSON, wrong shape) is the gateway\'s failure, retried, never handed on', async () => {
  await withHarness(
    async (h) => {
      h.fakes.nemo.fail({ path: '/chat/completions', malformed: true });
      h.fakes.nemo.fail({ path: '/chat/completions', wrongShape: true });
      h.fakes.nemo.fail({ path: '/chat/completions', html: true, status: 502 });
      const res = await h.app.pipeline.execute(chatRequest({ model: 'gpt-4o' }));
      assert.equal(res.ok && res.kind === 'json' && res.gateway, 'or', JSON.stringify(res));
      assert.equal(chatCalls(h.fakes.nemo), 3);
    },
    { ...fast, maxRetries: 2 },
  );
});

test('the caller aborting during a backoff ends the request at once, with one ledger line', async () => {
  await withHarness(
    async (h) => {
      h.fakes.nemo.fail({ path: '/chat/completions', error: 'rate_limit_exceeded', retryAfter: 2 });
      const ctrl = new AbortController();
      const pending = h.app.pipeline.execute(chatRequest({ model: 'gpt-4o' }, { gateway: 'nemo', signal: ctrl.signal }));
      await until(() => chatCalls(h.fakes.nemo) === 1, { what: 'the first chat call', intervalMs: 0 });
      const t0 = performance.now();
      ctrl.abort();
      const res = await pending;
      assert.equal(!res.ok && res.failure.kind, 'aborted');
      assert.ok(performance.now() - t0 < 1000, 'did not sit out the Retry-After');
      const lines = await h.ledger();
      assert.equal(lines.length, 1);
      assert.equal(lines[0].status, 'aborted');
    },
    { ...fast, retryMaxDelayMs: 5000 },
  );
});

test('a gateway whose catalog could not be loaded still takes requests, addressed in its own ID form', async () => {
  const h = await startHarness([{ id: 'nemo', kind: 'nemorouter' }, { id: 'or', kind: 'openrouter' }], { routing: fast }, {
    beforeCatalog: (f) => void f.nemo.fail({ path: '/models', status: 500, times: Infinity }),
  });
  try {
    assert.equal(h.app.catalog.statuses().find((s) => s.gateway === 'nemo')?.modelCount, 0, 'nemo has no catalog');
    const pinned = await h.app.pipeline.execute(chatRequest({ model: 'openai/gpt-4o' }, { gateway: 'nemo' }));
    assert.equal(pinned.ok && pinned.kind === 'json' && pinned.gateway, 'nemo', JSON.stringify(pinned));
    assert.equal((h.fakes.nemo.requests.at(-1)?.body as { model: string }).model, 'gpt-4o', 'NemoRouter spells it bare');
    const unknown = await h.app.pipeline.execute(chatRequest({ model: 'house-special' }));
    assert.equal(!unknown.ok && unknown.failure.code, 'model_not_found', 'the gateway itself judged the ID');
  } finally {
    await h.close();
  }
});

test('every caller gets the proxy’s body checks: a message without a role is refused before any gateway is called', async () => {
  await withHarness(async (h) => {
    const bad = { model: 'gpt-4o', messages: [{ content: 'no role' }] };
    const res = await h.app.pipeline.execute(chatRequest(bad, { source: 'chat' }));
    assert.equal(res.ok, false);
    if (!res.ok) {
      assert.equal(res.failure.kind, 'bad_request');
      assert.equal(res.failure.status, 400);
      assert.match(res.failure.message, /^invalid chat\/completions request: .*messages\[0\]\.role/);
      assert.equal(res.failure.message, (validateRequest('chat/completions', bad) as { ok: false; error: { message: string } }).error.message, 'the same words as the proxy');
    }
    const empty = await h.app.pipeline.execute(chatRequest({ model: 'gpt-4o', messages: [] }, { source: 'chat' }));
    assert.equal(!empty.ok && empty.failure.kind, 'bad_request');
    assert.equal(chatCalls(h.fakes.nemo) + chatCalls(h.fakes.or), 0, 'no gateway saw either request');
  });
});
