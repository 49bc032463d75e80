// On VS Code without the Language Model Chat Provider API (1.100 here; it is final in 1.104) the extension
// registers no provider and everything else works (the rest of this suite); vscode.lm itself still answers.
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { test } = require('./harness.cjs');
const { api } = require('./extension.cjs');

module.exports = [
  test('without the provider API the extension activates and offers no models to vscode.lm', async () => {
    assert.equal(typeof vscode.lm.registerLanguageModelChatProvider, 'undefined', `VS Code ${vscode.version} has the API: this test belongs to the 1.100 route`);
    await (await api()).ready;
    assert.deepEqual(await vscode.lm.selectChatModels({ vendor: 'switchyard' }), []);
  }),
];
