// How Switchyard writes numbers, prices and models for people: one module for the server (hovers,
// completion, inlay hints, budget messages) and the client (tree, tooltips, status bar, pages), so
// both sides read the same. Dependency-free and pure (types only), so both bundles and the unit
// tests load it. Two escapers, one per target: Markdown (hovers, tooltips) and HTML (webview pages).
import type { MergedModel, Offer, Pricing } from './model';

// ---------------------------------------------------------------- numbers

/**
 * A price or a per-call cost: `$10`, `$2.50`, `$0.60`, `$0.075`, `$0.0000001` — cents always shown,
 * three significant digits below $1, never exponent notation, never a price rounded away.
 */
export function formatUsd(v: number): string {
  if (!Number.isFinite(v)) return '?';
  if (v === 0) return '$0';
  if (v >= 100) return `$${Math.round(v).toLocaleString('en-US')}`;
  if (v >= 1) return `$${v.toFixed(2).replace(/\.00$/, '')}`;
  const [int, frac = ''] = v.toLocaleString('en-US', { maximumSignificantDigits: 3, maximumFractionDigits: 12 }).split('.');
  return `$${int}.${frac.padEnd(2, '0')}`;
}

/**
 * An amount of money spent, left or allowed (status bar, budgets, reports): 2 decimals, 4 below $1 so
 * that a $0.0031 request is not "$0.00", and two significant digits below $0.0001 (up to 8 decimals) so
 * that a $0.000042 answer is not "$0.0000" either. Fixed decimals, so amounts line up.
 */
export function formatSpend(n: number): string {
  const abs = Math.abs(n);
  let text: string;
  if (abs === 0 || abs >= 1) text = abs.toFixed(2);
  else if (abs < 0.0001) text = abs.toFixed(Math.min(8, Math.ceil(-Math.log10(abs)) + 1)); // two significant digits
  else {
    // At least 4 places, and a third significant digit where it says something ($0.000108, $0.0031, not $0.00310).
    const places = Math.max(4, 2 - Math.floor(Math.log10(abs)));
    text = abs.toFixed(places);
    while (text.length - text.indexOf('.') - 1 > 4 && text.endsWith('0')) text = text.slice(0, -1);
  }
  return `${n < 0 ? '-' : ''}$${text}`;
}

/**
 * What prompt caching did to a request's cost, given what it saved against every input token at the
 * input price: `caching saved $0.0012`, or `caching cost $0.0004 more` while cache writes (billed above
 * the input price) outweigh the reads. `fmt` is the caller's amount style (a per-answer cost, a spend).
 */
export function formatCacheSavings(savingsUsd: number, fmt: (usd: number) => string = formatUsd): string {
  return savingsUsd >= 0 ? `caching saved ${fmt(savingsUsd)}` : `caching cost ${fmt(-savingsUsd)} more`;
}

/** 128000 → `128k`, 131072 → `131k`, 1048576 → `1.05M`, 2000000 → `2M`, 512 → `512`; `?` when unknown. */
export function formatTokens(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n) || n < 0) return '?';
  if (n >= 1_000_000) return `${Number((n / 1_000_000).toFixed(2))}M`;
  if (n >= 1000) return `${Math.round(n / 1000)}k`;
  return String(Math.round(n));
}

/** `2024-05-13` from unix seconds; undefined for absent or nonsense values. */
export function formatDate(unixSeconds: number | undefined): string | undefined {
  if (unixSeconds === undefined || !Number.isFinite(unixSeconds) || unixSeconds <= 0) return undefined;
  const d = new Date(unixSeconds * 1000);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------- prices

/** Tokens of the sample call cards and pages price: 1k in + 1k out. */
export const SAMPLE_TOKENS = 1000;

/**
 * Free: the gateway says so, the ID is a `:free` variant (OpenRouter's documented free tier), or both
 * known prices are zero. For one offer pass the offer alone: a merged model's `free` flag may come from
 * another gateway's offer.
 */
export function isFree(x: { id?: string; pricing?: Pricing; free?: boolean }): boolean {
  if (x.free || x.id?.endsWith(':free')) return true;
  return x.pricing?.inputPerMTok === 0 && x.pricing?.outputPerMTok === 0;
}

/** `$2.50 / $10 per M`, `free`, `$2.50 / ? per M`, `price unknown`; `≈` marks prices from the embedded table. */
export function formatPricePair(pricing: Pricing | undefined, opts: { free?: boolean; estimated?: boolean } = {}): string {
  const i = pricing?.inputPerMTok;
  const o = pricing?.outputPerMTok;
  if (opts.free || (i === 0 && o === 0)) return 'free';
  if (i === undefined && o === undefined) return 'price unknown';
  const side = (v: number | undefined) => (v === undefined ? '?' : formatUsd(v));
  return `${opts.estimated ? '≈' : ''}${side(i)} / ${side(o)} per M`;
}

/** The price pair of a model or one of its offers, free and estimated marks included. */
export function offerPrice(o: Pick<Offer, 'id' | 'pricing' | 'priceSource'> & { free?: boolean }): string {
  return formatPricePair(o.pricing, { free: isFree(o), estimated: o.priceSource === 'table' });
}

/** USD of `inTok` input + `outTok` output tokens; undefined when either needed price is unknown. */
export function callCost(pricing: Pricing | undefined, inTok = SAMPLE_TOKENS, outTok = SAMPLE_TOKENS): number | undefined {
  const i = pricing?.inputPerMTok;
  const o = pricing?.outputPerMTok;
  if ((inTok > 0 && i === undefined) || (outTok > 0 && o === undefined)) return undefined;
  return ((i ?? 0) * inTok + (o ?? 0) * outTok) / 1_000_000;
}

// ---------------------------------------------------------------- escaping

/**
 * Text (catalog names, gateway messages) as Markdown that renders as that text: no links, HTML,
 * emphasis, tables broken by a `|`, or VS Code `$(icon)` references; newlines become spaces.
 */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>~$&]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** A Markdown code span of `s`: backticks and newlines cannot appear inside one. */
export function markdownCode(s: string): string {
  return `\`${s.replace(/`/g, "'").replace(/\r?\n/g, ' ')}\``;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };
/** Text for HTML element content and (quoted) attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c]);
}

// ---------------------------------------------------------------- the model card

const CAPS: { key: keyof MergedModel['capabilities']; icon: string; label: string }[] = [
  { key: 'tools', icon: 'tools', label: 'tools' },
  { key: 'vision', icon: 'eye', label: 'vision' },
  { key: 'reasoning', icon: 'lightbulb', label: 'reasoning' },
  { key: 'json', icon: 'json', label: 'JSON output' },
];

function capabilityList(m: Pick<MergedModel, 'capabilities'>): { icon: string; label: string }[] {
  return CAPS.filter((c) => m.capabilities[c.key]).map(({ icon, label }) => ({ icon, label }));
}

export function modelLabel(m: Pick<MergedModel, 'name' | 'id'>): string {
  return m.name.trim() || m.id;
}

export interface CardOptions {
  /** VS Code theme icons (`$(warning)`, `$(tools)`); other LSP clients get plain text. */
  icons?: boolean;
  /** How a gateway is named in "Served by" (e.g. `NemoRouter (nemo)`); default its id as code. */
  gatewayLabel?: (gatewayId: string) => string | undefined;
  /** The ID as written in the document: its offer is marked `← this string`. */
  highlightId?: string;
}

/** The embedded price table's pseudo-gateway (server/catalog/table.ts): not a gateway that serves anything. */
const TABLE_GATEWAY = 'offline';

/**
 * The model card (hover, completion documentation, tree tooltip), Markdown. Every value from the catalog
 * is escaped; the figures written here (prices, costs, token counts) hold no Markdown and are not.
 */
export function modelCard(m: MergedModel, opts: CardOptions = {}): string {
  const icon = (id: string, plain: string) => (opts.icons ? `$(${id})` : plain);
  const out: string[] = [`**${escapeMarkdown(modelLabel(m))}**`, `${markdownCode(m.canonicalId)} · ${escapeMarkdown(m.provider)}`];
  if (m.deprecated) {
    const since = m.deprecated.since ? ` since ${escapeMarkdown(m.deprecated.since)}` : '';
    const repl = m.deprecated.replacement ? ` — use ${markdownCode(m.deprecated.replacement)} instead` : '';
    out.push(`${icon('warning', '⚠️')} **Deprecated**${since}${repl}`);
  }
  const rows: [string, string][] = [['Price', offerPrice(m)]];
  if (m.priceSource === 'table') rows.push(['Price source', 'embedded price table \\(estimate\\)']);
  const call = callCost(m.pricing);
  if (call !== undefined) rows.push([`${SAMPLE_TOKENS / 1000}k in + ${SAMPLE_TOKENS / 1000}k out`, formatUsd(call)]);
  if (m.contextLength) rows.push(['Context', `${formatTokens(m.contextLength)} tokens`]);
  if (m.maxOutput) rows.push(['Max output', `${formatTokens(m.maxOutput)} tokens`]);
  rows.push(['Input', escapeMarkdown(m.modalities.input.join(', ') || '—')]);
  rows.push(['Output', escapeMarkdown(m.modalities.output.join(', ') || '—')]);
  const released = formatDate(m.created);
  if (released) rows.push(['Released', released]);
  out.push(['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n'));
  const caps = capabilityList(m);
  out.push(caps.length ? caps.map((c) => (opts.icons ? `$(${c.icon}) ${c.label}` : c.label)).join(' · ') : 'No tools, vision or reasoning reported');
  const offers = m.offers.filter((o) => o.gateway !== TABLE_GATEWAY);
  if (offers.length) {
    const line = (o: Offer) => {
      const label = opts.gatewayLabel?.(o.gateway);
      const here = opts.highlightId !== undefined && o.id === opts.highlightId ? ' ← this string' : '';
      return `- ${label ? escapeMarkdown(label) : markdownCode(o.gateway)} — ${markdownCode(o.id)} — ${offerPrice(o)}${here}`;
    };
    out.push(['**Served by**', ...offers.map(line)].join('\n'));
  } else {
    out.push('_From the embedded price table: no configured gateway lists this model._');
  }
  if (m.description) out.push(escapeMarkdown(m.description.length > 400 ? `${m.description.slice(0, 400)}…` : m.description));
  return out.join('\n\n');
}
