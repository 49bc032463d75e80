// The chat panel's path through the built language server over a real LSP connection:
// `switchyard/chat` streams deltas, Stop (the request's cancellation) aborts upstream, errors arrive
// as ChatError with the gateway's code, and `switchyard/estimate` prices a prompt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import { startLsp, waitForLog, waitForNotification, type LspSession } from '../helpers/lsp';
import { startFakeGateway, type FakeGateway } from '../fakes/index';
import { ChatDeltaNotification, ChatRequest, EstimateRequest, type ChatParams } from '../../server/protocol/messages';

interface Env {
  lsp: LspSession;
  nemo: FakeGateway;
  or: FakeGateway;
  deltas(requestId: string): string[];
}

async function withServer(fn: (e: Env) => Promise<void>, fakeOpts: { streamChunkDelayMs?: number; replyChars?: number } = {}) {
  const nemo = await startFakeGateway('nemorouter', fakeOpts);
  const or = await startFakeGateway('openrouter', fakeOpts);
  const lsp = await startLsp({
    settings: {
      gateways: [
        { id: 'nemo', kind: 'nemorouter', baseUrl: nemo.baseUrl, apiKeyEnv: 'TEST_NEMO_KEY' },
        { id: 'or', kind: 'openrouter', baseUrl: or.baseUrl, apiKeyEnv: 'TEST_OR_KEY' },
      ],
      aliases: { fast: 'openai/gpt-4o-mini' },
      proxy: { enabled: false },
      routing: { retryBaseDelayMs: 1 },
    },
    env: { TEST_NEMO_KEY: nemo.key, TEST_OR_KEY: or.key },
    initializationOptions: { dataDir: mkdtempSync(path.join(tmpdir(), 'switchyard-chat-')) },
  });
  try {
    await waitForLog(lsp, (l) => l.includes('started'));
    const deltas = (id: string) =>
      lsp.notifications.filter((n) => n.method === ChatDeltaNotification.method && (n.params as { requestId: string }).requestId === id).map((n) => (n.params as { text: string }).text);
    await fn({ lsp, nemo, or, deltas });
  } finally {
    assert.equal(await lsp.close(), 0, lsp.stderr());
    await nemo.close();
    await or.close();
  }
}

const params = (requestId: string, model: string, content = 'hello from the chat panel'): ChatParams => ({
  requestId,
  model,
  messages: [{ role: 'user', content }],
});

test('chat streams deltas batched into notifications and answers with what it cost', async () => {
  await withServer(
    async ({ lsp, deltas, nemo }) => {
      const res = await lsp.connection.sendRequest(ChatRequest, params('c1', 'gpt-4o'));
      assert.equal(res.ok, true, JSON.stringify(res));
      assert.equal(res.content.length, 600);
      assert.equal(deltas('c1').join(''), res.content, 'the deltas add up to the answer');
      // 75 chunks of 8 characters at 2 ms intervals: batching sends far fewer messages.
      assert.ok(deltas('c1').length < 75, `${deltas('c1').length} notifications`);
      assert.equal(res.gateway, 'nemo');
      assert.equal(res.servedModel, 'gpt-4o');
      assert.equal(res.costSource, 'gateway');
      assert.equal(res.costUsd, nemo.state.charges[0].costUsd);
      assert.equal(res.finishReason, 'stop');
      const alias = await lsp.connection.sendRequest(ChatRequest, params('c2', 'fast'));
      assert.equal(alias.servedModel, 'openai/gpt-4o-mini', 'aliases work from the chat panel');
    },
    { streamChunkDelayMs: 2, replyChars: 600 },
  );
});

test('Stop cancels the request: upstream is aborted, the text so far is kept and the answer says aborted', async () => {
  await withServer(
    async ({ lsp, nemo }) => {
      const cts = new CancellationTokenSource();
      const pending = lsp.connection.sendRequest(ChatRequest, params('s1', 'gpt-4o'), cts.token);
      await waitForNotification<{ requestId: string }>(lsp, ChatDeltaNotification.method, (p) => p.requestId === 's1');
      cts.cancel();
      const res = await pending;
      assert.equal(res.aborted, true, JSON.stringify(res));
      assert.ok(res.content.length > 0 && res.content.length < 4000, `kept ${res.content.length} characters`);
      assert.ok(res.costSource === 'estimated' && (res.outputTokens ?? 0) > 0, 'the partial answer is metered');
      assert.equal(nemo.state.charges.length, 0, 'the fake never finished the stream');
    },
    { streamChunkDelayMs: 10, replyChars: 4000 },
  );
});

test('errors reach the chat panel with the gateway\'s code, and unknown models with suggestions', async () => {
  await withServer(async ({ lsp, nemo }) => {
    nemo.fail({ path: '/chat/completions', error: 'insufficient_credits' });
    const broke = await lsp.connection.sendRequest(ChatRequest, params('e1', 'gpt-4o'));
    assert.equal(broke.ok, false);
    assert.equal(broke.error?.code, 'insufficient_credits');
    assert.equal(broke.error?.status, 402);
    assert.equal(broke.error?.gateway, 'nemo');

    const unknown = await lsp.connection.sendRequest(ChatRequest, params('e2', 'gpt4o'));
    assert.equal(unknown.error?.code, 'unknown_model');
    assert.ok(unknown.error?.suggestions?.includes('gpt-4o'), JSON.stringify(unknown.error));

    await assert.rejects(lsp.connection.sendRequest(ChatRequest, { requestId: 'e3', model: 'gpt-4o', messages: [] } as ChatParams), /messages/);
  });
});

test('estimate prices a prompt before sending it', async () => {
  await withServer(async ({ lsp }) => {
    const est = await lsp.connection.sendRequest(EstimateRequest, { model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(4000) }], maxTokens: 500 });
    assert.equal(est.inputTokens, 1000);
    assert.ok(Math.abs(est.inputCostUsd! - 0.0025) < 1e-12, `${est.inputCostUsd}`);
    assert.ok(Math.abs(est.maxCostUsd! - 0.0075) < 1e-12, `${est.maxCostUsd}`);
    assert.equal(est.contextLength, 128000);
  });
});
