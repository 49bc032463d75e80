import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { configFileSchema, contributesConfiguration, withSettingsTable } from '../../scripts/settings-schema';
import { DEFAULT_SETTINGS, parseSettings, resolveGateways } from '../../server/protocol/settings';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

test('package.json contributes.configuration matches the settings schema (run `npm run gen:settings` on drift)', () => {
  assert.deepEqual(pkg.contributes.configuration, contributesConfiguration());
});

test('media/switchyard.schema.json matches the settings schema', () => {
  const onDisk = JSON.parse(readFileSync(new URL('../../media/switchyard.schema.json', import.meta.url), 'utf8'));
  assert.deepEqual(onDisk, configFileSchema());
});

test('the README settings table matches the settings schema (run `npm run gen:settings` on drift)', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  assert.equal(readme, withSettingsTable(readme));
});

test('every contributed setting has a description and a default', () => {
  for (const [key, schema] of Object.entries<Record<string, unknown>>(pkg.contributes.configuration.properties)) {
    assert.ok(schema.markdownDescription, `${key} has no description`);
    assert.ok('default' in schema, `${key} has no default`);
  }
});

test('defaults parse and presets fill baseUrl and apiKeyEnv per kind', () => {
  assert.equal(DEFAULT_SETTINGS.proxy.port, 4141);
  const r = parseSettings({ gateways: [{ id: 'or', kind: 'openrouter' }, { id: 'local', kind: 'bifrost', enabled: true }] });
  assert.ok(r.ok);
  const [or, local] = resolveGateways(r.settings);
  assert.deepEqual([or.baseUrl, or.apiKeyEnv], ['https://openrouter.ai/api/v1', 'OPENROUTER_API_KEY']);
  assert.deepEqual([local.baseUrl, local.apiKeyEnv], ['http://localhost:8080/v1', undefined]);
});

test('VS Code nulls for unset settings are treated as absent', () => {
  const r = parseSettings({ budget: { daily: null, monthly: 5 }, gateways: [] });
  assert.ok(r.ok);
  assert.equal(r.settings.budget.daily, undefined);
  assert.equal(r.settings.budget.monthly, 5);
});

test('bad settings give a readable error and keep the defaults in force', () => {
  const r = parseSettings({
    gateways: [{ id: 'x', kind: 'openai-compatible' }, { id: 'x', kind: 'nope' }],
    proxy: { port: 'eighty' },
  });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.match(r.error, /openai-compatible gateway needs a baseUrl/);
  assert.match(r.error, /kind/);
  assert.match(r.error, /proxy\.port/);
  assert.deepEqual(r.settings, DEFAULT_SETTINGS);
});

test('duplicate gateway ids are refused', () => {
  const r = parseSettings({ gateways: [{ id: 'a', kind: 'bifrost' }, { id: 'a', kind: 'arouter' }] });
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.error, /duplicate gateway id "a"/);
});

test('proxy.terminalEnv as the boolean it used to be keeps its meaning (true = OpenAI, false = none) and loses no other setting', () => {
  const gateways = [{ id: 'nemo', kind: 'nemorouter' }];
  for (const [old, families] of [[true, ['openai']], [false, []]] as const) {
    const r = parseSettings({ gateways, proxy: { terminalEnv: old, port: 5151 } });
    assert.equal(r.ok, true, r.ok ? '' : r.error);
    assert.deepEqual(r.settings.proxy.terminalEnv, families);
    assert.equal(r.settings.proxy.port, 5151);
    assert.equal(r.settings.gateways[0]?.id, 'nemo');
  }
  const bad = parseSettings({ proxy: { terminalEnv: 'yes' } });
  assert.equal(bad.ok, false, 'anything else is still refused with a clear error');
});
