// The one narrow interface every gateway kind implements (style.md: a gateway is a small config object).
// Adapters are pure translators of the gateway's documented shapes (../shared/seeds): no caching,
// no retries, no routing. Every call takes an AbortSignal.
import type { Dispatcher } from 'undici';
import type { Model } from '../protocol/model';
import type { GatewayKind, ResolvedGateway } from '../protocol/settings';
import type { Logger } from '../core/log';

export interface GatewayContext {
  gateway: ResolvedGateway;
  /** undefined when no key is configured (keyless gateways such as a local Bifrost). */
  apiKey?: string;
  /** The injected undici dispatcher (one per server process; a MockAgent or test pool in tests). */
  dispatcher: Dispatcher;
  log: Logger;
  /** Whole-exchange limit for one catalog call (default 30 s). */
  timeoutMs?: number;
}

export interface ListModelsResult {
  models: Model[];
  etag?: string;
  /** The gateway answered 304 to If-None-Match: keep the cached list. */
  notModified?: boolean;
  /** Non-fatal problems a person may want to know (prices unavailable, records skipped). */
  warnings?: string[];
}

export interface Balance {
  /** Remaining credit in USD, when the gateway reports one. */
  balanceUsd?: number;
  /** Total spent according to the gateway, when reported (OpenRouter `total_usage`). */
  usedUsd?: number;
}

/** What a gateway said a request cost, read from its response (header or body field). */
export interface ReportedCost {
  costUsd: number;
}

export interface GatewayAdapter {
  readonly kind: GatewayKind;
  /** Serves the model `auto` itself (ARouter). */
  readonly servesAuto: boolean;
  /** IDs carry a provider prefix (`openai/gpt-4o`) or not (NemoRouter `gpt-4o`). */
  readonly idForm: 'provider/model' | 'bare' | 'prefixed';
  listModels(ctx: GatewayContext, signal: AbortSignal, etag?: string): Promise<ListModelsResult>;
  getModel?(ctx: GatewayContext, id: string, signal: AbortSignal): Promise<Model | undefined>;
  balance?(ctx: GatewayContext, signal: AbortSignal): Promise<Balance | undefined>;
  /** Adjust an outgoing OpenAI-shaped request body (OpenRouter: `usage: {include: true}`). Returns a new object. */
  prepareRequest?(endpoint: InferenceEndpoint, body: Record<string, unknown>): Record<string, unknown>;
  /** The authoritative cost of a finished request, from headers and/or the final JSON (or last stream chunk). */
  reportedCost?(headers: Record<string, string | string[] | undefined>, body: unknown): ReportedCost | undefined;
}

export type InferenceEndpoint = 'chat/completions' | 'completions' | 'embeddings';
