// The catalog through the built language server over a real LSP connection: the typed requests,
// the change notification, TestGateway, and a settings change that adds a gateway.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DidChangeConfigurationNotification } from 'vscode-languageserver-protocol/node';
import { startLsp, waitForNotification, type LspSession } from '../helpers/lsp';
import { startFakeGateway, type FakeGateway } from '../fakes';
import {
  CatalogChangedNotification,
  CatalogGroupsRequest,
  CatalogRequest,
  ModelRequest,
  RefreshCatalogRequest,
  TestGatewayRequest,
  type CatalogChangedParams,
} from '../../server/protocol/messages';

const waitForCatalog = (s: LspSession, pred: (p: CatalogChangedParams) => boolean) =>
  waitForNotification<CatalogChangedParams>(s, CatalogChangedNotification.method, pred, { timeoutMs: 10_000 });

let or: FakeGateway;
let ar: FakeGateway;
before(async () => {
  [or, ar] = await Promise.all([startFakeGateway('openrouter'), startFakeGateway('arouter')]);
});
after(async () => {
  await Promise.all([or.close(), ar.close()]);
});

test('the catalog over LSP: offline at first install, then live gateways after a settings change', async () => {
  let settings: Record<string, unknown> = {};
  const s = await startLsp({
    settings: undefined,
    env: { OR_KEY: or.key, AR_KEY: ar.key },
    initializationOptions: { dataDir: mkdtempSync(path.join(tmpdir(), 'switchyard-lsp-cat-')) },
  });
  // startLsp answers workspace/configuration with opts.settings; make it follow `settings`.
  s.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
  try {
    const offline = await waitForCatalog(s, (p) => p.source === 'offline' && p.total > 300);
    assert.deepEqual(offline.statuses, []);
    const first = await s.connection.sendRequest(CatalogRequest, { filter: { text: 'gpt-4o' }, sort: 'price', limit: 3 });
    assert.equal(first.source, 'offline');
    assert.equal(first.models.length, 3);
    assert.ok(first.total > 3);

    settings = {
      gateways: [
        { id: 'or', kind: 'openrouter', baseUrl: or.baseUrl, apiKeyEnv: 'OR_KEY' },
        { id: 'ar', kind: 'arouter', baseUrl: ar.baseUrl, apiKeyEnv: 'AR_KEY' },
      ],
    };
    await s.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const live = await waitForCatalog(s, (p) => p.source === 'live' && !p.refreshing && p.statuses.length === 2 && p.statuses.every((x) => x.state === 'ok'));
    assert.deepEqual(live.statuses.map((x) => [x.gateway, x.modelCount, x.hasKey]), [['or', 11, true], ['ar', 9, true]]);

    const model = await s.connection.sendRequest(ModelRequest, { id: 'gpt-4o' });
    assert.equal(model?.canonicalId, 'openai/gpt-4o');
    assert.deepEqual(model?.offers.map((o) => [o.gateway, o.priceSource]), [['or', 'gateway'], ['ar', 'table']]);
    assert.equal(await s.connection.sendRequest(ModelRequest, { id: 'no/such-model' }), null);

    const groups = await s.connection.sendRequest(CatalogGroupsRequest, { groupBy: 'gateway' });
    assert.deepEqual(groups.map((g) => [g.key, g.count, g.label]), [['or', 11, 'OpenRouter (or)'], ['ar', 9, 'ARouter (ar)']]);
    const arOnly = await s.connection.sendRequest(CatalogRequest, { filter: { gateway: 'ar', capabilities: ['tools'] } });
    assert.ok(arOnly.models.every((m) => m.gateway === 'ar'));

    const refreshed = await s.connection.sendRequest(RefreshCatalogRequest, { gateway: 'ar' });
    assert.deepEqual(refreshed.map((x) => [x.gateway, x.state]), [['ar', 'ok']]);

    const tested = await s.connection.sendRequest(TestGatewayRequest, { gateway: { id: 'try', kind: 'openrouter', baseUrl: or.baseUrl }, key: or.key });
    assert.equal(tested.ok, true);
    assert.equal(tested.balanceUsd, 10);
    const wrong = await s.connection.sendRequest(TestGatewayRequest, { gateway: { id: 'try', kind: 'arouter', baseUrl: ar.baseUrl }, key: 'lr_live_nopenopenope123' });
    assert.equal(wrong.status.state, 'unauthorized');
    await assert.rejects(s.connection.sendRequest(CatalogRequest, { sort: 'cheapest' } as never), /sort/);
    assert.ok(!s.logs.join('\n').includes(or.key!) && !s.stderr().includes(or.key!));
  } finally {
    assert.equal(await s.close(), 0);
  }
});
