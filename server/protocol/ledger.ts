// The ledger line (design.md "Ledger"): one JSON object per metered request, append-only.
import * as z from './zod';

export const CostSourceSchema = z.enum(['gateway', 'computed', 'estimated', 'unknown']);
export type CostSource = z.infer<typeof CostSourceSchema>;

/** Who sent the request: the chat panel, the local proxy, the CLI, or VS Code's own Chat (language model provider). */
export const LedgerSourceSchema = z.enum(['chat', 'proxy', 'cli', 'vscode-chat']);
/** Which API surface the caller spoke (the proxy translates responses/messages to the gateways' chat API). */
export const LedgerApiSchema = z.enum(['chat', 'completions', 'embeddings', 'responses', 'messages']);
export type LedgerApi = z.infer<typeof LedgerApiSchema>;

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
  /** null only with costSource "unknown": never a silent 0. */
  costUsd: z.nullable(z.number().check(z.nonnegative())),
  costSource: CostSourceSchema,
  /** "ok" or an error code (HTTP status or gateway code such as insufficient_credits). */
  status: z.string(),
  requestId: z.string(),
});
export type LedgerRecord = z.infer<typeof LedgerRecordSchema>;
