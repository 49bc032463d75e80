// Provider names (issue 15 item 10): one display-name rule from the catalog's own data — the names
// gateways give their models, else the embedded table's provider records, else the slug — so the
// Models view's provider groups read `DeepSeek`, `Meta`, `Mistral` side by side, not `Deepseek`,
// `meta-llama`, `Mistral`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Agent } from 'undici';
import { startFakeGateway } from '../fakes';
import { createCatalogService } from '../../server/catalog/service';
import { providerNames } from '../../server/catalog/providers';
import { loadPriceTable } from '../../server/catalog/table';
import { createKeyProvider } from '../../server/core/keys';
import { silentLogger } from '../../server/core/log';
import { parseSettings } from '../../server/protocol/settings';

test('the rule: gateway model names that spell the slug (most common wins), else the table, else the slug', () => {
  const names = providerNames(
    [
      { provider: 'meta-llama', name: 'Meta: Llama 3.1 70B Instruct' },
      { provider: 'meta-llama', name: 'Meta: Llama 3.1 70B Instruct (free)' },
      // A host's name in front of someone else's model is not the provider's name.
      { provider: 'meta-llama', name: 'Ollama: Llama 3.1 8B' },
      { provider: 'deepseek', name: 'DeepSeek: DeepSeek V3' },
      { provider: 'mistralai', name: 'Mistral: Mistral Large' },
      { provider: 'openai', name: 'gpt-4o' },
      { provider: 'qwen', name: 'Qwen2.5 72B: Instruct' },
    ],
    new Map([['deepseek', 'Deepseek'], ['openai', 'OpenAI'], ['anthropic', 'Anthropic']]),
  );
  assert.equal(names('meta-llama'), 'Meta');
  assert.equal(names('deepseek'), 'DeepSeek', "the gateways' spelling before the table's");
  assert.equal(names('mistralai'), 'Mistral');
  assert.equal(names('openai'), 'OpenAI', 'no prefix in the names: the table record');
  assert.equal(names('anthropic'), 'Anthropic', 'no model at all: the table record');
  assert.equal(names('qwen'), 'Qwen2.5 72B', 'a prefix that spells the slug counts');
  assert.equal(names('some-lab'), 'some-lab', 'no data: the slug');
});

test('provider groups of a live catalog read the way the gateways write them', async () => {
  const [or, local] = await Promise.all([startFakeGateway('openrouter'), startFakeGateway('openai-compatible')]);
  const agent = new Agent();
  const r = parseSettings({
    gateways: [
      { id: 'or', kind: 'openrouter', baseUrl: or.baseUrl, apiKeyEnv: 'T_OR' },
      { id: 'local', kind: 'openai-compatible', baseUrl: local.baseUrl, apiKeyEnv: 'T_LOCAL' },
    ],
    catalog: { refreshIntervalMinutes: 0 },
  });
  assert.ok(r.ok, r.ok ? '' : r.error);
  const catalog = createCatalogService({
    dataDir: mkdtempSync(path.join(tmpdir(), 'switchyard-providers-')),
    getSettings: () => r.settings,
    keys: createKeyProvider({ T_OR: or.key, T_LOCAL: local.key }),
    log: silentLogger,
    dispatcher: agent,
  });
  try {
    await loadPriceTable();
    await catalog.start();
    await catalog.refresh();
    const labels = new Map(catalog.groups('provider').map((g) => [g.key, g.label]));
    assert.equal(labels.get('deepseek'), 'DeepSeek');
    assert.equal(labels.get('meta-llama'), 'Meta');
    assert.equal(labels.get('mistralai'), 'Mistral');
    assert.equal(labels.get('openai'), 'OpenAI');
    // Sorted by what people read, not by slug.
    const shown = catalog.groups('provider').map((g) => g.label);
    assert.deepEqual(shown, [...shown].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
  } finally {
    catalog.dispose();
    await Promise.all([or.close(), local.close(), agent.close()]);
  }
});
