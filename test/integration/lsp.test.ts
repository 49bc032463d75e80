// The language server over a real LSP connection, as Neovim or Helix would use it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DidOpenTextDocumentNotification, DocumentDiagnosticRequest } from 'vscode-languageserver-protocol/node';
import { startLsp, waitForLog } from '../helpers/lsp';
import { SettingsProblemNotification } from '../../server/protocol/messages';

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'switchyard-lsp-'));

// Start-up time is measured by bench/language.bench.ts (`npm run bench language`), not asserted here:
// a wall-clock limit in a test fails whenever the machine is busy.
test('switchyard lsp --stdio initializes, advertises its features, answers requests and shuts down cleanly', async () => {
  const s = await startLsp({ initializationOptions: { dataDir: dataDir() } });
  try {
    const caps = s.initialize.capabilities;
    assert.ok(caps.completionProvider, 'completion');
    assert.equal(caps.hoverProvider, true, 'hover');
    assert.ok(caps.codeActionProvider, 'code actions');
    assert.ok(caps.diagnosticProvider, 'diagnostics');
    assert.equal(s.initialize.serverInfo?.name, 'switchyard');
    await waitForLog(s, (l) => l.includes('language server') && l.includes('started'));
    // It answers: a pulled diagnostic report for an open file (no model strings, so no problems).
    const uri = 'file:///lsp-test/app.py';
    await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text: 'print("hello")\n' } });
    const report = await s.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    assert.equal(report.kind, 'full');
    assert.deepEqual(report.kind === 'full' && report.items, []);
  } finally {
    assert.equal(await s.close(), 0, `exit code; stderr: ${s.stderr()}`);
  }
});

test('invalid settings are reported with the offending key and the server keeps running', async () => {
  const s = await startLsp({
    settings: { gateways: [{ id: 'broken', kind: 'nope' }], proxy: { port: -1 } },
    initializationOptions: { dataDir: dataDir() },
  });
  try {
    const line = await waitForLog(s, (l) => l.startsWith('invalid switchyard settings'));
    assert.match(line, /gateways/);
    assert.match(line, /proxy\.port/);
    await waitForLog(s, (l) => l.includes('started'));
    const problem = s.notifications.find((n) => n.method === SettingsProblemNotification.method);
    assert.ok(problem, 'the client is told so it can show the problem');
    assert.match((problem.params as { message: string }).message, /gateways/);
  } finally {
    assert.equal(await s.close(), 0);
  }
});

test('an LSP client without workspace/configuration can pass settings in initializationOptions', async () => {
  const s = await startLsp({
    capabilities: {},
    initializationOptions: { dataDir: dataDir(), settings: { proxy: { port: 'x' } } },
  });
  try {
    const line = await waitForLog(s, (l) => l.startsWith('invalid switchyard settings'));
    assert.match(line, /proxy\.port/);
  } finally {
    assert.equal(await s.close(), 0);
  }
});
