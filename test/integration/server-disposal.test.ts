// The language server's disposal scope (issue 15 item 4): after `shutdown`, nothing the server started
// is left running — no timer (unref'd ones included, which process.getActiveResourcesInfo() does not
// list), no listening socket, no file watcher, no upstream connection — even with answers still
// streaming (the chat panel's, VS Code Chat's, one through the proxy), each of which gets its ledger
// line. Checked in-process with async_hooks, over a real LSP connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ShutdownRequest } from 'vscode-languageserver-protocol/node';
import { ChatRequest, LmChatRequest, ProxyInfoRequest } from '../../server/protocol/messages';
import { startFakeGateway } from '../fakes';
import { startInMemoryLsp } from '../helpers/lsp';

/** Resources that keep work going after their creator is done with them (an Immediate runs once, at once). */
const TRACKED = new Set(['Timeout', 'TCPWRAP', 'TCPSERVERWRAP', 'FSEVENTWRAP', 'STATWATCHER']);

/**
 * Every tracked resource created while tracking and not destroyed yet, with where it was made. Not
 * only the server's: a stack does not always say who asked (a listen on a host name is created after
 * a DNS lookup), so the test ends everything of its own (client, fake gateway) before it looks.
 */
function trackResources() {
  const live = new Map<number, { type: string; stack: string }>();
  const limit = Error.stackTraceLimit;
  const hook = createHook({
    init(id, type) {
      if (!TRACKED.has(type)) return;
      Error.stackTraceLimit = 40;
      const stack = new Error().stack ?? '';
      Error.stackTraceLimit = limit;
      // AbortSignal.timeout()'s timer is Node's own weak, unref'd one: it keeps nothing alive, holds no
      // callback of ours, and ends with its signal; a request that finished leaves it behind by design.
      if (stack.includes('setWeakAbortSignalTimeout')) return;
      live.set(id, { type, stack });
    },
    destroy(id) {
      live.delete(id);
    },
  });
  hook.enable();
  return { live, stop: () => hook.disable() };
}

/** The promise's value, or a clear failure when it has not settled within `ms`. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Waits (bounded) until `done()`, checking after each turn of the event loop; no fixed sleep. */
async function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((r) => setImmediate(r));
  return done();
}

test('after shutdown no timer, socket or watcher of the server remains, and streaming answers (the chat panel\'s, VS Code Chat\'s, a proxied one) do not hold shutdown up, and each has its ledger line', async () => {
  const gateway = await startFakeGateway('openrouter');
  // The chats' upstream never answers: only the disposal scope can end them.
  gateway.fail({ path: '/chat/completions', hangMs: Infinity, times: 3 });
  const tracker = trackResources();
  const settings = {
    gateways: [{ id: 'or', kind: 'openrouter', baseUrl: gateway.baseUrl, apiKeyEnv: 'OR_KEY' }],
    proxy: { enabled: true, port: 0 },
  };
  const dataDir = mkdtempSync(path.join(tmpdir(), 'switchyard-dispose-'));
  const session = await startInMemoryLsp({
    env: { OR_KEY: gateway.key },
    settings,
    initializationOptions: { dataDir },
  });
  const { connection: client, server: handle } = session;
  try {
    const proxy = await client.sendRequest(ProxyInfoRequest);
    assert.equal(proxy.running, true, `the proxy listens: ${JSON.stringify(proxy)}`);
    const app = handle.app();
    assert.ok(app);
    assert.ok(await until(() => app.catalog.statuses().some((s) => s.state === 'ok'), 10_000), 'the gateway catalog loaded');

    const chat = client.sendRequest(ChatRequest, { requestId: 'c1', model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    const lmChat = client.sendRequest(LmChatRequest, { requestId: 'l1', model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    // A terminal tool's request through the in-editor proxy, streaming too.
    const viaProxy = fetch(`${proxy.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${proxy.token}`, 'content-type': 'application/json', 'x-request-id': 'p1' },
      body: JSON.stringify({ model: 'openai/gpt-4o', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    }).then(
      async (r) => `${r.status} ${await r.text().catch((e: unknown) => String(e))}`,
      (e: unknown) => `failed: ${String(e)}`,
    );
    assert.ok(await until(() => gateway.requests.filter((r) => r.path.endsWith('/chat/completions')).length === 3, 10_000), 'the three requests reached the gateway');
    assert.ok(
      [...tracker.live.values()].some((r) => r.type === 'TCPSERVERWRAP'),
      'the proxy socket is seen by the tracker (the check below is not vacuous)',
    );

    const t0 = performance.now();
    await within(client.sendRequest(ShutdownRequest.type), 10_000, 'shutdown');
    const shutdownMs = performance.now() - t0;
    const answer = await within(chat, 5000, 'the chat panel request');
    assert.equal(answer.aborted, true, `the streaming chat was stopped: ${JSON.stringify(answer)}`);
    const lmAnswer = await within(lmChat, 5000, "VS Code Chat's request");
    assert.equal(lmAnswer.aborted, true, `VS Code Chat's request was stopped: ${JSON.stringify(lmAnswer)}`);
    assert.ok(shutdownMs < 5000, `shutdown took ${shutdownMs.toFixed(0)} ms`);
    const proxied = await within(viaProxy, 5000, 'the proxied request');
    assert.ok(!proxied.startsWith('200 ') || !proxied.includes('[DONE]'), `the proxied stream did not end as if complete: ${proxied}`);
    // All three were sent (the gateway may bill them): each has its ledger line, written before shutdown ended.
    const ledgerDir = path.join(dataDir, 'ledger');
    const lines = readdirSync(ledgerDir).flatMap((f) => readFileSync(path.join(ledgerDir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { requestId: string; status: string; source: string }));
    assert.deepEqual(
      lines.map((l) => `${l.requestId} ${l.source} ${l.status}`).sort(),
      ['c1 chat aborted', 'l1 vscode-chat aborted', 'p1 proxy aborted'],
    );

    client.dispose();
    await gateway.close();
    // Destroy hooks arrive a turn or two after the close; wait for them, bounded.
    await until(() => tracker.live.size === 0, 5000);
    const left = [...tracker.live.values()].map((r) => `${r.type} created at\n${r.stack.split('\n').slice(1, 12).join('\n')}`);
    assert.deepEqual(left, [], `still alive after shutdown:\n${left.join('\n\n')}`);
  } finally {
    tracker.stop();
    client.dispose();
    await gateway.close();
  }
});
