// The catalog's data shapes as they cross the client/server boundary and leave the CLI (`models --json`).
// Prices are USD per million tokens everywhere on the wire: that is what people read and what
// design.md's CLI contract uses; cost = tokens × perMTok / 1e6 is computed in one place (catalog/price.ts).
import * as z from './zod';

export const ModalitySchema = z.enum(['text', 'image', 'audio', 'video', 'file', 'embedding']);
export type Modality = z.infer<typeof ModalitySchema>;

export const PricingSchema = z.object({
  inputPerMTok: z.optional(z.number().check(z.nonnegative())),
  outputPerMTok: z.optional(z.number().check(z.nonnegative())),
  /** Input tokens read from a prompt cache (OpenAI cached input, Anthropic cache reads); absent when not listed. */
  cacheReadPerMTok: z.optional(z.number().check(z.nonnegative())),
  /** Input tokens written to a prompt cache (Anthropic cache creation); absent when not listed. */
  cacheWritePerMTok: z.optional(z.number().check(z.nonnegative())),
  /** Hidden reasoning tokens, when priced apart from output (otherwise they are output tokens). */
  reasoningPerMTok: z.optional(z.number().check(z.nonnegative())),
});
export type Pricing = z.infer<typeof PricingSchema>;

/** The optional per-million-token prices beside input and output. */
export type ExtraPrices = Pick<Pricing, 'cacheReadPerMTok' | 'cacheWritePerMTok' | 'reasoningPerMTok'>;

/** Input and output prices with whichever cache-read, cache-write and reasoning prices are known (unknown ones left out). */
export function pricingWith(inputPerMTok: number | undefined, outputPerMTok: number | undefined, extras: { [K in keyof ExtraPrices]: number | undefined }): Pricing {
  const pricing: Pricing = { inputPerMTok, outputPerMTok };
  for (const [k, v] of Object.entries(extras) as [keyof ExtraPrices, number | undefined][]) if (v !== undefined) pricing[k] = v;
  return pricing;
}

export const CapabilitiesSchema = z.object({
  tools: z.boolean(),
  vision: z.boolean(),
  reasoning: z.boolean(),
  json: z.boolean(),
});
export type Capabilities = z.infer<typeof CapabilitiesSchema>;

export const DeprecationSchema = z.object({
  /** ISO date when known. */
  since: z.optional(z.string()),
  /** Canonical ID of the suggested replacement, when the source names one. */
  replacement: z.optional(z.string()),
});

/** Where a price came from: the gateway's own catalog/pricing endpoint, or the embedded table. */
export const PriceSourceSchema = z.enum(['gateway', 'table', 'none']);

/** One gateway's offer of one model: what an adapter produces. */
export const ModelSchema = z.object({
  gateway: z.string(), // the configured gateway's `id` ("offline" for the embedded table)
  id: z.string(), // exactly as sent in `model` to that gateway
  canonicalId: z.string(), // lower-case `provider/model` (variants such as `:free` kept)
  name: z.string(),
  provider: z.string(),
  description: z.optional(z.string()),
  contextLength: z.optional(z.int().check(z.positive())),
  maxOutput: z.optional(z.int().check(z.positive())),
  pricing: z.optional(PricingSchema),
  priceSource: PriceSourceSchema,
  modalities: z.object({ input: z.array(ModalitySchema), output: z.array(ModalitySchema) }),
  capabilities: CapabilitiesSchema,
  deprecated: z.optional(DeprecationSchema),
  created: z.optional(z.number()), // unix seconds
  free: z.boolean(),
});
export type Model = z.infer<typeof ModelSchema>;

export const OfferSchema = z.object({
  gateway: z.string(),
  id: z.string(),
  pricing: z.optional(PricingSchema),
  priceSource: PriceSourceSchema,
});
export type Offer = z.infer<typeof OfferSchema>;

/** One model across every gateway that serves it; `id`/`gateway`/`pricing` are the preferred offer's. */
export const MergedModelSchema = z.extend(z.omit(ModelSchema, { priceSource: true }), {
  priceSource: PriceSourceSchema,
  offers: z.array(OfferSchema),
});
export type MergedModel = z.infer<typeof MergedModelSchema>;

export const GatewayStateSchema = z.enum([
  'ok',
  'loading',
  'unauthorized',
  'unreachable',
  'malformed',
  'rate-limited',
  'error',
]);
export type GatewayState = z.infer<typeof GatewayStateSchema>;

export const GatewayStatusSchema = z.object({
  gateway: z.string(),
  kind: z.string(),
  label: z.string(),
  state: GatewayStateSchema,
  /** A sentence a person can act on ("401 from OpenRouter: the key was rejected — run Switchyard: Set API Key"). */
  message: z.optional(z.string()),
  modelCount: z.int().check(z.nonnegative()),
  /** Where the models shown for this gateway come from right now. */
  source: z.enum(['live', 'cache', 'none']),
  updatedAt: z.optional(z.string()),
  hasKey: z.boolean(),
});
export type GatewayStatus = z.infer<typeof GatewayStatusSchema>;

export const SortKeySchema = z.enum(['price', 'context', 'name', 'newest']);
export type SortKey = z.infer<typeof SortKeySchema>;

export const CatalogFilterSchema = z.object({
  text: z.optional(z.string()),
  maxInputPerMTok: z.optional(z.number().check(z.nonnegative())),
  maxOutputPerMTok: z.optional(z.number().check(z.nonnegative())),
  minContext: z.optional(z.int().check(z.nonnegative())),
  inputModalities: z.optional(z.array(ModalitySchema)),
  outputModalities: z.optional(z.array(ModalitySchema)),
  capabilities: z.optional(z.array(z.enum(['tools', 'vision', 'reasoning', 'json']))),
  provider: z.optional(z.string()),
  gateway: z.optional(z.string()),
  freeOnly: z.optional(z.boolean()),
  includeDeprecated: z.optional(z.boolean()),
  /** Restrict to these canonical IDs (favorites group). */
  canonicalIds: z.optional(z.array(z.string())),
});
export type CatalogFilter = z.infer<typeof CatalogFilterSchema>;

export const CatalogQuerySchema = z.object({
  filter: z.optional(CatalogFilterSchema),
  sort: z.optional(SortKeySchema),
  offset: z.optional(z.int().check(z.nonnegative())),
  limit: z.optional(z.int().check(z.positive(), z.maximum(100000))),
});
export type CatalogQuery = z.infer<typeof CatalogQuerySchema>;

export type CatalogSource = 'live' | 'cache' | 'offline';

export interface CatalogResult {
  models: MergedModel[];
  /** Matches before offset/limit. */
  total: number;
  source: CatalogSource;
  version: number;
}

export interface CatalogGroup {
  key: string;
  label: string;
  count: number;
}
