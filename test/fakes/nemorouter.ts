// Fake NemoRouter (seeds 000 and 001): bare model IDs, bearer `sk-nemo-…` on everything, the
// x-nemo-* headers, authoritative cost in `x-nemo-request-cost`, typed gateway errors, and the
// NemoRouter additions /api/models/pricing and /api/credits/{balance,history}.
//
// Where the seed is silent (our choices, mirrored in README.md):
// - /api/models/pricing is LiteLLM-style (NemoRouter routes through LiteLLM): per-token
//   `input_cost_per_token` / `output_cost_per_token`, `max_input_tokens`, `mode`, `deprecation_date`.
//   Default body `{object: "list", data: [{model, ...}]}`; `pricingShape: 'map'` gives `{ "<model>": {...} }`.
// - /api/credits/balance: `{ balance, currency: "USD", total_spent, updated_at }` (USD numbers).
// - /api/credits/history: `{ object: "list", data: [newest first], has_more, total }`, `?limit=&offset=`.
// - Streams: the cost is unknown when headers leave, so a stream has no x-nemo-request-cost header;
//   it comes in the final usage chunk as `usage.cost` (when stream_options.include_usage) and as an
//   HTTP trailer `x-nemo-request-cost` (declared in `Trailer`).
// - The guardrail blocks for real when the prompt holds a secret (an AWS access key `AKIA…` or a
//   PEM private key header); `x-nemo-guardrails-applied` lists the guardrails that ran.
// - 402 insufficient_credits happens for real when the request's cost exceeds state.balance.
// - `nemo_cache` is accepted and ignored: answers are never served from a response cache, so
//   identical requests cost the same. `x-nemo-cache` (HIT/MISS) is set on /v1/models only.
import { inferenceRoutes } from './inference';
import { findModel, modelsPaths, openAiRecord, sendList } from './listing';
import { formatUsd } from './tokens';
import type { Ctx, GatewayEnv, Route } from './server';
import type { FakeModel } from './types';

const GUARDRAILS = 'pii-detection,secret-detection,prompt-injection';
const SECRET = /AKIA[0-9A-Z]{16}|-----BEGIN (?:RSA |EC |OPENSSH )?PRIVATE KEY-----/;

export function nemoCommonHeaders(ctx: Ctx): Record<string, string> {
  return {
    'x-nemo-request-id': ctx.requestId,
    'x-nemo-latency-ms': String(Date.now() - ctx.started),
    // Tier 1 limits from the seed's table.
    'x-ratelimit-limit-requests': '500',
    'x-ratelimit-limit-tokens': '500000',
  };
}

function pricingEntry(m: FakeModel): Record<string, unknown> {
  const embedding = m.embeddingDims !== undefined;
  return {
    litellm_provider: m.ownedBy === 'meta-llama' ? 'meta_llama' : m.ownedBy,
    mode: embedding ? 'embedding' : 'chat',
    ...(m.price ? { input_cost_per_token: m.price.input, output_cost_per_token: m.price.output } : {}),
    ...(m.price?.cacheRead !== undefined ? { cache_read_input_token_cost: m.price.cacheRead } : {}),
    ...(m.price?.cacheWrite !== undefined ? { cache_creation_input_token_cost: m.price.cacheWrite } : {}),
    ...(m.price?.cacheRead !== undefined ? { cache_read_input_token_cost: m.price.cacheRead } : {}),
    ...(m.contextLength !== undefined ? { max_input_tokens: m.contextLength } : {}),
    ...(m.maxOutput !== undefined ? { max_output_tokens: m.maxOutput, max_tokens: m.maxOutput } : {}),
    ...(embedding ? { output_vector_size: m.embeddingDims } : {}),
    supports_vision: m.inputModalities.includes('image'),
    supports_function_calling: m.supportedParameters.includes('tools'),
    supports_reasoning: m.supportedParameters.includes('reasoning'),
    supports_response_schema: m.supportedParameters.includes('structured_outputs'),
    ...(m.deprecated ? { deprecation_date: m.deprecated.date } : {}),
  };
}

export function nemoRoutes(env: GatewayEnv, initialBalance: number): Route[] {
  const { state } = env;
  const paths = modelsPaths('/v1');
  let lastEtag: string | undefined;
  const startedAt = new Date().toISOString();

  const models: Route = {
    method: 'GET', path: paths.list, auth: true,
    handler: (ctx) =>
      sendList(ctx, { object: 'list', data: state.models.map(openAiRecord) }, (etag) => {
        // HIT: the catalog is the one this gateway served last time (its models cache was reused).
        const hit = etag === lastEtag;
        lastEtag = etag;
        return { 'x-nemo-cache': hit ? 'HIT' : 'MISS' };
      }),
  };
  const model: Route = {
    method: 'GET', path: paths.one, auth: true,
    handler: (ctx) => {
      const m = findModel(state, ctx.params[0]);
      if (!m) return ctx.error({ status: 404, code: 'model_not_found', param: 'model', message: `Model '${ctx.params[0]}' not found.` });
      ctx.json(200, openAiRecord(m));
    },
  };
  const pricing: Route = {
    method: 'GET', path: /^\/api\/models\/pricing\/?$/, auth: true,
    handler: (ctx) => {
      const body = env.opts.pricingShape === 'map'
        ? Object.fromEntries(state.models.map((m) => [m.id, pricingEntry(m)]))
        : { object: 'list', data: state.models.map((m) => ({ model: m.id, ...pricingEntry(m) })) };
      sendList(ctx, body);
    },
  };
  const balance: Route = {
    method: 'GET', path: /^\/api\/credits\/balance\/?$/, auth: true,
    handler: (ctx) => ctx.json(200, { balance: state.balance, currency: 'USD', total_spent: state.spent, updated_at: new Date().toISOString() }),
  };
  const history: Route = {
    method: 'GET', path: /^\/api\/credits\/history\/?$/, auth: true,
    handler: (ctx) => {
      const limit = clampInt(ctx.url.searchParams.get('limit'), 50, 1, 500);
      const offset = clampInt(ctx.url.searchParams.get('offset'), 0, 0, Number.MAX_SAFE_INTEGER);
      const all = [
        ...state.charges.map((c, i) => ({
          id: `txn_${String(i + 1).padStart(6, '0')}`, type: 'usage', amount: -c.costUsd, balance_after: c.balanceAfter,
          model: c.model, request_id: c.requestId, response_id: c.responseId, input_tokens: c.inputTokens, output_tokens: c.outputTokens, created_at: c.at,
        })),
        { id: 'txn_000000', type: 'credit', amount: initialBalance, balance_after: initialBalance, description: 'Sign-up credits', created_at: startedAt },
      ];
      all.sort((a, b) => (a.id < b.id ? 1 : -1));
      const page = all.slice(offset, offset + limit);
      ctx.json(200, { object: 'list', data: page, has_more: offset + limit < all.length, total: all.length });
    },
  };

  const inference = inferenceRoutes('/v1', env, {
    resolve: (id) => findModel(state, id),
    unknownModelStatus: 404,
    charges: true,
    usageDialect: 'litellm',
    precheck(ctx, text) {
      if (!SECRET.test(text)) return false;
      ctx.error(
        { status: 400, code: 'guardrail_blocked', message: 'Blocked by guardrail secret-detection: a secret was detected in the payload.' },
        { 'x-nemo-guardrails-applied': GUARDRAILS },
      );
      return true;
    },
    headers(_ctx, run) {
      const h: Record<string, string> = { 'x-nemo-guardrails-applied': GUARDRAILS };
      if (run.stream) h.trailer = 'x-nemo-request-cost';
      else if (run.costUsd !== undefined) h['x-nemo-request-cost'] = formatUsd(run.costUsd);
      return h;
    },
    usageExtras: (run) => (run.stream && run.costUsd !== undefined ? { cost: run.costUsd } : {}),
    trailers: (run): Record<string, string> => (run.costUsd !== undefined ? { 'x-nemo-request-cost': formatUsd(run.costUsd) } : {}),
  });
  return [models, model, pricing, balance, history, ...inference];
}

function clampInt(raw: string | null, dflt: number, min: number, max: number): number {
  const n = raw === null ? dflt : Number.parseInt(raw, 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : dflt;
}
