// Public shapes of the fake gateways. Tests import these; the servers themselves live in the
// per-gateway files. Everything here is plain data so a test can build, mutate and compare it.

export const FAKE_GATEWAY_KINDS = ['nemorouter', 'openrouter', 'arouter', 'bifrost', 'openai-compatible'] as const;
export type FakeGatewayKind = (typeof FAKE_GATEWAY_KINDS)[number];

/** Modalities as OpenRouter/Bifrost spell them (`embeddings` is OpenRouter's output modality for embedding models). */
export type FakeModality = 'text' | 'image' | 'audio' | 'file' | 'embeddings';

/**
 * One model as a fake gateway holds it. Neutral on purpose: each gateway renders it in its own
 * documented field names and units (OpenRouter string prices per token, LiteLLM-style
 * `input_cost_per_token` for NemoRouter, bare `{id, owned_by}` for ARouter ...), so a test can
 * mutate `state.models` once and every endpoint of that gateway follows.
 */
export interface FakeModel {
  /** Exactly as this gateway lists it and accepts it in `model` (NemoRouter `gpt-4o`, Bifrost `openai/gpt-4o`). */
  id: string;
  name: string;
  /** `owned_by` / author (openai, anthropic, google, meta-llama, ...). */
  ownedBy: string;
  /** `provider/model` without gateway prefix or variant (OpenRouter `canonical_slug`). */
  canonicalSlug: string;
  /** Unix seconds. */
  created: number;
  contextLength?: number;
  maxOutput?: number;
  /** USD per token. Absent: the gateway publishes no price for it. `{input: 0, output: 0}`: free. */
  price?: { input: number; output: number; cacheRead?: number; cacheWrite?: number; reasoning?: number };
  inputModalities: FakeModality[];
  outputModalities: FakeModality[];
  /** OpenRouter `supported_parameters` (tools, reasoning, response_format, ...). */
  supportedParameters: string[];
  /** OpenRouter `architecture.tokenizer` (the `arch` filter): GPT, Claude, Gemini, Llama3, Mistral, DeepSeek. */
  tokenizer?: string;
  description?: string;
  /** OpenRouter `category` filter values (programming, roleplay, ...). */
  categories?: string[];
  /** Hosting providers as OpenRouter names them (`providers` filter): OpenAI, Anthropic, Google, ... */
  hosts?: string[];
  /** A model scheduled for removal. `date` is ISO (YYYY-MM-DD); `replacement` is the ID on the same gateway. */
  deprecated?: { date: string; replacement?: string };
  /** Set on embedding models: the default vector length. */
  embeddingDims?: number;
  /** Copied verbatim into the listed record: lets a test add unknown fields the adapters must tolerate. */
  extra?: Record<string, unknown>;
}

/** One debit of a gateway's balance (NemoRouter and OpenRouter only). */
export interface FakeCharge {
  /** The gateway's request ID (NemoRouter: the x-nemo-request-id header). */
  requestId: string;
  /** The response body's `id` (`chatcmpl-…`, OpenRouter `gen-…`). */
  responseId: string;
  endpoint: 'chat/completions' | 'completions' | 'embeddings';
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** Parts of inputTokens read from / written to the prompt cache, and of outputTokens spent reasoning (cache.ts). */
  cachedTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  /** Rounded to 12 decimals, exactly what the gateway reported (header or `usage.cost`) and debited. */
  costUsd: number;
  /** OpenRouter BYOK (`byokFee`): the inference the provider bills the person's own key, not debited here. */
  inferenceCostUsd?: number;
  balanceAfter: number;
  at: string;
}

export interface FakeState {
  /** Remaining credit in USD. Tests may set it (e.g. to 0 to provoke a real 402). */
  balance: number;
  /** Total charged since start, USD (OpenRouter `total_usage`). */
  spent: number;
  /** The catalog; mutate freely (the models list ETag follows the content). */
  models: FakeModel[];
  /** Every debit, oldest first. */
  charges: FakeCharge[];
  /**
   * Every answered inference request at the gateway's prices, charged or not (Bifrost charges
   * nothing itself, but its upstream bills this): what a ledger computed from prices must sum to.
   */
  billed: FakeCharge[];
  /** Prompt caching on (cache.ts rules); default off, so counts stay plain for other tests. */
  promptCache: boolean;
  /** Length in characters of every chat/completion reply; undefined = the echo text as is. */
  replyChars?: number;
  /** ARouter: the concrete model `auto` resolves to. */
  autoModel?: string;
}

export interface LoggedRequest {
  method: string;
  /** Path without the query string, e.g. `/api/v1/chat/completions`. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased request headers without `authorization` / `x-api-key` / `cookie`. */
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body; the raw text when it was not JSON; undefined when empty. */
  body: unknown;
  /** Whether a credential was presented at all (the value itself is never logged). */
  hadAuth: boolean;
  /** Status sent, once the response has been written (undefined while in flight or when the socket was cut). */
  status?: number;
  at: number;
}

/**
 * A fault applied to the next `times` requests whose path matches `path`.
 * Several effects combine in this order: `delayMs`, then one of hang / redirect / html / malformed /
 * wrongShape / huge body / status, otherwise the normal answer (cut after N chunks if asked).
 */
export interface FaultSpec {
  /** Substring of the path (`'/chat/completions'`) or a RegExp tested on it. Default: every path. */
  path?: string | RegExp;
  method?: string;
  /** How many matching requests it applies to. Default 1; `Infinity` until cleared. */
  times?: number;
  /** Answer with this status. With no `body`/`error`, the body is the gateway's own error shape. */
  status?: number;
  /** Raw body: a string is sent as is, anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Error code rendered in the gateway's error shape; NemoRouter's typed codes imply their status. */
  error?: string | { code: string; message?: string; type?: string };
  /** Seconds (number) or an HTTP date (string) for `Retry-After`. */
  retryAfter?: number | string;
  /** Wait this long before answering (normally, or with the other effects). */
  delayMs?: number;
  /** Accept the request and never answer; the socket is destroyed after `hangMs` (Infinity: only on close()). */
  hangMs?: number;
  /** Answer normally but destroy the socket after N SSE `data:` events (or mid-body for JSON). The request is billed. */
  cutStreamAfterChunks?: number;
  /** Answer normally but stop after N SSE `data:` events, holding the connection open until the client leaves. The request is billed. */
  stallStreamAfterChunks?: number;
  /** Run (and bill) the request, then hold its response headers this long: a gateway slow to answer, not one that never got to work. */
  slowHeadersMs?: number;
  /**
   * 200 with a truncated JSON body (or a broken SSE event in a stream). On inference (POST chat and
   * text completions) the request runs and is billed first, with its usual headers (NemoRouter's cost).
   */
  malformed?: boolean;
  /** 200 with valid JSON of the wrong shape. */
  wrongShape?: boolean;
  /** An HTML error page (status default 502), as a CDN or reverse proxy would send. */
  html?: boolean;
  /** 302 to a pair of URLs that redirect to each other forever. */
  redirectLoop?: boolean;
  /** 200 with a valid JSON body of this many MiB, streamed with backpressure. */
  hugeBodyMB?: number;
}

export interface FaultHandle {
  /** Requests this fault has been applied to so far. */
  readonly hits: number;
  readonly remaining: number;
  cancel(): void;
}

export interface FakeGatewayOptions {
  /** Port on 127.0.0.1; 0 (default) lets the OS choose. */
  port?: number;
  /** The valid key. Default: a fresh key with the gateway's prefix (none for Bifrost). `null`: keyless. */
  key?: string | null;
  /** Replace the seed catalog (e.g. `generateModels(5000, kind)`). */
  models?: FakeModel[];
  /** Starting balance in USD. Default: NemoRouter 5 (its sign-up credit), OpenRouter 10, others 0. */
  balanceUsd?: number;
  /** See FakeState.replyChars. */
  replyChars?: number;
  /** Characters of content per SSE chunk (default 8). */
  streamChunkChars?: number;
  /**
   * How streamed tool calls are keyed: `indexed` (default, OpenAI's: every delta has `index`) or
   * `indexless` (Gemini's OpenAI-compatible endpoint: no `index`, each call's first delta has its id
   * and name, later argument pieces neither, and the stream ends with finish_reason "stop").
   */
  toolCallDeltas?: 'indexed' | 'indexless';
  /**
   * OpenRouter: requests run on the person's own provider key (BYOK), and OpenRouter debits this share
   * of the inference's price as its fee (`usage.cost`, `is_byok: true`, the inference as
   * `cost_details.upstream_inference_cost`; the same in GET /generation).
   */
  byokFee?: number;
  /** Pause between SSE chunks (default 0), for Stop/abort tests. */
  streamChunkDelayMs?: number;
  /** ARouter: what `auto` runs (default `openai/gpt-4o-mini`). */
  autoModel?: string;
  /** Turn prompt caching on from the start (FakeState.promptCache). */
  promptCache?: boolean;
  /** NemoRouter `/api/models/pricing` body: `list` = `{data: [{model, ...}]}` (default), `map` = `{ "<model>": {...} }`. */
  pricingShape?: 'list' | 'map';
}

export interface FakeGateway {
  readonly kind: FakeGatewayKind;
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** What a user configures: `<url>/v1`, or `<url>/api/v1` for OpenRouter. */
  readonly baseUrl: string;
  readonly port: number;
  /** The valid API key; undefined when the gateway is keyless. */
  readonly key: string | undefined;
  readonly state: FakeState;
  /** Every request received, in order (faulted ones included). */
  readonly requests: LoggedRequest[];
  fail(spec: FaultSpec): FaultHandle;
  clearFaults(): void;
  /** Stops listening, destroys every socket and pending timer. */
  close(): Promise<void>;
}
