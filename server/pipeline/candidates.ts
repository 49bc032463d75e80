// The shapes routing produces and consumes, apart so `auto` and the resolver share them without a cycle.
import type { CatalogService, Failure } from '../core/services';
import type { GatewayAdapter, InferenceEndpoint } from '../gateways/types';
import type { Offer, Pricing } from '../protocol/model';

type PriceSource = Offer['priceSource'];
import type { ResolvedGateway, Settings } from '../protocol/settings';

export interface Candidate {
  gateway: ResolvedGateway;
  /** Exactly what is sent as `model` to this gateway. */
  id: string;
  canonicalId?: string;
  /** The catalog's price for this offer (per million tokens), when known. */
  pricing?: Pricing;
  /** Where that price came from: the gateway's own catalog, or the embedded table (then a cost from it is an estimate). */
  priceSource?: PriceSource;
  /** primary: the requested model; failover: same model elsewhere; fallback: a configured fallback model; auto: picked by policy. */
  via: 'primary' | 'failover' | 'fallback' | 'auto';
}

export type RouteResult = { ok: true; candidates: Candidate[] } | { ok: false; failure: Failure };

export interface RouteInput {
  model: string;
  /** Explicit gateway choice: pins every candidate to that gateway. */
  gateway?: string;
  endpoint: InferenceEndpoint;
  body: Record<string, unknown>;
}

export interface RouteContext {
  settings: Settings;
  catalog: CatalogService;
  /** The gateway's adapter serves `auto` itself (ARouter). */
  servesAuto(gateway: ResolvedGateway): boolean;
  /** How the gateway spells model IDs, to address a gateway whose catalog we do not have. */
  idForm?(gateway: ResolvedGateway): GatewayAdapter['idForm'] | undefined;
}

export function fail(kind: Failure['kind'], status: number, code: string, message: string, suggestions?: string[]): RouteResult {
  return { ok: false, failure: { kind, status, code, message, retryable: false, ...(suggestions?.length ? { suggestions } : {}) } };
}
