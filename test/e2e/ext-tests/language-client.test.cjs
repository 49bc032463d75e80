const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');
const { test, withTimeout } = require('./harness.cjs');
const { api, extension } = require('./extension.cjs');

/** vscode-languageclient's State.Running is 2; isRunning() exists on 8+. */
const isRunning = (c) => (typeof c.isRunning === 'function' ? c.isRunning() : c.state === 2);

async function runningClient() {
  const a = await api();
  assert.ok(a && a.ready && typeof a.ready.then === 'function', 'activate() must return { ready: Promise<void> }');
  await withTimeout(a.ready, 60_000, 'api.ready (the language server did not start; see the "Switchyard" output channel)');
  assert.equal(typeof a.client, 'function', 'the API exposes client() returning the LanguageClient');
  const c = a.client();
  assert.ok(c, 'api.client() returns the client once ready resolved');
  return { a, c };
}

module.exports = [
  test('the language client reaches the running state', async () => {
    const { c } = await runningClient();
    assert.ok(isRunning(c), `client state is ${c.state}, expected running (2)`);
    assert.ok(c.initializeResult && c.initializeResult.capabilities, 'the server answered initialize with capabilities');
  }, { timeoutMs: 70_000 }),

  test('the client runs from dist/lsp-client.js on dist/client.js\'s vscode-jsonrpc (one copy: its errors are that ResponseError)', async () => {
    const { c } = await runningClient();
    const dist = path.join(extension().extensionPath, 'dist');
    const main = require.cache[path.join(dist, 'client.js')];
    assert.ok(main, `dist/client.js is loaded (modules from dist/: ${Object.keys(require.cache).filter((k) => k.startsWith(dist)).join(', ') || 'none'})`);
    assert.ok(require.cache[path.join(dist, 'lsp-client.js')], 'dist/lsp-client.js was loaded after activation');
    const error = await c.sendRequest('switchyard/noSuchRequest', {}).then(() => undefined, (e) => e);
    assert.ok(error, 'an unknown request is refused by the server');
    assert.ok(error instanceof main.exports.jsonrpc.ResponseError, `the refusal is dist/client.js's ResponseError (got ${error && error.constructor && error.constructor.name})`);
    assert.equal(error.code, main.exports.jsonrpc.ErrorCodes.MethodNotFound);
  }, { timeoutMs: 70_000 }),

  test('"switchyard.restartServer" brings up a new running client', async () => {
    const { a, c: before } = await runningClient();
    await vscode.commands.executeCommand('switchyard.restartServer');
    const after = a.client();
    assert.ok(after, 'a client exists after the restart');
    assert.notEqual(after, before, 'the restart created a new client');
    assert.ok(isRunning(after), `client state after restart is ${after.state}, expected running (2)`);
  }, { timeoutMs: 70_000 }),
];
