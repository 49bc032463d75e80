// The catalog's data shapes as they cross the client/server boundary and leave the CLI (`models --json`).
// Prices are USD per million tokens everywhere on the wire: that is what people read and what
// design.md's CLI contract uses; cost = tokens × perMTok / 1e6 is computed in one place (catalog/price.ts).
import { z } from 'zod';

export const ModalitySchema = z.enum(['text', 'image', 'audio', 'video', 'file', 'embedding']);
export type Modality = z.infer<typeof ModalitySchema>;

export const PricingSchema = z.object({
  inputPerMTok: z.number().nonnegative().optional(),
  outputPerMTok: z.number().nonnegative().optional(),
});
export type Pricing = z.infer<typeof PricingSchema>;

export const CapabilitiesSchema = z.object({
  tools: z.boolean(),
  vision: z.boolean(),
  reasoning: z.boolean(),
  json: z.boolean(),
});
export type Capabilities = z.infer<typeof CapabilitiesSchema>;

export const DeprecationSchema = z.object({
  /** ISO date when known. */
  since: z.string().optional(),
  /** Canonical ID of the suggested replacement, when the source names one. */
  replacement: z.string().optional(),
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
  description: z.string().optional(),
  contextLength: z.number().int().positive().optional(),
  maxOutput: z.number().int().positive().optional(),
  pricing: PricingSchema.optional(),
  priceSource: PriceSourceSchema,
  modalities: z.object({ input: z.array(ModalitySchema), output: z.array(ModalitySchema) }),
  capabilities: CapabilitiesSchema,
  deprecated: DeprecationSchema.optional(),
  created: z.number().optional(), // unix seconds
  free: z.boolean(),
});
export type Model = z.infer<typeof ModelSchema>;

export const OfferSchema = z.object({
  gateway: z.string(),
  id: z.string(),
  pricing: PricingSchema.optional(),
  priceSource: PriceSourceSchema,
});
export type Offer = z.infer<typeof OfferSchema>;

/** One model across every gateway that serves it; `id`/`gateway`/`pricing` are the preferred offer's. */
export const MergedModelSchema = ModelSchema.omit({ priceSource: true }).extend({
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
  message: z.string().optional(),
  modelCount: z.number().int().nonnegative(),
  /** Where the models shown for this gateway come from right now. */
  source: z.enum(['live', 'cache', 'none']),
  updatedAt: z.string().optional(),
  hasKey: z.boolean(),
});
export type GatewayStatus = z.infer<typeof GatewayStatusSchema>;

export const SortKeySchema = z.enum(['price', 'context', 'name', 'newest']);
export type SortKey = z.infer<typeof SortKeySchema>;

export const CatalogFilterSchema = z.object({
  text: z.string().optional(),
  maxInputPerMTok: z.number().nonnegative().optional(),
  maxOutputPerMTok: z.number().nonnegative().optional(),
  minContext: z.number().int().nonnegative().optional(),
  inputModalities: z.array(ModalitySchema).optional(),
  outputModalities: z.array(ModalitySchema).optional(),
  capabilities: z.array(z.enum(['tools', 'vision', 'reasoning', 'json'])).optional(),
  provider: z.string().optional(),
  gateway: z.string().optional(),
  freeOnly: z.boolean().optional(),
  includeDeprecated: z.boolean().optional(),
  /** Restrict to these canonical IDs (favorites group). */
  canonicalIds: z.array(z.string()).optional(),
});
export type CatalogFilter = z.infer<typeof CatalogFilterSchema>;

export const CatalogQuerySchema = z.object({
  filter: CatalogFilterSchema.optional(),
  sort: SortKeySchema.optional(),
  offset: z.number().int().nonnegative().optional(),
  limit: z.number().int().positive().max(100000).optional(),
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
