// The `switchyard` binary as a user runs it: usage and configuration errors exit 2 with a clear message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SERVER_JS } from '../helpers/lsp';

const dir = mkdtempSync(path.join(tmpdir(), 'switchyard-cli-'));
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [SERVER_JS, ...args], { encoding: 'utf8', env: { ...process.env, SWITCHYARD_CONFIG: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function file(name: string, text: string) {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

test('--version and help', () => {
  const v = cli('--version');
  assert.equal(v.code, 0);
  assert.match(v.out, /^\d+\.\d+\.\d+\n$/);
  const h = cli('help');
  assert.equal(h.code, 0);
  for (const c of ['models', 'credits', 'proxy', 'check', 'lsp']) assert.match(h.out, new RegExp(`switchyard ${c}`));
});

test('an unknown command or flag exits 2 and says what is wrong', () => {
  const u = cli('nope');
  assert.equal(u.code, 2);
  assert.match(u.err, /unknown command "nope"/);
  const f = cli('models', '--frobnicate');
  assert.equal(f.code, 2);
  assert.match(f.err, /frobnicate/);
  assert.match(f.err, /Usage: switchyard models/);
});

for (const command of ['models', 'credits', 'check']) {
  test(`${command}: a config file that is not JSON exits 2 naming the file`, () => {
    const p = file(`bad-${command}.json`, '{ "gateways": [ }');
    const r = cli(command, '--config', p, ...(command === 'check' ? [p] : []));
    assert.equal(r.code, 2);
    assert.match(r.err, /is not valid JSON/);
    assert.ok(r.err.includes(p));
  });

  test(`${command}: a config file with wrong settings exits 2 with every problem listed`, () => {
    const p = file(
      `wrong-${command}.json`,
      JSON.stringify({ gateways: [{ id: 'a', kind: 'openai-compatible' }, { id: 'b', kind: 'telepathy' }], budget: { daily: -1 } }),
    );
    const r = cli(command, '--config', p, ...(command === 'check' ? [p] : []));
    assert.equal(r.code, 2);
    assert.match(r.err, /needs a baseUrl/);
    assert.match(r.err, /kind/);
    assert.match(r.err, /budget\.daily/);
  });
}

test('a missing config file exits 2', () => {
  const r = cli('models', '--config', path.join(dir, 'missing.json'));
  assert.equal(r.code, 2);
  assert.match(r.err, /cannot read config file/);
});

test('keys never appear in error output', () => {
  const p = file('leak.json', JSON.stringify({ gateways: [{ id: 'x', kind: 'nemorouter', headers: { Authorization: 'Bearer sk-nemo-supersecretvalue123' } }], proxy: { port: 'x' } }));
  const r = cli('models', '--config', p);
  assert.equal(r.code, 2);
  assert.ok(!r.err.includes('supersecretvalue123'), r.err);
});
