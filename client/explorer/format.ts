// Number formatting shared by the tree, the tooltips and the details/compare pages. Pure (no `vscode`),
// so the unit tests cover exactly what a person reads.
import type { MergedModel, Pricing } from '../../server/protocol/model';

/** Tokens of the sample call the compare page prices: 1k in + 1k out. */
export const SAMPLE_TOKENS = 1000;

/** `$10`, `$2.50`, `$0.60`, `$0.075`, `$0.0000001` — cents always shown, never exponent notation, never a rounded-away price. */
export function formatUsd(v: number): string {
  if (!Number.isFinite(v)) return '?';
  if (v === 0) return '$0';
  if (v >= 100) return `$${Math.round(v).toLocaleString('en-US')}`;
  if (v >= 1) return `$${v.toFixed(2).replace(/\.00$/, '')}`;
  const [int, frac = ''] = v.toLocaleString('en-US', { maximumSignificantDigits: 3, maximumFractionDigits: 12 }).split('.');
  return `$${int}.${frac.padEnd(2, '0')}`;
}

/** 128000 → `128k`, 131072 → `131k`, 1048576 → `1.05M`, 2000000 → `2M`, 512 → `512`. */
export function formatTokens(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n >= 1_000_000) return `${Number((n / 1_000_000).toFixed(2))}M`;
  if (n >= 1000) return `${Math.round(n / 1000)}k`;
  return String(Math.round(n));
}

/** A model is free when the gateway says so or both known prices are zero. */
export function isFree(m: Pick<MergedModel, 'free' | 'pricing'>): boolean {
  if (m.free) return true;
  const p = m.pricing;
  return p?.inputPerMTok === 0 && p?.outputPerMTok === 0;
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

/** USD of `inTok` input + `outTok` output tokens; undefined when either needed price is unknown. */
export function callCost(pricing: Pricing | undefined, inTok = SAMPLE_TOKENS, outTok = SAMPLE_TOKENS): number | undefined {
  const i = pricing?.inputPerMTok;
  const o = pricing?.outputPerMTok;
  if ((inTok > 0 && i === undefined) || (outTok > 0 && o === undefined)) return undefined;
  return ((i ?? 0) * inTok + (o ?? 0) * outTok) / 1_000_000;
}

/** `2024-05-13` from unix seconds; undefined for absent or nonsense values. */
export function formatDate(unixSeconds: number | undefined): string | undefined {
  if (unixSeconds === undefined || !Number.isFinite(unixSeconds) || unixSeconds <= 0) return undefined;
  const d = new Date(unixSeconds * 1000);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().slice(0, 10);
}
