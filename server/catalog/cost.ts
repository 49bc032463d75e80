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
  // Pricing records are the catalog's, kept until its next load: one sheet each, so the sheet's own
  // caches below (the library's provider record) last as long.
  let sheet = sheets.get(p);
  if (!sheet) {
    sheet = {
      input_mtok: p.inputPerMTok,
      output_mtok: p.outputPerMTok,
      cache_read_mtok: p.cacheReadPerMTok || undefined,
      cache_write_mtok: p.cacheWritePerMTok || undefined,
      output_reasoning_mtok: p.reasoningPerMTok || undefined,
    };
    sheets.set(p, sheet);
  }
  return sheet;
}

const sheets = new WeakMap<Pricing, ModelPrice>();

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
  if (!fallback) return { sheet, filled: false };
  // A plain fallback sheet gives the same filled sheet every time: built once per pair (the same
  // object, so priceUsage's per-sheet cache holds too). A conditional one depends on the time.
  const fixed = !Array.isArray(fallback);
  let byFallback = fixed ? filledSheets.get(sheet) : undefined;
  let done = byFallback?.get(fallback as ModelPrice);
  if (!done) {
    const fb = currentPrices(fallback, at);
    if (!fb) return { sheet, filled: false };
    const out = { ...sheet };
    const took: string[] = [];
    for (const key of ['cache_read_mtok', 'cache_write_mtok'] as const) {
      if (out[key] !== undefined || !fb[key]) continue;
      out[key] = fb[key];
      took.push(key);
    }
    done = { sheet: took.length ? out : sheet, took };
    if (fixed) {
      if (!byFallback) filledSheets.set(sheet, (byFallback = new WeakMap()));
      byFallback.set(fallback as ModelPrice, done);
    }
  }
  // Filled only if the usage needed a price taken from the fallback.
  const filled = done.took.some((key) => ((key === 'cache_read_mtok' ? usage.cachedInputTokens : usage.cacheWriteTokens) ?? 0) > 0);
  return { sheet: done.sheet, filled };
}

const filledSheets = new WeakMap<ModelPrice, WeakMap<ModelPrice, { sheet: ModelPrice; took: string[] }>>();

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
  const entry = pricedOf(sheet);
  if (!entry) return undefined;
  const full = calcWith(entry, u, at);
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
    const uncached = calcWith(entry, { ...u, cachedInputTokens: 0, cacheWriteTokens: 0 }, at);
    if (uncached) out.cacheSavingsUsd = uncached.total - full.total;
  }
  return out;
}

/** The prices in force at `at`, as the library chooses them (it knows every kind of condition). */
function currentPrices(sheet: Sheet, at: Date): ModelPrice | undefined {
  if (!Array.isArray(sheet)) return sheet;
  const entry = pricedOf(sheet);
  return entry && calc(entry.provider, { inputTokens: 0, outputTokens: 0 }, at)?.prices;
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

/** A sheet made ready for pricing: the library's provider record, and its linear form when it has one. */
interface Priced {
  provider: Provider;
  /** Flat prices only (no tiers, no conditions, the five token prices): the library's total as a sum. */
  linear?: { prices: ModelPrice; total(u: TokenUsage): number };
}

/**
 * The sheet, cleaned, as a one-model provider record for the library, and — for a flat sheet —
 * its linear form: built once per sheet object (sheets are the catalog's and the table's, reused by
 * every request priced at them). The library works out units, leaves and conditions on every call
 * (~20 µs under load, the largest single cost of a proxied request's metering); a flat sheet's
 * total is a sum of price × tokens, which the linear form computes directly, after checking on
 * probe usages that it gives the library's totals (test/unit/cost-linear.test.ts compares them on
 * thousands more). Undefined until the library is loaded.
 */
function pricedOf(sheet: Sheet): Priced | undefined {
  let entry = priced.get(sheet);
  if (entry) return entry;
  if (!loadedPriceLibrary()) return undefined;
  const clean = Array.isArray(sheet) ? sheet.map((c) => ({ ...c, prices: cleanSheet(c.prices) })) : cleanSheet(sheet);
  const provider: Provider = { id: PROVIDER_ID, name: 'price sheet', api_pattern: '^$', models: [{ id: MODEL_ID, match: { equals: MODEL_ID }, prices: clean }] };
  entry = { provider };
  if (!Array.isArray(clean)) {
    const linear = linearOf(clean, provider);
    if (linear) entry.linear = linear;
  }
  priced.set(sheet, entry);
  return entry;
}

const priced = new WeakMap<Sheet, Priced>();

/** The token prices a linear form knows; a sheet with any other key (audio, images, requests) stays with the library. */
const LINEAR_KEYS = new Set(['input_mtok', 'output_mtok', 'cache_read_mtok', 'cache_write_mtok', 'output_reasoning_mtok']);
/** Usages the linear form must price as the library does before it is trusted. */
const PROBES: TokenUsage[] = [
  { inputTokens: 1_000_000, outputTokens: 0 },
  { inputTokens: 0, outputTokens: 1_000_000 },
  { inputTokens: 1_234_567, outputTokens: 654_321, cachedInputTokens: 234_567, cacheWriteTokens: 12_345, reasoningTokens: 54_321 },
  { inputTokens: 7, outputTokens: 3, cachedInputTokens: 2, cacheWriteTokens: 5, reasoningTokens: 3 },
];

function linearOf(sheet: ModelPrice, provider: Provider): Priced['linear'] {
  for (const [k, v] of Object.entries(sheet)) if (!LINEAR_KEYS.has(k) || typeof v !== 'number') return undefined;
  const price = (k: string) => sheet[k] as number | undefined;
  const [input, output, read, write, reasoning] = ['input_mtok', 'output_mtok', 'cache_read_mtok', 'cache_write_mtok', 'output_reasoning_mtok'].map(price);
  const term = (p: number | undefined, tokens: number) => (p === undefined ? 0 : (p * tokens) / 1e6);
  // As the library counts: a part with a price of its own (cache reads, cache writes, reasoning) is
  // taken out of its whole; without one it stays in the whole, at the whole's price.
  const total = (u: TokenUsage) => {
    const c = read === undefined ? 0 : (u.cachedInputTokens ?? 0);
    const w = write === undefined ? 0 : (u.cacheWriteTokens ?? 0);
    const r = reasoning === undefined ? 0 : (u.reasoningTokens ?? 0);
    return term(input, u.inputTokens - c - w) + term(read, c) + term(write, w) + (term(output, u.outputTokens - r) + term(reasoning, r));
  };
  const at = new Date(0);
  for (const probe of PROBES) {
    const lib = calc(provider, probe, at);
    if (!lib || Math.abs(lib.total - total(probe)) > 1e-12 * Math.max(1, Math.abs(lib.total))) return undefined;
  }
  return { prices: sheet, total };
}

function calcWith(entry: Priced, u: TokenUsage, at: Date): { total: number; prices: ModelPrice } | undefined {
  return entry.linear ? { total: entry.linear.total(u), prices: entry.linear.prices } : calc(entry.provider, u, at);
}

function calc(provider: Provider, u: TokenUsage, at: Date): { total: number; prices: ModelPrice } | undefined {
  const calcPrice = loadedPriceLibrary()?.calcPrice;
  if (!calcPrice) return undefined;
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
