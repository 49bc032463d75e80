// The extension under test and its activate() API, shared by the test files.
const assert = require('node:assert/strict');
const vscode = require('vscode');

const EXTENSION_ID = 'switchyard.switchyard';

function extension() {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(
    ext,
    `extension ${EXTENSION_ID} is not loaded; known: ${vscode.extensions.all
      .filter((e) => !e.id.startsWith('vscode.'))
      .map((e) => e.id)
      .join(', ') || '(none but built-ins)'}`,
  );
  return ext;
}

/** Activates the extension (idempotent) and returns what activate() returned. */
async function api() {
  return extension().activate();
}

/** The contributes block of the extension's package.json. */
function contributes() {
  return extension().packageJSON.contributes || {};
}

module.exports = { EXTENSION_ID, extension, api, contributes };
