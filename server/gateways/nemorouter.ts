// NemoRouter (seeds 000, 001): bare IDs (`gpt-4o`, `owned_by: openai`), bearer `sk-nemo-…` keys,
// prices from `GET /api/models/pricing`, balance from `GET /api/credits/balance`, and the
// authoritative cost of a request in the `x-nemo-request-cost` header.
// The pricing and credits bodies are not in the seeds; NemoRouter routes through LiteLLM, so the
// LiteLLM per-token fields are read, as a list (`{data: [{model, …}]}`) or a map (`{"gpt-4o": {…}}`).
import { z } from 'zod';
import type { GatewayAdapter, GatewayContext, ListModelsResult } from './types';
import { pricingWith, type Model, type Modality } from '../protocol/model';
import { HttpError } from '../http/errors';
import { perTokenToPerMTok } from '../catalog/price';
import { getJson, optBool, optNum, optPosInt, optStr, parseShape, deprecationOf } from './shared';
import { OpenAiModelRecord, getOpenAiRecord, listOpenAiRecords, openAiRecordToModel, skippedWarning } from './openai-compatible';

const PricingEntry = z.object({
  model: optStr,
  model_name: optStr,
  id: optStr,
  input_cost_per_token: z.unknown().optional(),
  output_cost_per_token: z.unknown().optional(),
  cache_read_input_token_cost: z.unknown().optional(),
  cache_creation_input_token_cost: z.unknown().optional(),
  output_cost_per_reasoning_token: z.unknown().optional(),
  max_input_tokens: optPosInt,
  max_output_tokens: optPosInt,
  max_tokens: optPosInt,
  mode: optStr,
  supports_vision: optBool,
  supports_function_calling: optBool,
  supports_reasoning: optBool,
  supports_response_schema: optBool,
  deprecation_date: optStr,
});
type PricingEntry = z.infer<typeof PricingEntry>;

const PricingBody = z.union([
  z.object({ data: z.array(z.unknown()) }).transform((b) => ({ list: b.data })),
  z.array(z.unknown()).transform((list) => ({ list })),
  z.object({ data: z.record(z.string(), z.unknown()) }).transform((b) => ({ map: b.data })),
  z.record(z.string(), z.unknown()).transform((map) => ({ map })),
]);

const BalanceBody = z.object({
  balance: optNum,
  balance_usd: optNum,
  credits: optNum,
  remaining: optNum,
  total_spent: optNum,
  data: z.object({ balance: optNum, total_spent: optNum }).optional().catch(undefined),
});

const CostHeader = 'x-nemo-request-cost';

/** The pricing table by model ID. */
async function fetchPricing(ctx: GatewayContext, signal: AbortSignal, etag?: string): Promise<{ byId: Map<string, PricingEntry>; etag?: string; notModified: boolean }> {
  const res = await getJson(ctx, '/api/models/pricing', signal, { fromOrigin: true, etag });
  if (res.status === 304) return { byId: new Map(), etag, notModified: true };
  const body = parseShape(PricingBody, res.body, 'the pricing list', res.url);
  const byId = new Map<string, PricingEntry>();
  const entries: [string | undefined, unknown][] = 'list' in body ? body.list.map((e) => [undefined, e]) : Object.entries(body.map);
  for (const [key, raw] of entries) {
    if (!raw || typeof raw !== 'object') continue; // `{object: "list"}` beside a map, say
    const r = PricingEntry.safeParse(raw);
    if (!r.success) continue;
    const id = key ?? r.data.model ?? r.data.model_name ?? r.data.id;
    if (id) byId.set(id, r.data);
  }
  return { byId, etag: res.headers.etag, notModified: false };
}

function withPricing(m: Model, p: PricingEntry | undefined): Model {
  if (!p) return m;
  const input = perTokenToPerMTok(p.input_cost_per_token);
  const output = perTokenToPerMTok(p.output_cost_per_token);
  const pricing = input !== undefined || output !== undefined ? pricingWith(input, output, {
    // LiteLLM's cache-read, cache-creation and reasoning prices, when listed.
    cacheReadPerMTok: perTokenToPerMTok(p.cache_read_input_token_cost),
    cacheWritePerMTok: perTokenToPerMTok(p.cache_creation_input_token_cost),
    reasoningPerMTok: perTokenToPerMTok(p.output_cost_per_reasoning_token),
  }) : m.pricing;
  const embedding = p.mode === 'embedding';
  const inputs: Modality[] = p.supports_vision ? ['text', 'image'] : m.modalities.input;
  return {
    ...m,
    contextLength: p.max_input_tokens ?? m.contextLength,
    maxOutput: p.max_output_tokens ?? p.max_tokens ?? m.maxOutput,
    pricing,
    priceSource: pricing ? 'gateway' : m.priceSource,
    free: m.free || (pricing?.inputPerMTok === 0 && pricing?.outputPerMTok === 0),
    modalities: { input: inputs, output: embedding ? ['embedding'] : m.modalities.output },
    capabilities: {
      tools: p.supports_function_calling ?? m.capabilities.tools,
      vision: p.supports_vision ?? m.capabilities.vision,
      reasoning: p.supports_reasoning ?? m.capabilities.reasoning,
      json: p.supports_response_schema ?? m.capabilities.json,
    },
    deprecated: m.deprecated ?? deprecationOf({ date: p.deprecation_date }),
  };
}

/** Our stored ETag is the pair "models\npricing": both lists must be unchanged for a 304 to count. */
function splitEtag(etag: string | undefined): [string | undefined, string | undefined] {
  if (!etag) return [undefined, undefined];
  const [a, b] = etag.split('\n');
  return [a || undefined, b || undefined];
}

export const nemorouterAdapter: GatewayAdapter = {
  kind: 'nemorouter',
  servesAuto: false,
  idForm: 'bare',

  async listModels(ctx, signal, etag): Promise<ListModelsResult> {
    const [modelsTag, pricingTag] = splitEtag(etag);
    const pricingCall = fetchPricing(ctx, signal, modelsTag && pricingTag ? pricingTag : undefined).then(
      (p) => ({ ok: true as const, ...p }),
      (e: unknown) => ({ ok: false as const, error: e }),
    );
    let list = await listOpenAiRecords(ctx, signal, modelsTag && pricingTag ? modelsTag : undefined, 'the model list');
    let pricing = await pricingCall;
    if (list.notModified && pricing.ok && pricing.notModified) return { models: [], etag, notModified: true };
    // One side changed: fetch the unchanged side in full too (a 304 has no body to merge).
    if (list.notModified) list = await listOpenAiRecords(ctx, signal, undefined, 'the model list');
    if (pricing.ok && pricing.notModified) pricing = { ok: true, ...(await fetchPricing(ctx, signal)) };

    const warnings = skippedWarning(list.skipped);
    let byId = new Map<string, PricingEntry>();
    if (pricing.ok) byId = pricing.byId;
    else {
      const e = pricing.error;
      if (e instanceof HttpError && e.kind === 'aborted') throw e;
      // Models without prices are still a catalog; the table estimates what NemoRouter did not say.
      warnings.push(`prices unavailable (${e instanceof Error ? e.message : String(e)})`);
    }
    const models = list.records.map((r: OpenAiModelRecord) => withPricing(openAiRecordToModel(ctx, r, { trustOwner: true }), byId.get(r.id)));
    const tags = pricing.ok && list.etag && pricing.etag ? `${list.etag}\n${pricing.etag}` : undefined;
    return { models, etag: tags, warnings };
  },

  async getModel(ctx, id, signal) {
    const [rec, pricing] = await Promise.all([
      getOpenAiRecord(ctx, id, signal, OpenAiModelRecord),
      fetchPricing(ctx, signal).catch(() => undefined),
    ]);
    return rec && withPricing(openAiRecordToModel(ctx, rec, { trustOwner: true }), pricing?.byId.get(rec.id));
  },

  async balance(ctx, signal) {
    const res = await getJson(ctx, '/api/credits/balance', signal, { fromOrigin: true });
    const b = parseShape(BalanceBody, res.body, 'the credit balance', res.url);
    const balanceUsd = b.balance ?? b.balance_usd ?? b.credits ?? b.remaining ?? b.data?.balance;
    const usedUsd = b.total_spent ?? b.data?.total_spent;
    if (balanceUsd === undefined && usedUsd === undefined) throw new HttpError('malformed', 'the credit balance names no balance', { url: res.url });
    return { balanceUsd, usedUsd };
  },

  reportedCost(headers, body) {
    const h = headers[CostHeader];
    const raw = Array.isArray(h) ? h[0] : h;
    const fromHeader = raw !== undefined ? Number(raw) : NaN;
    if (Number.isFinite(fromHeader) && fromHeader >= 0) return { costUsd: fromHeader };
    // Streams: the cost comes in the final usage chunk (and as a trailer, which the caller passes as a header).
    const cost = (body as { usage?: { cost?: unknown } } | undefined)?.usage?.cost;
    return typeof cost === 'number' && Number.isFinite(cost) && cost >= 0 ? { costUsd: cost } : undefined;
  },
};
