// Lookups the language features need on top of `CatalogService.find`: "did you mean" candidates (the
// catalog's one suggestion function, server/catalog/suggest.ts), the ID to write for a target gateway,
// and whether a string looks like a model ID at all.
import type { MergedModel } from '../protocol/model';
import { canonicalProvider, modelPart, splitId } from '../catalog/canonical';
import { hostForms } from '../catalog/spelling';
import { suggest, suggestionIndex, type SuggestionIndex, type SuggestOptions } from '../catalog/suggest';
import type { CatalogView, Target } from './types';

/** The catalog's suggestion index for this snapshot (server/catalog/suggest.ts): one per `all()` array. */
export type ModelIndex = SuggestionIndex;

export function modelIndex(catalog: CatalogView): ModelIndex {
  return suggestionIndex(catalog.all());
}

/** Catalog models an unknown ID probably meant, best first (the catalog's one "did you mean"). */
export function suggestModels(idx: ModelIndex, value: string, opts: SuggestOptions = {}): MergedModel[] {
  return suggest(idx, value, opts).map((s) => s.model);
}

/** What a model string looks like when it is an ID: no spaces, no template syntax. */
export function hasIdShape(value: string): boolean {
  return value.length > 0 && value.length <= 200 && /^[A-Za-z0-9._:/@+-]+$/.test(value);
}

/** Whether an ID names a provider the catalog knows (`openai/…`, `openrouter/anthropic/…`, Bedrock's `amazon.…`). */
export function hasKnownProvider(idx: ModelIndex, value: string): boolean {
  return [value, ...hostForms(value).map((f) => f.id)].some((v) => {
    const { provider } = splitId(v);
    return !!provider && idx.providers.has(canonicalProvider(provider));
  });
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

/** Suggestions as the person would write them: distinct as printed, best first, never the value itself. */
export function printed(models: readonly MergedModel[], target: Target, value: string): string[] {
  return distinctIds(models.map((m) => idFor(m, target, value)), value);
}

/** `list` without repeats and without `value`, in order. */
export function distinctIds(list: string[], value: string): string[] {
  return list.length === 0 ? list : [...new Set(list)].filter((s) => s !== value);
}

/** Whether this exact string is how some gateway (or the canonical form) spells the model. */
export function isExactForm(model: MergedModel, value: string): boolean {
  return value === model.canonicalId || value === model.id || model.offers.some((o) => o.id === value);
}
