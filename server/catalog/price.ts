// Prices and costs in one place. Prices are USD per million tokens (the wire unit); a cost is
// tokens × price / 1e6. The pipeline uses `costUsd` with a catalog price (`computed`) and
// `tablePricing` / `estimatePricing` with the embedded table (`estimated`).
import type { Pricing } from '../protocol/model';
import { loadPriceTable, loadedPriceTable } from './table';

/**
 * Cost of a request in USD, or undefined when a needed price is unknown (never a silent 0).
 * A side with zero tokens needs no price (an embedding has no output price to know).
 */
export function costUsd(pricing: Pricing | undefined, inputTokens: number, outputTokens: number): number | undefined {
  if (!pricing) return undefined;
  const input = inputTokens > 0 ? pricing.inputPerMTok : 0;
  const output = outputTokens > 0 ? pricing.outputPerMTok : 0;
  if (input === undefined || output === undefined) return undefined;
  return (Math.max(0, inputTokens) * input + Math.max(0, outputTokens) * output) / 1e6;
}

/**
 * The embedded table's price for any ID form (`gpt-4o`, `openai/gpt-4o`, `openrouter/openai/gpt-4o`,
 * dated or `-latest` IDs by the table's match rules). Synchronous: undefined until the table has
 * been loaded — the catalog loads it in the background at start; `estimatePricing` awaits it.
 */
export function tablePricing(modelId: string): Pricing | undefined {
  return loadedPriceTable()?.lookup(modelId)?.pricing;
}

/** Like tablePricing, loading the table first if needed. */
export async function estimatePricing(modelId: string): Promise<Pricing | undefined> {
  return (await loadPriceTable()).lookup(modelId)?.pricing;
}

/** A gateway price given per token (OpenRouter/Bifrost strings, LiteLLM numbers) → USD per million tokens. */
export function perTokenToPerMTok(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value.trim()) : typeof value === 'number' ? value : NaN;
  if (!Number.isFinite(n) || n < 0) return undefined; // OpenRouter uses "-1" for "varies" (auto/router models)
  return roundPrice(n * 1e6);
}

/** Strip float noise from a unit conversion (0.0000025 × 1e6 = 2.4999999999999996 → 2.5); nano-dollar precision. */
export function roundPrice(n: number): number {
  return Math.round(n * 1e9) / 1e9;
}

/** `$2.50` style, for tables and hovers: up to 4 decimals for sub-cent prices. */
export function formatPerMTok(n: number | undefined): string {
  if (n === undefined) return '—';
  if (n === 0) return '0';
  return n >= 1 ? n.toFixed(2) : n >= 0.01 ? n.toFixed(3).replace(/0$/, '') : n.toPrecision(2);
}
