// A request's worst case, reserved against the budgets before each try (issue 16 item 1): the
// prompt (our ~4 chars/token estimate) plus the most output it may produce — max_tokens /
// max_completion_tokens when given, else the model's max output, else what is left of its context,
// else DEFAULT_MAX_OUTPUT — at the price of that offer. Kept apart from metering.ts (what a request
// did cost) so the price formula and this bound change independently.
import type { CatalogService, Reservation } from '../core/services';
import type { Pricing } from '../protocol/model';
import { costUsd, estimatePricing } from '../catalog/price';
import type { Candidate } from './candidates';
import { requestNeeds } from './needs';
import type { InferenceEndpoint } from '../gateways/types';

/** Output assumed when neither the request nor the catalog bounds it. */
export const DEFAULT_MAX_OUTPUT = 4096;

export interface WorstCase {
  /** USD; 0 when no price is known anywhere (nothing can be held, the cost will be "unknown"). */
  usd: number;
  inputTokens: number;
  outputTokens: number;
}

/** What a try's worst case needs of the request (attempts.ts's Call has more). */
export interface WorstCaseCall {
  endpoint: InferenceEndpoint;
  req: { body: Record<string, unknown> };
}

export async function worstCase(catalog: CatalogService, call: WorstCaseCall, c: Candidate): Promise<WorstCase> {
  const needs = requestNeeds(call.endpoint, call.req.body);
  const model = catalog.find(c.id) ?? (c.canonicalId ? catalog.find(c.canonicalId) : undefined);
  let outputTokens = 0;
  if (call.endpoint !== 'embeddings') {
    const room = model?.contextLength !== undefined ? Math.max(1, model.contextLength - needs.inputTokens) : undefined;
    outputTokens = needs.maxOutputTokens ?? model?.maxOutput ?? room ?? DEFAULT_MAX_OUTPUT;
  }
  const pricing = await priceOf(catalog, c);
  const usd = costUsd(pricing, needs.inputTokens, outputTokens) ?? 0;
  return { usd, inputTokens: needs.inputTokens, outputTokens };
}

async function priceOf(catalog: CatalogService, c: Candidate): Promise<Pricing | undefined> {
  if (c.pricing) return c.pricing;
  const offer = catalog.find(c.id)?.offers.find((o) => o.gateway === c.gateway.id);
  if (offer?.pricing) return offer.pricing;
  for (const id of [c.canonicalId, c.id]) {
    if (!id || id === 'auto') continue;
    const p = await estimatePricing(id).catch(() => undefined);
    if (p) return p;
  }
  return undefined;
}

/** Every hold one request took (one per try), given back together once its ledger line is written. */
export class Holds {
  private readonly list: Reservation[] = [];

  add(r: Reservation): void {
    this.list.push(r);
  }

  releaseAll(): void {
    for (const r of this.list.splice(0)) r.release();
  }
}
