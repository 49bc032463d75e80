// Server-side search, filter, sort, paging and grouping over the merged catalog. With
// `filter.gateway`, each record is shown as that gateway's offer (its ID, price and price source),
// and price filters and sorts use that offer.
import type { CatalogFilter, CatalogGroup, CatalogQuery, MergedModel, Pricing } from '../protocol/model';
import type { CatalogIndex } from './lookup';
import { isFree } from '../protocol/present';

export interface QueryOutput {
  models: MergedModel[];
  total: number;
}

/** The matching records (projected onto `filter.gateway` when set), unsorted and unpaged. */
export function filterCatalog(index: CatalogIndex, f: CatalogFilter = {}): MergedModel[] {
  const terms = f.text?.toLowerCase().split(/\s+/).filter(Boolean) ?? [];
  const provider = f.provider?.toLowerCase();
  const ids = f.canonicalIds ? new Set(f.canonicalIds.map((x) => x.toLowerCase())) : undefined;
  const out: MergedModel[] = [];
  const { models } = index;
  const haystacks = terms.length ? index.haystacks : [];
  for (let i = 0; i < models.length; i++) {
    let m = models[i];
    if (f.gateway !== undefined) {
      if (m.gateway !== f.gateway) {
        const offer = m.offers.find((o) => o.gateway === f.gateway);
        if (!offer) continue;
        m = { ...m, gateway: offer.gateway, id: offer.id, pricing: offer.pricing, priceSource: offer.priceSource, free: isFree(offer) };
      }
    }
    if (ids && !ids.has(m.canonicalId)) continue;
    if (provider && m.provider !== provider) continue;
    if (f.includeDeprecated === false && m.deprecated) continue;
    if (f.freeOnly && !m.free) continue;
    if (f.minContext !== undefined && !((m.contextLength ?? 0) >= f.minContext)) continue;
    if (f.maxInputPerMTok !== undefined && !(m.pricing?.inputPerMTok !== undefined && m.pricing.inputPerMTok <= f.maxInputPerMTok)) continue;
    if (f.maxOutputPerMTok !== undefined && !(m.pricing?.outputPerMTok !== undefined && m.pricing.outputPerMTok <= f.maxOutputPerMTok)) continue;
    if (f.inputModalities && !f.inputModalities.every((x) => m.modalities.input.includes(x))) continue;
    if (f.outputModalities && !f.outputModalities.every((x) => m.modalities.output.includes(x))) continue;
    if (f.capabilities && !f.capabilities.every((c) => m.capabilities[c])) continue;
    if (terms.length) {
      const hay = haystacks[i];
      if (!terms.every((t) => hay.includes(t))) continue;
    }
    out.push(m);
  }
  return out;
}

export function queryCatalog(index: CatalogIndex, q: CatalogQuery = {}): QueryOutput {
  const matched = filterCatalog(index, q.filter);
  if (q.sort) sortModels(matched, q.sort);
  const offset = q.offset ?? 0;
  const page = q.limit !== undefined || offset > 0 ? matched.slice(offset, q.limit !== undefined ? offset + q.limit : undefined) : matched;
  return { models: page, total: matched.length };
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** In place. Unknown prices, contexts and dates sort last; ties by canonical ID. */
export function sortModels(models: MergedModel[], sort: NonNullable<CatalogQuery['sort']>): MergedModel[] {
  const byId = (a: MergedModel, b: MergedModel) => (a.canonicalId < b.canonicalId ? -1 : a.canonicalId > b.canonicalId ? 1 : 0);
  switch (sort) {
    case 'price': {
      const key = new Map(models.map((m) => [m, priceKey(m.pricing)]));
      return models.sort((a, b) => key.get(a)! - key.get(b)! || byId(a, b));
    }
    case 'context':
      return models.sort((a, b) => (b.contextLength ?? -1) - (a.contextLength ?? -1) || byId(a, b));
    case 'newest':
      return models.sort((a, b) => (b.created ?? -1) - (a.created ?? -1) || byId(a, b));
    case 'name':
      return models.sort((a, b) => collator.compare(a.name, b.name) || byId(a, b));
  }
}

/** Input + output per million tokens (the order of OpenRouter's average); unknown = last. */
function priceKey(p: Pricing | undefined): number {
  if (!p || (p.inputPerMTok === undefined && p.outputPerMTok === undefined)) return Number.POSITIVE_INFINITY;
  return (p.inputPerMTok ?? 0) + (p.outputPerMTok ?? 0);
}

/** Group labels and counts after the query's filter (a model counts once per gateway serving it). */
export function groupCatalog(
  index: CatalogIndex,
  groupBy: 'provider' | 'gateway',
  q: CatalogQuery | undefined,
  labels: { gateway(id: string): string; provider(slug: string): string; gatewayOrder: readonly string[] },
): CatalogGroup[] {
  const counts = new Map<string, number>();
  for (const m of filterCatalog(index, q?.filter)) {
    if (groupBy === 'provider') counts.set(m.provider, (counts.get(m.provider) ?? 0) + 1);
    else if (q?.filter?.gateway !== undefined) counts.set(m.gateway, (counts.get(m.gateway) ?? 0) + 1);
    else for (const o of m.offers) counts.set(o.gateway, (counts.get(o.gateway) ?? 0) + 1);
  }
  const groups = [...counts].map(([key, count]) => ({ key, count, label: groupBy === 'provider' ? labels.provider(key) : labels.gateway(key) }));
  if (groupBy === 'gateway') {
    const rank = new Map(labels.gatewayOrder.map((g, i) => [g, i]));
    return groups.sort((a, b) => (rank.get(a.key) ?? 1e9) - (rank.get(b.key) ?? 1e9));
  }
  return groups.sort((a, b) => collator.compare(a.label, b.label));
}
