// One catalog across gateways: every gateway's models grouped by canonical ID, one merged record per
// model carrying each gateway's ID and price (`offers`), the preferred offer first. Pure functions:
// the service calls `mergeCatalog` after every change and indexes the result (./lookup).
import type { MergedModel, Model, Offer } from '../protocol/model';
import type { PriceTable } from './table';
import type { GatewayModels } from './lookup';
import { foldKey, modelPart, providerPart } from './canonical';

export type { GatewayModels };

export interface MergeInput {
  /** In configured order. */
  gateways: readonly GatewayModels[];
  /** `defaultGateway` setting ('' = none). */
  defaultGateway?: string;
  /** Fills prices (and context) that a gateway does not publish; absent until loaded. */
  table?: PriceTable;
}

export interface MergeOutput {
  models: MergedModel[];
  /** Per canonical ID, each gateway's (price-filled) record, preferred first. */
  offers: Map<string, Model[]>;
  /** Only the embedded table: no gateway had a model. */
  offline: boolean;
}

/** Gateway preference: `defaultGateway` first, then the configured order. */
export function preferenceOrder(gatewayIds: readonly string[], defaultGateway?: string): string[] {
  return defaultGateway && gatewayIds.includes(defaultGateway) ? [defaultGateway, ...gatewayIds.filter((g) => g !== defaultGateway)] : [...gatewayIds];
}

/** A gateway record with the table's price (and context) where the gateway published none. */
export function fillFromTable(m: Model, table: PriceTable | undefined): Model {
  if (!table || (m.pricing && m.contextLength)) return m;
  const t = table.lookup(m.id) ?? (m.canonicalId !== m.id.toLowerCase() ? table.lookup(m.canonicalId) : undefined);
  if (!t) return m;
  const out = { ...m };
  if (!m.pricing && t.pricing) {
    out.pricing = t.pricing;
    out.priceSource = 'table';
    out.free = m.free || (t.pricing.inputPerMTok === 0 && t.pricing.outputPerMTok === 0);
  }
  out.contextLength ??= t.contextLength;
  return out;
}

export function mergeCatalog(input: MergeInput): MergeOutput {
  const order = preferenceOrder(input.gateways.map((g) => g.gateway), input.defaultGateway);
  const rank = new Map(order.map((g, i) => [g, i]));
  const groups = new Map<string, Model[]>();
  for (const g of input.gateways) {
    for (const raw of g.models) {
      const list = groups.get(raw.canonicalId);
      // One offer per gateway: a second ID of the same model on the same gateway (Bifrost's
      // `openai/gpt-4o` and `openrouter/openai/gpt-4o`) stays findable but is not a second offer.
      if (list?.some((m) => m.gateway === raw.gateway)) continue;
      push(groups, raw.canonicalId, fillFromTable(raw, input.table));
    }
  }
  if (groups.size === 0 && input.table) {
    const offers = new Map<string, Model[]>();
    const models = input.table.models.map((m) => toMerged([m]));
    return { models: sortById(models), offers, offline: true };
  }
  joinUnowned(groups);
  foldSpellings(groups, input.table);
  const models: MergedModel[] = [];
  for (const list of groups.values()) {
    if (list.length > 1) list.sort((a, b) => (rank.get(a.gateway) ?? 1e9) - (rank.get(b.gateway) ?? 1e9));
    models.push(toMerged(list));
  }
  return { models: sortById(models), offers: groups, offline: false };
}

/**
 * A bare ID from a gateway that names no owner, and that the embedded table could not place, is
 * filed under the gateway's own id (`local/text-embedding-3-small`). When other gateways file that
 * same model under exactly one real provider (`openai/text-embedding-3-small`), it is that model.
 */
function joinUnowned(groups: Map<string, Model[]>): void {
  const owned = new Map<string, string[]>();
  const unowned: string[] = [];
  for (const [c, list] of groups) {
    const provider = providerPart(c);
    if (!provider) continue;
    if (list.length === 1 && list[0].gateway === provider) unowned.push(c);
    else push(owned, modelPart(c), c);
  }
  for (const c of unowned) {
    const targets = owned.get(modelPart(c));
    if (targets?.length !== 1) continue;
    const [m] = groups.get(c)!;
    const into = groups.get(targets[0])!;
    if (into.some((x) => x.gateway === m.gateway)) continue;
    into.push({ ...m, canonicalId: targets[0] });
    groups.delete(c);
  }
}

/**
 * Joins groups whose canonical IDs are two spellings of one model (`foldKey`): NemoRouter's
 * `claude-4-sonnet` and OpenRouter's `anthropic/claude-sonnet-4` become one model with both offers.
 * Only across gateways: two IDs that one gateway lists side by side are two models to it. The
 * joined model keeps the spelling gateways with `provider/model` IDs use themselves (OpenRouter's
 * namespace, as every canonical ID), else the one the embedded table knows, else the one most
 * gateways use, else the first in ID order.
 */
function foldSpellings(groups: Map<string, Model[]>, table: PriceTable | undefined): void {
  const byKey = new Map<string, string[]>();
  for (const c of groups.keys()) push(byKey, foldKey(c), c);
  for (const ids of byKey.values()) {
    if (ids.length < 2) continue;
    const lists = ids.map((c) => groups.get(c)!);
    const gateways = lists.flatMap((l) => l.map((m) => m.gateway));
    if (new Set(gateways).size !== gateways.length) continue;
    const native = (c: string) => groups.get(c)!.filter((m) => m.id.toLowerCase() === c).length;
    const known = (c: string) => (table?.lookup(c)?.canonicalId === c ? 1 : 0);
    const chosen = [...ids].sort(
      (a, b) => native(b) - native(a) || known(b) - known(a) || groups.get(b)!.length - groups.get(a)!.length || (a < b ? -1 : a > b ? 1 : 0),
    )[0];
    const joined: Model[] = [];
    for (const c of ids) {
      for (const m of groups.get(c)!) joined.push(c === chosen ? m : { ...m, canonicalId: chosen });
      groups.delete(c);
    }
    groups.set(chosen, joined);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The preferred record, with what it lacks taken from the other offers. */
function toMerged(list: Model[]): MergedModel {
  const [first] = list;
  const offers: Offer[] = list.map((m) => ({ gateway: m.gateway, id: m.id, pricing: m.pricing, priceSource: m.priceSource }));
  const merged = mergedRecord(first, offers);
  if (list.length === 1) return merged;
  // A gateway that lists bare IDs has no display name (`name` = its ID): take another gateway's.
  const named = list.find((m) => m.name !== m.id);
  if (named && first.name === first.id) merged.name = named.name;
  const inputs = new Set(first.modalities.input);
  const outputs = new Set(first.modalities.output);
  const caps = { ...first.capabilities };
  for (const m of list.slice(1)) {
    merged.description ??= m.description;
    merged.contextLength ??= m.contextLength;
    merged.maxOutput ??= m.maxOutput;
    merged.deprecated ??= m.deprecated;
    merged.created ??= m.created;
    for (const x of m.modalities.input) inputs.add(x);
    for (const x of m.modalities.output) outputs.add(x);
    caps.tools ||= m.capabilities.tools;
    caps.vision ||= m.capabilities.vision;
    caps.reasoning ||= m.capabilities.reasoning;
    caps.json ||= m.capabilities.json;
  }
  merged.modalities = { input: [...inputs], output: [...outputs] };
  merged.capabilities = caps;
  return merged;
}

/**
 * Every field spelled out, in one order: all merged records share one shape, which keeps the
 * query loop over thousands of them fast (records read from JSON come in many shapes). Absent
 * fields stay `undefined` and are left out of JSON.
 */
function mergedRecord(m: Model, offers: Offer[]): MergedModel {
  return {
    gateway: m.gateway,
    id: m.id,
    canonicalId: m.canonicalId,
    name: m.name,
    provider: m.provider,
    description: m.description,
    contextLength: m.contextLength,
    maxOutput: m.maxOutput,
    pricing: m.pricing,
    priceSource: m.priceSource,
    modalities: m.modalities,
    capabilities: m.capabilities,
    deprecated: m.deprecated,
    created: m.created,
    free: m.free,
    offers,
  };
}

function sortById(models: MergedModel[]): MergedModel[] {
  return models.sort((a, b) => (a.canonicalId < b.canonicalId ? -1 : a.canonicalId > b.canonicalId ? 1 : 0));
}

// Lookups live in ./lookup; re-exported here for callers that build a catalog by hand (tests, fixtures).
export { CatalogIndex, buildIndex, findIn } from './lookup';
