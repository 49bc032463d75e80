// The client's renderers of the money half: status bar text/tooltip/colour, the spend report page
// and the CSV export. Pure functions of the server's messages (no VS Code needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import MarkdownIt from 'markdown-it';
import { renderStatusBar, usd } from '../../client/status/render';
import { renderReportHtml, escapeHtml } from '../../client/status/report';
import { ledgerCsv, csvField } from '../../client/status/csv';
import type { SpendReport, StatusParams } from '../../server/protocol/messages';
import { line } from './ledger-fixtures';

const base: StatusParams = {
  health: 'ok',
  balances: [
    { gateway: 'nemo', label: 'nemo (NemoRouter)', balanceUsd: 12.34, updatedAt: new Date().toISOString() },
    { gateway: 'or', label: 'or (OpenRouter)', balanceUsd: 3, error: 'HTTP 503 from https://openrouter.ai/api/v1/credits' },
    { gateway: 'free', label: 'free (OpenRouter)', usedUsd: 1.5 },
  ],
  sessionSpendUsd: 0.42,
  todaySpendUsd: 1.5,
  lastRequest: { costUsd: 0.0031, costSource: 'gateway', model: 'gpt-4o-mini', gateway: 'nemo' },
  budgets: [],
  budgetLevel: 'ok',
  proxy: { url: 'http://127.0.0.1:4141/v1', requests: 7 },
  catalogSource: 'live',
  activeGateway: 'nemo',
};

test('status bar text: balance of the active gateway · session spend · last request cost', () => {
  const v = renderStatusBar(base);
  assert.equal(v.text, '$(credit-card) $12.34 · session $0.4200 · last $0.0031');
  assert.equal(v.background, 'none');
  assert.equal(renderStatusBar({ ...base, activeGateway: 'or' }).text, '$(credit-card) $3.00 · session $0.4200 · last $0.0031');
  const unknown = renderStatusBar({ ...base, balances: [], lastRequest: { costSource: 'unknown', model: 'm', gateway: 'g' } });
  assert.equal(unknown.text, '$(credit-card) session $0.4200 · last ?', 'an unknown cost is never shown as $0');
  assert.match(renderStatusBar({ ...base, health: 'degraded' }).text, /^\$\(warning\)/);
  assert.match(renderStatusBar({ ...base, health: 'starting' }).text, /^\$\(sync~spin\)/);
});

test('tooltip: the last request\'s cached input tokens and what caching saved or cost, only when it touched a cache', () => {
  assert.doesNotMatch(renderStatusBar(base).tooltip, /cach/i, 'no cache line without a cache');
  const lastRequest = { ...base.lastRequest!, costUsd: 0.0125, cachedInputTokens: 12000, cacheSavingsUsd: 0.0225 };
  const v = renderStatusBar({ ...base, lastRequest });
  assert.match(v.tooltip, /\*\*Last request\*\* — \$0\.0125 \(reported by the gateway\) · gpt\\-4o\\-mini via nemo\n\n\$\(database\) 12,000 cached input tokens · caching saved \$0\.0225\n/);
  const writes = renderStatusBar({ ...base, lastRequest: { ...base.lastRequest!, cacheSavingsUsd: -0.0125 } });
  assert.match(writes.tooltip, /\$\(database\) caching cost \$0\.0125 more\n/);
  assert.equal(v.text, renderStatusBar({ ...base, lastRequest: { ...base.lastRequest!, costUsd: 0.0125 } }).text, 'the bar itself stays short');
});

test('amounts: tiny costs keep two significant digits, never "$0.0000" nor exponent notation', () => {
  assert.equal(usd(0), '$0.00');
  assert.equal(usd(12.345), '$12.35');
  assert.equal(usd(0.42), '$0.4200');
  assert.equal(usd(0.0031), '$0.0031');
  assert.equal(usd(0.000042), '$0.000042');
  assert.equal(usd(0.0000005), '$0.00000050');
  assert.equal(usd(1e-12), '$0.00000000');
  assert.equal(usd(-0.00005), '-$0.000050');
});

test('status bar colour follows the budget level; tooltip lists every balance, proxy, budgets and the cost source', () => {
  const budgets: StatusParams['budgets'] = [
    { scope: 'global', period: 'daily', limitUsd: 2, spentUsd: 1.7, level: 'warning', overridden: false },
    { scope: 'nemo', period: 'session', limitUsd: 0.4, spentUsd: 0.42, level: 'exceeded', overridden: false },
  ];
  const v = renderStatusBar({ ...base, budgets, budgetLevel: 'exceeded' });
  assert.equal(v.background, 'error');
  assert.equal(renderStatusBar({ ...base, budgets, budgetLevel: 'warning' }).background, 'warning');
  assert.match(v.tooltip, /\| nemo \\\(NemoRouter\\\) \| \$12\.34 \| updated /);
  assert.match(v.tooltip, /\| or \\\(OpenRouter\\\) \| \$3\.00 \| \$\(warning\) HTTP 503/);
  assert.match(v.tooltip, /no limit \(used \$1\.50\)/);
  assert.match(v.tooltip, /\$0\.0031 \(reported by the gateway\)/);
  assert.match(v.tooltip, /Proxy\*\* — http:\/\/127\\\.0\\\.0\\\.1:4141\/v1 · 7 request\(s\)/);
  assert.match(v.tooltip, /\$\(warning\) Daily, all gateways: \$1\.70 of \$2\.00 \(85%\)/);
  assert.match(v.tooltip, /\$\(error\) Session, nemo: \$0\.4200 of \$0\.4000 \(105%\) — requests refused/);
  assert.match(v.tooltip, /\[\$\(unlock\) Override budget\]\(command:switchyard\.overrideBudget\)/);
  assert.match(v.accessibility, /Budget exceeded/);
});

test('status tooltip: server text cannot inject links, icons or HTML', () => {
  const v = renderStatusBar({
    ...base,
    health: 'degraded',
    message: 'evil [click](command:workbench.action.terminal.sendSequence) $(bug) <img src=x>',
  });
  // Rendered as VS Code would (Markdown with raw HTML allowed, the worst case): no link, no tag.
  const html = new MarkdownIt({ html: true }).render(v.tooltip);
  assert.doesNotMatch(html, /href="command:workbench/);
  assert.doesNotMatch(html, /<img/);
  assert.doesNotMatch(v.tooltip, /[^\\]\$\(bug\)/, 'no theme icon from server text');
});

const report: SpendReport = {
  from: '2024-03-01',
  to: '2024-03-03',
  totalUsd: 1.25,
  requests: 4,
  byDay: [
    { day: '2024-03-01', usd: 1, requests: 2 },
    { day: '2024-03-02', usd: 0, requests: 0 },
    { day: '2024-03-03', usd: 0.25, requests: 2 },
  ],
  byModel: [
    { model: '<script>alert(1)</script>', gateway: 'nemo', usd: 1, requests: 3, inputTokens: 12345, outputTokens: 678 },
    { model: 'openai/gpt-4o"onmouseover="x', gateway: 'or', usd: 0.25, requests: 1, inputTokens: 1, outputTokens: 2 },
  ],
  unknownCostRequests: 1,
};

test('spend report page: strict CSP with a nonce, no script, every string escaped, SVG bars per day', () => {
  const html = renderReportHtml(report, { nonce: 'abc123==' });
  const dom = new JSDOM(html);
  const doc = dom.window.document;
  const csp = doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content');
  assert.equal(csp, "default-src 'none'; style-src 'nonce-abc123==';");
  assert.equal(doc.querySelectorAll('script').length, 0);
  assert.equal(doc.querySelector('style')?.getAttribute('nonce'), 'abc123==');
  assert.equal(doc.querySelectorAll('[style]').length, 0, 'no inline style attributes (the CSP would block them)');
  assert.equal(doc.querySelectorAll('[onmouseover]').length, 0);
  const cells = [...doc.querySelectorAll('tbody tr td:first-child')].map((td) => td.textContent);
  assert.deepEqual(cells, ['<script>alert(1)</script>', 'openai/gpt-4o"onmouseover="x']);
  const bars = doc.querySelectorAll('svg.chart rect.bar');
  assert.equal(bars.length, 3);
  const heights = [...bars].map((b) => Number(b.getAttribute('height')));
  assert.ok(heights[0] > heights[2] && heights[2] > 0 && heights[1] === 0);
  assert.deepEqual([...doc.querySelectorAll('svg.chart title')].map((t) => t.textContent)[0], '2024-03-01: $1.00, 2 request(s)');
  assert.match(doc.body.textContent ?? '', /1 request\(s\) with unknown cost/);
  assert.doesNotMatch(doc.body.textContent ?? '', /estimated|reconciled/, 'nothing estimated: nothing said');
  const shares = new JSDOM(renderReportHtml({ ...report, estimatedUsd: 0.05, reconciledUsd: 0.2 }, { nonce: 'n' })).window.document.body.textContent ?? '';
  assert.match(shares, /\$0\.0500 estimated · \$0\.2000 reconciled with the gateways/);
  assert.match(doc.body.textContent ?? '', /12,345/);
  const links = [...doc.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? '');
  assert.ok(links.every((h) => /^command:switchyard\.(showSpendReport|exportSpendCsv|overrideBudget)(\?|$)/.test(h)));
  const exportLink = links.find((h) => h.startsWith('command:switchyard.exportSpendCsv'))!;
  assert.deepEqual(JSON.parse(decodeURIComponent(exportLink.split('?')[1])), [{ from: '2024-03-01', to: '2024-03-03' }]);
});

test('spend report page without a report shows the error, escaped', () => {
  const html = renderReportHtml(undefined, { nonce: 'n', error: 'server <b>down</b>' });
  assert.ok(html.includes('server &lt;b&gt;down&lt;/b&gt;'));
  assert.equal(escapeHtml(`&<>"'`), '&amp;&lt;&gt;&quot;&#39;');
});

test('CSV export: RFC 4180 quoting, CRLF, header, formula cells neutralised, null cost empty', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvField(0.0031), '0.0031');
  assert.equal(csvField(null), '');
  const csv = ledgerCsv([line({ model: 'm,1', costUsd: null, costSource: 'unknown', requestId: 'r1' })]);
  const [head, row, end] = csv.split('\r\n');
  assert.equal(head, 'ts,source,gateway,model,servedModel,inputTokens,outputTokens,costUsd,costSource,status,requestId,cachedInputTokens,cacheWriteTokens,reasoningTokens,cacheSavingsUsd');
  assert.match(row, /,"m,1",gpt-4o-mini,10,20,,unknown,ok,r1,,,,$/);
  const cachedRow = ledgerCsv([line({ cachedInputTokens: 8, reasoningTokens: 3, cacheSavingsUsd: 0.25 })]).split('\r\n')[1];
  assert.match(cachedRow, /,8,,3,0\.25$/);
  assert.equal(end, '');
  assert.equal(usd(-0.5), '-$0.5000');
});

test('spend report page: one cost column per source that spent, and a by-source line', () => {
  const report: SpendReport = {
    from: '2024-03-01',
    to: '2024-03-01',
    totalUsd: 0.75,
    requests: 3,
    byDay: [{ day: '2024-03-01', usd: 0.75, requests: 3 }],
    byModel: [{ model: 'openai/gpt-4o', gateway: 'nemo', usd: 0.75, requests: 3, inputTokens: 10, outputTokens: 20, bySource: { 'vscode-chat': 0.5, proxy: 0.25 } }],
    bySource: [
      { source: 'vscode-chat', usd: 0.5, requests: 2 },
      { source: 'proxy', usd: 0.25, requests: 1 },
    ],
    unknownCostRequests: 0,
  };
  const doc = new JSDOM(renderReportHtml(report, { nonce: 'n' })).window.document;
  const heads = [...doc.querySelectorAll('thead th')].map((th) => th.textContent);
  assert.deepEqual(heads.slice(heads.indexOf('Output tokens') + 1, heads.indexOf('Cost') + 1), ['VS Code Chat', 'Proxy', 'Cost']);
  const cells = [...doc.querySelectorAll('tbody tr td')].map((td) => td.textContent);
  const first = heads.indexOf('VS Code Chat');
  assert.deepEqual(cells.slice(first, first + 3), ['$0.5000', '$0.2500', '$0.7500']);
  assert.match(doc.body.textContent ?? '', /By source: VS Code Chat \$0\.5000 \(2\) · Proxy \$0\.2500 \(1\)/);
});
