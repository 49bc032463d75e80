// Schema-first protocol (issue 15 item 5): every custom request the built server answers checks its
// params against the schema declared beside the type in server/protocol/messages.ts. A bad request
// is InvalidParams naming the field; a bad notification is logged and dropped; the server goes on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ErrorCodes, ResponseError } from 'vscode-languageserver-protocol/node';
import { startLsp, waitForLog } from '../helpers/lsp';
import {
  BudgetOverrideRequest,
  CatalogGroupsRequest,
  CatalogRequest,
  ChatRequest,
  EstimateRequest,
  FavoritesChangedNotification,
  ModelRequest,
  SecretsChangedNotification,
  SpendReportRequest,
  TestGatewayRequest,
} from '../../server/protocol/messages';

/** Each a request with bad params, and what the error message must name. */
const BAD: { method: string; params: unknown; names: RegExp }[] = [
  { method: ChatRequest.method, params: { requestId: 'r1', model: 'gpt-4o', messages: [] }, names: /messages/ },
  { method: ChatRequest.method, params: { requestId: 'r2', model: 'gpt-4o', messages: [{ role: 'robot', content: 'x' }] }, names: /messages\[0\]\.role|role/ },
  { method: ChatRequest.method, params: { requestId: '', model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], temperature: 3 }, names: /temperature/ },
  { method: EstimateRequest.method, params: { model: 'gpt-4o', messages: [], maxTokens: -1 }, names: /maxTokens/ },
  { method: CatalogRequest.method, params: { limit: 0 }, names: /limit/ },
  { method: CatalogGroupsRequest.method, params: { groupBy: 'vendor' }, names: /groupBy/ },
  { method: ModelRequest.method, params: { id: 42 }, names: /id/ },
  { method: TestGatewayRequest.method, params: { gateway: { id: 'x', kind: 'nope' } }, names: /gateway\.kind/ },
  { method: SpendReportRequest.method, params: { from: 'yesterday' }, names: /YYYY-MM-DD[\s\S]*at from/ },
  { method: BudgetOverrideRequest.method, params: { scope: '' }, names: /scope/ },
];

test('bad params of every custom request are InvalidParams naming the field; bad notifications are logged; the server goes on', async () => {
  const s = await startLsp({ initializationOptions: { dataDir: mkdtempSync(path.join(tmpdir(), 'switchyard-params-')) } });
  try {
    for (const { method, params, names } of BAD) {
      await assert.rejects(s.connection.sendRequest(method, params), (e: ResponseError<unknown>) => {
        assert.equal(e.code, ErrorCodes.InvalidParams, `${method}: ${e.message}`);
        assert.match(e.message, names, method);
        assert.match(e.message, /✖/, `${method}: z.prettifyError's message`);
        return true;
      });
    }
    await s.connection.sendNotification(FavoritesChangedNotification.method, { canonicalIds: 'openai/gpt-4o' });
    assert.match(await waitForLog(s, (l) => l.includes(FavoritesChangedNotification.method)), /ignoring an invalid switchyard\/favoritesChanged notification[\s\S]*canonicalIds/);
    await s.connection.sendNotification(SecretsChangedNotification.method, {});
    assert.match(await waitForLog(s, (l) => l.includes(SecretsChangedNotification.method)), /gateway/);

    // Good params still get answers.
    const page = await s.connection.sendRequest(CatalogRequest, { limit: 1 });
    assert.equal(page.models.length, 1);
    const groups = await s.connection.sendRequest(CatalogGroupsRequest, { groupBy: 'provider' });
    assert.ok(groups.length > 0);
    const report = await s.connection.sendRequest(SpendReportRequest, {});
    assert.equal(report.requests, 0);
  } finally {
    assert.equal(await s.close(), 0, `exit code; stderr: ${s.stderr()}`);
  }
});
