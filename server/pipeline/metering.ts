// What a request cost, and from which source (design.md "Ledger"): the gateway's own figure when it
// gives one, else tokens × the catalog's price for that offer (`computed`), else the embedded table
// (`estimated`), else `unknown` with a null cost — never a silent 0.
import { z } from 'zod';
import type { CatalogService } from '../core/services';
import type { GatewayAdapter, ReportedCost } from '../gateways/types';
import type { CostSource } from '../protocol/ledger';
import type { Offer } from '../protocol/model';
import { costUsd, estimatePricing } from '../catalog/price';
import type { Candidate } from './candidates';
import { roundUsd } from '../ledger/usd';

const UsageSchema = z
  .object({
    prompt_tokens: z.number().nonnegative().optional(),
    input_tokens: z.number().nonnegative().optional(),
    completion_tokens: z.number().nonnegative().optional(),
    output_tokens: z.number().nonnegative().optional(),
    total_tokens: z.number().nonnegative().optional(),
  });
// Not .loose(): only these fields are read, so the others (token details…) need not be copied.

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

/** The `usage` object of a response or final chunk, in the OpenAI or the Responses spelling. */
export function readUsage(body: unknown): Usage | undefined {
  const raw = (body as { usage?: unknown } | undefined)?.usage;
  if (!raw || typeof raw !== 'object') return undefined;
  const r = UsageSchema.safeParse(raw);
  if (!r.success) return undefined;
  const u = r.data;
  const input = u.prompt_tokens ?? u.input_tokens;
  const output = u.completion_tokens ?? u.output_tokens ?? (u.total_tokens !== undefined && input !== undefined ? u.total_tokens - input : undefined);
  if (input === undefined && output === undefined) return undefined;
  return { inputTokens: Math.max(0, Math.round(input ?? 0)), outputTokens: Math.max(0, Math.round(output ?? 0)) };
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
}

export async function resolveCost(c: CostInput): Promise<Cost> {
  const reported = safeReported(c.adapter, c.headers, c.body);
  if (reported) return { costUsd: reported.costUsd, costSource: 'gateway' };
  const price = catalogPricing(c);
  const computed = costUsd(price?.pricing, c.usage.inputTokens, c.usage.outputTokens);
  if (computed !== undefined) {
    const estimated = c.tokensEstimated || price?.priceSource === 'table';
    return { costUsd: computed, costSource: estimated ? 'estimated' : 'computed' };
  }
  for (const id of [c.servedModel, c.candidate.canonicalId, c.candidate.id]) {
    if (!id || id === 'auto') continue;
    const estimated = costUsd(await estimatePricing(id).catch(() => undefined), c.usage.inputTokens, c.usage.outputTokens);
    if (estimated !== undefined) return { costUsd: estimated, costSource: 'estimated' };
  }
  return { costUsd: null, costSource: 'unknown' };
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
