// Model resolution (design.md "Routing"): a requested model string becomes an ordered list of
// (gateway, gateway ID) candidates. The first is where the request goes; the rest are the failover
// chain — the same canonical model on the other gateways, then the configured fallbacks.
// Pure: reads settings and the catalog, touches no network.
import type { MergedModel } from '../protocol/model';
import { resolveGateways, type ResolvedGateway, type Settings } from '../protocol/settings';
import { modelPart } from '../catalog/canonical';
import { requestNeeds } from './needs';
import { routeAuto } from './auto';
import { suggestModelIds } from '../catalog/suggest';
import { fail, type Candidate, type RouteContext, type RouteInput, type RouteResult } from './candidates';

export type { Candidate, RouteContext, RouteInput, RouteResult } from './candidates';

const MAX_ALIAS_DEPTH = 4;

/** Enabled gateways in preference order: `defaultGateway` first, then the order of `switchyard.gateways`. */
export function gatewayOrder(settings: Settings): ResolvedGateway[] {
  const all = resolveGateways(settings);
  const first = all.filter((g) => g.id === settings.defaultGateway);
  return [...first, ...all.filter((g) => g.id !== settings.defaultGateway)];
}

export function resolveRoute(input: RouteInput, ctx: RouteContext): RouteResult {
  let gateways = gatewayOrder(ctx.settings);
  if (gateways.length === 0) {
    return fail('no_gateway', 503, 'no_gateway', 'no gateway is configured: add one to switchyard.gateways');
  }
  if (input.gateway) {
    const pinned = gateways.filter((g) => g.id === input.gateway);
    if (pinned.length === 0) {
      const known = gateways.map((g) => g.id).join(', ');
      return fail('no_gateway', 400, 'unknown_gateway', `gateway "${input.gateway}" is not configured or is disabled (configured: ${known})`);
    }
    gateways = pinned;
  }
  const model = input.model.trim() || ctx.settings.defaultModel.trim() || 'auto';
  const primary = resolveModel(model, input, gateways, ctx, 0);
  if (!primary.ok) return primary;
  const candidates = [...primary.candidates];
  for (const fb of ctx.settings.fallbacks) {
    if (fb === model) continue;
    const r = resolveModel(fb, input, gateways, ctx, 0);
    if (r.ok) candidates.push(...r.candidates.map((c) => ({ ...c, via: 'fallback' as const })));
  }
  return { ok: true, candidates: dedupe(candidates) };
}

function resolveModel(model: string, input: RouteInput, gateways: ResolvedGateway[], ctx: RouteContext, depth: number): RouteResult {
  if (model.toLowerCase() === 'auto') return routeAuto(requestNeeds(input.endpoint, input.body), gateways, ctx);
  // Aliases come after the catalog: a name that is a real model ID keeps meaning that model.
  const alias = ctx.settings.aliases[model];
  if (alias && alias !== model && depth < MAX_ALIAS_DEPTH && !isCatalogId(model, ctx.catalog)) {
    return resolveModel(alias, input, gateways, ctx, depth + 1);
  }
  const found = ctx.catalog.find(model);
  if (found) {
    const served = offersInOrder(found, model, gateways);
    if (served.length > 0) return { ok: true, candidates: served };
  }
  // Gateways whose catalog we do not have (listing failed, a local server without /models):
  // the gateway itself is the judge of the ID.
  const blind = blindGateways(gateways, ctx);
  if (blind.length > 0) return { ok: true, candidates: blind.map((g) => ({ gateway: g, id: blindId(model, found, g, ctx), via: 'primary' })) };
  if (found) {
    const where = found.offers.map((o) => o.gateway).filter((g) => g !== 'offline');
    const scope = input.gateway ? `gateway "${input.gateway}"` : 'any configured gateway';
    return fail('no_gateway', 404, 'model_not_served', `"${model}" (${found.canonicalId}) is not served by ${scope}${where.length ? ` (served by: ${where.join(', ')})` : ''}`, [found.canonicalId]);
  }
  const suggestions = suggestModelIds(model, ctx.catalog.all(), Object.keys(ctx.settings.aliases));
  const hint = suggestions.length ? ` — did you mean ${suggestions.slice(0, 3).map((s) => `"${s}"`).join(', ')}?` : '';
  return fail('unknown_model', 404, 'unknown_model', `unknown model "${model}"${hint}`, suggestions);
}

/**
 * The model's offers on the allowed gateways: first those whose gateway ID is exactly the requested
 * string (gateway order), then the canonical matches on the other gateways (gateway order). A
 * `gateway-id/…` prefix names a preferred gateway without pinning it.
 */
function offersInOrder(m: MergedModel, requested: string, gateways: ResolvedGateway[]): Candidate[] {
  const prefix = requested.includes('/') ? requested.slice(0, requested.indexOf('/')) : undefined;
  const rank = (g: ResolvedGateway) => (g.id === prefix ? -1 : gateways.indexOf(g));
  const ordered = [...gateways].sort((a, b) => rank(a) - rank(b));
  const out: Candidate[] = [];
  for (const exact of [true, false]) {
    for (const g of ordered) {
      const offer = m.offers.find((o) => o.gateway === g.id);
      if (!offer || (offer.id === requested) !== exact) continue;
      out.push({ gateway: g, id: offer.id, canonicalId: m.canonicalId, pricing: offer.pricing, priceSource: offer.priceSource, via: out.length ? 'failover' : 'primary' });
    }
  }
  return out;
}

/** Some configured gateway lists this exact ID, or it is a canonical ID with live offers. */
function isCatalogId(id: string, catalog: RouteContext['catalog']): boolean {
  if (catalog.offers(id).length > 0) return true;
  return catalog.all().some((m) => m.offers.some((o) => o.id === id && o.gateway !== 'offline'));
}

function blindGateways(gateways: ResolvedGateway[], ctx: RouteContext): ResolvedGateway[] {
  const statuses = new Map(ctx.catalog.statuses().map((s) => [s.gateway, s]));
  return gateways.filter((g) => {
    const s = statuses.get(g.id);
    return !s || (s.source === 'none' && s.modelCount === 0 && s.state !== 'loading');
  });
}

/** The ID to send a gateway we have no catalog for: in its ID form when we know the model, else as asked. */
function blindId(model: string, found: MergedModel | undefined, g: ResolvedGateway, ctx: RouteContext): string {
  if (model.startsWith(`${g.id}/`)) return model.slice(g.id.length + 1);
  const form = found ? ctx.idForm?.(g) : undefined;
  if (found && form === 'bare') return modelPart(found.canonicalId);
  if (found && form === 'provider/model') return found.canonicalId;
  return model;
}

function dedupe(list: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return list.filter((c) => {
    const key = `${c.gateway.id}\u0000${c.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Entries kept per catalog version (requested model strings come from callers: bounded). */
const ROUTE_CACHE_ENTRIES = 512;

/**
 * Routing decisions memoised per catalog version and settings object. A decision is a pure function
 * of (settings, catalog, model, gateway, endpoint) — except `auto`, which also reads the request body
 * (context size, tools, images): settings in which `auto` can be reached (asked for, an alias or a
 * fallback naming it) are never cached. A new catalog version or settings object starts afresh.
 */
export class RouteCache {
  private version = -1;
  private settings: Settings | undefined;
  private cacheable = false;
  private readonly entries = new Map<string, RouteResult>();

  resolve(input: RouteInput, ctx: RouteContext, catalogVersion: number): RouteResult {
    if (catalogVersion !== this.version || ctx.settings !== this.settings) {
      this.entries.clear();
      this.version = catalogVersion;
      this.settings = ctx.settings;
      this.cacheable = !autoReachable(ctx.settings);
    }
    const model = input.model.trim() || ctx.settings.defaultModel.trim() || 'auto';
    if (!this.cacheable || model.toLowerCase() === 'auto') return resolveRoute(input, ctx);
    const key = `${input.endpoint}\u0000${input.gateway ?? ''}\u0000${model}`;
    let r = this.entries.get(key);
    if (!r) {
      r = resolveRoute(input, ctx);
      if (this.entries.size >= ROUTE_CACHE_ENTRIES) this.entries.clear();
      this.entries.set(key, r);
    }
    return r;
  }
}

/** Some alias or fallback leads to `auto` (whose pick depends on the request body). */
function autoReachable(settings: Settings): boolean {
  const isAuto = (m: string) => m.trim().toLowerCase() === 'auto';
  return Object.values(settings.aliases).some(isAuto) || settings.fallbacks.some(isAuto);
}
