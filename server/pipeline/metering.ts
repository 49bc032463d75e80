// What a request cost, and from which source (design.md "Ledger"): the gateway's own figure when it
// gives one, else tokens × the catalog's price for that offer (`computed`), else the embedded table
// (`estimated`), else `unknown` with a null cost — never a silent 0.
import { z } from 'zod';
import type { CatalogService } from '../core/services';
import type { GatewayAdapter, ReportedCost } from '../gateways/types';
import type { CostSource } from '../protocol/ledger';
import type { Offer } from '../protocol/model';
import { fillSheet, priceUsage, sheetOf, type Sheet } from '../catalog/cost';
import { loadPriceTable, loadedPriceTable } from '../catalog/table';
import type { Candidate } from './candidates';
import { roundUsd } from '../ledger/usd';

const count = z.number().check(z.nonnegative()).nullish().catch(undefined);
const Details = z
  .object({
    cached_tokens: count,
    /** OpenRouter: cache writes of this request (Anthropic, Gemini explicit caching). */
    cache_write_tokens: count,
    cache_creation_tokens: count,
    reasoning_tokens: count,
  })
  .nullish()
  .catch(undefined);

const UsageSchema = z.object({
  prompt_tokens: z.number().nonnegative().optional(),
  input_tokens: z.number().nonnegative().optional(),
  completion_tokens: z.number().nonnegative().optional(),
  output_tokens: z.number().nonnegative().optional(),
  total_tokens: z.number().nonnegative().optional(),
  /** OpenAI Chat Completions (and OpenRouter, Bifrost, LiteLLM). */
  prompt_tokens_details: Details,
  completion_tokens_details: Details,
  /** OpenAI Responses. */
  input_tokens_details: Details,
  output_tokens_details: Details,
  /** Anthropic's names, which LiteLLM-based gateways pass through beside the OpenAI ones. */
  cache_read_input_tokens: count,
  cache_creation_input_tokens: count,
});
// Not .loose(): only these fields are read, so the others need not be copied.

export interface Usage {
  /** Every input token, cached and cache-written ones included. */
  inputTokens: number;
  /** Every output token, reasoning included. */
  outputTokens: number;
  cachedInputTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
}

/**
 * The `usage` object of a response or final chunk: OpenAI Chat (`prompt_tokens`, with
 * `prompt_tokens_details.cached_tokens` / `completion_tokens_details.reasoning_tokens`), Responses
 * (`input_tokens` with `input_tokens_details`), or Anthropic's (`input_tokens` not counting
 * `cache_read_input_tokens` / `cache_creation_input_tokens`). The counts come out in one meaning:
 * input and output totals, with the cache and reasoning counts as parts of them.
 */
export function readUsage(body: unknown): Usage | undefined {
  const raw = (body as { usage?: unknown } | undefined)?.usage;
  if (!raw || typeof raw !== 'object') return undefined;
  const r = UsageSchema.safeParse(raw);
  if (!r.success) return undefined;
  const u = r.data;
  const output = u.completion_tokens ?? u.output_tokens ?? (u.total_tokens !== undefined && (u.prompt_tokens ?? u.input_tokens) !== undefined ? u.total_tokens - (u.prompt_tokens ?? u.input_tokens ?? 0) : undefined);
  const d = u.prompt_tokens_details ?? u.input_tokens_details;
  const cacheRead = d?.cached_tokens ?? u.cache_read_input_tokens ?? undefined;
  const cacheWrite = d?.cache_write_tokens ?? d?.cache_creation_tokens ?? u.cache_creation_input_tokens ?? undefined;
  // Anthropic's own shape counts cache reads and writes apart from `input_tokens`; OpenAI's
  // `prompt_tokens` (and LiteLLM's, which also carries the Anthropic names) include them.
  const anthropicShape = u.prompt_tokens === undefined && u.input_tokens_details == null && (u.cache_read_input_tokens != null || u.cache_creation_input_tokens != null);
  let input = u.prompt_tokens ?? u.input_tokens;
  if (anthropicShape && input !== undefined) input += (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0);
  if (input === undefined && output === undefined) return undefined;
  const usage: Usage = { inputTokens: Math.max(0, Math.round(input ?? 0)), outputTokens: Math.max(0, Math.round(output ?? 0)) };
  const reasoning = (u.completion_tokens_details ?? u.output_tokens_details)?.reasoning_tokens ?? undefined;
  // Parts never exceed their whole, whatever a gateway sends.
  const cached = part(cacheRead, usage.inputTokens);
  const written = part(cacheWrite, usage.inputTokens - (cached ?? 0));
  const reasoned = part(reasoning, usage.outputTokens);
  if (cached) usage.cachedInputTokens = cached;
  if (written) usage.cacheWriteTokens = written;
  if (reasoned) usage.reasoningTokens = reasoned;
  return usage;
}

function part(n: number | undefined, whole: number): number | undefined {
  return n === undefined ? undefined : Math.min(Math.max(0, Math.round(n)), whole);
}

export interface CostInput {
  catalog: CatalogService;
  adapter?: GatewayAdapter;
  candidate: Candidate;
  servedModel: string;
  usage: Usage;
  /** The token counts are our estimate (no usage seen): a price × them is an estimate, too. */
  tokensEstimated: boolean;
  /** Response headers plus trailers, and the body or the chunk that carried usage. */
  headers: Record<string, string>;
  body: unknown;
}

export interface Cost {
  costUsd: number | null;
  costSource: CostSource;
  /** What prompt caching saved on this request against every input token at the input price, when known. */
  cacheSavingsUsd?: number;
}

/**
 * The gateway's stated cost first; else the usage priced by the library (catalog/cost.ts) at the
 * gateway's listed prices — cache and reasoning prices it does not list taken from the embedded
 * table, which makes the figure `estimated` — else at the table's prices (`estimated`), else
 * `unknown`. Cached tokens are priced at the cache-read price, never as full input, unless no
 * price for them is known anywhere: then the input price is an upper bound, marked `estimated`.
 */
export async function resolveCost(c: CostInput): Promise<Cost> {
  // Loaded once; every answer after that is priced without a turn of the event loop for it.
  if (!loadedPriceTable()) await loadPriceTable().catch(() => undefined);
  const reported = safeReported(c.adapter, c.headers, c.body);
  // The gateway's bill, and no cached tokens whose savings the prices could tell: nothing to compute.
  if (reported && !c.usage.cachedInputTokens && !c.usage.cacheWriteTokens) return { costUsd: reported.costUsd, costSource: 'gateway' };
  const listed = catalogPricing(c);
  const table = tableSheet(c);
  const listedSheet = listed?.pricing ? fillSheet(sheetOf(listed.pricing), table, c.usage) : undefined;
  const computed = listedSheet ? priceUsage(listedSheet.sheet, c.usage) : undefined;
  if (reported) {
    // The bill is the gateway's; the prices only tell what caching saved on it.
    const savings = computed?.cacheSavingsUsd ?? priceUsage(table, c.usage)?.cacheSavingsUsd;
    return withSavings({ costUsd: reported.costUsd, costSource: 'gateway' }, savings);
  }
  if (computed && listed && listedSheet) {
    const estimated = c.tokensEstimated || listed.priceSource === 'table' || listedSheet.filled || computed.approximate;
    return withSavings({ costUsd: computed.costUsd, costSource: estimated ? 'estimated' : 'computed' }, computed.cacheSavingsUsd);
  }
  const fromTable = priceUsage(table, c.usage);
  if (fromTable) return withSavings({ costUsd: fromTable.costUsd, costSource: 'estimated' }, fromTable.cacheSavingsUsd);
  return { costUsd: null, costSource: 'unknown' };
}

function withSavings(cost: Cost, savings: number | undefined): Cost {
  return savings !== undefined && Number.isFinite(savings) && savings !== 0 ? { ...cost, cacheSavingsUsd: savings } : cost;
}

/** The embedded table's prices for what ran, else what was asked (every ID form). */
function tableSheet(c: CostInput): Sheet | undefined {
  const table = loadedPriceTable();
  if (!table) return undefined;
  for (const id of [c.servedModel, c.candidate.canonicalId, c.candidate.id]) {
    if (!id || id === 'auto') continue;
    const sheet = table.lookup(id)?.sheet;
    if (sheet) return sheet;
  }
  return undefined;
}

/** The price of what actually ran on that gateway (ARouter `auto` names it), else of what was asked. */
function catalogPricing(c: CostInput): Pick<Offer, 'pricing' | 'priceSource'> | undefined {
  const gw = c.candidate.gateway.id;
  if (c.servedModel && c.servedModel !== c.candidate.id) {
    const served = c.catalog.find(c.servedModel)?.offers.find((o) => o.gateway === gw && o.id === c.servedModel);
    if (served?.pricing) return served;
  }
  if (c.candidate.pricing) return { pricing: c.candidate.pricing, priceSource: c.candidate.priceSource ?? 'gateway' };
  return c.catalog.find(c.candidate.id)?.offers.find((o) => o.gateway === gw);
}

/** An adapter bug or an odd header must not lose the ledger line: fall through to computing. */
export function safeReported(adapter: GatewayAdapter | undefined, headers: Record<string, string>, body: unknown): ReportedCost | undefined {
  try {
    const r = adapter?.reportedCost?.(headers, body);
    return r && Number.isFinite(r.costUsd) && r.costUsd >= 0 ? r : undefined;
  } catch {
    return undefined;
  }
}

/** Response headers for the caller (proxy): never an upstream header that could carry a credential. */
export function switchyardHeaders(p: {
  gateway: string;
  servedModel?: string;
  requestId: string;
  cost?: Cost;
  upstream: Record<string, string>;
}): Record<string, string> {
  const h: Record<string, string> = { 'x-switchyard-gateway': p.gateway, 'x-switchyard-request-id': p.requestId };
  if (p.servedModel) h['x-switchyard-model'] = p.servedModel;
  if (p.cost) {
    h['x-switchyard-cost-source'] = p.cost.costSource;
    if (p.cost.costUsd !== null) h['x-switchyard-cost'] = formatCostUsd(p.cost.costUsd);
  }
  const upstreamId = p.upstream['x-nemo-request-id'] ?? p.upstream['x-request-id'] ?? p.upstream['x-generation-id'];
  if (upstreamId) h['x-switchyard-upstream-request-id'] = upstreamId;
  if (p.upstream['x-nemo-guardrails-applied']) h['x-switchyard-guardrails'] = p.upstream['x-nemo-guardrails-applied'];
  return h;
}

/** Plain decimal for a header, never exponent notation (1e-7 → "0.0000001"), to the nano-dollar as the ledger stores it. */
export function formatCostUsd(x: number): string {
  if (x === 0) return '0';
  return roundUsd(x).toFixed(9).replace(/0+$/, '').replace(/\.$/, '');
}
