// Budgets across writers, end to end: two headless `switchyard proxy` processes share one data
// directory (one ledger) in front of a fake NemoRouter; the official OpenAI SDK is the client.
// What one proxy spent stops the other at the limit with HTTP 402 budget_exceeded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import OpenAI from 'openai';
import { startFakeGateway } from '../fakes';
import type { CreditsJson } from '../../server/cli/credits';
import { readLedgerFile } from '../../server/ledger/reader';
import { ledgerDir, localMonth, monthFile } from '../../server/ledger/files';
import { silentLogger } from '../../server/core/log';
import { tempDir } from '../unit/ledger-fixtures';

const SERVER_JS = path.resolve(__dirname, '../../dist/server.js');
const TOKEN = 'sk-switchyard-ledger-test-0123456789';

interface Proxy {
  child: ChildProcessWithoutNullStreams;
  url: string;
  exited: Promise<number | null>;
}

function startProxy(args: string[], env: NodeJS.ProcessEnv): Promise<Proxy> {
  const child = spawn(process.execPath, [SERVER_JS, 'proxy', '--port', '0', '--token', TOKEN, ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('\n')) resolve({ child, url: stdout.split('\n')[0].trim(), exited });
    });
    void exited.then((code) => reject(new Error(`proxy exited ${code} before listening: ${stderr}`)));
  });
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVER_JS, ...args], { env: { PATH: process.env.PATH, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('two headless proxies, one ledger: spend through one stops the other at the daily limit (402 budget_exceeded)', async (t) => {
  const tmp = tempDir('switchyard-ledger-proxy-');
  const nemo = await startFakeGateway('nemorouter');
  const config = path.join(tmp.dir, 'switchyard.json');
  // One small chat costs a few millionths of a dollar on the fake: a limit of one millionth is hit at once.
  writeFileSync(
    config,
    JSON.stringify({
      gateways: [{ id: 'nemo', kind: 'nemorouter', baseUrl: nemo.baseUrl, apiKeyEnv: 'NEMO_KEY' }],
      budget: { daily: 0.000001 },
    }),
  );
  const env = { NEMO_KEY: nemo.key, HOME: tmp.dir };
  const args = ['--config', config, '--data-dir', tmp.dir];
  const [a, b] = await Promise.all([startProxy(args, env), startProxy(args, env)]);
  t.after(async () => {
    for (const p of [a, b]) p.child.kill('SIGTERM');
    await Promise.all([a.exited, b.exited]);
    await nemo.close();
    tmp.cleanup();
  });
  const sdk = (p: Proxy) => new OpenAI({ baseURL: p.url, apiKey: TOKEN, maxRetries: 0 });
  const ask = (p: Proxy) => sdk(p).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello there' }] });

  const ok = await ask(a);
  assert.match(ok.choices[0].message.content ?? '', /Echo: hello there/);
  assert.equal(nemo.state.charges.length, 1);

  for (const p of [b, a]) {
    await assert.rejects(ask(p), (e: unknown) => {
      assert.ok(e instanceof OpenAI.APIError, String(e));
      assert.equal(e.status, 402);
      assert.equal(e.code, 'budget_exceeded');
      assert.match(e.message, /Daily budget across all gateways reached/);
      assert.match(e.message, /budget\.daily/);
      return true;
    });
  }
  assert.equal(nemo.state.charges.length, 1, 'refused requests never reached the gateway');

  const lines = (await readLedgerFile(monthFile(ledgerDir(tmp.dir), localMonth(new Date())), silentLogger)).filter((l) => l.status === 'ok');
  assert.equal(lines.length, 1);
  assert.equal(lines[0].costSource, 'gateway');
  assert.equal(lines[0].costUsd, nemo.state.charges[0].costUsd);

  const credits = await run(['credits', '--json', ...args], env);
  assert.equal(credits.code, 0, credits.stderr);
  const out = JSON.parse(credits.stdout) as CreditsJson;
  assert.equal(out.spend.today.usd, nemo.state.charges[0].costUsd);
  assert.equal(out.budgets[0].level, 'exceeded');
  assert.equal(out.balances[0].balanceUsd, nemo.state.balance);
});
