// The embedded, maintained price table (`@pydantic/genai-prices`), loaded lazily: the module is
// ~0.5 MB of data, so nothing imports it at start. It serves three purposes:
//   1. the offline catalog (no gateway configured or reachable, or `--offline`);
//   2. price estimates for gateways that publish none (ARouter, plain OpenAI-compatible);
//   3. which provider makes a bare model ID (`gpt-4o` → openai), from the table's own match rules.
import type { ConditionalPrice, MatchLogic, ModelInfo, ModelPrice, Provider } from '@pydantic/genai-prices';
import { pricingWith, type Model, type Modality, type Pricing } from '../protocol/model';
import { canonicalize, splitId } from './canonical';
import { EXTRA_MODELS } from './extra';

export const OFFLINE_GATEWAY = 'offline';

/**
 * Table providers that author their models, mapped to their canonical slug. Hosts and resellers
 * (aws, azure, groq, together, huggingface_*, …) are left out of the offline catalog: their IDs
 * are host-specific and their prices are the host's. OpenRouter's section is included as well:
 * its IDs are already canonical `author/model` and it covers many authors the table lacks.
 */
const AUTHORS: Readonly<Record<string, string>> = {
  anthropic: 'anthropic',
  arcee: 'arcee-ai',
  cohere: 'cohere',
  deepseek: 'deepseek',
  google: 'google',
  minimax: 'minimax',
  mistral: 'mistralai',
  moonshotai: 'moonshotai',
  openai: 'openai',
  perplexity: 'perplexity',
  voyageai: 'voyageai',
  'x-ai': 'x-ai',
  zai: 'z-ai',
  zhipuai: 'z-ai',
};
const AGGREGATOR = 'openrouter';

/** Models the price table leaves out (priced per image or per character), by canonical and bare ID. */
const EXTRA = new Map<string, TableEntry>(
  EXTRA_MODELS.flatMap((e) => {
    const entry: TableEntry = { canonicalId: e.canonicalId, name: e.name, deprecated: !!e.deprecated, replacement: e.deprecated?.replacement };
    return [[e.canonicalId, entry] as const, [e.canonicalId.slice(e.canonicalId.indexOf('/') + 1), entry] as const];
  }),
);

export interface TableEntry {
  canonicalId: string;
  name?: string;
  contextLength?: number;
  pricing?: Pricing;
  /**
   * The table's own prices as the library holds them (tiers, every unit, and date or time-of-day
   * conditions kept), for its calculation at the time of the request.
   */
  sheet?: ModelPrice | ConditionalPrice[];
  deprecated: boolean;
  /** The model to use instead of a deprecated one, when the data names it. */
  replacement?: string;
}

export interface PriceTable {
  /** The offline catalog: one Model per canonical ID, gateway `offline`, priceSource `table`. */
  readonly models: readonly Model[];
  /** Provider display names by canonical slug (OpenAI, Anthropic, …). */
  readonly providerNames: ReadonlyMap<string, string>;
  /** The table entry for any ID form, by the table's own match rules (memoised): what prices it. */
  lookup(id: string): TableEntry | undefined;
  /**
   * The entry that vouches for an ID as a real model ID: the same rules, except that a `starts_with` /
   * `contains` / `ends_with` rule (written to price a family) vouches only for its needle plus version
   * decorations (`claude-3-haiku` + `-20240307`), not for any text after it (`claude-3-5-sonnett`).
   */
  identify(id: string): TableEntry | undefined;
  /** Which canonical provider makes a bare model ID, when the table knows. */
  inferProvider(bareId: string): string | undefined;
}

let table: PriceTable | undefined;
let loading: Promise<PriceTable> | undefined;
let library: typeof import('@pydantic/genai-prices') | undefined;

/** The library itself once the table has been loaded (its calcPrice prices usage: catalog/cost.ts). */
export function loadedPriceLibrary(): typeof import('@pydantic/genai-prices') | undefined {
  return library;
}

/** The table when it has been loaded; undefined before (see loadPriceTable). */
export function loadedPriceTable(): PriceTable | undefined {
  return table;
}

/** Load the embedded table once (dynamic import: bundled, but evaluated only on first use). */
export function loadPriceTable(): Promise<PriceTable> {
  loading ??= (async () => {
    const lib = await import('@pydantic/genai-prices');
    // Offline, waitForUpdate() resolves to the embedded provider list (no auto-update is configured).
    const providers = (await lib.waitForUpdate()) ?? [];
    library = lib;
    table = buildTable(providers);
    return table;
  })();
  return loading;
}

export function buildTable(providers: Provider[], now = new Date()): PriceTable {
  const byId = new Map(providers.map((p) => [p.id, p]));
  const authors = providers.filter((p) => AUTHORS[p.id]);
  const providerNames = new Map<string, string>();
  for (const p of authors) if (!providerNames.has(AUTHORS[p.id])) providerNames.set(AUTHORS[p.id], p.name);

  // Memoised: every catalog lookup of a bare ID asks, and the rules compile regexes.
  const inferred = new Map<string, string | null>();
  const inferProvider = (bareId: string): string | undefined => {
    let hit = inferred.get(bareId);
    if (hit === undefined) {
      const p = authors.find((a) => a.model_match && matches(a.model_match, bareId));
      hit = p ? AUTHORS[p.id] : null;
      if (inferred.size > 50_000) inferred.clear();
      inferred.set(bareId, hit);
    }
    return hit ?? undefined;
  };

  const entries = new Map<string, TableEntry>();
  const add = (canonicalId: string, m: ModelInfo, fillOnly: boolean) => {
    const prices = currentPrices(m.prices, now);
    const entry: TableEntry = {
      canonicalId,
      name: m.name,
      contextLength: positiveInt(m.context_window),
      pricing: toPricing(prices),
      sheet: m.prices,
      deprecated: !!m.deprecated,
    };
    const prev = entries.get(canonicalId);
    if (!prev) entries.set(canonicalId, entry);
    else if (fillOnly) prev.contextLength ??= entry.contextLength;
  };
  for (const p of authors) for (const m of p.models) if (usableId(m.id)) add(`${AUTHORS[p.id]}/${m.id.toLowerCase()}`, m, false);
  const agg = byId.get(AGGREGATOR);
  for (const m of agg?.models ?? []) {
    const c = usableId(m.id) && m.id.includes('/') ? canonicalize(m.id) : undefined;
    if (c) add(c, m, true);
  }

  const models: Model[] = [];
  // Models without a token price (per image, per request, per character) are in the catalog all the
  // same, with their price unknown: they are real IDs that completion offers and typos are held to.
  for (const e of EXTRA.values()) if (!entries.has(e.canonicalId)) entries.set(e.canonicalId, e);
  for (const e of entries.values()) {
    const provider = e.canonicalId.slice(0, e.canonicalId.indexOf('/'));
    const raw = findRaw(e.canonicalId);
    models.push({
      gateway: OFFLINE_GATEWAY,
      id: e.canonicalId,
      canonicalId: e.canonicalId,
      name: e.name ?? e.canonicalId,
      provider,
      contextLength: e.contextLength,
      pricing: e.pricing,
      priceSource: 'table',
      modalities: raw ? modalitiesOf(currentPrices(raw.prices, now)) : { input: ['text'], output: ['text'] },
      capabilities: { tools: false, vision: false, reasoning: false, json: false },
      deprecated: e.deprecated ? (e.replacement ? { replacement: e.replacement } : {}) : undefined,
      free: e.pricing?.inputPerMTok === 0 && e.pricing.outputPerMTok === 0,
    });
  }

  function findRaw(canonicalId: string): ModelInfo | undefined {
    const { provider, model } = splitId(canonicalId);
    for (const p of authors) if (AUTHORS[p.id] === provider) return p.models.find((m) => m.id.toLowerCase() === model);
    return agg?.models.find((m) => m.id.toLowerCase() === canonicalId);
  }

  const memo = new Map<string, TableEntry | null>();
  const strictMemo = new Map<string, TableEntry | null>();
  const memoised = (id: string, strict: boolean): TableEntry | undefined => {
    const key = id.trim().toLowerCase();
    const m = strict ? strictMemo : memo;
    let hit = m.get(key);
    if (hit === undefined) {
      hit = resolve(key, strict) ?? null;
      if (m.size > 50_000) m.clear();
      m.set(key, hit);
    }
    return hit ?? undefined;
  };
  const lookup = (id: string) => memoised(id, false);
  const identify = (id: string) => memoised(id, true);

  function resolve(id: string, strict: boolean): TableEntry | undefined {
    const canonicalId = canonicalize(id, { infer: inferProvider });
    if (!canonicalId) return undefined;
    const exact = entries.get(canonicalId);
    if (exact) return exact;
    const { provider, model } = splitId(canonicalId);
    // The author's own section, by its match rules (dated IDs, `-latest`, dots for dashes, …).
    const candidates = providers.filter((p) => (provider ? AUTHORS[p.id] === provider || p.id === provider : false));
    if (provider && candidates.length === 0) {
      const byMatch = providers.find((p) => p.provider_match && matches(p.provider_match, provider));
      if (byMatch) candidates.push(byMatch);
    }
    const inferred = inferProvider(model);
    for (const p of authors) if (AUTHORS[p.id] === inferred && !candidates.includes(p)) candidates.push(p);
    for (const p of candidates) {
      const m = findModel(p, model, byId, strict) ?? findModel(p, normaliseDate(model), byId, strict);
      if (m) return entryFor(p, m);
    }
    // OpenRouter's section by its match rules on the whole canonical ID.
    if (agg) {
      const m = findModel(agg, canonicalId, byId, strict);
      if (m) return entryFor(agg, m);
    }
    // No provider named or inferable (`text-embedding-3-small`, `amazon.nova-pro-v1:0`, `llama-3.1-8b-instant`):
    // every section's rules, the authors' first, then the hosts' (Bedrock, Azure, Groq, …), which list
    // their own spellings of the models they serve.
    if (!id.includes('/')) {
      for (const p of [...authors, ...providers.filter((x) => !AUTHORS[x.id] && x !== agg)]) {
        const m = p.models.find((x) => matches(x.match, id, strict));
        if (m) return entryFor(p, m);
      }
    }
    return EXTRA.get(canonicalId) ?? EXTRA.get(id);
  }

  function entryFor(p: Provider, m: ModelInfo): TableEntry {
    const canonicalId = AUTHORS[p.id] ? `${AUTHORS[p.id]}/${m.id.toLowerCase()}` : (canonicalize(m.id) ?? m.id);
    const known = entries.get(canonicalId);
    if (known) return known;
    const prices = currentPrices(m.prices, now);
    return {
      canonicalId,
      name: m.name ?? (AUTHORS[p.id] || p.id === AGGREGATOR ? undefined : `${m.id} (${p.name})`),
      contextLength: positiveInt(m.context_window),
      pricing: toPricing(prices),
      sheet: m.prices,
      deprecated: !!m.deprecated,
    };
  }

  return { models, providerNames, lookup, identify, inferProvider };
}

function findModel(p: Provider, model: string, byId: Map<string, Provider>, strict = false): ModelInfo | undefined {
  const own = p.models.find((m) => matches(m.match, model, strict));
  if (own) return own;
  for (const fb of p.fallback_model_providers ?? []) {
    const other = byId.get(fb)?.models.find((m) => matches(m.match, model, strict));
    if (other) return other;
  }
  return undefined;
}

/**
 * The table's match language, evaluated as the library does (case-insensitive). `strict` (see
 * PriceTable.identify): a partial rule matches only where the rest of the text is separators and
 * version tokens.
 */
export function matches(logic: MatchLogic, text: string, strict = false): boolean {
  const t = text.toLowerCase();
  if ('or' in logic) return logic.or.some((l) => matches(l, text, strict));
  if ('and' in logic) return logic.and.every((l) => matches(l, text, strict));
  if ('equals' in logic) return t === logic.equals.toLowerCase();
  if ('starts_with' in logic) {
    const p = logic.starts_with.toLowerCase();
    return t.startsWith(p) && (!strict || versionTail(t.slice(p.length), p));
  }
  if ('ends_with' in logic) {
    const p = logic.ends_with.toLowerCase();
    return t.endsWith(p) && (!strict || t.length === p.length || SEPARATOR.test(t[t.length - p.length - 1]) || SEPARATOR.test(p[0]));
  }
  if ('contains' in logic) {
    const p = logic.contains.toLowerCase();
    const at = t.indexOf(p);
    if (at < 0) return false;
    return !strict || ((at === 0 || SEPARATOR.test(t[at - 1]) || SEPARATOR.test(p[0])) && versionTail(t.slice(at + p.length), p));
  }
  if ('regex' in logic) {
    try {
      return new RegExp(logic.regex).test(text);
    } catch {
      return false;
    }
  }
  return false;
}

/** The prices in force at `now` (the table lists date-conditional prices oldest first). */
export function currentPrices(prices: ConditionalPrice[] | ModelPrice, now: Date): ModelPrice {
  if (!Array.isArray(prices)) return prices;
  for (let i = prices.length - 1; i >= 0; i--) {
    const c = prices[i].constraint;
    if (!c || (c.type === 'start_date' && now >= new Date(c.start_date))) return prices[i].prices;
  }
  return prices[0]?.prices ?? {};
}

const SEPARATOR = /[-.@:_/]/;
/** Tokens that version a model rather than name another: dates, numbers, `v2`, `8b`, `latest`, `preview`, `exp`. */
const VERSION_TOKEN = /^(?:\d{1,4}|\d{6}|\d{8}|v\d+|\d+[bk]|latest|preview|exp|experimental|it)$/;

/** Whether `rest`, the text after a partial rule's needle, is only version decorations. */
function versionTail(rest: string, needle: string): boolean {
  if (!rest) return true;
  if (!SEPARATOR.test(rest[0]) && !SEPARATOR.test(needle[needle.length - 1])) return false;
  return rest.split(/[-.@:_]/).every((tok) => tok === '' || VERSION_TOKEN.test(tok));
}

/** USD per million tokens; a tiered price gives its base tier (the price of a normal-sized prompt). */
function toPricing(p: ModelPrice): Pricing | undefined {
  const rate = (v: ModelPrice[string]): number | undefined =>
    typeof v === 'number' ? v : v && typeof v === 'object' && typeof v.base === 'number' ? v.base : undefined;
  const input = rate(p.input_mtok);
  const output = rate(p.output_mtok);
  if (input === undefined && output === undefined) return undefined;
  return pricingWith(input, output, { cacheReadPerMTok: rate(p.cache_read_mtok), cacheWritePerMTok: rate(p.cache_write_mtok), reasoningPerMTok: rate(p.output_reasoning_mtok) });
}

function modalitiesOf(p: ModelPrice): Model['modalities'] {
  const input: Modality[] = ['text'];
  const output: Modality[] = [];
  if (p.input_image_mtok !== undefined) input.push('image');
  if (p.input_audio_mtok !== undefined) input.push('audio');
  if (p.input_video_mtok !== undefined) input.push('video');
  if (p.output_mtok !== undefined) output.push('text');
  if (p.output_image_mtok !== undefined) output.push('image');
  if (p.output_audio_mtok !== undefined) output.push('audio');
  return { input, output: output.length ? output : ['text'] };
}

/** Entries such as `ft:gpt-4o` or `gpt-4o-mini-2024-07-18.ft-` are match prefixes, not model IDs. */
function usableId(id: string): boolean {
  return !!id && !id.startsWith('~') && !/[\s]/.test(id) && !/[-.:]$/.test(id) && !id.startsWith('ft:');
}

function positiveInt(n: number | undefined): number | undefined {
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** `claude-3-5-sonnet-20241022` → `claude-3-5-sonnet-2024-10-22` (the table spells some dates so). */
function normaliseDate(id: string): string {
  return id.replace(/-(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)/g, '-$1-$2-$3');
}

