// Issue 16 item 6: no key and no URL password leaves Switchyard — not in a response, a ledger line,
// a log, the CLI's output or any file of the data directory — and the data directory is private
// (0700, every file 0600). The gateways here echo their key back in an error `code`, and one
// gateway's baseUrl carries `user:password@`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startHarness, rawRequest, auth } from './proxy-harness';
import { runCli } from '../../server/cli/main';

const PASSWORD = 'hunter2-Pa55word';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [path.join(dir, e.name), ...walk(path.join(dir, e.name))] : [path.join(dir, e.name)]));
}

test('keys echoed in error codes and a password in a baseUrl appear nowhere; the data dir is private', async () => {
  const h = await startHarness({ gateways: { nemo: 'nemorouter', local: 'openai-compatible' } });
  const outputs: string[] = [];
  try {
    const keys = h.keys();
    assert.equal(keys.length, 2);
    // Each gateway answers once with its own key as the error code, once in a 200 stream error.
    for (const [id, fake] of Object.entries(h.fakes)) {
      fake.fail({ path: '/chat/completions', status: 400, error: { code: fake.key!, message: `bad key ${fake.key}` } });
      const r = await rawRequest(h.port, {
        method: 'POST', path: '/v1/chat/completions', headers: { ...auth(), 'content-type': 'application/json', 'x-switchyard-gateway': id },
        body: JSON.stringify({ model: id === 'nemo' ? 'gpt-4o' : 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      });
      assert.equal(r.status, 400, r.body);
      outputs.push(r.body, JSON.stringify(r.headers));
    }
    const lines = await h.ledger();
    assert.deepEqual(lines.map((l) => l.status), ['bad_request', 'bad_request']);
    outputs.push(JSON.stringify(lines), ...h.logs);

    // A password in a baseUrl: `switchyard models` (output and stderr) and the cached catalog.
    const fake = h.fakes.local;
    const withPassword = fake.baseUrl.replace('http://', `http://admin:${PASSWORD}@`);
    const dir = mkdtempSync(path.join(tmpdir(), 'switchyard-secrets-'));
    const config = path.join(dir, 'switchyard.json');
    writeFileSync(config, JSON.stringify({ gateways: [{ id: 'pw', kind: 'openai-compatible', baseUrl: withPassword, apiKeyEnv: 'PW_KEY' }, { id: 'down', kind: 'openai-compatible', baseUrl: `http://admin:${PASSWORD}@127.0.0.1:9/v1` }] }));
    const data = path.join(dir, 'data');
    for (const args of [['models', '--json'], ['models'], ['credits']]) {
      let out = '';
      let err = '';
      await runCli([...args, '--config', config, '--data-dir', data], { out: (t) => (out += t), err: (t) => (err += t), env: { PW_KEY: fake.key } });
      outputs.push(out, err);
    }
    assert.ok(outputs.some((o) => o.includes('gpt-4o-mini')), 'the password gateway was listed');
    for (const root of [h.dataDir, data]) {
      assert.equal(statSync(root).mode & 0o777, 0o700, root);
      for (const f of walk(root)) {
        const st = statSync(f);
        assert.equal(st.mode & 0o777, st.isDirectory() ? 0o700 : 0o600, f);
        if (st.isFile()) outputs.push(readFileSync(f, 'utf8'));
      }
    }
    assert.ok(walk(data).some((f) => f.includes('catalog')), 'a catalog was cached');
    const all = outputs.join('\n');
    for (const secret of [...keys, PASSWORD]) assert.ok(!all.includes(secret), `a secret leaked: ${secret.slice(0, 6)}…`);
  } finally {
    await h.close();
  }
});
