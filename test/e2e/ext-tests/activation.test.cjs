const assert = require('node:assert/strict');
const vscode = require('vscode');
const { test } = require('./harness.cjs');
const { extension, api } = require('./extension.cjs');

module.exports = [
  test('runs inside a real VS Code extension host', () => {
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    assert.equal(typeof process.versions.node, 'string');
  }),

  test('the extension activates', async () => {
    const ext = extension();
    await ext.activate();
    assert.ok(ext.isActive, 'extension.isActive after activate()');
  }),

  test('activate() returns the API with a ready promise', async () => {
    const a = await api();
    assert.ok(a && typeof a === 'object', 'activate() must return an object (SwitchyardApi in client/extension.ts)');
    assert.ok(
      a.ready && typeof a.ready.then === 'function',
      'activate() must return { ready: Promise<void> } that resolves when the language server runs',
    );
  }),

  test('declares activation events that start it without user action', () => {
    const events = extension().packageJSON.activationEvents || [];
    assert.ok(
      events.includes('onStartupFinished') || events.includes('*'),
      `the status bar and the terminal environment need the extension running at startup; activationEvents: ${JSON.stringify(events)}`,
    );
  }),
];
