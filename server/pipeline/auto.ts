// `auto`: either the cheapest model that fits the request (context, tools, images) across the
// configured gateways, or a hand-off to a gateway that serves `auto` itself (ARouter) — by the
// `routing.autoPolicy` setting, each falling back to the other when it finds nothing.
import type { MergedModel } from '../protocol/model';
import type { ResolvedGateway } from '../protocol/settings';
import type { RequestNeeds } from './needs';
import { fail, type Candidate, type RouteContext, type RouteResult } from './candidates';

/** How many offers the failover chain of an `auto` pick holds (cheapest first). */
const AUTO_CHAIN = 6;
/** Output assumed when the request sets no max_tokens: the price comparison needs some size. */
const ASSUMED_OUTPUT_TOKENS = 1000;

export function routeAuto(needs: RequestNeeds, gateways: ResolvedGateway[], ctx: RouteContext): RouteResult {
  const native: Candidate[] = gateways.filter((g) => ctx.servesAuto(g)).map((g) => ({ gateway: g, id: 'auto', via: 'auto' }));
  const cheapest = () => cheapestOffers(needs, gateways, ctx.catalog.all());
  const candidates = ctx.settings.routing.autoPolicy === 'gateway' ? orElse(native, cheapest) : orElse(cheapest(), () => native);
  if (candidates.length > 0) return { ok: true, candidates };
  const wants = [
    `${needs.inputTokens + (needs.maxOutputTokens ?? 0)} tokens of context`,
    needs.tools ? 'tools' : '',
    needs.images ? 'image input' : '',
    needs.output === 'embedding' ? 'embeddings' : '',
  ].filter(Boolean);
  return fail('no_gateway', 404, 'no_model_fits', `"auto" found no priced model on the configured gateways with ${wants.join(', ')}, and no gateway serves "auto" itself`);
}

function orElse(first: Candidate[], second: () => Candidate[]): Candidate[] {
  return first.length > 0 ? first : second();
}

/** Every fitting offer on the allowed gateways, cheapest expected cost for this request first. */
export function cheapestOffers(needs: RequestNeeds, gateways: ResolvedGateway[], models: readonly MergedModel[]): Candidate[] {
  const rank = new Map(gateways.map((g, i) => [g.id, i]));
  const out = needs.maxOutputTokens ?? ASSUMED_OUTPUT_TOKENS;
  const scored: { c: Candidate; cost: number; order: number }[] = [];
  for (const m of models) {
    if (!fits(m, needs)) continue;
    for (const offer of m.offers) {
      const order = rank.get(offer.gateway);
      const p = offer.pricing;
      if (order === undefined || p?.inputPerMTok === undefined || p.outputPerMTok === undefined) continue;
      const cost = (needs.inputTokens * p.inputPerMTok + (needs.output === 'embedding' ? 0 : out * p.outputPerMTok)) / 1e6;
      scored.push({ c: { gateway: gateways[order], id: offer.id, canonicalId: m.canonicalId, pricing: p, priceSource: offer.priceSource, via: 'auto' }, cost, order });
    }
  }
  scored.sort((a, b) => a.cost - b.cost || a.order - b.order || a.c.id.localeCompare(b.c.id));
  return scored.slice(0, AUTO_CHAIN).map((s) => s.c);
}

function fits(m: MergedModel, needs: RequestNeeds): boolean {
  if (m.deprecated) return false;
  if (needs.output === 'embedding' ? !m.modalities.output.includes('embedding') : !m.modalities.output.includes('text')) return false;
  if (needs.output === 'text' && m.modalities.output.includes('embedding')) return false;
  // An unknown context window cannot be shown to fit: `auto` promises a model that does.
  if (m.contextLength === undefined || m.contextLength < needs.inputTokens + (needs.maxOutputTokens ?? 0)) return false;
  if (needs.tools && !m.capabilities.tools) return false;
  if (needs.images && !(m.capabilities.vision || m.modalities.input.includes('image'))) return false;
  return true;
}
