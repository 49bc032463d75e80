// "Did you mean": the one suggestion function for every surface — diagnostics, hover and quick fixes
// in the editor, `switchyard check`, the pipeline's and the proxy's unknown-model errors, and so the
// chat (issue 15 item 2). Before, the editor and the proxy ran two engines and suggested different
// models for one typo; this keeps the editor's (edit distance on the model part of every spelling,
// same provider and live models first), adds the proxy's two strengths — user aliases, and "contains"
// for a fragment such as `sonnet` where the string is certainly meant as a model — and counts a
// swapped pair of letters as one slip (`gtp-4o`).
// The index is built once per catalog snapshot (the `all()` array) and caches its answers.
import type { MergedModel } from '../protocol/model';
import { PROVIDER_ALIASES, canonicalProvider, providerPart, splitId } from './canonical';
import { editDistance, typoDistance } from './distance';
import { undecorate } from './spelling';

interface Form {
  model: MergedModel;
  /** Lower-case model part of one spelling (canonical, a gateway's ID, or either without its snapshot). */
  part: string;
  /** The whole ID that spelling comes from, as a gateway or the catalog writes it. */
  full: string;
}

export interface SuggestionIndex {
  models: readonly MergedModel[];
  forms: Form[];
  byLength: Map<number, number[]>;
  /** Alphanumerics only (`gpt4o` ≙ `GPT-4o` ≙ `gpt_4o`) → form indexes. */
  byLoose: Map<string, number[]>;
  /** Provider slugs the catalog knows, and their aliases. */
  providers: Set<string>;
  suggestions: Map<string, Suggestion[]>;
}

export interface Suggestion {
  model: MergedModel;
  /** The closest spelling of the model to what was written (a gateway's ID, or the canonical one). */
  id: string;
}

export interface SuggestOptions {
  /** Only models this accepts (e.g. served by a configured gateway). */
  accept?: (m: MergedModel) => boolean;
  /** Cache key for `accept` (the same function may be rebuilt per call). */
  acceptKey?: string;
  limit?: number;
  /** Also suggest models whose ID contains the fragment written (`sonnet`): for strings known to be meant as models. */
  partial?: boolean;
}

const indexes = new WeakMap<readonly MergedModel[], SuggestionIndex>();

export function suggestionIndex(models: readonly MergedModel[]): SuggestionIndex {
  let idx = indexes.get(models);
  if (!idx) indexes.set(models, (idx = buildIndex(models)));
  return idx;
}

export function looseKey(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function buildIndex(models: readonly MergedModel[]): SuggestionIndex {
  const idx: SuggestionIndex = { models, forms: [], byLength: new Map(), byLoose: new Map(), providers: new Set(Object.keys(PROVIDER_ALIASES)), suggestions: new Map() };
  for (const model of models) {
    const prov = providerPart(model.canonicalId);
    if (prov) idx.providers.add(prov);
    const seen = new Set<string>();
    for (const full of [model.canonicalId, ...model.offers.filter((o) => o.gateway !== 'offline').map((o) => o.id)]) {
      // A snapshot's base is a form too: `cluade-3-opus-20240229` finds `claude-3-opus-latest` through `claude-3-opus`.
      for (let part: string | undefined = splitId(full).model.toLowerCase(), depth = 0; part && depth < 3; part = undecorate(part)?.id, depth++) {
        if (seen.has(`${part}\u0000${full}`)) continue;
        seen.add(`${part}\u0000${full}`);
        addForm(idx, { model, part, full });
      }
    }
  }
  return idx;
}

function addForm(idx: SuggestionIndex, f: Form): void {
  const i = idx.forms.length;
  idx.forms.push(f);
  push(idx.byLength, f.part.length, i);
  push(idx.byLoose, looseKey(f.part), i);
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** How many edits still count as a typo: none for tiny IDs, up to 3 for long ones. */
function maxDistance(length: number): number {
  return length <= 3 ? 0 : length <= 5 ? 1 : length <= 9 ? 2 : 3;
}

/** Catalog models an unknown ID probably meant, best first, each with its closest spelling. */
export function suggest(idx: SuggestionIndex, value: string, opts: SuggestOptions = {}): Suggestion[] {
  const limit = opts.limit ?? 5;
  const cacheKey = `${opts.acceptKey ?? ''}\u0000${opts.partial ? 'p' : ''}\u0000${value}`;
  const cached = idx.suggestions.get(cacheKey);
  if (cached) return cached.slice(0, limit);
  const { provider, model } = splitId(value);
  const parts = [model.toLowerCase()];
  for (let u = undecorate(parts[0]); u && parts.length < 3; u = undecorate(u.id)) parts.push(u.id);
  const prov = provider ? canonicalProvider(provider) : undefined;
  const slashed = value.includes('/');
  const best = new Map<MergedModel, { score: number; form: Form }>();
  const consider = (f: Form, s: number) => {
    if (opts.accept && !opts.accept(f.model)) return;
    // Same provider and live (non-deprecated) models win ties; so does the spelling shaped like the value.
    const adjusted =
      s + (prov && providerPart(f.model.canonicalId) !== prov ? 0.5 : 0) + (f.model.deprecated ? 0.25 : 0) + (f.full.includes('/') === slashed ? 0 : 0.01);
    const prev = best.get(f.model);
    if (!prev || adjusted < prev.score) best.set(f.model, { score: adjusted, form: f });
  };
  parts.forEach((part, n) => {
    // The value with its snapshot removed is a fallback (`cluade-3-opus-20240229`), tried only when the
    // whole value is near nothing; its matches rank after any on the whole value.
    if (n > 0 && best.size > 0) return;
    const base = n === 0 ? 0 : 0.5;
    for (const i of idx.byLoose.get(looseKey(part)) ?? []) consider(idx.forms[i], base);
    const max = maxDistance(part.length);
    for (let len = Math.max(1, part.length - max); max > 0 && len <= part.length + max; len++) {
      for (const i of idx.byLength.get(len) ?? []) {
        const f = idx.forms[i];
        const lev = editDistance(part, f.part);
        // Levenshtein counts a swapped pair as two edits; short near misses (where one slip is all the
        // tolerance there is) are measured again with swaps. Long IDs tolerate a swap already.
        const d = lev === max + 1 && part.length <= 9 ? typoDistance(part, f.part) : lev;
        if (d <= max) consider(f, base + 1 + d);
      }
    }
  });
  if (opts.partial && parts[0].length >= 4) {
    for (const f of idx.forms) if (f.part.includes(parts[0])) consider(f, 5 + (f.part.length - parts[0].length) / 10);
  }
  const ranked = [...best.entries()]
    .sort((a, b) => a[1].score - b[1].score || (a[0].canonicalId < b[0].canonicalId ? -1 : 1))
    .slice(0, 10)
    .map(([m, { form }]) => ({ model: m, id: form.full }));
  if (idx.suggestions.size > 5000) idx.suggestions.clear();
  idx.suggestions.set(cacheKey, ranked);
  return ranked.slice(0, limit);
}

/**
 * The pipeline's and the proxy's "did you mean" for an unknown model: IDs the caller can send, each
 * spelled as close to what was written as a gateway spells it (`gpt4o` → `gpt-4o`), and the user's
 * aliases that are one slip away. Distinct, best first, never the string itself.
 */
export function suggestModelIds(requested: string, models: readonly MergedModel[], aliases: readonly string[] = [], limit = 5): string[] {
  const q = requested.trim();
  const out: string[] = [];
  const add = (id: string) => {
    if (id.toLowerCase() !== q.toLowerCase() && !out.includes(id)) out.push(id);
  };
  const lower = q.toLowerCase();
  for (const a of aliases) if (a.length > 3 && typoDistance(lower, a.toLowerCase()) <= Math.max(1, maxDistance(lower.length))) add(a);
  for (const s of suggest(suggestionIndex(models), q, { partial: true, limit: limit * 2 })) add(s.id);
  return out.slice(0, limit);
}
