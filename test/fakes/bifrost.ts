// Fake Bifrost (seed 003): a self-hosted gateway, keyless by default, provider-prefixed IDs
// (`openai/gpt-4o`, `openrouter/openai/gpt-4o`), rich model records with string prices per token,
// the `provider` filter and `page_size` / `page_token` / `next_page_token` pagination.
//
// Our choices where the seed is silent (mirrored in README.md):
// - `page_token` is base64 of `{"page":N}` (N = 0-based page index), as the seed's example token
//   `eyJwYWdlIjoxfQ==` decodes; `next_page_token` is omitted on the last page (Go `omitempty`).
//   Without `page_size` the whole list comes back and `page_token` is ignored. A bad `page_size`,
//   `page_token` or `provider` is a 400 in Bifrost's error shape.
// - The `provider` filter matches the ID's first segment (`openrouter/openai/gpt-4o` is provider
//   `openrouter`); `owned_by` stays the model author.
// - GET /v1/models/{id...} answers one record (404 when unknown). Bifrost charges nothing itself.
// - Inference answers carry `extra_fields: {provider, model_requested, request_type}`.
import { inferenceRoutes } from './inference';
import { describeModel, findModel, modelsPaths, sendList } from './listing';
import { formatUsd } from './tokens';
import type { Ctx, GatewayEnv, Route } from './server';
import type { FakeModel } from './types';

/** The `provider` enum of the seed. */
export const BIFROST_PROVIDERS = [
  'openai', 'anthropic', 'azure', 'bedrock', 'cohere', 'vertex', 'mistral', 'ollama', 'gemini', 'groq',
  'openrouter', 'sgl', 'parasail', 'elevenlabs', 'perplexity', 'cerebras',
] as const;

const providerOf = (id: string) => id.split('/')[0];
const usd = (x: number) => formatUsd(x);

export function bifrostRecord(m: FakeModel): Record<string, unknown> {
  const p = m.price;
  const embedding = m.embeddingDims !== undefined;
  return {
    id: m.id,
    canonical_slug: m.canonicalSlug,
    name: m.name,
    created: m.created,
    ...(m.contextLength !== undefined ? { context_length: m.contextLength, max_input_tokens: m.contextLength } : {}),
    ...(m.maxOutput !== undefined ? { max_output_tokens: m.maxOutput } : {}),
    architecture: {
      tokenizer: m.tokenizer ?? 'Other',
      input_modalities: m.inputModalities,
      output_modalities: m.outputModalities,
      modality: `${m.inputModalities.join('+')}->${m.outputModalities.join('+')}`,
    },
    ...(p ? {
      pricing: {
        prompt: usd(p.input), completion: usd(p.output), request: '0', image: '0', web_search: '0', internal_reasoning: usd(p.reasoning ?? 0),
        input_cache_read: usd(p.cacheRead ?? 0), input_cache_write: usd(p.cacheWrite ?? 0),
      },
    } : {}),
    top_provider: { context_length: m.contextLength ?? null, max_completion_tokens: m.maxOutput ?? null, is_moderated: false },
    supported_parameters: m.supportedParameters,
    default_parameters: {},
    ...(m.description !== undefined || m.deprecated ? { description: describeModel(m) } : {}),
    owned_by: m.ownedBy,
    supported_methods: embedding ? ['embedding'] : ['chat_completion', 'text_completion'],
    ...(m.deprecated ? { deprecation_date: m.deprecated.date } : {}),
    ...m.extra,
  };
}

function decodeToken(token: string): number | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (typeof v === 'object' && v !== null && 'page' in v && Number.isInteger(v.page) && (v.page as number) >= 0) return v.page as number;
  } catch {
    // Falls through: not base64 JSON.
  }
  return undefined;
}

export function encodePageToken(page: number): string {
  return Buffer.from(JSON.stringify({ page })).toString('base64');
}

function listModels(ctx: Ctx, env: GatewayEnv): void {
  const q = ctx.url.searchParams;
  const provider = q.get('provider');
  if (provider !== null && !(BIFROST_PROVIDERS as readonly string[]).includes(provider)) {
    return ctx.error({ status: 400, code: 'invalid_provider', message: `Invalid provider: ${provider}` });
  }
  let models = env.state.models;
  if (provider !== null) models = models.filter((m) => providerOf(m.id) === provider);
  let next: string | undefined;
  const sizeRaw = q.get('page_size');
  if (sizeRaw !== null) {
    const size = Number(sizeRaw);
    if (!Number.isInteger(size) || size <= 0) return ctx.error({ status: 400, code: 'invalid_page_size', message: `Invalid page_size: ${sizeRaw}` });
    const tokenRaw = q.get('page_token');
    const page = tokenRaw === null || tokenRaw === '' ? 0 : decodeToken(tokenRaw);
    if (page === undefined) return ctx.error({ status: 400, code: 'invalid_page_token', message: 'Invalid page_token' });
    const start = page * size;
    if (start + size < models.length) next = encodePageToken(page + 1);
    models = models.slice(start, start + size);
  }
  const data = models.map(bifrostRecord);
  const body = {
    data,
    ...(next ? { next_page_token: next } : {}),
    extra_fields: { provider: provider ?? 'all', request_type: 'list_models', latency: Date.now() - ctx.started },
  };
  sendList(ctx, body, undefined, { data, next });
}

export function bifrostRoutes(env: GatewayEnv): Route[] {
  const { state } = env;
  const paths = modelsPaths('/v1');
  const requestType = { 'chat/completions': 'chat_completion', completions: 'text_completion', embeddings: 'embedding' } as const;
  return [
    { method: 'GET', path: paths.list, auth: true, handler: (ctx) => listModels(ctx, env) },
    {
      method: 'GET', path: paths.one, auth: true,
      handler: (ctx) => {
        const m = findModel(state, ctx.params[0]);
        if (!m) return ctx.error({ status: 404, code: 'model_not_found', message: `Model ${ctx.params[0]} not found` });
        ctx.json(200, bifrostRecord(m));
      },
    },
    ...inferenceRoutes('/v1', env, {
      resolve: (id) => findModel(state, id),
      unknownModelStatus: 404,
      charges: false,
      extraFields: (run) => ({
        extra_fields: { provider: providerOf(run.model.id), model_requested: run.requested, request_type: requestType[run.endpoint] },
      }),
    }),
  ];
}
