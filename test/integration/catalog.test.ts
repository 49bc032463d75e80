// The catalog against the fake gateways over real HTTP (undici's real Agent): every adapter, the
// merged catalog, the disk cache and ETags, and every kind of bad answer ending as a per-gateway
// status — never a crash, never an emptied catalog or cache.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Agent } from 'undici';
import { startFakeGateway, generateModels, type FakeGateway, type FakeGatewayKind } from '../fakes';
import { createCatalogService } from '../../server/catalog/service';
import { testGateway } from '../../server/catalog/test-gateway';
import { createKeyProvider } from '../../server/core/keys';
import { createLogger } from '../../server/core/log';
import { parseSettings, type Settings } from '../../server/protocol/settings';
import type { CatalogService } from '../../server/core/services';
import { until } from '../helpers/wait';

const agent = new Agent({ connections: 8 });
const fakes = {} as Record<FakeGatewayKind, FakeGateway>;
const KINDS: FakeGatewayKind[] = ['nemorouter', 'openrouter', 'arouter', 'bifrost', 'openai-compatible'];
const IDS: Record<FakeGatewayKind, string> = { nemorouter: 'nemo', openrouter: 'or', arouter: 'ar', bifrost: 'bf', 'openai-compatible': 'local' };
const ENV_OF: Record<FakeGatewayKind, string> = { nemorouter: 'T_NEMO', openrouter: 'T_OR', arouter: 'T_AR', bifrost: 'T_BF', 'openai-compatible': 'T_LOCAL' };
const logs: string[] = [];
const log = createLogger((level, msg) => logs.push(`${level} ${msg}`));

before(async () => {
  for (const k of KINDS) fakes[k] = await startFakeGateway(k);
});
after(async () => {
  await Promise.all(KINDS.map((k) => fakes[k].close()));
  await agent.close();
});

function settingsFor(kinds: FakeGatewayKind[], extra: Record<string, unknown> = {}): Settings {
  const r = parseSettings({
    gateways: kinds.map((k) => ({ id: IDS[k], kind: k, baseUrl: fakes[k].baseUrl, apiKeyEnv: ENV_OF[k] })),
    catalog: { refreshIntervalMinutes: 0 },
    ...extra,
  });
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.settings;
}

function envWithKeys(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of KINDS) if (fakes[k].key) env[ENV_OF[k]] = fakes[k].key;
  return env;
}

function service(settings: Settings, dataDir: string, env = envWithKeys(), timeoutMs?: number): CatalogService {
  return createCatalogService({ dataDir, getSettings: () => settings, keys: createKeyProvider(env), log, dispatcher: agent, timeoutMs });
}

const tmp = () => mkdtempSync(path.join(tmpdir(), 'switchyard-catalog-'));

test('all five gateways merge into one catalog with each gateway\'s ID and price', async () => {
  const dir = tmp();
  const cat = service(settingsFor(KINDS), dir);
  await cat.start();
  const statuses = await cat.refresh();
  assert.deepEqual(statuses.map((s) => [s.gateway, s.state, s.source]), KINDS.map((k) => [IDS[k], 'ok', 'live']));
  assert.equal(cat.source, 'live');
  const gpt = cat.find('gpt-4o')!;
  assert.equal(gpt.canonicalId, 'openai/gpt-4o');
  assert.deepEqual(gpt.offers.map((o) => [o.gateway, o.id]), [
    ['nemo', 'gpt-4o'], ['or', 'openai/gpt-4o'], ['ar', 'openai/gpt-4o'], ['bf', 'openai/gpt-4o'], ['local', 'gpt-4o'],
  ]);
  // A bare ID from a gateway that names no owner (plain OpenAI-compatible) and that the embedded
  // table cannot place joins the model the other gateways file under a real provider.
  assert.deepEqual(cat.find('text-embedding-3-small')!.offers.map((o) => o.gateway), ['nemo', 'or', 'ar', 'bf', 'local']);
  assert.ok(cat.all().every((m) => !m.canonicalId.startsWith('local/')), cat.all().map((m) => m.canonicalId).join(' '));
  // Preferred offer: the first configured gateway; NemoRouter's price from /api/models/pricing.
  assert.equal(gpt.gateway, 'nemo');
  assert.deepEqual(gpt.pricing, { inputPerMTok: 2.5, outputPerMTok: 10, cacheReadPerMTok: 1.25 });
  const byGw = new Map(gpt.offers.map((o) => [o.gateway, o]));
  assert.equal(byGw.get('or')!.priceSource, 'gateway');
  assert.equal(byGw.get('bf')!.priceSource, 'gateway');
  // ARouter and plain OpenAI-compatible publish none: estimated from the embedded table.
  assert.equal(byGw.get('ar')!.priceSource, 'table');
  assert.deepEqual(byGw.get('ar')!.pricing, { inputPerMTok: 2.5, outputPerMTok: 10, cacheReadPerMTok: 1.25 });
  assert.equal(byGw.get('local')!.priceSource, 'table');
  assert.equal(cat.offers('openai/gpt-4o').length, 5);
  // Every ID form finds it, including Bifrost's second (routing-prefixed) ID.
  for (const id of ['openai/gpt-4o', 'openrouter/openai/gpt-4o', 'nemo/gpt-4o', 'bf/openrouter/openai/gpt-4o']) assert.equal(cat.find(id)?.canonicalId, 'openai/gpt-4o', id);
  // :free variant distinct; OpenRouter's deprecation date arrives.
  assert.equal(cat.find('meta-llama/llama-3.1-70b-instruct:free')?.free, true);
  assert.notEqual(cat.find('meta-llama/llama-3.1-70b-instruct')?.free, true);
  assert.ok(cat.find('anthropic/claude-3.5-sonnet')?.deprecated);
  // Bifrost's canonical_slug folds its dated ID onto OpenRouter's; NemoRouter's `claude-4-sonnet` is
  // the same model spelled its way (so is its `claude-3-5-sonnet`), and every spelling finds it.
  const sonnet = cat.find('anthropic/claude-sonnet-4')!;
  assert.deepEqual(sonnet.offers.map((o) => [o.gateway, o.id]), [['nemo', 'claude-4-sonnet'], ['or', 'anthropic/claude-sonnet-4'], ['ar', 'anthropic/claude-sonnet-4'], ['bf', 'anthropic/claude-sonnet-4-20250514']]);
  for (const id of ['claude-4-sonnet', 'anthropic/claude-4-sonnet', 'nemo/claude-4-sonnet', 'claude-sonnet-4']) assert.equal(cat.find(id), sonnet, id);
  assert.deepEqual(cat.find('claude-3-5-sonnet')!.offers.map((o) => [o.gateway, o.id]), [['nemo', 'claude-3-5-sonnet'], ['or', 'anthropic/claude-3.5-sonnet'], ['bf', 'anthropic/claude-3-5-sonnet-20241022']]);
  assert.equal(cat.find('claude-3-5-sonnet')!.canonicalId, 'anthropic/claude-3.5-sonnet');
  // No offline-table rows mixed in.
  assert.ok(cat.all().every((m) => m.offers.every((o) => o.gateway !== 'offline')));
  // Server-side query: a gateway's own view, filters, sort.
  const nemoOnly = cat.query({ filter: { gateway: 'nemo' }, sort: 'price' });
  assert.equal(nemoOnly.total, 10);
  assert.ok(nemoOnly.models.every((m) => m.gateway === 'nemo'));
  assert.deepEqual(cat.query({ filter: { freeOnly: true } }).models.map((m) => m.canonicalId), ['meta-llama/llama-3.1-70b-instruct:free']);
  const groups = cat.groups('gateway');
  assert.deepEqual(groups.map((g) => g.key), ['nemo', 'or', 'ar', 'bf', 'local']);
  assert.equal(groups[0].label, 'NemoRouter (nemo)');
  cat.dispose();
});

test('defaultGateway picks the preferred offer', async () => {
  const cat = service(settingsFor(['nemorouter', 'openrouter'], { defaultGateway: 'or' }), tmp());
  await cat.start();
  await cat.refresh();
  const gpt = cat.find('gpt-4o')!;
  assert.equal(gpt.gateway, 'or');
  assert.equal(gpt.id, 'openai/gpt-4o');
  cat.dispose();
});

test('cache: written after a refresh, served at start, conditional refresh with If-None-Match', async () => {
  const dir = tmp();
  const s = settingsFor(['openrouter', 'nemorouter']);
  const first = service(s, dir);
  await first.start();
  await first.refresh();
  first.dispose();
  const file = path.join(dir, 'catalog', 'or.json');
  assert.equal(JSON.parse(readFileSync(file, 'utf8').split('\n')[1]).length, 11);

  const before = fakes.openrouter.requests.length;
  const second = service(s, dir);
  const changes: number[] = [];
  second.onDidChange(() => changes.push(second.version));
  await second.start();
  // Served from disk before any answer.
  assert.equal(second.source, 'cache');
  assert.ok(second.find('openai/gpt-4o'));
  const statuses = await second.refresh();
  assert.ok(statuses.every((x) => x.state === 'ok'));
  const reqs = fakes.openrouter.requests.slice(before).filter((r) => r.path.endsWith('/models'));
  assert.ok(reqs.length >= 1);
  assert.ok(reqs.every((r) => typeof r.headers['if-none-match'] === 'string'), 'conditional request');
  assert.ok(reqs.every((r) => r.status === 304), 'answered 304');
  assert.equal(second.source, 'live');
  assert.equal(second.find('openai/gpt-4o')?.offers.length, 2);
  assert.ok(changes.length > 0);
  second.dispose();
});

test('Bifrost: a 1,200-model catalog comes in three pages', async () => {
  const bf = await startFakeGateway('bifrost', { models: generateModels(1200, 'bifrost') });
  try {
    const s = parseSettings({ gateways: [{ id: 'big', kind: 'bifrost', baseUrl: bf.baseUrl }], catalog: { refreshIntervalMinutes: 0 } }).settings;
    const cat = service(s, tmp());
    await cat.start();
    const [st] = await cat.refresh();
    assert.equal(st.state, 'ok');
    assert.equal(st.modelCount, 1200);
    assert.equal(bf.requests.filter((r) => r.path === '/v1/models').length, 3);
    cat.dispose();
  } finally {
    await bf.close();
  }
});

test('balances and TestGateway: a key is tried live without being stored', async () => {
  const deps = { dispatcher: agent, keys: createKeyProvider({}), log };
  const nemo = fakes.nemorouter;
  const ok = await testGateway({ gateway: { id: 'n', kind: 'nemorouter', baseUrl: nemo.baseUrl }, key: nemo.key }, deps, new AbortController().signal);
  assert.equal(ok.ok, true);
  assert.equal(ok.status.state, 'ok');
  assert.equal(ok.status.modelCount, 10);
  assert.equal(ok.balanceUsd, 5);
  const orOk = await testGateway({ gateway: { id: 'o', kind: 'openrouter', baseUrl: fakes.openrouter.baseUrl }, key: fakes.openrouter.key }, deps, new AbortController().signal);
  assert.equal(orOk.balanceUsd, 10);
  const wrong = 'sk-nemo-wrongwrongwrong0000';
  const bad = await testGateway({ gateway: { id: 'n', kind: 'nemorouter', baseUrl: nemo.baseUrl }, key: wrong }, deps, new AbortController().signal);
  assert.equal(bad.ok, false);
  assert.equal(bad.status.state, 'unauthorized');
  assert.equal(bad.status.message, 'NemoRouter (n): 401 — the API key was rejected. Run “Switchyard: Set API Key”.');
  const none = await testGateway({ gateway: { id: 'n', kind: 'nemorouter', baseUrl: nemo.baseUrl } }, deps, new AbortController().signal);
  assert.match(none.status.message!, /no API key is set\. Set NEMOROUTER_API_KEY/);
  const down = await testGateway({ gateway: { id: 'x', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1' } }, deps, new AbortController().signal);
  assert.equal(down.status.state, 'unreachable');
  assert.ok(!JSON.stringify([ok, bad, none, down, logs]).includes(wrong));
});

interface BadCase {
  name: string;
  fault: Parameters<FakeGateway['fail']>[0];
  state: string;
  message: RegExp;
}
const BAD: BadCase[] = [
  { name: 'malformed JSON', fault: { malformed: true }, state: 'malformed', message: /not valid JSON/ },
  { name: 'wrong shape', fault: { wrongShape: true }, state: 'malformed', message: /unexpected shape/ },
  { name: 'HTML error page', fault: { html: true, status: 200 }, state: 'malformed', message: /HTML page \("200 Bad Gateway"\)/ },
  { name: 'HTML 502', fault: { html: true }, state: 'unreachable', message: /502 — the gateway is failing right now/ },
  { name: '401', fault: { status: 401 }, state: 'unauthorized', message: /401 — the API key was rejected\. Run “Switchyard: Set API Key”\./ },
  { name: '403', fault: { status: 403 }, state: 'unauthorized', message: /403 — the API key may not list models/ },
  { name: '404', fault: { status: 404 }, state: 'error', message: /404 — http:\/\/127\.0\.0\.1:\d+\/api\/v1\/models does not exist/ },
  { name: '429', fault: { status: 429, retryAfter: 20 }, state: 'rate-limited', message: /429 — rate-limited by the gateway\. Try again in 20 s\./ },
  { name: '500', fault: { status: 500 }, state: 'unreachable', message: /500 — the gateway is failing right now/ },
  { name: '503', fault: { status: 503 }, state: 'unreachable', message: /503 — the gateway is failing right now/ },
  { name: 'timeout', fault: { hangMs: 10_000 }, state: 'unreachable', message: /no complete answer within 1 s/ },
  { name: 'redirect loop', fault: { redirectLoop: true }, state: 'error', message: /a redirect loop/ },
  { name: '50 MB body', fault: { hugeBodyMB: 50 }, state: 'malformed', message: /larger than 24 MB \(50 MB announced\); it was not read/ },
  { name: 'connection cut', fault: { cutStreamAfterChunks: 0, hangMs: 0 }, state: 'unreachable', message: /cannot reach|broke/ },
];

test('bad answers end as a per-gateway status; the last good catalog and its cache stay', async () => {
  const dir = tmp();
  const cat = service(settingsFor(['openrouter', 'nemorouter']), dir, envWithKeys(), 1000);
  await cat.start();
  await cat.refresh();
  const file = path.join(dir, 'catalog', 'or.json');
  const cached = readFileSync(file, 'utf8');
  const mtime = statSync(file).mtimeMs;
  const total = cat.all().length;
  for (const c of BAD) {
    fakes.openrouter.clearFaults();
    fakes.openrouter.fail({ path: '/api/v1/models', times: Infinity, ...c.fault });
    const started = Date.now();
    const [st] = await cat.refresh('or');
    fakes.openrouter.clearFaults();
    assert.equal(st.state, c.state, `${c.name}: ${st.message}`);
    assert.match(st.message!, c.message, c.name);
    assert.match(st.message!, /^OpenRouter \(or\): /, c.name);
    assert.match(st.message!, /Showing the last good catalog \(11 models\)\.$/, c.name);
    assert.equal(st.modelCount, 11, c.name);
    assert.equal(cat.all().length, total, c.name);
    assert.equal(cat.find('openai/gpt-4o')?.offers.length, 2, c.name);
    assert.ok(Date.now() - started < 5000, `${c.name} took ${Date.now() - started} ms`);
    assert.equal(readFileSync(file, 'utf8'), cached, c.name);
    assert.equal(statSync(file).mtimeMs, mtime, c.name);
  }
  // The other gateway was never touched, and the gateway recovers on the next good answer.
  assert.equal(cat.statuses().find((s) => s.gateway === 'nemo')?.state, 'ok');
  const [ok] = await cat.refresh('or');
  assert.equal(ok.state, 'ok');
  assert.equal(ok.message, undefined);
  cat.dispose();
});

test('an empty list never replaces a catalog that had models', async () => {
  const cat = service(settingsFor(['arouter']), tmp());
  await cat.start();
  await cat.refresh();
  fakes.arouter.fail({ path: '/v1/models', body: { object: 'list', data: [] }, status: 200 });
  const [st] = await cat.refresh();
  assert.equal(st.state, 'malformed');
  assert.match(st.message!, /listed no models; keeping the last good catalog \(9 models\)/);
  assert.equal(st.modelCount, 9);
  cat.dispose();
});

test('a wrong key is rejected without the key appearing in any status or log', async () => {
  const secret = 'lr_live_supersecretvalue123456';
  logs.length = 0;
  const cat = service(settingsFor(['arouter']), tmp(), { T_AR: secret });
  await cat.start();
  const [st] = await cat.refresh();
  assert.equal(st.state, 'unauthorized');
  assert.equal(st.hasKey, true);
  // Nothing cached and nothing answered: the embedded table is the catalog.
  assert.equal(cat.source, 'offline');
  assert.ok(cat.find('gpt-4o'));
  assert.ok(!JSON.stringify([cat.statuses(), logs]).includes(secret));
  cat.dispose();
});

test('no gateway configured: the embedded table, at once, with no network', async () => {
  const cat = service(parseSettings({}).settings, tmp());
  await cat.start();
  assert.equal(cat.source, 'offline');
  assert.ok(cat.all().length > 300);
  assert.equal(cat.find('gpt-4o')?.gateway, 'offline');
  assert.deepEqual(await cat.refresh(), []);
  cat.dispose();
});

test('dispose aborts an in-flight refresh at once; update() follows gateway edits', async () => {
  const cat = service(settingsFor(['openrouter']), tmp(), envWithKeys(), 60_000);
  await cat.start();
  await cat.refresh();
  const hang = fakes.openrouter.fail({ path: '/api/v1/models', hangMs: 60_000 });
  const pending = cat.refresh();
  await until(() => hang.hits === 1, { what: 'the refresh in flight (its request reached the gateway)' });
  const t0 = Date.now();
  cat.dispose();
  await pending;
  assert.ok(Date.now() - t0 < 1000, 'settled promptly');
  fakes.openrouter.clearFaults();

  const s1 = settingsFor(['openrouter']);
  const cat2 = service(s1, tmp());
  let current = s1;
  await cat2.start();
  await cat2.refresh();
  current = settingsFor(['openrouter', 'arouter']);
  const changed = new Promise<void>((resolve) => cat2.onDidChange(() => cat2.statuses().find((s) => s.gateway === 'ar')?.state === 'ok' && resolve()));
  cat2.update(current);
  await changed;
  assert.equal(cat2.find('gpt-4o')?.offers.length, 2);
  cat2.update(settingsFor(['arouter']));
  assert.deepEqual(cat2.statuses().map((s) => s.gateway), ['ar']);
  assert.deepEqual(cat2.find('gpt-4o')?.offers.map((o) => o.gateway), ['ar']);
  cat2.dispose();
});

test('getModel: one model from each gateway by its own ID; unknown → undefined', async () => {
  const { ADAPTERS } = await import('../../server/gateways');
  const want: Record<FakeGatewayKind, [string, string]> = {
    nemorouter: ['gpt-4o', 'openai/gpt-4o'],
    openrouter: ['meta-llama/llama-3.1-70b-instruct:free', 'meta-llama/llama-3.1-70b-instruct:free'],
    arouter: ['anthropic/claude-sonnet-4', 'anthropic/claude-sonnet-4'],
    bifrost: ['openrouter/openai/gpt-4o', 'openai/gpt-4o'],
    'openai-compatible': ['meta-llama/Llama-3.1-70B-Instruct', 'meta-llama/llama-3.1-70b-instruct'],
  };
  for (const k of KINDS) {
    const ctx = { gateway: { id: IDS[k], kind: k, baseUrl: fakes[k].baseUrl, headers: {} }, apiKey: fakes[k].key, dispatcher: agent, log };
    const m = await ADAPTERS[k].getModel!(ctx, want[k][0], new AbortController().signal);
    assert.equal(m?.id, want[k][0], k);
    assert.equal(m?.canonicalId, want[k][1], k);
    assert.equal(await ADAPTERS[k].getModel!(ctx, 'nope/not-a-model', new AbortController().signal), undefined, k);
  }
  const nemo = await ADAPTERS.nemorouter.getModel!({ gateway: { id: 'n', kind: 'nemorouter', baseUrl: fakes.nemorouter.baseUrl, headers: {} }, apiKey: fakes.nemorouter.key, dispatcher: agent, log }, 'gpt-4o', new AbortController().signal);
  assert.deepEqual(nemo?.pricing, { inputPerMTok: 2.5, outputPerMTok: 10, cacheReadPerMTok: 1.25 });
});
