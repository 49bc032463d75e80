// Lookups the language features need on top of `CatalogService.find`: "did you mean" candidates
// (canonical forms first, then edit distance), the ID to write for a target gateway, and whether a
// string looks like a model ID at all. Built once per catalog snapshot (`all()` identity) and cached.
import type { MergedModel } from '../protocol/model';
import { PROVIDER_ALIASES, canonicalProvider, modelPart, providerPart, splitId } from '../catalog/canonical';
import { editDistance } from './distance';
import type { CatalogView, Target } from './types';

interface Form {
  model: MergedModel;
  /** Lower-case model part of the canonical ID or of one gateway's ID. */
  part: string;
}

export interface ModelIndex {
  models: readonly MergedModel[];
  forms: Form[];
  byLength: Map<number, number[]>;
  /** Alphanumerics only (`gpt4o` ≙ `GPT-4o` ≙ `gpt_4o`) → models. */
  byLoose: Map<string, MergedModel[]>;
  providers: Set<string>;
  suggestions: Map<string, MergedModel[]>;
}

const indexes = new WeakMap<readonly MergedModel[], ModelIndex>();

export function modelIndex(catalog: CatalogView): ModelIndex {
  const all = catalog.all();
  let idx = indexes.get(all);
  if (!idx) {
    idx = buildIndex(all);
    indexes.set(all, idx);
  }
  return idx;
}

export function looseKey(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function buildIndex(models: readonly MergedModel[]): ModelIndex {
  const forms: Form[] = [];
  const byLength = new Map<number, number[]>();
  const byLoose = new Map<string, MergedModel[]>();
  const providers = new Set<string>(Object.keys(PROVIDER_ALIASES));
  for (const model of models) {
    const prov = providerPart(model.canonicalId);
    if (prov) providers.add(prov);
    const parts = new Set([modelPart(model.canonicalId).toLowerCase()]);
    for (const o of model.offers) parts.add(splitId(o.id).model.toLowerCase());
    for (const part of parts) {
      let bucket = byLength.get(part.length);
      if (!bucket) byLength.set(part.length, (bucket = []));
      bucket.push(forms.length);
      forms.push({ model, part });
      const key = looseKey(part);
      const list = byLoose.get(key);
      if (!list) byLoose.set(key, [model]);
      else if (!list.includes(model)) list.push(model);
    }
  }
  return { models, forms, byLength, byLoose, providers, suggestions: new Map() };
}

/** How many edits still count as a typo: none for tiny IDs, up to 3 for long ones. */
function maxDistance(length: number): number {
  return length <= 3 ? 0 : length <= 5 ? 1 : length <= 9 ? 2 : 3;
}

export interface SuggestOptions {
  /** Only models this accepts (e.g. served by a configured gateway). */
  accept?: (m: MergedModel) => boolean;
  /** Cache key for `accept` (the same function may be rebuilt per call). */
  acceptKey?: string;
  limit?: number;
}

/** Catalog models an unknown ID probably meant, best first. */
export function suggestModels(idx: ModelIndex, value: string, opts: SuggestOptions = {}): MergedModel[] {
  const cacheKey = `${opts.acceptKey ?? ''}\u0000${value}`;
  const cached = idx.suggestions.get(cacheKey);
  if (cached) return cached.slice(0, opts.limit ?? 5);
  const { provider, model } = splitId(value);
  const part = model.toLowerCase();
  const prov = provider ? canonicalProvider(provider) : undefined;
  const score = new Map<MergedModel, number>();
  const consider = (m: MergedModel, s: number) => {
    if (opts.accept && !opts.accept(m)) return;
    // Same provider and live (non-deprecated) models win ties.
    const adjusted = s + (prov && providerPart(m.canonicalId) !== prov ? 0.5 : 0) + (m.deprecated ? 0.25 : 0);
    const prev = score.get(m);
    if (prev === undefined || adjusted < prev) score.set(m, adjusted);
  };
  if (part) {
    for (const m of idx.byLoose.get(looseKey(part)) ?? []) consider(m, 0);
    const max = maxDistance(part.length);
    for (let len = Math.max(1, part.length - max); max > 0 && len <= part.length + max; len++) {
      for (const i of idx.byLength.get(len) ?? []) {
        const f = idx.forms[i];
        const d = editDistance(part, f.part);
        if (d <= max) consider(f.model, 1 + d);
      }
    }
  }
  const ranked = [...score.entries()]
    .sort((a, b) => a[1] - b[1] || (a[0].canonicalId < b[0].canonicalId ? -1 : 1))
    .map(([m]) => m)
    .slice(0, 10);
  if (idx.suggestions.size > 5000) idx.suggestions.clear();
  idx.suggestions.set(cacheKey, ranked);
  return ranked.slice(0, opts.limit ?? 5);
}

/** What a model string looks like when it is an ID: no spaces, no template syntax. */
export function hasIdShape(value: string): boolean {
  return value.length > 0 && value.length <= 200 && /^[A-Za-z0-9._:/@+-]+$/.test(value);
}

/** Whether an ID names a provider the catalog knows (`openai/…`, `openrouter/anthropic/…`). */
export function hasKnownProvider(idx: ModelIndex, value: string): boolean {
  const { provider } = splitId(value);
  return !!provider && idx.providers.has(canonicalProvider(provider));
}

/**
 * The ID to write for a model where the code sends it: that gateway's own ID; else (its catalog not
 * loaded yet) what its ID convention implies; else (local proxy, no gateway) the form the person already writes — bare
 * `gpt-4o` stays bare, `provider/model` stays canonical.
 */
export function idFor(model: MergedModel, target: Target, like?: string): string {
  if (target.kind === 'gateway') {
    const offer = model.offers.find((o) => o.gateway === target.gateway.id);
    if (offer) return offer.id;
    // Not on that gateway: show where it is served rather than invent an ID the gateway does not list.
    if (target.gateway.loaded) return like !== undefined && !like.includes('/') ? modelPart(model.canonicalId) : model.id;
    if (target.gateway.idForm === 'bare') return modelPart(model.canonicalId);
    if (target.gateway.idForm === 'provider/model') return model.canonicalId;
  }
  if (like !== undefined && !like.includes('/')) return modelPart(model.canonicalId);
  return target.kind === 'proxy' || like !== undefined ? model.canonicalId : model.id;
}

/** Whether this exact string is how some gateway (or the canonical form) spells the model. */
export function isExactForm(model: MergedModel, value: string): boolean {
  return value === model.canonicalId || value === model.id || model.offers.some((o) => o.id === value);
}
