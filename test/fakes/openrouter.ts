// Fake OpenRouter (seed 002 + its public API): base `/api/v1`, `provider/model` IDs with `:free`
// variants, string prices per token, list filters and server-side sort, count, list for user,
// get by author/slug, `/credits`, `/key`, usage accounting (`usage: {include: true}` → `usage.cost`),
// `: OPENROUTER PROCESSING` comments in streams, errors as `{error: {code: <status>, message}}`.
//
// Our choices where the seed is silent (mirrored in README.md):
// - /models, /models/count and /models/{author}/{slug} are public (as on openrouter.ai): no key needed,
//   a wrong key is ignored there. /models/user, /credits, /key and inference need `sk-or-v1-…`.
// - Filters: `output_modalities` matches any listed (default `text`, `all` = no filter);
//   `input_modalities` and `supported_parameters` need all listed; `arch` matches the tokenizer
//   prefix (`Llama` ⇒ `Llama3`); `min_price`/`max_price` compare the prompt price in $/M tokens;
//   `distillable`, `zdr`, `region` are validated then ignored (no fake model carries that data).
//   Benchmark-based sorts (throughput, latency, popularity, intelligence, design arena) keep the
//   default order, as the docs say for models without a score.
// - Unknown model on inference: 400 (OpenRouter: "not a valid model ID").
import { inferenceRoutes, type RunInfo } from './inference';
import { describeModel, findModel, sendList } from './listing';
import { formatUsd, round12 } from './tokens';
import type { Ctx, GatewayEnv, Route } from './server';
import type { FakeModel } from './types';

export const OPENROUTER_PREFIX = '/api/v1';

const SORTS = [
  'pricing-low-to-high', 'pricing-high-to-low', 'context-high-to-low', 'throughput-high-to-low', 'latency-low-to-high',
  'most-popular', 'top-weekly', 'newest', 'intelligence-high-to-low', 'design-arena-elo-high-to-low',
] as const;

const price = (x: number | undefined) => (x === undefined ? undefined : formatUsd(x));

export function openRouterRecord(m: FakeModel): Record<string, unknown> {
  const p = m.price;
  return {
    id: m.id,
    canonical_slug: m.canonicalSlug,
    hugging_face_id: null,
    name: m.name,
    created: m.created,
    description: describeModel(m),
    context_length: m.contextLength ?? null,
    architecture: {
      modality: `${m.inputModalities.join('+')}->${m.outputModalities.join('+')}`,
      input_modalities: m.inputModalities,
      output_modalities: m.outputModalities,
      tokenizer: m.tokenizer ?? 'Other',
      instruct_type: null,
    },
    ...(p ? {
      pricing: {
        prompt: price(p.input), completion: price(p.output), request: '0', image: '0', web_search: '0', internal_reasoning: price(p.reasoning ?? 0),
        ...(p.cacheRead !== undefined ? { input_cache_read: price(p.cacheRead) } : {}),
        ...(p.cacheWrite !== undefined ? { input_cache_write: price(p.cacheWrite) } : {}),
      },
    } : {}),
    top_provider: {
      context_length: m.contextLength ?? null,
      max_completion_tokens: m.maxOutput ?? null,
      is_moderated: m.ownedBy === 'openai' || m.ownedBy === 'anthropic',
    },
    per_request_limits: null,
    supported_parameters: m.supportedParameters,
    default_parameters: null,
    expiration_date: m.deprecated?.date ?? null,
    ...m.extra,
  };
}

const list = (v: string | null) => (v ? v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean) : []);

/** The documented list filters; a string is a 400 message. */
export function filterOpenRouter(models: FakeModel[], q: URLSearchParams): FakeModel[] | string {
  let out = byOutputModality(models, q);
  const num = (name: string): number | undefined | string => {
    const raw = q.get(name);
    if (raw === null || raw === '') return undefined;
    const n = Number(raw);
    return Number.isFinite(n) ? n : `Invalid value for "${name}": ${raw}`;
  };
  const context = num('context');
  const minPrice = num('min_price');
  const maxPrice = num('max_price');
  for (const v of [context, minPrice, maxPrice]) if (typeof v === 'string') return v;
  const sort = q.get('sort');
  if (sort !== null && !(SORTS as readonly string[]).includes(sort)) return `Invalid value for "sort": ${sort}`;
  for (const name of ['distillable', 'zdr']) {
    const v = q.get(name);
    if (v !== null && v !== 'true' && v !== 'false') return `Invalid value for "${name}": ${v}`;
  }
  if (q.get('region') !== null && q.get('region') !== 'eu') return `Invalid value for "region": ${q.get('region')}`;

  const category = q.get('category')?.toLowerCase();
  const params = list(q.get('supported_parameters'));
  const inputs = list(q.get('input_modalities'));
  const authors = list(q.get('model_authors'));
  const providers = list(q.get('providers'));
  const arch = q.get('arch')?.toLowerCase();
  const text = q.get('q')?.toLowerCase();
  const perM = (m: FakeModel) => (m.price ? m.price.input * 1e6 : undefined);
  out = out.filter((m) =>
    (!category || (m.categories ?? []).includes(category)) &&
    params.every((p) => m.supportedParameters.includes(p)) &&
    inputs.every((i) => (m.inputModalities as string[]).includes(i)) &&
    (authors.length === 0 || authors.includes(m.id.split('/')[0].toLowerCase())) &&
    (providers.length === 0 || (m.hosts ?? []).some((h) => providers.includes(h.toLowerCase()))) &&
    (!arch || (m.tokenizer ?? '').toLowerCase().startsWith(arch)) &&
    (!text || m.id.toLowerCase().includes(text) || m.name.toLowerCase().includes(text)) &&
    (typeof context !== 'number' || (m.contextLength ?? 0) >= context) &&
    (typeof minPrice !== 'number' || (perM(m) ?? -1) >= minPrice) &&
    (typeof maxPrice !== 'number' || (perM(m) ?? Infinity) <= maxPrice),
  );
  return sortModels(out, sort);
}

function byOutputModality(models: FakeModel[], q: URLSearchParams): FakeModel[] {
  const want = list(q.get('output_modalities') ?? 'text');
  if (want.includes('all')) return models;
  return models.filter((m) => m.outputModalities.some((o) => want.includes(o)));
}

function sortModels(models: FakeModel[], sort: string | null): FakeModel[] {
  const avg = (m: FakeModel) => (m.price ? (m.price.input + m.price.output) / 2 : Infinity);
  const out = [...models];
  if (sort === 'pricing-low-to-high') out.sort((a, b) => avg(a) - avg(b));
  else if (sort === 'pricing-high-to-low') out.sort((a, b) => (avg(b) === Infinity ? -1 : avg(b)) - (avg(a) === Infinity ? -1 : avg(a)));
  else if (sort === 'context-high-to-low') out.sort((a, b) => (b.contextLength ?? 0) - (a.contextLength ?? 0));
  else if (sort === 'newest') out.sort((a, b) => b.created - a.created);
  return out;
}

function masked(key: string | undefined): string {
  return key ? `${key.slice(0, 12)}...${key.slice(-3)}` : 'none';
}

export function openRouterRoutes(env: GatewayEnv, key: string | undefined): Route[] {
  const { state } = env;
  const byok = env.opts.byokFee;
  /** BYOK: what OpenRouter debits as its fee, a share of the inference's price (run.costUsd). */
  const fee = byok === undefined ? undefined : (run: RunInfo) => round12(run.costUsd! * byok);
  const P = OPENROUTER_PREFIX.replace(/\//g, '\\/');
  const listing = (ctx: Ctx) => {
    const r = filterOpenRouter(state.models, ctx.url.searchParams);
    if (typeof r === 'string') return ctx.error({ status: 400, message: r });
    sendList(ctx, { data: r.map(openRouterRecord) });
  };
  const routes: Route[] = [
    { method: 'GET', path: new RegExp(`^${P}\\/models\\/?$`), auth: false, handler: listing },
    { method: 'GET', path: new RegExp(`^${P}\\/models\\/user\\/?$`), auth: true, handler: listing },
    {
      method: 'GET', path: new RegExp(`^${P}\\/models\\/count\\/?$`), auth: false,
      handler: (ctx) => ctx.json(200, { data: { count: byOutputModality(state.models, ctx.url.searchParams).length } }),
    },
    {
      method: 'GET', path: new RegExp(`^${P}\\/models\\/([^/]+)\\/([^/]+)$`), auth: false,
      handler: (ctx) => {
        const m = findModel(state, `${ctx.params[0]}/${ctx.params[1]}`);
        if (!m) return ctx.error({ status: 404, message: `Model ${ctx.params[0]}/${ctx.params[1]} not found` });
        ctx.json(200, { data: openRouterRecord(m) });
      },
    },
    {
      method: 'GET', path: new RegExp(`^${P}\\/credits\\/?$`), auth: true,
      handler: (ctx) => ctx.json(200, { data: { total_credits: round12(state.balance + state.spent), total_usage: state.spent } }),
    },
    {
      // Cost of one generation afterwards, by the `id` of its answer (`gen-…`), as GET /api/v1/generation does.
      method: 'GET', path: new RegExp(`^${P}\\/generation\\/?$`), auth: true,
      handler: (ctx) => {
        const id = ctx.url.searchParams.get('id');
        if (!id) return ctx.error({ status: 400, message: 'Missing required query parameter: id' });
        const c = state.charges.find((x) => x.responseId === id);
        if (!c) return ctx.error({ status: 404, message: `Generation ${id} not found` });
        ctx.json(200, {
          data: {
            id, upstream_id: null, total_cost: c.costUsd, cache_discount: null, created_at: c.at, model: c.model, origin: '', usage: c.costUsd,
            is_byok: c.inferenceCostUsd !== undefined, upstream_inference_cost: c.inferenceCostUsd ?? null, streamed: null, cancelled: false, provider_name: null, finish_reason: null, native_finish_reason: null,
            tokens_prompt: c.inputTokens, tokens_completion: c.outputTokens, native_tokens_prompt: c.inputTokens, native_tokens_completion: c.outputTokens,
          },
        });
      },
    },
    ...[`^${P}\\/key\\/?$`, `^${P}\\/auth\\/key\\/?$`].map((re): Route => ({
      method: 'GET', path: new RegExp(re), auth: true,
      handler: (ctx) => ctx.json(200, {
        data: {
          label: masked(key), limit: null, limit_remaining: null, limit_reset: null, include_byok_in_limit: false,
          usage: state.spent, usage_daily: state.spent, usage_weekly: state.spent, usage_monthly: state.spent,
          byok_usage: 0, byok_usage_daily: 0, byok_usage_weekly: 0, byok_usage_monthly: 0,
          is_free_tier: false, is_provisioning_key: false, expires_at: null,
          rate_limit: { requests: 1000, interval: '10s', note: 'This field is deprecated and safe to ignore.' },
        },
      }),
    })),
  ];
  const inference = inferenceRoutes(OPENROUTER_PREFIX, env, {
    resolve: (id) => findModel(state, id),
    unknownModelStatus: 400,
    idPrefix: 'gen-',
    charges: true,
    ...(fee ? { debit: fee } : {}),
    usageSwitch: true,
    streamComments: ['OPENROUTER PROCESSING'],
    extraFields: (run) => ({ provider: run.model.hosts?.[0] ?? 'OpenAI' }),
    usageExtras: (run) =>
      run.request.usage?.include === true && run.costUsd !== undefined
        ? {
          cost: fee ? fee(run) : run.costUsd, is_byok: fee !== undefined,
          prompt_tokens_details: { cached_tokens: run.cachedTokens, cache_write_tokens: run.cacheWriteTokens },
          completion_tokens_details: { reasoning_tokens: run.reasoningTokens },
          cost_details: { upstream_inference_cost: fee ? run.costUsd : null },
        }
        : {},
  });
  return [...routes, ...inference];
}
