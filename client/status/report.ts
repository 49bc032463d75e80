// The spend report page, as a pure function of the server's SpendReport: no script at all, a CSP
// of `default-src 'none'` with one nonce'd stylesheet, every string HTML-escaped, the chart drawn as
// inline SVG (presentation attributes, which the CSP allows; inline `style=` would not be).
// Buttons are `command:` links, allowed one by one through `enableCommandUris`.
import type { SpendReport } from '../../server/protocol/messages';
import { escapeHtml, formatSpend as usd } from '../../server/protocol/present';

export const REPORT_COMMANDS = ['switchyard.showSpendReport', 'switchyard.exportSpendCsv', 'switchyard.overrideBudget'] as const;

export { escapeHtml };

export function commandLink(command: (typeof REPORT_COMMANDS)[number], args: unknown[] | undefined, label: string): string {
  const q = args ? `?${encodeURIComponent(JSON.stringify(args))}` : '';
  return `<a class="button" href="${escapeHtml(`command:${command}${q}`)}">${escapeHtml(label)}</a>`;
}

const CHART = { width: 720, height: 180, top: 16, bottom: 28, left: 56 };

function chart(r: SpendReport): string {
  const days = r.byDay;
  if (!days.length) return '<p class="muted">No days in this range.</p>';
  const max = Math.max(...days.map((d) => d.usd), 0);
  const plotH = CHART.height - CHART.top - CHART.bottom;
  const plotW = CHART.width - CHART.left;
  const step = plotW / days.length;
  const barW = Math.max(1, step * 0.8);
  const bars = days.map((d, i) => {
    const h = max > 0 ? (d.usd / max) * plotH : 0;
    const x = CHART.left + i * step + (step - barW) / 2;
    const y = CHART.top + plotH - h;
    const label = `${d.day}: ${usd(d.usd)}, ${d.requests} request(s)`;
    // A transparent full-height rect carries the tooltip so tiny bars are still easy to hover.
    return (
      `<g><title>${escapeHtml(label)}</title>` +
      `<rect class="hit" x="${x.toFixed(1)}" y="${CHART.top}" width="${barW.toFixed(1)}" height="${plotH}"></rect>` +
      `<rect class="bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}"></rect></g>`
    );
  });
  const base = CHART.top + plotH;
  const axis =
    `<line class="axis" x1="${CHART.left}" y1="${base}" x2="${CHART.width}" y2="${base}"></line>` +
    `<text class="tick" x="${CHART.left - 6}" y="${CHART.top + 4}" text-anchor="end">${escapeHtml(usd(max))}</text>` +
    `<text class="tick" x="${CHART.left - 6}" y="${base}" text-anchor="end">$0</text>` +
    `<text class="tick" x="${CHART.left}" y="${CHART.height - 8}">${escapeHtml(days[0].day)}</text>` +
    `<text class="tick" x="${CHART.width}" y="${CHART.height - 8}" text-anchor="end">${escapeHtml(days[days.length - 1].day)}</text>`;
  const summary = `Spend per day from ${r.from} to ${r.to}, highest ${usd(max)}`;
  return (
    `<svg class="chart" role="img" aria-label="${escapeHtml(summary)}" viewBox="0 0 ${CHART.width} ${CHART.height}" ` +
    `preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg">${axis}${bars.join('')}</svg>`
  );
}

function modelTable(r: SpendReport): string {
  if (!r.byModel.length) return '<p class="muted">No requests in this range.</p>';
  const n = (v: number) => escapeHtml(v.toLocaleString('en-US'));
  const top = Math.max(...r.byModel.map((m) => m.usd), 0);
  // One cost column per source that spent in this range (chat panel, proxy, CLI, VS Code's Chat).
  const sources = (r.bySource ?? []).map((s) => s.source);
  const rows = r.byModel.map((m) => {
    const share = top > 0 ? Math.round((m.usd / top) * 100) : 0;
    const perSource = sources.map((s) => `<td class="num">${m.bySource?.[s] !== undefined ? escapeHtml(usd(m.bySource[s])) : ''}</td>`).join('');
    return (
      `<tr><td class="id">${escapeHtml(m.model)}</td><td class="id">${escapeHtml(m.gateway)}</td>` +
      `<td class="num">${n(m.requests)}</td><td class="num">${n(m.inputTokens)}</td><td class="num">${n(m.cachedInputTokens ?? 0)}</td><td class="num">${n(m.outputTokens)}</td>` +
      `${perSource}<td class="num">${escapeHtml(usd(m.usd))}</td>` +
      `<td><svg class="share" viewBox="0 0 100 8" preserveAspectRatio="none"><rect class="bar" width="${share}" height="8"></rect></svg></td></tr>`
    );
  });
  return (
    '<table><thead><tr><th>Model</th><th>Gateway</th><th class="num">Requests</th><th class="num">Input tokens</th><th class="num">of which cached</th>' +
    `<th class="num">Output tokens</th>${sources.map((s) => `<th class="num">${escapeHtml(sourceLabel(s))}</th>`).join('')}` +
    `<th class="num">Cost</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

/** Column titles for the ledger's sources. */
export function sourceLabel(source: string): string {
  return ({ chat: 'Chat panel', proxy: 'Proxy', cli: 'CLI', 'vscode-chat': 'VS Code Chat' } as Record<string, string>)[source] ?? source;
}

function sourceLine(r: SpendReport): string {
  if (!r.bySource?.length) return '';
  const parts = r.bySource.map((s) => `${escapeHtml(sourceLabel(s.source))} <strong>${escapeHtml(usd(s.usd))}</strong> (${s.requests})`);
  return `<p class="muted">By source: ${parts.join(' · ')}</p>`;
}

const CSS = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 20px 20px; }
h1 { font-size: 1.4em; font-weight: 600; margin-bottom: 4px; } h2 { font-size: 1.1em; font-weight: 600; margin-top: 24px; }
.muted { color: var(--vscode-descriptionForeground); }
.warn { color: var(--vscode-editorWarning-foreground); }
nav { display: flex; flex-wrap: wrap; gap: 6px; margin: 12px 0; }
a.button { padding: 3px 10px; border-radius: 2px; text-decoration: none; color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
a.button:hover { background: var(--vscode-button-secondaryHoverBackground); }
a.button.primary { color: var(--vscode-button-foreground); background: var(--vscode-button-background); }
.chart { width: 100%; max-width: 960px; height: 200px; }
.bar { fill: var(--vscode-charts-blue); } .hit { fill: transparent; } g:hover .bar { fill: var(--vscode-charts-purple); }
.axis { stroke: var(--vscode-editorWidget-border, var(--vscode-foreground)); stroke-width: 1; }
.tick { fill: var(--vscode-descriptionForeground); font-size: 11px; }
table { border-collapse: collapse; width: 100%; max-width: 960px; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--vscode-editorWidget-border, transparent); text-align: left; }
.num { text-align: right; font-variant-numeric: tabular-nums; } .id { font-family: var(--vscode-editor-font-family); word-break: break-all; }
.share { width: 100px; height: 8px; }
`;

export interface ReportPageOptions {
  nonce: string;
  /** Shown when the server could not produce the report. */
  error?: string;
}

export function renderReportHtml(r: SpendReport | undefined, opts: ReportPageOptions): string {
  const nonce = escapeHtml(opts.nonce);
  const csp = `default-src 'none'; style-src 'nonce-${nonce}';`;
  const range = r ? { from: r.from, to: r.to } : undefined;
  const nav = [
    commandLink('switchyard.showSpendReport', [{ days: 7 }], 'Last 7 days'),
    commandLink('switchyard.showSpendReport', [{ days: 30 }], 'Last 30 days'),
    commandLink('switchyard.showSpendReport', [{ days: 90 }], 'Last 90 days'),
    commandLink('switchyard.showSpendReport', [{ period: 'month' }], 'This month'),
    commandLink('switchyard.exportSpendCsv', range ? [range] : undefined, 'Export CSV…'),
    commandLink('switchyard.overrideBudget', undefined, 'Override budget…'),
  ].join('');
  let body: string;
  if (!r) {
    body = `<p class="warn">${escapeHtml(opts.error ?? 'The spend report is not available.')}</p>`;
  } else {
    const unknown = r.unknownCostRequests ? ` · <span class="warn">${r.unknownCostRequests} request(s) with unknown cost (not in the totals)</span>` : '';
    // How much of the total is still Switchyard's estimate, and how much the gateways' books confirmed later.
    const shares =
      (r.estimatedUsd ? ` · ${escapeHtml(usd(r.estimatedUsd))} estimated` : '') +
      (r.reconciledUsd ? ` · ${escapeHtml(usd(r.reconciledUsd))} reconciled with the gateways` : '');
    const cached = r.cachedInputTokens
      ? ` · ${escapeHtml(r.cachedInputTokens.toLocaleString('en-US'))} input tokens from prompt caches, which saved ${escapeHtml(usd(r.cacheSavingsUsd ?? 0))}`
      : '';
    body =
      `<p class="muted">${escapeHtml(r.from)} – ${escapeHtml(r.to)} · total <strong>${escapeHtml(usd(r.totalUsd))}</strong> · ` +
      `${r.requests} request(s)${shares}${cached}${unknown}</p>${sourceLine(r)}` +
      `<h2>By day</h2>${chart(r)}<h2>By model and gateway</h2>${modelTable(r)}` +
      '<p class="muted">From the cost ledger on this machine (every window and `switchyard proxy`), local time.</p>';
  }
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${csp}">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1.0">` +
    `<title>Spend report</title><style nonce="${nonce}">${CSS}</style></head>` +
    `<body><h1>Spend report</h1><nav>${nav}</nav>${body}</body></html>`
  );
}
