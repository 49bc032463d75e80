// `switchyard models` as a user runs it: against the fake gateways (in process, real HTTP), with no
// config at all (the embedded table, through the built binary), and with a bad config (exit 2).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startFakeGateway, type FakeGateway } from '../fakes';
import { runCli } from '../../server/cli/main';
import { SERVER_JS } from '../helpers/lsp';

const dir = mkdtempSync(path.join(tmpdir(), 'switchyard-models-'));
let nemo: FakeGateway;
let or: FakeGateway;
let ar: FakeGateway;
let config: string;
const env = (): NodeJS.ProcessEnv => ({ NEMO_KEY: nemo.key, OR_KEY: or.key, AR_KEY: ar.key });

before(async () => {
  [nemo, or, ar] = await Promise.all([startFakeGateway('nemorouter'), startFakeGateway('openrouter'), startFakeGateway('arouter')]);
  config = path.join(dir, 'switchyard.json');
  writeFileSync(
    config,
    JSON.stringify({
      $schema: './schema.json',
      gateways: [
        { id: 'nemo', kind: 'nemorouter', baseUrl: nemo.baseUrl, apiKeyEnv: 'NEMO_KEY' },
        { id: 'or', kind: 'openrouter', baseUrl: or.baseUrl, apiKeyEnv: 'OR_KEY' },
        { id: 'ar', kind: 'arouter', baseUrl: ar.baseUrl, apiKeyEnv: 'AR_KEY' },
      ],
    }),
  );
});
after(async () => {
  await Promise.all([nemo.close(), or.close(), ar.close()]);
});

async function run(args: string[], e: NodeJS.ProcessEnv = env()) {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t), env: e });
  return { code, out, err };
}

test('--json prints merged records with every gateway\'s offer', async () => {
  const r = await run(['models', '--json', '--config', config, '--data-dir', dir]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  const list = JSON.parse(r.out) as Record<string, any>[];
  const gpt = list.find((m) => m.canonicalId === 'openai/gpt-4o')!;
  assert.equal(gpt.name, 'OpenAI: GPT-4o');
  assert.equal(gpt.contextLength, 128000);
  assert.equal(gpt.id, 'gpt-4o');
  assert.equal(gpt.gateway, 'nemo');
  assert.deepEqual(gpt.pricing, { inputPerMTok: 2.5, outputPerMTok: 10, cacheReadPerMTok: 1.25 });
  assert.deepEqual(gpt.offers.map((o: any) => [o.gateway, o.id, o.pricing?.inputPerMTok]), [['nemo', 'gpt-4o', 2.5], ['or', 'openai/gpt-4o', 2.5], ['ar', 'openai/gpt-4o', 2.5]]);
  assert.ok(list.some((m) => m.canonicalId === 'anthropic/claude-3.5-sonnet' && m.deprecated));
  assert.ok(list.every((m) => 'deprecated' in m === !!m.deprecated));
});

test('--gateway, --search and --sort shape the list; the text table is aligned', async () => {
  const r = await run(['models', '--config', config, '--data-dir', dir, '--gateway', 'or', '--search', 'gpt', '--sort', 'price']);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split('\n');
  assert.match(lines[0], /^MODEL\s+CONTEXT\s+IN \$\/M\s+OUT \$\/M\s+SERVED BY$/);
  const rows = lines.slice(1, lines.indexOf(''));
  assert.deepEqual(rows.map((l) => l.split(/\s+/)[0]), ['openai/gpt-4o-mini', 'openai/gpt-4o']);
  const col = lines[0].indexOf('SERVED BY');
  for (const row of rows) assert.equal(row.length > col && row[col - 1], ' ');
  assert.match(r.out, /2 models · nemo: 10 \(live\), or: 11 \(live\), ar: 9 \(live\)/);

  const json = JSON.parse((await run(['models', '--json', '--config', config, '--data-dir', dir, '--gateway', 'ar', '--sort', 'context'])).out) as any[];
  assert.ok(json.every((m) => m.gateway === 'ar' && m.priceSource === 'table' || m.pricing === undefined));
  assert.equal(json[0].canonicalId, 'google/gemini-2.0-flash');
});

test('a failing gateway is reported; its cached models are still listed', async () => {
  or.fail({ path: '/api/v1/models', status: 503, times: Infinity });
  try {
    const r = await run(['models', '--json', '--config', config, '--data-dir', dir]);
    assert.equal(r.code, 0);
    assert.match(r.err, /OpenRouter \(or\): 503 — the gateway is failing right now.*Showing the last good catalog \(11 models\)\./);
    const list = JSON.parse(r.out) as any[];
    assert.ok(list.find((m) => m.canonicalId === 'openai/gpt-4o').offers.some((o: any) => o.gateway === 'or'));
  } finally {
    or.clearFaults();
  }
});

test('usage and config errors exit 2 with a clear message', async () => {
  const bad = path.join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ gateways: [{ id: 'x', kind: 'nope' }] }));
  const r1 = await run(['models', '--config', bad]);
  assert.equal(r1.code, 2);
  assert.match(r1.err, /config file .*bad\.json is invalid/);
  const r2 = await run(['models', '--config', config, '--gateway', 'zzz', '--data-dir', dir]);
  assert.equal(r2.code, 2);
  assert.match(r2.err, /no enabled gateway "zzz"; configured: nemo, or, ar/);
  const r3 = await run(['models', '--sort', 'cheapest', '--offline']);
  assert.equal(r3.code, 2);
  assert.match(r3.err, /--sort must be one of price, context, name, newest/);
});

test('no config at all: the built binary lists the embedded table, offline (timed in bench/catalog.bench.ts)', { skip: !existsSync(SERVER_JS) && 'dist/server.js not built (npm test builds it)' }, () => {
  const r = spawnSync(process.execPath, [SERVER_JS, 'models', '--offline', '--json', '--data-dir', dir], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  assert.equal(r.status, 0, r.stderr);
  const list = JSON.parse(r.stdout) as any[];
  assert.ok(list.length > 300);
  const gpt = list.find((m) => m.canonicalId === 'openai/gpt-4o');
  assert.deepEqual([gpt.gateway, gpt.id, gpt.pricing, gpt.contextLength], ['offline', 'openai/gpt-4o', { inputPerMTok: 2.5, outputPerMTok: 10, cacheReadPerMTok: 1.25 }, 128000]);
  assert.deepEqual(gpt.offers, [{ gateway: 'offline', id: 'openai/gpt-4o', pricing: { inputPerMTok: 2.5, outputPerMTok: 10, cacheReadPerMTok: 1.25 }, priceSource: 'table' }]);
  const text = spawnSync(process.execPath, [SERVER_JS, 'models', '--search', 'claude sonnet', '--data-dir', dir], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir } });
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /anthropic\/claude-sonnet-4/);
  assert.match(text.stdout, /offline: the embedded price table/);
});
