// The server's parts as narrow interfaces. The language server and the headless CLI build the same
// objects (server/core/app.ts); each feature folder implements one of these.
import type { CatalogGroup, CatalogQuery, CatalogResult, GatewayStatus, MergedModel, Model } from '../protocol/model';
import type { LedgerApi, LedgerRecord, CostSource } from '../protocol/ledger';
import type { Settings } from '../protocol/settings';
import type { StatusParams, GatewayBalance, SpendReport, SpendReportParams, ProxyInfo } from '../protocol/messages';
import type { InferenceEndpoint } from '../gateways/types';
import type { Cancellation } from './cancel';

export interface Disposable {
  dispose(): void;
}

export interface CatalogService {
  /** Load the disk cache (or the embedded table) synchronously enough to answer at once, then refresh in the background. */
  start(): Promise<void>;
  refresh(gatewayId?: string): Promise<GatewayStatus[]>;
  query(q: CatalogQuery): CatalogResult;
  groups(groupBy: 'provider' | 'gateway', q?: CatalogQuery): CatalogGroup[];
  /** Any ID form: gateway ID, canonical `provider/model`, `gateway-id/…` prefixed, alias. */
  find(id: string): MergedModel | undefined;
  /** Every offer (one per gateway) of a canonical model, live gateways only (no offline-table rows). */
  offers(canonicalId: string): Model[];
  all(): readonly MergedModel[];
  statuses(): GatewayStatus[];
  readonly version: number;
  readonly source: CatalogResult['source'];
  onDidChange(listener: () => void): Disposable;
  /** Settings changed: gateways added/removed/edited, refresh interval. */
  update(settings: Settings): void;
  dispose(): void;
}

export type PipelineSource = LedgerRecord['source'];

export interface PipelineRequest {
  source: PipelineSource;
  endpoint: InferenceEndpoint;
  /** The API the caller spoke, for the ledger; default: the endpoint's own (chat, completions, embeddings). */
  api?: LedgerApi;
  /** The OpenAI-shaped body as the caller sent it; `model` is what was requested. */
  body: Record<string, unknown>;
  /** The caller already checked `body` with the pipeline's own checkBody (server/pipeline/body.ts): not parsed again. */
  bodyChecked?: boolean;
  /**
   * The JSON text `body` was parsed from, when the caller has it (the proxy) and `body` is what
   * JSON.parse made of it, unchanged: the outgoing body is then built from this text instead of
   * serialised whole again (core/jsonSplice.ts).
   */
  bodyText?: string;
  /** Explicit gateway choice (chat picker, `x-switchyard-gateway` header). */
  gateway?: string;
  requestId: string;
  /** Aborted when the caller gives up (an AbortSignal, or the proxy's lighter Canceller). */
  signal: Cancellation;
}

/** Upstream failures and local refusals, as one small tagged union (style.md §11). */
export interface Failure {
  kind: 'upstream' | 'network' | 'timeout' | 'budget' | 'unknown_model' | 'no_gateway' | 'aborted' | 'bad_request';
  /** HTTP status to give the caller (proxy) — the upstream's, or ours (402 budget, 404 unknown model, 502 network). */
  status: number;
  /** Stable code: the gateway's own (insufficient_credits, guardrail_blocked, …) or ours (budget_exceeded, …). */
  code: string;
  message: string;
  gateway?: string;
  retryable: boolean;
  retryAfterMs?: number;
  suggestions?: string[];
}

export interface Metering {
  gateway: string;
  servedModel: string;
  inputTokens: number;
  outputTokens: number;
  /** Parts of inputTokens read from / written to a prompt cache, and of outputTokens spent reasoning, when the gateway said. */
  cachedInputTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  costUsd: number | null;
  costSource: CostSource;
  /** What prompt caching saved on this request (negative while cache writes cost more than reads saved). */
  cacheSavingsUsd?: number;
  latencyMs: number;
  status: string;
}

/** A server-sent event from upstream: `data` is the raw payload string (`[DONE]` included). */
export interface SseEvent {
  data: string;
  event?: string;
  /**
   * `data` already parsed, when the pipeline's metering parsed it (every chunk of a metered stream
   * but `[DONE]`): read it with chunkOf (server/pipeline/stream.ts) instead of parsing again.
   */
  json?: Record<string, unknown>;
}

export type PipelineResponse =
  | {
      ok: true;
      kind: 'json';
      status: number;
      gateway: string;
      servedModel: string;
      body: unknown;
      /** The bytes `body` was parsed from, as the gateway sent them: a caller passing the answer on unchanged sends these. */
      raw: Buffer;
      /** Headers safe to hand to the caller (x-switchyard-*, request ids); never a key. */
      headers: Record<string, string>;
      metering: Metering;
    }
  | {
      ok: true;
      kind: 'stream';
      status: number;
      gateway: string;
      headers: Record<string, string>;
      /** Pulled by the caller: the upstream body is read only as fast as the caller consumes (backpressure). */
      events: AsyncIterable<SseEvent>;
      /** Settles when the stream ended, was cut or was abandoned; the ledger line is written by then. */
      done: Promise<Metering>;
    }
  | { ok: false; failure: Failure };

export interface Pipeline {
  execute(req: PipelineRequest): Promise<PipelineResponse>;
}

/** USD a request in flight holds against the budgets until its ledger line is written. */
export interface Reservation {
  readonly usd: number;
  /** Idempotent: the first call gives the room back, later ones do nothing. */
  release(): void;
}

export interface MoneyService {
  /** Before sending: a `budget` Failure (HTTP 402, code budget_exceeded) when a limit for this gateway is reached. */
  checkBudget(gateway: string): Failure | undefined;
  /**
   * Before sending: hold the request's worst-case cost against every budget of this gateway (and the
   * global ones), or a `budget` Failure when spent + held + this would pass a limit. Release once the
   * request's ledger line is written.
   */
  reserve(gateway: string, worstUsd: number): { ok: true; reservation: Reservation } | { ok: false; failure: Failure };
  /** Append one ledger line (this process's single writer) and update totals, budgets and "last request". */
  record(line: LedgerRecord): Promise<void>;
  /** Status-bar numbers: balances, spend, budgets. */
  status(): StatusParams;
  balances(): GatewayBalance[];
  refreshBalances(): Promise<void>;
  spendReport(p: SpendReportParams): Promise<SpendReport>;
  ledger(p: SpendReportParams): Promise<LedgerRecord[]>;
  override(scope?: string): void;
  /**
   * Ask the gateways' own books (NemoRouter's credit history, OpenRouter's generations) what the
   * estimated lines in the range really cost, and append a correction line for each answer.
   */
  reconcile(p: SpendReportParams): Promise<ReconcileResult>;
  onDidChange(listener: () => void): Disposable;
  dispose(): void;
}

export interface ReconcileResult {
  /** Lines with an estimate a gateway's books were asked about. */
  checked: number;
  /** Correction lines appended. */
  corrected: number;
  /** What the corrections added (negative: the estimates were too high). */
  deltaUsd: number;
  /** Estimated USD no gateway could confirm (no id, no books, not found yet). */
  stillEstimatedUsd: number;
  /** Gateways whose books could not be read, with why. */
  errors: { gateway: string; error: string }[];
}

/** The running local proxy, when the process has one (the proxy feature sets `App.proxy`). */
export interface ProxyHandle {
  info(): ProxyInfo;
  onDidChange(listener: () => void): Disposable;
}
