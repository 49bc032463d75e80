// Issue 18 in the editor: a chat answer that read a prompt cache carries its cached input tokens and
// what caching saved over the real LSP connection (`switchyard/chat`), equal to its ledger line, and
// the status notification's last request says the same (the status bar tooltip renders it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startLsp, waitForLog, waitForNotification } from '../helpers/lsp';
import { startFakeGateway } from '../fakes/index';
import { ChatRequest, LedgerRequest, StatusNotification, type ChatParams, type StatusParams } from '../../server/protocol/messages';

const SYSTEM = 'You are a careful coding agent. '.repeat(250); // ≈ 2,000 tokens, the prefix the cache keeps

test('a cached chat answer reports its cached tokens and savings, as its ledger line and the status do', async () => {
  const nemo = await startFakeGateway('nemorouter', { promptCache: true });
  const lsp = await startLsp({
    settings: { gateways: [{ id: 'nemo', kind: 'nemorouter', baseUrl: nemo.baseUrl, apiKeyEnv: 'TEST_NEMO_KEY' }], proxy: { enabled: false } },
    env: { TEST_NEMO_KEY: nemo.key },
    initializationOptions: { dataDir: mkdtempSync(path.join(tmpdir(), 'switchyard-chat-cache-')) },
  });
  try {
    await waitForLog(lsp, (l) => l.includes('started'));
    const ask = (requestId: string, question: string): ChatParams => ({
      requestId,
      model: 'gpt-4o',
      messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: question }],
    });
    const first = await lsp.connection.sendRequest(ChatRequest, ask('k1', 'first question'));
    assert.equal(first.ok, true, JSON.stringify(first));
    assert.equal(first.cachedInputTokens, undefined, 'a cold cache: nothing read from it');
    assert.equal(first.cacheSavingsUsd, undefined);

    const second = await lsp.connection.sendRequest(ChatRequest, ask('k2', 'second question'));
    assert.equal(second.ok, true, JSON.stringify(second));
    assert.equal(second.cachedInputTokens, nemo.state.billed.at(-1)?.cachedTokens, 'the count the gateway billed');
    assert.ok((second.cachedInputTokens ?? 0) > 1000, `the system prompt came from the cache: ${second.cachedInputTokens}`);
    assert.ok(second.cachedInputTokens! < second.inputTokens!, 'cached tokens are part of the input');
    assert.equal(second.costSource, 'gateway');
    assert.ok((second.cacheSavingsUsd ?? 0) > 0, `caching saved something: ${JSON.stringify(second)}`);

    const lines = await lsp.connection.sendRequest(LedgerRequest, {});
    const line = lines.find((l) => l.requestId === 'k2');
    assert.ok(line, 'the ledger has the answer');
    assert.equal(line.cachedInputTokens, second.cachedInputTokens);
    assert.equal(line.cacheSavingsUsd, second.cacheSavingsUsd);

    const status = await waitForNotification<StatusParams>(lsp, StatusNotification.method, (s) => s.lastRequest?.cachedInputTokens !== undefined, { what: 'a status with cached tokens' });
    assert.deepEqual(status.lastRequest, {
      costUsd: second.costUsd,
      costSource: 'gateway',
      model: 'gpt-4o',
      gateway: 'nemo',
      cachedInputTokens: second.cachedInputTokens,
      cacheSavingsUsd: second.cacheSavingsUsd,
    });
  } finally {
    assert.equal(await lsp.close(), 0, lsp.stderr());
    await nemo.close();
  }
});
