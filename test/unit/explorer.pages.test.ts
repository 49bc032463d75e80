// The details and compare pages: static HTML, every catalog value escaped, a nonce'd CSP without scripts,
// and the compare table's numbers (best values, the 1k-in/1k-out sample call). Parsed with jsdom to check
// structure rather than substrings where it matters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { MergedModelSchema, type MergedModel } from '../../server/protocol/model';
import { compareRows, csp, escapeHtml, renderCompareHtml, renderDetailsHtml } from '../../client/explorer/pagesHtml';

const ctx = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: 'bm9uY2UxMjM0NTY3ODkwMQ==' };

function model(over: Partial<MergedModel> = {}): MergedModel {
  return MergedModelSchema.parse({
    gateway: 'or',
    id: 'openai/gpt-4o',
    canonicalId: 'openai/gpt-4o',
    name: 'GPT-4o',
    provider: 'openai',
    contextLength: 128_000,
    maxOutput: 16_384,
    pricing: { inputPerMTok: 2.5, outputPerMTok: 10 },
    priceSource: 'gateway',
    modalities: { input: ['text', 'image'], output: ['text'] },
    capabilities: { tools: true, vision: true, reasoning: false, json: true },
    free: false,
    offers: [
      { gateway: 'or', id: 'openai/gpt-4o', pricing: { inputPerMTok: 2.5, outputPerMTok: 10 }, priceSource: 'gateway' },
      { gateway: 'nemo', id: 'gpt-4o', priceSource: 'none' },
    ],
    ...over,
  });
}

const mini = () =>
  model({
    id: 'openai/gpt-4o-mini',
    canonicalId: 'openai/gpt-4o-mini',
    name: 'GPT-4o mini',
    pricing: { inputPerMTok: 0.15, outputPerMTok: 0.6 },
    contextLength: 128_000,
    maxOutput: 16_384,
    offers: [{ gateway: 'or', id: 'openai/gpt-4o-mini', pricing: { inputPerMTok: 0.15, outputPerMTok: 0.6 }, priceSource: 'gateway' }],
  });

const claude = () =>
  model({
    id: 'anthropic/claude-sonnet-4',
    canonicalId: 'anthropic/claude-sonnet-4',
    name: 'Claude Sonnet 4',
    provider: 'anthropic',
    pricing: { inputPerMTok: 3, outputPerMTok: 15 },
    contextLength: 200_000,
    maxOutput: 64_000,
    capabilities: { tools: true, vision: true, reasoning: true, json: false },
    offers: [],
  });

test('escapeHtml covers the characters that open tags, attributes and template strings', () => {
  assert.equal(escapeHtml(`<a href="x" onclick='y'>&\``), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;');
  assert.equal(csp(ctx), `default-src 'none'; style-src ${ctx.cspSource} 'nonce-${ctx.nonce}'`);
});

test('details page: the model card as a static document with a strict CSP and no script', () => {
  const html = renderDetailsHtml(model({ deprecated: { since: '2025-06-01', replacement: 'openai/gpt-4.1' }, description: 'Omni model' }), { ...ctx, favorite: true });
  const doc = new JSDOM(html).window.document;
  assert.equal(doc.querySelectorAll('script').length, 0);
  assert.equal(doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'), csp(ctx));
  assert.equal(doc.querySelector('style')?.getAttribute('nonce'), ctx.nonce);
  assert.equal(doc.querySelector('h1')?.textContent, 'GPT-4o');
  const text = doc.body.textContent ?? '';
  for (const s of ['openai/gpt-4o', 'gpt-4o', '$2.50 / $10 per M', '$0.0125', '128k tokens', '16k tokens', 'text, image', 'Deprecated since 2025-06-01', 'openai/gpt-4.1', 'Omni model', 'favorite', 'not published']) {
    assert.ok(text.includes(s), `details page shows ${s}`);
  }
  const gateways = [...doc.querySelectorAll('table')].at(-1)!.querySelectorAll('tr');
  assert.equal(gateways.length, 3, 'a header and one row per gateway offer');
  assert.equal(gateways[2].querySelectorAll('td')[3].textContent, 'unknown', 'no price → no made-up sample cost');
});

test('details page: hostile catalog text stays text', () => {
  const html = renderDetailsHtml(
    model({ name: '<script>alert(1)</script>', description: '<img src=x onerror=alert(1)>', canonicalId: 'x/"><style>' }),
    { ...ctx, favorite: false },
  );
  const doc = new JSDOM(html).window.document;
  assert.equal(doc.querySelectorAll('script, img').length, 0);
  assert.equal(doc.querySelectorAll('style').length, 1);
  assert.equal(doc.querySelector('h1')?.textContent, '<script>alert(1)</script>');
  assert.ok(doc.body.textContent?.includes('<img src=x onerror=alert(1)>'));
});

test('compare rows: prices, sample call, context, capabilities, with the best value of each numeric row marked', () => {
  const rows = compareRows([model(), mini(), claude()]);
  const row = (label: string) => rows.find((r) => r.label.startsWith(label))!;
  assert.deepEqual(row('Input $/M').cells, ['$2.50', '$0.15', '$3']);
  assert.deepEqual(row('Input $/M').best, [1]);
  assert.deepEqual(row('Sample call').cells, ['$0.0125', '$0.00075', '$0.018']);
  assert.deepEqual(row('Sample call').best, [1]);
  assert.deepEqual(row('Context window').best, [2]);
  assert.deepEqual(row('Max output').cells, ['16k tokens', '16k tokens', '64k tokens']);
  assert.deepEqual(row('Reasoning').cells, ['—', '—', '✓']);
  assert.deepEqual(compareRows([model(), model()]).find((r) => r.label.startsWith('Input'))!.best, [], 'a tie marks nothing');
});

test('compare page: one column per model, gateways serving each, no script', () => {
  const html = renderCompareHtml([model(), mini()], ctx);
  const doc = new JSDOM(html).window.document;
  assert.equal(doc.querySelectorAll('script').length, 0);
  assert.equal(doc.title, 'Compare: GPT-4o vs GPT-4o mini');
  const head = [...doc.querySelectorAll('table tr')[0].querySelectorAll('th')].map((t) => t.textContent);
  assert.deepEqual(head, ['', 'GPT-4o', 'GPT-4o mini']);
  const served = [...doc.querySelectorAll('tr')].find((r) => r.querySelector('th')?.textContent === 'Served by')!;
  const cells = served.querySelectorAll('td');
  assert.equal(cells[0].querySelectorAll('li').length, 2);
  assert.match(cells[0].textContent ?? '', /nemo: gpt-4o price unknown/);
  assert.equal(doc.querySelectorAll('td.best').length > 0, true);
});
