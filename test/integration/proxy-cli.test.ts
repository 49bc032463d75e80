// `switchyard proxy` headless (the built dist/server.js): prints its base URL, keeps its token in the
// data directory (0600), serves through the pipeline into the ledger, refuses non-loopback hosts
// with exit 2, and stops cleanly on SIGINT/SIGTERM.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import OpenAI from 'openai';
import { Pool } from 'undici';
import { SERVER_JS } from '../helpers/lsp';
import { startFakeGateway, type FakeGateway } from '../fakes/index';
import { rawRequest, auth } from './proxy-harness';

let fake: FakeGateway;
let config: string;

before(async () => {
  fake = await startFakeGateway('openai-compatible');
  config = path.join(mkdtempSync(path.join(tmpdir(), 'switchyard-proxy-cli-')), 'switchyard.json');
  writeFileSync(config, JSON.stringify({ gateways: [{ id: 'local', kind: 'openai-compatible', baseUrl: fake.baseUrl, apiKeyEnv: 'LOCAL_KEY' }] }));
});
after(async () => {
  await fake?.close();
});

interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Start `switchyard proxy …` and resolve once it printed its base URL (the ready signal). */
function startProxy(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Running> {
  const child = spawn(process.execPath, [SERVER_JS, 'proxy', ...args], {
    env: { ...process.env, LOCAL_KEY: fake.key, SWITCHYARD_PROXY_TOKEN: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n')) resolve({ child, url: line.trim(), stderr: () => stderr, exited });
    });
    void exited.then((code) => reject(new Error(`exited ${code} before listening: ${stderr}`)));
  });
}

test('prints the base URL, stores a 0600 token, serves through the pipeline and stops on SIGTERM', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'switchyard-proxy-cli-'));
  const p = await startProxy(['--port', '0', '--data-dir', dataDir, '--config', config]);
  try {
    assert.match(p.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const tokenFile = path.join(dataDir, 'proxy-token');
    assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
    const token = readFileSync(tokenFile, 'utf8').trim();
    assert.ok(!p.stderr().includes(token), 'the token itself is not printed');
    assert.match(p.stderr(), /export OPENAI_BASE_URL=/);
    const client = new OpenAI({ baseURL: p.url, apiKey: token, maxRetries: 0 });
    const { response } = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'headless' }] }).withResponse();
    assert.equal(response.headers.get('x-switchyard-gateway'), 'local');
    const requestId = response.headers.get('x-switchyard-request-id');
    const ledgerDir = path.join(dataDir, 'ledger');
    const { readdirSync } = await import('node:fs');
    const lines = readdirSync(ledgerDir).flatMap((f) => readFileSync(path.join(ledgerDir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
    const line = lines.find((l) => l.requestId === requestId);
    assert.equal(line?.source, 'proxy');
    assert.ok(!p.stderr().includes(fake.key!), 'no gateway key on stderr');
  } finally {
    p.child.kill('SIGTERM');
    assert.equal(await p.exited, 0, p.stderr());
  }
  assert.match(p.stderr(), /SIGTERM, stopping/);
});

test('the token comes from --token or SWITCHYARD_PROXY_TOKEN when given (and the same file next time otherwise)', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'switchyard-proxy-cli-'));
  const viaEnv = await startProxy(['--port', '0', '--data-dir', dataDir, '--config', config], { SWITCHYARD_PROXY_TOKEN: 'env-token-0123456789abcdef' });
  try {
    const port = Number(new URL(viaEnv.url).port);
    assert.equal((await rawRequest(port, { headers: auth('env-token-0123456789abcdef') })).status, 200);
    assert.equal(existsSync(path.join(dataDir, 'proxy-token')), false, 'nothing stored when the token is supplied');
  } finally {
    viaEnv.child.kill('SIGINT');
    assert.equal(await viaEnv.exited, 0);
  }
  const viaFlag = await startProxy(['--port', '0', '--data-dir', dataDir, '--config', config, '--token', 'flag-token-0123456789abcdef']);
  try {
    const port = Number(new URL(viaFlag.url).port);
    assert.equal((await rawRequest(port, { headers: auth('flag-token-0123456789abcdef') })).status, 200);
    assert.equal((await rawRequest(port, { headers: auth('env-token-0123456789abcdef') })).status, 401);
  } finally {
    viaFlag.child.kill('SIGTERM');
    assert.equal(await viaFlag.exited, 0);
  }
});

test('a taken port gives way to a free one, and the real URL is printed', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const taken = (blocker.address() as { port: number }).port;
  const p = await startProxy(['--port', String(taken), '--data-dir', mkdtempSync(path.join(tmpdir(), 'switchyard-proxy-cli-')), '--config', config]);
  try {
    assert.notEqual(Number(new URL(p.url).port), taken);
    assert.match(p.stderr(), new RegExp(`port ${taken} .*in use`));
  } finally {
    p.child.kill('SIGTERM');
    assert.equal(await p.exited, 0);
    blocker.close();
  }
});

test('non-loopback --host, a bad --port or a short --token exit 2 with the reason', () => {
  const cases: [string[], RegExp][] = [
    [['--host', '0.0.0.0'], /loopback/],
    [['--host', '192.168.1.10'], /loopback/],
    [['--host', 'example.com'], /loopback/],
    [['--port', '70000'], /--port/],
    [['--port', 'abc'], /--port/],
    [['--token', 'short'], /--token/],
  ];
  for (const [args, why] of cases) {
    const r = spawnSync(process.execPath, [SERVER_JS, 'proxy', '--data-dir', mkdtempSync(path.join(tmpdir(), 'sy-')), ...args], { encoding: 'utf8', env: { ...process.env, SWITCHYARD_PROXY_TOKEN: '' } });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, why);
    assert.equal(r.stdout, '');
  }
});

test('kill -9 under load: every request answered before the kill has its ledger line (the durability promise)', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'switchyard-proxy-cli-'));
  const token = 'crash-token-0123456789abcdef';
  const p = await startProxy(['--port', '0', '--data-dir', dataDir, '--config', config, '--token', token]);
  const pool = new Pool(new URL(p.url).origin, { connections: 8 });
  const answered: string[] = [];
  let killed = false;
  // Eight callers in a loop; the kill lands while requests are in flight (after 150 answers), so
  // some are mid-pipeline: those may have a line or not, the answered ones must have one.
  const caller = async () => {
    while (!killed) {
      try {
        const r = await pool.request({
          method: 'POST',
          path: '/v1/chat/completions',
          headers: { ...auth(token), 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'crash me' }] }),
        });
        const text = await r.body.text();
        assert.equal(r.statusCode, 200, text);
        answered.push(String(r.headers['x-switchyard-request-id']));
        if (answered.length >= 150 && !killed) {
          killed = true;
          p.child.kill('SIGKILL');
        }
      } catch (e) {
        if (!killed) throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, caller));
  await p.exited;
  await pool.destroy();
  const ledgerDir = path.join(dataDir, 'ledger');
  const ids = new Set(readdirSync(ledgerDir).flatMap((f) => readFileSync(path.join(ledgerDir, f), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { requestId: string }).requestId)));
  const missing = answered.filter((id) => !ids.has(id));
  assert.ok(answered.length >= 150);
  assert.deepEqual(missing, [], `${missing.length} of ${answered.length} answered requests have no ledger line`);
});
