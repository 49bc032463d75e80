// OpenRouter (seed 002): `provider/model` IDs with `:free`-style variants, prices (USD per token, as
// strings) and context in the catalog, balance from `GET /credits` (with `GET /key` as fallback),
// cost of a request in `usage.cost` when asked with `usage: {include: true}`.
// The rich record below is also what Bifrost lists (its /v1/models mirrors this shape).
import { z } from 'zod';
import type { GatewayAdapter, GatewayContext, ListModelsResult } from './types';
import { pricingWith, type Model } from '../protocol/model';
import type { CanonicalHints } from '../catalog/canonical';
import { HttpError } from '../http/errors';
import { perTokenToPerMTok } from '../catalog/price';
import { fromNanos, toNanos } from '../ledger/usd';
import {
  ListEnvelope, capabilitiesFromParams, deprecationOf, getJson, makeModel, modelId, optNum, optPosInt, optStr,
  optStrList, optUnix, parseItems, parseShape, toModalities,
} from './shared';
import { getOpenAiRecord, skippedWarning } from './openai-compatible';

export const RichModelRecord = z.object({
  id: modelId,
  canonical_slug: optStr,
  name: optStr,
  description: optStr,
  created: optUnix,
  owned_by: optStr,
  context_length: optPosInt,
  max_input_tokens: optPosInt,
  max_output_tokens: optPosInt,
  architecture: z
    .object({ input_modalities: optStrList, output_modalities: optStrList, modality: optStr })
    .optional()
    .catch(undefined),
  pricing: z
    .object({
      prompt: z.unknown().optional(),
      completion: z.unknown().optional(),
      input_cache_read: z.unknown().optional(),
      input_cache_write: z.unknown().optional(),
      internal_reasoning: z.unknown().optional(),
    })
    .optional()
    .catch(undefined),
  top_provider: z.object({ context_length: optPosInt, max_completion_tokens: optPosInt }).optional().catch(undefined),
  supported_parameters: optStrList,
  expiration_date: optStr,
  deprecated: z.unknown().optional(),
  deprecation_date: optStr,
  replacement: optStr,
});
export type RichModelRecord = z.infer<typeof RichModelRecord>;

/** `text+image->text` → input/output lists, for records without the explicit arrays. */
function splitModality(m: string | undefined): { input?: string[]; output?: string[] } {
  if (!m || !m.includes('->')) return {};
  const [i, o] = m.split('->');
  return { input: i.split('+'), output: o.split('+') };
}

export function richRecordToModel(ctx: GatewayContext, r: RichModelRecord, canonical: CanonicalHints & { canonicalId?: string }): Model {
  const arch = r.architecture;
  const fromModality = arch?.input_modalities && arch.output_modalities ? undefined : splitModality(arch?.modality);
  const input = toModalities(arch?.input_modalities ?? fromModality?.input);
  const output = toModalities(arch?.output_modalities ?? fromModality?.output);
  const inPrice = perTokenToPerMTok(r.pricing?.prompt);
  const outPrice = perTokenToPerMTok(r.pricing?.completion);
  return makeModel(ctx, {
    id: r.id,
    canonical,
    canonicalId: canonical.canonicalId,
    name: r.name,
    description: r.description,
    contextLength: r.context_length ?? r.top_provider?.context_length ?? r.max_input_tokens,
    maxOutput: r.top_provider?.max_completion_tokens ?? r.max_output_tokens,
    // With the cache-read, cache-write and reasoning prices when listed.
    pricing:
      inPrice !== undefined || outPrice !== undefined
        ? pricingWith(inPrice, outPrice, {
            cacheReadPerMTok: perTokenToPerMTok(r.pricing?.input_cache_read),
            cacheWritePerMTok: perTokenToPerMTok(r.pricing?.input_cache_write),
            reasoningPerMTok: perTokenToPerMTok(r.pricing?.internal_reasoning),
          })
        : undefined,
    modalities: { input, output },
    capabilities: capabilitiesFromParams(r.supported_parameters, input),
    deprecated: deprecationOf({ deprecated: r.deprecated, date: r.expiration_date ?? r.deprecation_date, replacement: r.replacement }),
    created: r.created,
  });
}

export function parseRichList(body: unknown, url: string): { items: RichModelRecord[]; skipped: number } {
  const list = parseShape(ListEnvelope, body, 'the model list', url);
  return parseItems(RichModelRecord, list, 'a model in the model list', url);
}

const UsageCost = z.object({
  cost: z.number().check(z.nonnegative()),
  is_byok: z.boolean().optional().catch(undefined),
  cost_details: z.object({ upstream_inference_cost: z.number().check(z.nonnegative()).nullish().catch(undefined) }).nullish().catch(undefined),
});

/**
 * What one OpenRouter request cost the person, from its `usage` (an answer) or its generation record
 * (reconcile: server/ledger/reconcile.ts). With their own provider key (BYOK) OpenRouter's figure is
 * its fee only; the provider bills the key for the inference, which OpenRouter states as
 * `upstream_inference_cost`: both count.
 */
export function openRouterCost(cost: number, isByok: boolean | undefined, upstreamInferenceCost: number | null | undefined): number {
  return isByok === true && upstreamInferenceCost ? fromNanos(toNanos(cost) + toNanos(upstreamInferenceCost)) : cost;
}

const CreditsBody = z.object({ data: z.object({ total_credits: optNum, total_usage: optNum }) });
const KeyBody = z.object({ data: z.object({ limit_remaining: optNum, limit: optNum, usage: optNum }) });

export const openrouterAdapter: GatewayAdapter = {
  kind: 'openrouter',
  servesAuto: false,
  idForm: 'provider/model',

  async listModels(ctx, signal, etag): Promise<ListModelsResult> {
    // The list defaults to text-output models; `all` includes embedding and image models too.
    const res = await getJson(ctx, '/models', signal, { etag, query: { output_modalities: 'all' } });
    if (res.status === 304) return { models: [], etag, notModified: true };
    const { items, skipped } = parseRichList(res.body, res.url);
    // The ID itself is canonical here (`canonical_slug` is OpenRouter's permaslug, often dated).
    return { models: items.map((r) => richRecordToModel(ctx, r, {})), etag: res.headers.etag, warnings: skippedWarning(skipped) };
  },

  async getModel(ctx, id, signal) {
    // `GET /models/{author}/{slug}` (variants such as `:free` in the slug); `{data: record}`.
    if (!id.includes('/')) return undefined;
    const rec = await getOpenAiRecord(ctx, id, signal, RichModelRecord);
    return rec && richRecordToModel(ctx, rec, {});
  },

  async balance(ctx, signal) {
    try {
      const res = await getJson(ctx, '/credits', signal);
      const { data } = parseShape(CreditsBody, res.body, 'the credits', res.url);
      if (data.total_credits !== undefined) {
        const used = data.total_usage ?? 0;
        return { balanceUsd: Math.max(0, data.total_credits - used), usedUsd: data.total_usage };
      }
    } catch (e) {
      // /credits needs a management-capable key on some accounts; /key answers for every key.
      if (!(e instanceof HttpError) || e.kind === 'aborted' || e.kind === 'unauthorized') throw e;
    }
    const res = await getJson(ctx, '/key', signal);
    const { data } = parseShape(KeyBody, res.body, 'the key info', res.url);
    return { balanceUsd: data.limit_remaining ?? undefined, usedUsd: data.usage };
  },

  prepareRequest(_endpoint, body) {
    const usage = body.usage && typeof body.usage === 'object' ? (body.usage as Record<string, unknown>) : {};
    return { ...body, usage: { ...usage, include: true } };
  },

  reportedCost(_headers, body) {
    const r = UsageCost.safeParse((body as { usage?: unknown } | undefined)?.usage);
    if (!r.success) return undefined;
    const { cost, is_byok, cost_details } = r.data;
    return { costUsd: openRouterCost(cost, is_byok, cost_details?.upstream_inference_cost) };
  },
};
