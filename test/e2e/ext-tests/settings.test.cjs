const assert = require('node:assert/strict');
const vscode = require('vscode');
const { test } = require('./harness.cjs');
const { contributes } = require('./extension.cjs');

/** switchyard.* properties from contributes.configuration (an object or an array of them). */
function declaredSettings() {
  const blocks = [].concat(contributes().configuration || []);
  return Object.assign({}, ...blocks.map((b) => b.properties || {}));
}

module.exports = [
  test('settings are contributed under switchyard.*', () => {
    const keys = Object.keys(declaredSettings());
    assert.ok(keys.length > 0, 'contributes.configuration declares settings');
    const foreign = keys.filter((k) => !k.startsWith('switchyard.'));
    assert.deepEqual(foreign, [], 'settings outside the switchyard.* namespace');
  }),

  test('every switchyard.* setting has its declared default in VS Code', () => {
    const config = vscode.workspace.getConfiguration();
    const wrong = [];
    for (const [key, prop] of Object.entries(declaredSettings())) {
      if (!('default' in prop)) continue;
      const seen = config.inspect(key)?.defaultValue;
      try {
        assert.deepStrictEqual(seen, prop.default);
      } catch {
        wrong.push(`${key}: declared ${JSON.stringify(prop.default)}, VS Code has ${JSON.stringify(seen)}`);
      }
    }
    assert.deepEqual(wrong, []);
  }),

  test('settings the user did not set read as their defaults', () => {
    const config = vscode.workspace.getConfiguration();
    const wrong = [];
    let checked = 0;
    for (const [key, prop] of Object.entries(declaredSettings())) {
      if (!('default' in prop)) continue;
      const i = config.inspect(key);
      if (i.globalValue !== undefined || i.workspaceValue !== undefined || i.workspaceFolderValue !== undefined) continue;
      checked++;
      try {
        assert.deepStrictEqual(config.get(key), prop.default);
      } catch {
        wrong.push(`${key}: ${JSON.stringify(config.get(key))} instead of ${JSON.stringify(prop.default)}`);
      }
    }
    assert.ok(checked > 0, 'at least one setting is left at its default');
    assert.deepEqual(wrong, []);
  }),

  test('switchyard.gateways defaults to an empty list', () => {
    assert.deepStrictEqual(vscode.workspace.getConfiguration('switchyard').inspect('gateways')?.defaultValue, []);
  }),
];
