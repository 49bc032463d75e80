// VS Code's own Chat on Switchyard, inside a real VS Code 1.139 extension host (the code-server 4.139.1 route,
// profile fakes-vscode-chat): the models a Chat participant or agent sees through vscode.lm, streaming, a tool
// round trip against the fakes' deterministic tool calls, cancellation, a budget refusal, and the ledger lines.
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { test } = require('./harness.cjs');
const { api } = require('./extension.cjs');

const VENDOR = 'switchyard';
const until = async (probe, what, timeoutMs = 30_000) => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200)); // polling a condition, not a fixed wait
  }
};

async function client() {
  const a = await api();
  await a.ready;
  return a.client();
}

/** Switchyard's models once the live catalog (the fakes) has replaced the offline table. */
async function models() {
  return until(async () => {
    const ms = await vscode.lm.selectChatModels({ vendor: VENDOR });
    return ms.some((m) => m.id === 'openai/gpt-4o') && ms.some((m) => m.id === 'fast') ? ms : undefined;
  }, 'switchyard models in vscode.lm (default model and alias)', 60_000);
}

/** Sends and collects every part; an error thrown by the provider is returned, not thrown. */
async function send(model, messages, options = {}, token) {
  const parts = [];
  try {
    const res = await model.sendRequest(messages, options, token);
    for await (const p of res.stream) parts.push(p);
    return { parts, text: parts.filter((p) => p instanceof vscode.LanguageModelTextPart).map((p) => p.value).join('') };
  } catch (e) {
    return { parts, error: e };
  }
}

async function ledger() {
  return (await client()).sendRequest('switchyard/ledger', {});
}

const weatherTool = {
  name: 'get_weather',
  description: 'The weather of a city',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

module.exports = [
  test('vscode.lm lists Switchyard\'s default model and alias with limits and the catalog\'s data', async () => {
    const ms = await models();
    const gpt4o = ms.find((m) => m.id === 'openai/gpt-4o');
    assert.equal(gpt4o.vendor, VENDOR);
    assert.equal(gpt4o.family, 'gpt-4o');
    assert.equal(gpt4o.version, 'openai/gpt-4o');
    assert.ok(gpt4o.maxInputTokens > 1000 && gpt4o.maxInputTokens <= 128000, `maxInputTokens ${gpt4o.maxInputTokens}`);
    assert.equal(gpt4o.capabilities?.supportsToolCalling, true, JSON.stringify(gpt4o.capabilities));
    const fast = ms.find((m) => m.id === 'fast');
    assert.match(fast.name, /^fast → /);
    const tokens = await gpt4o.countTokens('x'.repeat(400));
    assert.equal(tokens, 100, 'the pipeline\'s own estimate: ~4 characters a token');
  }, { timeoutMs: 90_000 }),

  test('sendRequest streams the fake gateway\'s answer, and its ledger line says vscode-chat', async () => {
    const [gpt4o] = (await models()).filter((m) => m.id === 'openai/gpt-4o');
    const before = (await ledger()).length;
    const r = await send(gpt4o, [vscode.LanguageModelChatMessage.User('hello from the extension host')]);
    assert.equal(r.error, undefined, String(r.error));
    assert.equal(r.text, 'Echo: hello from the extension host');
    assert.ok(r.parts.length >= 1);
    const lines = await until(async () => {
      const all = await ledger();
      return all.length > before ? all : undefined;
    }, 'the ledger line');
    const last = lines[lines.length - 1];
    assert.equal(last.source, 'vscode-chat');
    assert.equal(last.status, 'ok');
    assert.equal(last.servedModel.endsWith('gpt-4o'), true, JSON.stringify(last));
  }),

  test('a tool round trip: the fake calls the offered tool, then answers from the tool result', async () => {
    const [gpt4o] = (await models()).filter((m) => m.id === 'openai/gpt-4o');
    const ask = vscode.LanguageModelChatMessage.User('weather in Paris? [[tool:get_weather {"city":"Paris"}]]');
    const first = await send(gpt4o, [ask], { tools: [weatherTool] });
    assert.equal(first.error, undefined, String(first.error));
    const calls = first.parts.filter((p) => p instanceof vscode.LanguageModelToolCallPart);
    assert.equal(calls.length, 1, `parts: ${JSON.stringify(first.parts)}`);
    assert.equal(calls[0].name, 'get_weather');
    assert.deepEqual(calls[0].input, { city: 'Paris' });
    const second = await send(gpt4o, [
      ask,
      vscode.LanguageModelChatMessage.Assistant([calls[0]]),
      vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart(calls[0].callId, [new vscode.LanguageModelTextPart('sunny, 21 degrees')])]),
    ], { tools: [weatherTool] });
    assert.equal(second.error, undefined, String(second.error));
    assert.match(second.text, /^Tool result: .*sunny, 21 degrees/);
    assert.equal(second.parts.some((p) => p instanceof vscode.LanguageModelToolCallPart), false, 'no second tool call: agent loops end');
  }),

  test('cancellation stops the answer mid-stream and the ledger line says aborted', async () => {
    const [gpt4o] = (await models()).filter((m) => m.id === 'openai/gpt-4o');
    const cts = new vscode.CancellationTokenSource();
    // The fakes stream 8 characters every 20 ms (run.sh): this answer would take ~8 s.
    const res = await gpt4o.sendRequest([vscode.LanguageModelChatMessage.User('x'.repeat(3200))], {}, cts.token);
    let text = '';
    let error;
    try {
      for await (const p of res.stream) {
        if (p instanceof vscode.LanguageModelTextPart) text += p.value;
        if (text.length > 0) cts.cancel();
      }
    } catch (e) {
      error = e; // VS Code may end a cancelled stream with a CancellationError
    }
    assert.ok(text.length > 0 && text.length < 3000, `received ${text.length} characters (${error ?? 'no error'})`);
    const line = await until(async () => {
      const all = await ledger();
      const l = all[all.length - 1];
      return l && l.status === 'aborted' ? l : undefined;
    }, 'an aborted vscode-chat ledger line');
    assert.equal(line.source, 'vscode-chat');
  }),

  test('a budget refusal reaches the caller as an error that says what to do', async () => {
    const [gpt4o] = (await models()).filter((m) => m.id === 'openai/gpt-4o');
    const c = await client();
    const config = vscode.workspace.getConfiguration('switchyard');
    await config.update('budget.daily', 0, vscode.ConfigurationTarget.Global);
    try {
      await until(async () => (await c.sendRequest('switchyard/getStatus')).budgetLevel === 'exceeded', 'the server to apply the budget');
      const r = await send(gpt4o, [vscode.LanguageModelChatMessage.User('this must not reach a gateway')]);
      assert.ok(r.error, `no error; got "${r.text}"`);
      assert.match(String(r.error.message), /Budget exceeded/);
      assert.match(String(r.error.message), /Raise "switchyard\.budget\.daily"/);
    } finally {
      await config.update('budget.daily', undefined, vscode.ConfigurationTarget.Global);
      await until(async () => (await c.sendRequest('switchyard/getStatus')).budgetLevel !== 'exceeded', 'the budget to be lifted');
    }
  }),

  test('the provider\'s management command and the @switchyard participant are contributed', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('switchyard.lm.manage'), 'the provider\'s management command is registered');
    const pkg = vscode.extensions.getExtension('switchyard.switchyard').packageJSON.contributes;
    assert.deepEqual(pkg.languageModelChatProviders, [{ vendor: VENDOR, displayName: 'Switchyard', managementCommand: 'switchyard.lm.manage' }]);
    assert.deepEqual(pkg.chatParticipants[0].commands.map((c) => c.name), ['spend', 'models', 'compare']);
  }),
];
