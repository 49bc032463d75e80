// The shared presentation module (server/protocol/present.ts) where the two sides used to disagree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, escapeMarkdown, isFree, modelCard, offerPrice } from '../../server/protocol/present';
import { MergedModelSchema, type MergedModel } from '../../server/protocol/model';

const model = (over: Partial<MergedModel> = {}): MergedModel =>
  MergedModelSchema.parse({
    gateway: 'or',
    id: 'meta-llama/llama-3:free',
    canonicalId: 'meta-llama/llama-3:free',
    name: 'Meta: Llama 3 (free)',
    provider: 'meta-llama',
    pricing: { inputPerMTok: 0, outputPerMTok: 0 },
    priceSource: 'gateway',
    modalities: { input: ['text'], output: ['text'] },
    capabilities: { tools: false, vision: false, reasoning: false, json: false },
    free: true,
    offers: [
      { gateway: 'or', id: 'meta-llama/llama-3:free', priceSource: 'gateway' },
      { gateway: 'local', id: 'llama-3', pricing: { inputPerMTok: 0.1, outputPerMTok: 0.2 }, priceSource: 'gateway' },
      { gateway: 'offline', id: 'meta-llama/llama-3', pricing: { inputPerMTok: 0.1, outputPerMTok: 0.2 }, priceSource: 'table' },
    ],
    ...over,
  });

test('isFree: a :free variant is free (the server rule won), and an offer is free by its own ID and prices', () => {
  const m = model();
  assert.equal(isFree({ id: 'meta-llama/llama-3:free' }), true, 'no prices published: the :free ID says it');
  assert.equal(isFree(m.offers[0]), true);
  assert.equal(isFree(m.offers[1]), false, "the merged model's flag does not make another gateway's priced offer free");
  assert.equal(isFree(m), true);
  assert.equal(offerPrice(m.offers[1]), '$0.10 / $0.20 per M');
});

test('the card: theme icons only where VS Code renders them, the embedded table is not a gateway, catalog text escaped', () => {
  const m = model({ capabilities: { tools: true, vision: false, reasoning: false, json: false }, deprecated: { since: '2025-01-01' } });
  const plain = modelCard(m, { gatewayLabel: (id) => (id === 'local' ? 'Local (local)' : undefined), highlightId: 'llama-3' });
  assert.ok(!plain.includes('$('), plain);
  assert.match(plain, /⚠️ \*\*Deprecated\*\* since 2025\\-01\\-01/);
  assert.match(plain, /- `or` — `meta-llama\/llama-3:free` — free/);
  assert.match(plain, /- Local \\\(local\\\) — `llama-3` — \$0\.10 \/ \$0\.20 per M ← this string/);
  assert.ok(!plain.includes('`offline`'), 'the embedded price table is not listed as a gateway');
  const icons = modelCard(m, { icons: true });
  assert.match(icons, /\$\(warning\) \*\*Deprecated\*\*/);
  assert.match(icons, /\$\(tools\) tools/);
  assert.equal(escapeMarkdown('$(alert) [x](y)'), '\\$\\(alert\\) \\[x\\]\\(y\\)');
  assert.equal(escapeHtml('<a title="`x`">'), '&lt;a title=&quot;&#96;x&#96;&quot;&gt;');
});
