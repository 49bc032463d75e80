// The ledger line (design.md "Ledger"): one JSON object per metered request, append-only.
import * as z from './zod';

export const CostSourceSchema = z.enum(['gateway', 'computed', 'estimated', 'unknown']);
export type CostSource = z.infer<typeof CostSourceSchema>;

/** Who sent the request: the chat panel, the local proxy, the CLI, or VS Code's own Chat (language model provider). */
export const LedgerSourceSchema = z.enum(['chat', 'proxy', 'cli', 'vscode-chat']);
/** Which API surface the caller spoke (the proxy translates responses/messages to the gateways' chat API). */
export const LedgerApiSchema = z.enum(['chat', 'completions', 'embeddings', 'responses', 'messages']);
export type LedgerApi = z.infer<typeof LedgerApiSchema>;

/**
 * One try of a request that the gateway may have billed although it did not answer well (a 200 with
 * a broken body, a timeout after the request was sent, a stream cut before its first chunk), or the
 * try that answered. Listed on the request's line when there was more than one billed try or the
 * billed try failed; the line's `costUsd` is their sum.
 */
export const LedgerAttemptSchema = z.object({
  gateway: z.string(),
  /** "ok" or the failure code of that try (malformed_response, timeout, stream_cut…). */
  status: z.string(),
  costUsd: z.nullable(z.number().check(z.nonnegative())),
  costSource: CostSourceSchema,
  /** The gateway's id for that try (x-nemo-request-id, OpenRouter's generation id): what reconciliation looks up. */
  upstreamId: z.optional(z.string()),
});
export type LedgerAttempt = z.infer<typeof LedgerAttemptSchema>;

export const LedgerRecordSchema = z.object({
  ts: z.string(), // ISO 8601
  source: LedgerSourceSchema,
  /** Absent on lines written before the field existed: read as the endpoint's own API (chat for chat completions). */
  api: z.optional(LedgerApiSchema),
  gateway: z.string(),
  model: z.string(), // as requested
  servedModel: z.string(),
  inputTokens: z.int().check(z.nonnegative()),
  outputTokens: z.int().check(z.nonnegative()),
  /** Part of inputTokens read from a prompt cache (billed at the cache-read price). */
  cachedInputTokens: z.optional(z.int().check(z.nonnegative())),
  /** Part of inputTokens written to a prompt cache (Anthropic-style cache creation, billed at the cache-write price). */
  cacheWriteTokens: z.optional(z.int().check(z.nonnegative())),
  /** Part of outputTokens spent on hidden reasoning. */
  reasoningTokens: z.optional(z.int().check(z.nonnegative())),
  /**
   * What prompt caching saved on this request: its cost with every input token at the input price,
   * minus its cost (negative while cache writes cost more than cache reads saved).
   */
  cacheSavingsUsd: z.optional(z.number()),
  /**
   * null only with costSource "unknown": never a silent 0. Rounded to the nano-dollar (1e-9 USD).
   * Negative only on a correction line (`corrects`), when the gateway's books say less than our estimate.
   */
  costUsd: z.nullable(z.number()),
  costSource: CostSourceSchema,
  /** "ok" or an error code (HTTP status or gateway code such as insufficient_credits); "reconciled" on a correction. */
  status: z.string(),
  requestId: z.string(),
  /** The gateway's id of the try that answered (x-nemo-request-id, OpenRouter's generation id). */
  upstreamId: z.optional(z.string()),
  /** Every try the gateway may have billed, when there was more than the one that answered (see LedgerAttemptSchema). */
  attempts: z.optional(z.array(LedgerAttemptSchema)),
  /**
   * A correction (append-only: no line is ever rewritten): the `requestId` of the line whose estimate
   * the gateway's own books replaced. `costUsd` is the difference to add; the line counts no request.
   */
  corrects: z.optional(z.string()),
}).check(
  z.refine((r) => r.costUsd === null || r.costUsd >= 0 || r.corrects !== undefined, { message: 'costUsd is negative on a line that corrects nothing', path: ['costUsd'] }),
);
export type LedgerRecord = z.infer<typeof LedgerRecordSchema>;

const KNOWN_KEYS = new Set(Object.keys(LedgerRecordSchema.shape));
const SOURCES = new Set<unknown>(LedgerSourceSchema.options);
const APIS = new Set<unknown>(LedgerApiSchema.options);
const COST_SOURCES = new Set<unknown>(CostSourceSchema.options);
const count = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
const optCount = (v: unknown) => v === undefined || count(v);
const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

/**
 * True when `r` is a line LedgerRecordSchema accepts unchanged: the common shape (no tries, no
 * correction), every field of its type, no unknown key. The proxy writes one line per request; this
 * spares each of them the schema's ~8 µs, and anything it does not vouch for goes through the
 * schema (which then decides, and explains a refusal). test/unit/ledger-line-check.test.ts holds it
 * to the schema.
 */
export function isPlainLedgerLine(r: LedgerRecord): boolean {
  for (const k in r) if (!KNOWN_KEYS.has(k)) return false;
  return (
    r.attempts === undefined &&
    r.corrects === undefined &&
    typeof r.ts === 'string' &&
    SOURCES.has(r.source) &&
    (r.api === undefined || APIS.has(r.api)) &&
    typeof r.gateway === 'string' &&
    typeof r.model === 'string' &&
    typeof r.servedModel === 'string' &&
    count(r.inputTokens) &&
    count(r.outputTokens) &&
    optCount(r.cachedInputTokens) &&
    optCount(r.cacheWriteTokens) &&
    optCount(r.reasoningTokens) &&
    (r.cacheSavingsUsd === undefined || finite(r.cacheSavingsUsd)) &&
    (r.costUsd === null || (finite(r.costUsd) && r.costUsd >= 0)) &&
    COST_SOURCES.has(r.costSource) &&
    typeof r.status === 'string' &&
    typeof r.requestId === 'string' &&
    (r.upstreamId === undefined || typeof r.upstreamId === 'string')
  );
}
