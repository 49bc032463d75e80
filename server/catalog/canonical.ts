// Canonical model IDs: one lower-case `provider/model` per model, whatever form a gateway uses.
//   gpt-4o (owned by openai)      → openai/gpt-4o
//   openai/gpt-4o                  → openai/gpt-4o
//   openrouter/openai/gpt-4o       → openai/gpt-4o      (a routing prefix in front of provider/model)
//   gemini/gemini-2.0-flash        → google/gemini-2.0-flash (provider spelled the gateway's way)
//   meta-llama/llama-3.1-70b-instruct:free stays distinct from the paid ID (variants are kept).
// Which provider makes a bare ID comes from the gateway (`owned_by`) or from the embedded price
// table's own match rules — never from `if (id.startsWith(...))` here.

/**
 * Provider names as gateways spell them → the slug used in canonical IDs (OpenRouter's author slugs,
 * the most widely used `provider/model` namespace). Data, not logic: extend it as gateways appear.
 */
export const PROVIDER_ALIASES: Readonly<Record<string, string>> = {
  mistral: 'mistralai',
  'mistral-ai': 'mistralai',
  gemini: 'google',
  vertex: 'google',
  vertex_ai: 'google',
  'google-ai-studio': 'google',
  'google-vertex': 'google',
  meta: 'meta-llama',
  'meta-ai': 'meta-llama',
  xai: 'x-ai',
  'x.ai': 'x-ai',
  zai: 'z-ai',
  'z.ai': 'z-ai',
  zhipuai: 'z-ai',
  arcee: 'arcee-ai',
  moonshot: 'moonshotai',
  'cohere-ai': 'cohere',
  'deepseek-ai': 'deepseek',
};

export function canonicalProvider(name: string): string {
  const p = name.trim().toLowerCase();
  return PROVIDER_ALIASES[p] ?? p;
}

export interface CanonicalHints {
  /** The provider the gateway says owns the model (`owned_by`), when it is trustworthy. */
  owner?: string;
  /** Which provider makes a bare model ID (the embedded table's match rules). */
  infer?: (bareId: string) => string | undefined;
  /** Used when nothing else names a provider (e.g. the gateway's id for a local model). */
  fallbackProvider?: string;
}

/** Split a `provider/model` ID; for 3+ segments the first is a routing prefix and is dropped. */
export function splitId(id: string): { provider?: string; model: string } {
  const s = id.trim();
  const a = s.indexOf('/');
  if (a < 0) return { model: s };
  const b = s.indexOf('/', a + 1);
  if (b > a + 1 && a > 0) return { provider: s.slice(a + 1, b), model: s.slice(b + 1) };
  return { provider: a > 0 ? s.slice(0, a) : undefined, model: s.slice(a + 1) };
}

/** The canonical `provider/model` for any ID form; undefined only for an empty ID. */
export function canonicalize(id: string, hints: CanonicalHints = {}): string | undefined {
  const trimmed = id.trim();
  if (!trimmed) return undefined;
  const { provider, model } = splitId(trimmed);
  const m = model.toLowerCase();
  if (!m) return undefined;
  if (provider) return `${canonicalProvider(provider)}/${m}`;
  const owner = hints.owner?.trim() ? hints.owner : (hints.infer?.(model) ?? hints.fallbackProvider);
  return owner ? `${canonicalProvider(owner)}/${m}` : m;
}

/**
 * Two spellings of one model that gateways really use, folded to one key:
 *   anthropic/claude-4-sonnet   (NemoRouter's `claude-4-sonnet`) ≡ anthropic/claude-sonnet-4 (OpenRouter)
 *   anthropic/claude-3-5-sonnet (Anthropic's own form)           ≡ anthropic/claude-3.5-sonnet
 * Dots between digits become dashes; word tokens may come in any order, number tokens keep theirs
 * (so a dated snapshot or another version never folds into its neighbour); a `:variant` suffix
 * stays as it is. The key only joins catalog entries; it is never shown or sent.
 */
export function foldKey(canonicalId: string): string {
  const colon = canonicalId.indexOf(':');
  const base = colon < 0 ? canonicalId : canonicalId.slice(0, colon);
  const variant = colon < 0 ? '' : canonicalId.slice(colon);
  const slash = base.lastIndexOf('/');
  const provider = slash < 0 ? '' : base.slice(0, slash + 1);
  const tokens = base.slice(slash + 1).replace(/(\d)\.(?=\d)/g, '$1-').split('-');
  const numbers: string[] = [];
  const words: string[] = [];
  for (const t of tokens) if (t) (/^\d+$/.test(t) ? numbers : words).push(t);
  words.sort();
  return `${provider}${words.join('-')}#${numbers.join('-')}${variant}`;
}

/** The model part of a canonical ID (`openai/gpt-4o` → `gpt-4o`). */
export function modelPart(canonicalId: string): string {
  const i = canonicalId.indexOf('/');
  return i < 0 ? canonicalId : canonicalId.slice(i + 1);
}

/** The provider part of a canonical ID, or undefined for a bare one. */
export function providerPart(canonicalId: string): string | undefined {
  const i = canonicalId.indexOf('/');
  return i < 0 ? undefined : canonicalId.slice(0, i);
}
