// The model card (hover, completion documentation) and the short price/context texts (completion
// detail, inlay hints). Prices are USD per million tokens; costs come from catalog/price.ts.
import type { MergedModel, Pricing } from '../protocol/model';
import { costUsd, formatPerMTok } from '../catalog/price';
import type { GatewayInfo } from './types';

export function formatUsd(n: number | undefined): string {
  if (n === undefined) return 'unknown';
  if (n === 0) return '$0';
  if (n >= 0.01) return `$${n.toFixed(4).replace(/0{1,2}$/, '')}`;
  // Two significant digits for sub-cent costs, without exponent notation or trailing zeros.
  const digits = Math.min(12, 1 - Math.floor(Math.log10(n)));
  return `$${n.toFixed(digits).replace(/0+$/, '')}`;
}

export function formatTokens(n: number | undefined): string {
  if (!n) return '?';
  if (n >= 1_000_000) return `${Number((n / 1_000_000).toFixed(2))}M`;
  if (n >= 1_000) return `${Number((n / 1_000).toFixed(1))}k`;
  return String(n);
}

/**
 * `$2.50/$10.00` per million tokens (input/output), `$0.02/—` when one side is unknown (embeddings often
 * list no output price), or undefined when no price is known.
 */
export function shortPrice(p: Pricing | undefined): string | undefined {
  if (!p || (p.inputPerMTok === undefined && p.outputPerMTok === undefined)) return undefined;
  if (p.inputPerMTok === 0 && p.outputPerMTok === 0) return 'free';
  const side = (n: number | undefined) => (n === undefined ? '—' : `$${formatPerMTok(n)}`);
  return `${side(p.inputPerMTok)}/${side(p.outputPerMTok)}`;
}

/** One line for completion details: price per M in/out and context. */
export function summary(m: MergedModel): string {
  const price = shortPrice(m.pricing);
  const parts = [price ? `${price} per M` : 'price unknown', `${formatTokens(m.contextLength)} ctx`];
  if (m.deprecated) parts.push('deprecated');
  return parts.join(' · ');
}

function capabilities(m: MergedModel): string {
  const caps = (['tools', 'vision', 'reasoning', 'json'] as const).filter((c) => m.capabilities[c]);
  return caps.length ? caps.join(', ') : 'none listed';
}

/** Markdown model card. `gateways` labels the per-gateway IDs; `value` is the string as written, if any. */
export function modelCard(m: MergedModel, gateways: readonly GatewayInfo[], value?: string): string {
  const lines: string[] = [];
  lines.push(`**${escapeMd(m.name)}** — \`${m.canonicalId}\``);
  if (m.deprecated) {
    const repl = m.deprecated.replacement ? ` — use \`${m.deprecated.replacement}\`` : '';
    lines.push('', `⚠️ **Deprecated**${m.deprecated.since ? ` since ${m.deprecated.since}` : ''}${repl}`);
  }
  const p = m.pricing;
  const call = costUsd(p, 1000, 1000);
  lines.push(
    '',
    '| | |',
    '|---|---|',
    `| Input | ${p?.inputPerMTok !== undefined ? `$${formatPerMTok(p.inputPerMTok)} / M tokens` : 'unknown'} |`,
    `| Output | ${p?.outputPerMTok !== undefined ? `$${formatPerMTok(p.outputPerMTok)} / M tokens` : 'unknown'} |`,
    `| 1k in + 1k out | ${formatUsd(call)}${m.priceSource === 'table' ? ' (estimated)' : ''} |`,
    `| Context | ${m.contextLength ? `${m.contextLength.toLocaleString('en-US')} tokens` : 'unknown'} |`,
    `| Max output | ${m.maxOutput ? `${m.maxOutput.toLocaleString('en-US')} tokens` : 'unknown'} |`,
    `| Modalities | ${m.modalities.input.join(', ') || 'text'} → ${m.modalities.output.join(', ') || 'text'} |`,
    `| Capabilities | ${capabilities(m)} |`,
  );
  const offers = m.offers.filter((o) => o.gateway !== 'offline');
  if (offers.length) {
    lines.push('', '**On each gateway**', '');
    for (const o of offers) {
      const label = gateways.find((g) => g.id === o.gateway)?.label ?? o.gateway;
      const price = shortPrice(o.pricing);
      const here = value !== undefined && o.id === value ? ' ← this string' : '';
      lines.push(`- ${escapeMd(label)}: \`${o.id}\`${price ? ` — ${price} per M` : ''}${here}`);
    }
  } else {
    lines.push('', '_From the embedded price table: no configured gateway lists this model._');
  }
  if (m.description) lines.push('', escapeMd(m.description.length > 400 ? `${m.description.slice(0, 400)}…` : m.description));
  return lines.join('\n');
}

function escapeMd(s: string): string {
  return s.replace(/([\\`*_{}[\]<>|])/g, '\\$1');
}
