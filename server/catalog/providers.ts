// Provider display names, one rule, from the catalog's own data (no hand list):
//   1. the name the gateways give the provider in their model names — `Meta: Llama 3.1 70B` →
//      `Meta` (OpenRouter's convention, which ARouter and others follow) — the most common one among
//      the provider's models, counted only where it spells the provider's slug (`Meta` ~ `meta-llama`,
//      `Mistral` ~ `mistralai`; a host's `Ollama: Llama 3.1` is not Meta's name);
//   2. else the embedded price table's provider record (@pydantic/genai-prices: `Anthropic`);
//   3. else the slug as the IDs spell it.
import type { MergedModel } from '../protocol/model';

const letters = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** True when a display name spells the slug: one's letters and digits begin the other's. */
function spells(name: string, slug: string): boolean {
  const a = letters(name);
  const b = letters(slug);
  return a.length > 0 && (b.startsWith(a) || a.startsWith(b));
}

/** `Meta` of `Meta: Llama 3.1 70B`; undefined when the name has no such prefix. */
function namePrefix(name: string): string | undefined {
  const i = name.indexOf(': ');
  if (i <= 0 || i > 40) return undefined;
  return name.slice(0, i).trim() || undefined;
}

export function providerNames(
  models: Iterable<Pick<MergedModel, 'provider' | 'name'>>,
  table?: ReadonlyMap<string, string>,
): (slug: string) => string {
  const votes = new Map<string, Map<string, number>>();
  for (const m of models) {
    const prefix = namePrefix(m.name);
    if (!prefix || !spells(prefix, m.provider)) continue;
    const forSlug = votes.get(m.provider) ?? new Map<string, number>();
    forSlug.set(prefix, (forSlug.get(prefix) ?? 0) + 1);
    votes.set(m.provider, forSlug);
  }
  const names = new Map<string, string>();
  for (const [slug, counts] of votes) {
    // Most votes; first seen wins a tie (Map order), so the answer is stable for one catalog.
    let best: [string, number] | undefined;
    for (const entry of counts) if (!best || entry[1] > best[1]) best = entry;
    if (best) names.set(slug, best[0]);
  }
  return (slug) => names.get(slug) ?? table?.get(slug) ?? slug;
}
