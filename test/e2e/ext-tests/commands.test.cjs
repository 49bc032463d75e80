const assert = require('node:assert/strict');
const vscode = require('vscode');
const { test } = require('./harness.cjs');
const { api, contributes } = require('./extension.cjs');

module.exports = [
  test('every command contributed in package.json is registered', async () => {
    await api();
    const declared = (contributes().commands || []).map((c) => c.command);
    assert.ok(declared.length > 0, 'package.json contributes at least one command');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered by activate(): ${missing.join(', ')}`);
  }),

  test('every contributed command has a title and the Switchyard category', () => {
    const bad = (contributes().commands || []).filter((c) => !c.title || c.category !== 'Switchyard');
    assert.deepEqual(bad.map((c) => c.command), [], 'commands without a title or outside the "Switchyard" category');
  }),

  test('menus and keybindings only name contributed commands', () => {
    const declared = new Set((contributes().commands || []).map((c) => c.command));
    const used = [
      ...Object.values(contributes().menus || {}).flat().map((m) => m.command),
      ...(contributes().keybindings || []).map((k) => k.command),
    ].filter((c) => c && c.startsWith('switchyard.'));
    const unknown = [...new Set(used.filter((c) => !declared.has(c)))];
    assert.deepEqual(unknown, [], 'menu/keybinding entries naming commands that package.json does not contribute');
  }),

  test('"switchyard.showLogs" runs', async () => {
    await api();
    await vscode.commands.executeCommand('switchyard.showLogs');
  }),
];
