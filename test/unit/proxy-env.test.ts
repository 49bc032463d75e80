// What each family of terminal tools gets for the proxy (server/protocol/proxyEnv.ts), the setting as VS
// Code hands it over (client/terminal/env.ts), and `switchyard env` printing it (dist/server.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { codexToml, environmentScript, familyEnv, terminalEnv } from '../../server/protocol/proxyEnv';
import { proxyEnvironment, terminalFamilies } from '../../client/terminal/env';
import { SERVER_JS } from '../helpers/lsp';

const p = { url: 'http://127.0.0.1:4141/v1', token: 'sk-switchyard-unit-0123456789' };

test('each family reads its own variables; Claude Code gets the origin, since it adds /v1/messages itself', () => {
  assert.deepEqual(familyEnv('openai', p), { OPENAI_BASE_URL: p.url, OPENAI_API_BASE: p.url, OPENAI_API_KEY: p.token });
  assert.deepEqual(familyEnv('anthropic', p), { ANTHROPIC_BASE_URL: 'http://127.0.0.1:4141', ANTHROPIC_AUTH_TOKEN: p.token });
  assert.deepEqual(familyEnv('codex', p), { SWITCHYARD_PROXY_TOKEN: p.token });
  assert.deepEqual(Object.keys(terminalEnv(['openai', 'anthropic'], p)), ['OPENAI_BASE_URL', 'OPENAI_API_BASE', 'OPENAI_API_KEY', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_AUTH_TOKEN']);
});

test('the Codex profile names the proxy, the Responses wire API and the token variable, never the token', () => {
  const toml = codexToml(p, 'fast');
  assert.match(toml, /^model = "fast"\nmodel_provider = "switchyard"\n\n\[model_providers\.switchyard\]\n/);
  assert.match(toml, /^base_url = "http:\/\/127\.0\.0\.1:4141\/v1"$/m);
  assert.match(toml, /^wire_api = "responses"$/m);
  assert.match(toml, /^env_key = "SWITCHYARD_PROXY_TOKEN"$/m);
  assert.ok(!toml.includes(p.token));
});

test('the script for all families is commented per family and runs in a shell as it is', () => {
  const script = environmentScript(['openai', 'anthropic', 'codex'], p);
  assert.match(script, /# Claude Code[\s\S]*ANTHROPIC_SMALL_FAST_MODEL/);
  assert.match(script, /#   wire_api = "responses"/);
  const r = spawnSync('sh', ['-c', `${script}\necho "$OPENAI_BASE_URL|$ANTHROPIC_BASE_URL|$SWITCHYARD_PROXY_TOKEN"`], { encoding: 'utf8' });
  assert.equal(r.stdout.trim(), `${p.url}|http://127.0.0.1:4141|${p.token}`);
  assert.match(environmentScript(['openai'], p, { shell: 'powershell' }), /^\$env:OPENAI_API_KEY = 'sk-switchyard-unit-0123456789'$/m);
});

test('switchyard.proxy.terminalEnv: a list of families, the old boolean still understood', () => {
  assert.deepEqual(terminalFamilies(undefined), ['openai']);
  assert.deepEqual(terminalFamilies(true), ['openai']);
  assert.deepEqual(terminalFamilies(false), []);
  assert.deepEqual(terminalFamilies(['codex', 'anthropic', 'nonsense']), ['anthropic', 'codex']);
  const info = { running: true, url: p.url, token: p.token, requests: 0 };
  assert.deepEqual(Object.keys(proxyEnvironment(info, ['anthropic'])!), ['ANTHROPIC_BASE_URL', 'ANTHROPIC_AUTH_TOKEN']);
  assert.equal(proxyEnvironment({ running: false, requests: 0 }, ['anthropic']), undefined);
});

test('switchyard env prints every family for the proxy of the same flags; bad flags exit 2', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'switchyard-env-'));
  const run = (...args: string[]) => spawnSync(process.execPath, [SERVER_JS, 'env', '--data-dir', dataDir, ...args], { encoding: 'utf8', env: { ...process.env, SWITCHYARD_PROXY_TOKEN: '' } });
  const all = run('--port', '4242', '--token', p.token);
  assert.equal(all.status, 0, all.stderr);
  assert.match(all.stdout, /^export OPENAI_BASE_URL='http:\/\/127\.0\.0\.1:4242\/v1'$/m);
  assert.match(all.stdout, /^export ANTHROPIC_AUTH_TOKEN='sk-switchyard-unit-0123456789'$/m);
  assert.match(all.stdout, /^export SWITCHYARD_PROXY_TOKEN=/m);
  // Without --token: the token `switchyard proxy` keeps in the data dir, the same on every call.
  const a = run('--family', 'openai');
  const b = run('--family', 'openai');
  assert.equal(a.stdout, b.stdout);
  assert.doesNotMatch(a.stdout, /ANTHROPIC/);
  assert.equal(run('--codex-toml').stdout, codexToml({ url: 'http://127.0.0.1:4141/v1', token: '' }));
  for (const bad of [['--family', 'nope'], ['--shell', 'fish'], ['--port', '0'], ['--host', '10.0.0.1']]) {
    const r = run(...bad);
    assert.equal(r.status, 2, `${bad.join(' ')}: ${r.stdout}${r.stderr}`);
  }
});
