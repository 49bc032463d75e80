// The language server over a real LSP connection, as Neovim or Helix would use it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startLsp, waitForLog } from '../helpers/lsp';
import { SettingsProblemNotification } from '../../server/protocol/messages';

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'switchyard-lsp-'));

test('switchyard lsp --stdio initializes within a second, advertises its features and shuts down cleanly', async () => {
  const t0 = performance.now();
  const s = await startLsp({ initializationOptions: { dataDir: dataDir() } });
  const initMs = performance.now() - t0;
  try {
    const caps = s.initialize.capabilities;
    assert.ok(caps.completionProvider, 'completion');
    assert.equal(caps.hoverProvider, true, 'hover');
    assert.ok(caps.codeActionProvider, 'code actions');
    assert.ok(caps.diagnosticProvider, 'diagnostics');
    assert.equal(s.initialize.serverInfo?.name, 'switchyard');
    // Spawn + Node start + initialize: the contract is "answers initialize within a second".
    assert.ok(initMs < 1000, `initialize took ${initMs.toFixed(0)} ms`);
    await waitForLog(s, (l) => l.includes('language server') && l.includes('started'));
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
