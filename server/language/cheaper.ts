// "Switch to a cheaper equivalent": models that can do everything this one can (capabilities and
// input modalities at least as wide, the same kind of output, a context window at least as large),
// are not deprecated, cost less for a 1k-in/1k-out call, and are served where the code sends them.
import type { MergedModel } from '../protocol/model';
import { costUsd } from '../catalog/price';
import type { CatalogView, Target } from './types';

const CAPS = ['tools', 'vision', 'reasoning', 'json'] as const;

function callCost(m: MergedModel): number | undefined {
  return costUsd(m.pricing, 1000, 1000);
}

function covers(c: MergedModel, m: MergedModel): boolean {
  if (CAPS.some((k) => m.capabilities[k] && !c.capabilities[k])) return false;
  if (m.modalities.input.some((x) => !c.modalities.input.includes(x))) return false;
  const out = new Set(c.modalities.output);
  if (out.size !== new Set(m.modalities.output).size || m.modalities.output.some((x) => !out.has(x))) return false;
  return (c.contextLength ?? 0) >= (m.contextLength ?? Number.POSITIVE_INFINITY);
}

export interface Cheaper {
  model: MergedModel;
  cost: number;
  /** Fraction saved on a 1k/1k call (0.4 = 40 % cheaper). */
  saving: number;
}

/** Up to `limit` cheaper equivalents, cheapest first. `live` = gateways with a loaded catalog. */
export function cheaperEquivalents(m: MergedModel, catalog: CatalogView, target: Target, live: ReadonlySet<string>, limit = 3): Cheaper[] {
  const base = callCost(m);
  if (!base) return [];
  // Where the code sends the request decides what is usable: the target gateway when known and loaded.
  const gw = target.kind === 'gateway' && live.has(target.gateway.id) ? target.gateway.id : undefined;
  const out: Cheaper[] = [];
  for (const c of catalog.all()) {
    if (c === m || c.deprecated || c.canonicalId === m.canonicalId) continue;
    if (gw ? !c.offers.some((o) => o.gateway === gw) : live.size > 0 && !c.offers.some((o) => live.has(o.gateway))) continue;
    const cost = callCost(c);
    if (cost === undefined || cost >= base || !covers(c, m)) continue;
    out.push({ model: c, cost, saving: 1 - cost / base });
  }
  return out.sort((a, b) => a.cost - b.cost || (a.model.canonicalId < b.model.canonicalId ? -1 : 1)).slice(0, limit);
}
