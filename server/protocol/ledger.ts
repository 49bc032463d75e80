// The ledger line (design.md "Ledger"): one JSON object per metered request, append-only.
import * as z from './zod';

export const CostSourceSchema = z.enum(['gateway', 'computed', 'estimated', 'unknown']);
export type CostSource = z.infer<typeof CostSourceSchema>;

export const LedgerRecordSchema = z.object({
  ts: z.string(), // ISO 8601
  source: z.enum(['chat', 'proxy', 'cli']),
  gateway: z.string(),
  model: z.string(), // as requested
  servedModel: z.string(),
  inputTokens: z.int().check(z.nonnegative()),
  outputTokens: z.int().check(z.nonnegative()),
  /** null only with costSource "unknown": never a silent 0. */
  costUsd: z.nullable(z.number().check(z.nonnegative())),
  costSource: CostSourceSchema,
  /** "ok" or an error code (HTTP status or gateway code such as insufficient_credits). */
  status: z.string(),
  requestId: z.string(),
});
export type LedgerRecord = z.infer<typeof LedgerRecordSchema>;
