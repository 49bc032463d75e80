// The details and compare pages as static HTML strings. Pure (no `vscode`): the panel code passes the
// webview's cspSource and a nonce. No scripts at all; every value from the catalog goes through
// escapeHtml, and the CSP allows only our nonce'd <style> (and the webview's own origin for styles).
import type { MergedModel, Offer } from '../../server/protocol/model';
import { SAMPLE_TOKENS, callCost, escapeHtml, formatDate, formatTokens, formatUsd, isFree, modelLabel, offerPrice } from '../../server/protocol/present';

export { escapeHtml };

export interface PageContext {
  cspSource: string;
  nonce: string;
}

export function csp(ctx: PageContext): string {
  return `default-src 'none'; style-src ${ctx.cspSource} 'nonce-${ctx.nonce}'`;
}

const STYLE = `
body{font-family:var(--vscode-font-family);font-size:var(--vscode-font-size);color:var(--vscode-foreground);padding:0 20px 24px;line-height:1.45}
h1{font-size:1.6em;margin:.6em 0 .1em}h2{font-size:1.15em;margin:1.4em 0 .4em;border-bottom:1px solid var(--vscode-panel-border);padding-bottom:.2em}
code{font-family:var(--vscode-editor-font-family);background:var(--vscode-textCodeBlock-background);padding:1px 4px;border-radius:3px}
table{border-collapse:collapse;margin:.3em 0}th,td{text-align:left;vertical-align:top;padding:4px 12px 4px 0;border-bottom:1px solid var(--vscode-panel-border)}
th{color:var(--vscode-descriptionForeground);font-weight:600;white-space:nowrap}
.badge{display:inline-block;border-radius:9px;padding:0 8px;margin-right:6px;font-size:.85em;background:var(--vscode-badge-background);color:var(--vscode-badge-foreground)}
.warn{background:var(--vscode-inputValidation-warningBackground);border:1px solid var(--vscode-inputValidation-warningBorder);padding:6px 10px;border-radius:4px}
.muted{color:var(--vscode-descriptionForeground)}.best{color:var(--vscode-charts-green);font-weight:600}
.yes{color:var(--vscode-charts-green)}.no{color:var(--vscode-descriptionForeground)}
ul.offers{margin:0;padding-left:1.1em}`;

function page(ctx: PageContext, title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp(ctx))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
<style nonce="${escapeHtml(ctx.nonce)}">${STYLE}</style>
</head><body>
${body}
</body></html>`;
}

const code = (s: string) => `<code>${escapeHtml(s)}</code>`;
const yesNo = (b: boolean) => (b ? '<span class="yes">✓ yes</span>' : '<span class="no">— no</span>');

function sampleCost(o: Pick<Offer, 'pricing'>): string {
  const c = callCost(o.pricing);
  return c === undefined ? 'unknown' : formatUsd(c);
}

const PRICE_SOURCE: Record<Offer['priceSource'], string> = {
  gateway: "the gateway's catalog",
  table: 'embedded price table (estimate)',
  none: 'not published',
};

function badges(m: MergedModel, favorite: boolean): string {
  const b = [
    favorite ? 'favorite' : '',
    isFree(m) ? 'free' : '',
    m.deprecated ? 'deprecated' : '',
    m.priceSource === 'table' ? 'estimated price' : '',
  ].filter(Boolean);
  return b.map((t) => `<span class="badge">${escapeHtml(t)}</span>`).join('');
}

function deprecationHtml(m: MergedModel): string {
  if (!m.deprecated) return '';
  const since = m.deprecated.since ? ` since ${escapeHtml(m.deprecated.since)}` : '';
  const repl = m.deprecated.replacement ? ` Use ${code(m.deprecated.replacement)} instead.` : '';
  return `<p class="warn">⚠ Deprecated${since}.${repl}</p>`;
}

function offersTable(m: MergedModel): string {
  const offers: Offer[] = m.offers.length ? m.offers : [{ gateway: m.gateway, id: m.id, pricing: m.pricing, priceSource: m.priceSource }];
  const rows = offers
    .map(
      (o) =>
        `<tr><td>${code(o.gateway)}</td><td>${code(o.id)}</td><td>${escapeHtml(offerPrice(o))}</td>` +
        `<td>${escapeHtml(sampleCost(o))}</td><td class="muted">${escapeHtml(PRICE_SOURCE[o.priceSource] ?? o.priceSource)}</td></tr>`,
    )
    .join('\n');
  return `<table><tr><th>Gateway</th><th>ID to send</th><th>Price (USD)</th><th>1k in + 1k out</th><th>Price from</th></tr>\n${rows}</table>`;
}

export function renderDetailsHtml(m: MergedModel, ctx: PageContext & { favorite: boolean }): string {
  const facts: [string, string][] = [
    ['Provider', escapeHtml(m.provider)],
    ['Price per million tokens', escapeHtml(offerPrice(m))],
    [`Sample call (${SAMPLE_TOKENS / 1000}k in + ${SAMPLE_TOKENS / 1000}k out)`, escapeHtml(sampleCost(m))],
    ['Context window', m.contextLength ? `${escapeHtml(formatTokens(m.contextLength))} tokens` : 'unknown'],
    ['Max output', m.maxOutput ? `${escapeHtml(formatTokens(m.maxOutput))} tokens` : 'unknown'],
    ['Input modalities', escapeHtml(m.modalities.input.join(', ') || '—')],
    ['Output modalities', escapeHtml(m.modalities.output.join(', ') || '—')],
    ['Released', escapeHtml(formatDate(m.created) ?? 'unknown')],
  ];
  const caps = (['tools', 'vision', 'reasoning', 'json'] as const)
    .map((k) => `<tr><th>${k === 'json' ? 'JSON output' : k[0].toUpperCase() + k.slice(1)}</th><td>${yesNo(m.capabilities[k])}</td></tr>`)
    .join('');
  const body = `
<h1>${escapeHtml(modelLabel(m))}</h1>
<p>${code(m.canonicalId)} ${badges(m, ctx.favorite)}</p>
${deprecationHtml(m)}
${m.description ? `<p>${escapeHtml(m.description)}</p>` : ''}
<h2>At a glance</h2>
<table>${facts.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${v}</td></tr>`).join('')}</table>
<h2>Capabilities</h2>
<table>${caps}</table>
<h2>Served by</h2>
${offersTable(m)}`;
  return page(ctx, modelLabel(m), body);
}

// ---------------------------------------------------------------- compare

export interface CompareRow {
  label: string;
  cells: string[];
  /** Column indexes holding the best value of a numeric row (cheapest, largest). */
  best: number[];
}

function bestOf(values: (number | undefined)[], want: 'min' | 'max'): number[] {
  const known = values.filter((v): v is number => v !== undefined);
  if (known.length < 2) return [];
  const target = want === 'min' ? Math.min(...known) : Math.max(...known);
  if (known.every((v) => v === target)) return [];
  return values.flatMap((v, i) => (v === target ? [i] : []));
}

function numericRow(label: string, values: (number | undefined)[], fmt: (v: number) => string, want: 'min' | 'max'): CompareRow {
  return { label, cells: values.map((v) => (v === undefined ? 'unknown' : fmt(v))), best: bestOf(values, want) };
}

/** The side-by-side table as data (tested); the renderer only escapes and lays it out. */
export function compareRows(models: MergedModel[]): CompareRow[] {
  const text = (label: string, f: (m: MergedModel) => string): CompareRow => ({ label, cells: models.map(f), best: [] });
  const cap = (k: keyof MergedModel['capabilities'], label: string) => text(label, (m) => (m.capabilities[k] ? '✓' : '—'));
  return [
    text('Canonical ID', (m) => m.canonicalId),
    text('Provider', (m) => m.provider),
    numericRow('Input $/M tokens', models.map((m) => m.pricing?.inputPerMTok), formatUsd, 'min'),
    numericRow('Output $/M tokens', models.map((m) => m.pricing?.outputPerMTok), formatUsd, 'min'),
    numericRow(`Sample call: ${SAMPLE_TOKENS / 1000}k in + ${SAMPLE_TOKENS / 1000}k out`, models.map((m) => callCost(m.pricing)), formatUsd, 'min'),
    numericRow('Context window', models.map((m) => m.contextLength), (v) => `${formatTokens(v)} tokens`, 'max'),
    numericRow('Max output', models.map((m) => m.maxOutput), (v) => `${formatTokens(v)} tokens`, 'max'),
    text('Input modalities', (m) => m.modalities.input.join(', ') || '—'),
    text('Output modalities', (m) => m.modalities.output.join(', ') || '—'),
    cap('tools', 'Tools'),
    cap('vision', 'Vision'),
    cap('reasoning', 'Reasoning'),
    cap('json', 'JSON output'),
    text('Released', (m) => formatDate(m.created) ?? 'unknown'),
    text('Deprecated', (m) => (m.deprecated ? `yes${m.deprecated.since ? ` (${m.deprecated.since})` : ''}` : 'no')),
    text('Price source', (m) => PRICE_SOURCE[m.priceSource] ?? m.priceSource),
  ];
}

function gatewaysCell(m: MergedModel): string {
  const offers = m.offers.length ? m.offers : [{ gateway: m.gateway, id: m.id, pricing: m.pricing, priceSource: m.priceSource }];
  const items = offers.map((o) => `<li>${code(o.gateway)}: ${code(o.id)} <span class="muted">${escapeHtml(offerPrice(o))}</span></li>`);
  return `<ul class="offers">${items.join('')}</ul>`;
}

export function renderCompareHtml(models: MergedModel[], ctx: PageContext): string {
  const head = `<tr><th></th>${models.map((m) => `<th>${escapeHtml(modelLabel(m))}</th>`).join('')}</tr>`;
  const rows = compareRows(models).map(
    (r) =>
      `<tr><th>${escapeHtml(r.label)}</th>${r.cells
        .map((c, i) => `<td${r.best.includes(i) ? ' class="best"' : ''}>${escapeHtml(c)}</td>`)
        .join('')}</tr>`,
  );
  rows.push(`<tr><th>Served by</th>${models.map((m) => `<td>${gatewaysCell(m)}</td>`).join('')}</tr>`);
  const title = `Compare: ${models.map(modelLabel).join(' vs ')}`;
  const body = `
<h1>${escapeHtml(title)}</h1>
<p class="muted">Prices in USD per million tokens from each model's preferred gateway; green marks the best value in a row.</p>
<table>${head}
${rows.join('\n')}</table>`;
  return page(ctx, title, body);
}
