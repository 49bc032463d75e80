// The built extension (dist/client.js) under a stand-in `vscode` module: activation returns before
// the language client's own bundle (dist/lsp-client.js) is read, and when that bundle cannot be
// loaded the person gets one actionable message instead of a silent, half-working extension.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { tempDirFor } from './ledger-fixtures';
const { installVscodeStandIn } = require('./vscode-stand-in.cjs') as typeof import('./vscode-stand-in.cjs');

const root = path.resolve(__dirname, '../..');

test('dist/client.js activates without dist/lsp-client.js and says once, actionably, that the server did not start', async (t) => {
  const bundle = path.join(root, 'dist/client.js');
  assert.ok(existsSync(bundle), 'npm test builds dist/ first');
  const dir = tempDirFor(t);
  copyFileSync(bundle, path.join(dir, 'client.js')); // and no lsp-client.js beside it: a broken install

  const errors: string[] = [];
  const { make, restore } = installVscodeStandIn({
    window: { showErrorMessage: (message: string) => (errors.push(message), Promise.resolve(undefined)) },
  });
  t.after(restore);

  const ext = require(path.join(dir, 'client.js')) as { activate(ctx: unknown): { ready: Promise<void> } };
  const ctx = new Proxy({ subscriptions: [] as unknown[], asAbsolutePath: (p: string) => path.join(dir, p) }, {
    get: (o, p) => (p in o ? o[p as keyof typeof o] : make()),
  });
  const api = ext.activate(ctx);
  assert.deepEqual(errors, [], 'activate() returned before the language client was loaded');

  await assert.rejects(api.ready, /lsp-client\.js/);
  await new Promise((r) => setImmediate(r));
  assert.equal(errors.length, 1, `one message, got ${JSON.stringify(errors)}`);
  assert.match(errors[0], /^The Switchyard language server did not start: .*lsp-client\.js/);
});
