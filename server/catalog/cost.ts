// The cost of a request from its token usage, by the embedded price library's own calculation
// (`calcPrice` of @pydantic/genai-prices): cache reads, cache writes and reasoning tokens at their
// own prices, tiered prices by prompt size. A gateway's listed prices are handed to the library as
// a one-model price sheet, so the gateway's figures and the table's go through the same arithmetic.
// The library is the lazily loaded one of catalog/table.ts (never imported at start): callers await
// loadPriceTable() first; before that, priceUsage knows no figure.
import type { ConditionalPrice, ModelPrice, Provider } from '@pydantic/genai-prices';
import type { Pricing } from '../protocol/model';
import { loadedPriceLibrary } from './table';

/** Token counts of one request. Cache and reasoning counts are parts of the input and output totals. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
}

export interface PricedUsage {
  costUsd: number;
  /** What prompt caching changed against every input token at the input price (negative: writes cost more than reads saved). */
  cacheSavingsUsd?: number;
  /**
   * A price the usage needed was not listed (cached tokens with no cache-read price, say) and the
   * input or output price stood in for it: the cost is an estimate, not the bill.
   */
  approximate: boolean;
}

/** Our per-MTok record → the library's price keys; a listed 0 for an extra price means "none apart" (see cleanSheet). */
export function sheetOf(p: Pricing): ModelPrice {
  return {
    input_mtok: p.inputPerMTok,
    output_mtok: p.outputPerMTok,
    cache_read_mtok: p.cacheReadPerMTok || undefined,
    cache_write_mtok: p.cacheWritePerMTok || undefined,
    output_reasoning_mtok: p.reasoningPerMTok || undefined,
  };
}

/**
 * A price sheet as the library takes it: one set of prices, or prices under date or time-of-day
 * conditions (DeepSeek's off-peak hours) that the library picks from by the request's time.
 */
export type Sheet = ModelPrice | ConditionalPrice[];

/**
 * The sheet with the cache prices it lacks taken from `fallback` (the table's sheet for the same
 * model, as in force at `at`); `filled` says whether one of those was needed by `usage`.
 */
export function fillSheet(sheet: ModelPrice, fallback: Sheet | undefined, usage: TokenUsage, at = new Date()): { sheet: ModelPrice; filled: boolean } {
  const fb = fallback && currentPrices(fallback, at);
  if (!fb) return { sheet, filled: false };
  const out = { ...sheet };
  let filled = false;
  const take = (key: string, used: number | undefined) => {
    if (out[key] !== undefined || !fb[key]) return;
    out[key] = fb[key];
    if ((used ?? 0) > 0) filled = true;
  };
  take('cache_read_mtok', usage.cachedInputTokens);
  take('cache_write_mtok', usage.cacheWriteTokens);
  return { sheet: out, filled };
}

const PROVIDER_ID = 'switchyard-sheet';
const MODEL_ID = 'priced-model';

/**
 * The cost of `usage` at `sheet` at time `at`, or undefined when a price it needs is unknown (input
 * tokens with no input price, output tokens with no output price): never a silent 0. A side with
 * no tokens needs no price (an embedding has no output price to know).
 */
export function priceUsage(sheet: Sheet | undefined, usage: TokenUsage, at = new Date()): PricedUsage | undefined {
  if (!sheet) return undefined;
  const u = normalise(usage);
  const clean = Array.isArray(sheet) ? sheet.map((c) => ({ ...c, prices: cleanSheet(c.prices) })) : cleanSheet(sheet);
  const full = calc(clean, u, at);
  if (!full) return undefined;
  // The prices the library applied (by the request's time): do they cover what was used?
  const applied = full.prices;
  if (u.inputTokens > 0 && applied.input_mtok === undefined) return undefined;
  if (u.outputTokens > 0 && applied.output_mtok === undefined) return undefined;
  const cached = (u.cachedInputTokens ?? 0) > 0;
  const written = (u.cacheWriteTokens ?? 0) > 0;
  const approximate = (cached && applied.cache_read_mtok === undefined) || (written && applied.cache_write_mtok === undefined);
  const out: PricedUsage = { costUsd: full.total, approximate };
  if (cached || written) {
    const uncached = calc(clean, { ...u, cachedInputTokens: 0, cacheWriteTokens: 0 }, at);
    if (uncached) out.cacheSavingsUsd = uncached.total - full.total;
  }
  return out;
}

/** The prices in force at `at`, as the library chooses them (it knows every kind of condition). */
function currentPrices(sheet: Sheet, at: Date): ModelPrice | undefined {
  return Array.isArray(sheet) ? calc(sheet, { inputTokens: 0, outputTokens: 0 }, at)?.prices : sheet;
}

/** Counts the library accepts: integers ≥ 0, cache parts within the input, reasoning within the output. */
function normalise(u: TokenUsage): TokenUsage {
  const n = (x: number | undefined) => (x !== undefined && Number.isFinite(x) && x > 0 ? Math.round(x) : 0);
  const input = n(u.inputTokens);
  const output = n(u.outputTokens);
  const cached = Math.min(n(u.cachedInputTokens), input);
  const write = Math.min(n(u.cacheWriteTokens), input - cached);
  return { inputTokens: input, outputTokens: output, cachedInputTokens: cached, cacheWriteTokens: write, reasoningTokens: Math.min(n(u.reasoningTokens), output) };
}

/**
 * Drop keys the library would refuse: undefined values, and a listed 0 for a cache or reasoning
 * price. Gateways list "0" for "no separate price" (Bifrost's `input_cache_write: "0"` on gpt-4o,
 * OpenRouter's `internal_reasoning: "0"`): those tokens are then billed as input or output.
 */
function cleanSheet(sheet: ModelPrice): ModelPrice {
  const out: ModelPrice = {};
  for (const [k, v] of Object.entries(sheet)) {
    if (v === undefined) continue;
    if (v === 0 && (k === 'cache_read_mtok' || k === 'cache_write_mtok' || k === 'output_reasoning_mtok')) continue;
    out[k] = v;
  }
  return out;
}

function calc(sheet: Sheet, u: TokenUsage, at: Date): { total: number; prices: ModelPrice } | undefined {
  const calcPrice = loadedPriceLibrary()?.calcPrice;
  if (!calcPrice) return undefined;
  const provider: Provider = { id: PROVIDER_ID, name: 'price sheet', api_pattern: '^$', models: [{ id: MODEL_ID, match: { equals: MODEL_ID }, prices: sheet }] };
  try {
    const r = calcPrice(
      {
        input_tokens: u.inputTokens,
        output_tokens: u.outputTokens,
        cache_read_tokens: u.cachedInputTokens || undefined,
        cache_write_tokens: u.cacheWriteTokens || undefined,
        output_reasoning_tokens: u.reasoningTokens || undefined,
      },
      MODEL_ID,
      { provider, timestamp: at },
    );
    return r && Number.isFinite(r.total_price) ? { total: r.total_price, prices: r.model_price } : undefined;
  } catch {
    // A sheet the library cannot use (a unit without its ancestor price): no figure rather than a wrong one.
    return undefined;
  }
}
