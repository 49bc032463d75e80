// VS Code's Chat path through the built language server over a real LSP connection, against the fake
// gateways: `switchyard/lmModels` picks favorites, the default model, aliases and the setting's patterns;
// `switchyard/lmChat` streams text, turns streamed tool-call pieces into whole calls, sends tool results and
// images upstream in the OpenAI shape, is refused by a budget with a message that says what to do, and
// writes its ledger line with source `vscode-chat`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import { startLsp, waitForLog, waitForNotification, type LspSession } from '../helpers/lsp';
import { startFakeGateway, type FakeGateway, type FakeGatewayOptions } from '../fakes/index';
import { LmChatDeltaNotification, LmChatRequest, LmModelsRequest, type LmChatParams } from '../../server/protocol/messages';

interface Env {
  lsp: LspSession;
  nemo: FakeGateway;
  dataDir: string;
  deltas(requestId: string): { text?: string; toolCall?: { id: string; name: string; input: Record<string, unknown> } }[];
}

async function withServer(fn: (e: Env) => Promise<void>, extra: Record<string, unknown> = {}, fakeOpts: FakeGatewayOptions = {}) {
  const nemo = await startFakeGateway('nemorouter', fakeOpts);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'switchyard-lmchat-'));
  const lsp = await startLsp({
    settings: {
      gateways: [{ id: 'nemo', kind: 'nemorouter', baseUrl: nemo.baseUrl, apiKeyEnv: 'TEST_NEMO_KEY' }],
      defaultModel: 'gpt-4o',
      aliases: { fast: 'openai/gpt-4o-mini' },
      proxy: { enabled: false },
      routing: { retryBaseDelayMs: 1 },
      ...extra,
    },
    env: { TEST_NEMO_KEY: nemo.key },
    initializationOptions: { dataDir },
  });
  try {
    await waitForLog(lsp, (l) => l.includes('started'));
    const deltas = (id: string) =>
      lsp.notifications
        .filter((n) => n.method === LmChatDeltaNotification.method && (n.params as { requestId: string }).requestId === id)
        .map((n) => n.params as ReturnType<Env['deltas']>[number]);
    await fn({ lsp, nemo, dataDir, deltas });
  } finally {
    assert.equal(await lsp.close(), 0, lsp.stderr());
    await nemo.close();
  }
}

async function waitForCatalog(lsp: LspSession, favorites: string[] = []) {
  for (let i = 0; i < 200; i++) {
    const models = await lsp.connection.sendRequest(LmModelsRequest, { favorites });
    if (models.some((m) => m.detail.includes('nemo'))) return models;
    await new Promise((r) => setTimeout(r, 50)); // polling a condition: the live catalog replacing the offline table
  }
  throw new Error('the live catalog never arrived');
}

const tool = { type: 'function' as const, function: { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };
const params = (requestId: string, content: string, more: Partial<LmChatParams> = {}): LmChatParams => ({
  requestId,
  model: 'gpt-4o',
  messages: [{ role: 'user', content }],
  ...more,
});

function ledgerLines(dataDir: string): Record<string, unknown>[] {
  const dir = path.join(dataDir, 'ledger');
  return readdirSync(dir).flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>));
}

test('the picker holds favorites, the default model, aliases and the setting\'s patterns, with limits, capabilities and prices', async () => {
  await withServer(
    async ({ lsp }) => {
      const models = await waitForCatalog(lsp, ['anthropic/claude-4-sonnet', 'no/such-model']);
      const ids = models.map((m) => `${m.reason}:${m.id}`);
      assert.deepEqual(ids.slice(0, 3), ['favorite:anthropic/claude-4-sonnet', 'default:openai/gpt-4o', 'alias:fast'], ids.join(', '));
      assert.ok(models.slice(3).every((m) => m.reason === 'setting' && m.version.includes('mini')), ids.join(', '));
      const gpt4o = models.find((m) => m.id === 'openai/gpt-4o')!;
      assert.equal(gpt4o.family, 'gpt-4o');
      assert.ok(gpt4o.maxInputTokens > 0 && gpt4o.maxInputTokens <= 128000, `${gpt4o.maxInputTokens}`);
      assert.ok(gpt4o.maxOutputTokens > 0);
      assert.equal(gpt4o.toolCalling, true);
      assert.match(gpt4o.detail, /^\$2\.50 \/ \$10 per M · nemo$/, 'the price pair as every other surface writes it (present.ts)');
      assert.match(gpt4o.tooltip, /Gateway: nemo/);
      const fast = models.find((m) => m.id === 'fast')!;
      assert.match(fast.name, /^fast → /);
    },
    { vscodeChat: { models: ['*mini*'] } },
  );
});

test('text streams as deltas and the ledger line has source vscode-chat', async () => {
  await withServer(
    async ({ lsp, deltas, nemo, dataDir }) => {
      await waitForCatalog(lsp);
      const res = await lsp.connection.sendRequest(LmChatRequest, params('t1', 'hello from VS Code'));
      assert.equal(res.ok, true, JSON.stringify(res));
      assert.equal(deltas('t1').map((d) => d.text ?? '').join(''), res.content);
      assert.equal(res.costUsd, nemo.state.charges[0].costUsd);
      const line = ledgerLines(dataDir).find((l) => l.requestId === 't1');
      assert.ok(line, 'a ledger line for the request');
      assert.equal(line.source, 'vscode-chat');
      assert.equal(line.status, 'ok');
    },
    {},
    { streamChunkDelayMs: 1, replyChars: 200 },
  );
});

test('a streamed tool call arrives whole, and the tool result goes upstream as a tool message', async () => {
  await withServer(async ({ lsp, deltas, nemo }) => {
    await waitForCatalog(lsp);
    const first = await lsp.connection.sendRequest(LmChatRequest, params('x1', 'weather? [[tool:get_weather {"city":"Paris"}]]', { tools: [tool] }));
    assert.equal(first.ok, true, JSON.stringify(first));
    assert.equal(first.finishReason, 'tool_calls');
    const calls = deltas('x1').filter((d) => d.toolCall).map((d) => d.toolCall!);
    assert.equal(calls.length, 1);
    assert.equal(calls[0].name, 'get_weather');
    assert.deepEqual(calls[0].input, { city: 'Paris' });
    assert.deepEqual(first.toolCalls, calls);

    const second = await lsp.connection.sendRequest(LmChatRequest, {
      requestId: 'x2',
      model: 'gpt-4o',
      tools: [tool],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'weather? [[tool:get_weather {"city":"Paris"}]]' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: calls[0].id, type: 'function', function: { name: 'get_weather', arguments: JSON.stringify(calls[0].input) } }] },
        { role: 'tool', tool_call_id: calls[0].id, content: 'sunny, 21 °C' },
      ],
    });
    assert.equal(second.ok, true, JSON.stringify(second));
    assert.match(second.content, /^Tool result: .*sunny, 21 °C/);
    const sent = nemo.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)!.body as { messages: { role: string; content: unknown }[] };
    assert.deepEqual(sent.messages.map((m) => m.role), ['user', 'assistant', 'tool']);
    assert.deepEqual((sent.messages[0].content as { type: string }[]).map((p) => p.type), ['text', 'image_url']);
  });
});

test('parallel tool calls streamed without index (Gemini\'s way) arrive as two whole calls', async () => {
  await withServer(
    async ({ lsp, deltas }) => {
      await waitForCatalog(lsp);
      const clock = { ...tool, function: { ...tool.function, name: 'get_time' } };
      const r = await lsp.connection.sendRequest(LmChatRequest, params('ix', 'both? [[tool:get_weather {"city":"Paris"}]] [[tool:get_time {"zone":"Europe/Oslo"}]]', { tools: [tool, clock] }));
      assert.equal(r.ok, true, JSON.stringify(r));
      const calls = deltas('ix').filter((d) => d.toolCall).map((d) => ({ name: d.toolCall!.name, input: d.toolCall!.input }));
      assert.deepEqual(calls, [
        { name: 'get_weather', input: { city: 'Paris' } },
        { name: 'get_time', input: { zone: 'Europe/Oslo' } },
      ]);
      assert.equal(r.toolCalls?.length, 2);
    },
    {},
    { toolCallDeltas: 'indexless', streamChunkChars: 5 },
  );
});

test('cancellation aborts upstream and the ledger says aborted', async () => {
  await withServer(
    async ({ lsp, nemo, dataDir }) => {
      await waitForCatalog(lsp);
      const cts = new CancellationTokenSource();
      const pending = lsp.connection.sendRequest(LmChatRequest, params('c1', 'a long answer please'), cts.token);
      await waitForNotification<{ requestId: string }>(lsp, LmChatDeltaNotification.method, (p) => p.requestId === 'c1', { what: 'the first delta of c1' });
      cts.cancel();
      const res = await pending;
      assert.equal(res.aborted, true, JSON.stringify(res));
      assert.equal(nemo.state.charges.length, 0, 'the fake never finished the stream');
      assert.equal(ledgerLines(dataDir).find((l) => l.requestId === 'c1')?.status, 'aborted');
    },
    {},
    { streamChunkDelayMs: 10, replyChars: 4000 },
  );
});

test('a budget refusal comes back as an error that says what to do', async () => {
  await withServer(
    async ({ lsp, nemo }) => {
      await waitForCatalog(lsp);
      const res = await lsp.connection.sendRequest(LmChatRequest, params('b1', 'hello'));
      assert.equal(res.ok, false);
      assert.equal(res.error?.code, 'budget_exceeded');
      assert.match(res.error!.message, /Raise "switchyard\.budget\.daily"/);
      assert.equal(nemo.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 0, 'nothing went upstream');
    },
    { budget: { daily: 0 } },
  );
});
