// Shared setup for the proxy tests: real fake gateways on 127.0.0.1, the real app (catalog,
// pipeline, ledger) and the proxy on a free loopback port. Every log line is kept so tests can
// check that no key ever reached one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { request } from 'node:http';
import { createApp, type App } from '../../server/core/app';
import { createKeyProvider } from '../../server/core/keys';
import { createLogger } from '../../server/core/log';
import { parseSettings, type Settings, type SettingsInput } from '../../server/protocol/settings';
import { createProxyServer, type ProxyServer } from '../../server/proxy/server';
import { startFakeGateway, type FakeGateway, type FakeGatewayKind, type FakeGatewayOptions } from '../fakes/index';
import type { LedgerRecord } from '../../server/protocol/ledger';

export const TOKEN = 'sk-switchyard-test-token-0123456789abcdef';

export interface Harness {
  url: string; // http://127.0.0.1:PORT/v1
  port: number;
  token: string;
  fakes: Record<string, FakeGateway>;
  app: App;
  proxy: ProxyServer;
  logs: string[];
  dataDir: string;
  settings: Settings;
  /** Ledger lines written so far. */
  ledger(): Promise<LedgerRecord[]>;
  /** Every key the fakes accept: none may appear in a response or a log. */
  keys(): string[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Gateway id → kind; default one openai-compatible gateway called "local". */
  gateways?: Record<string, FakeGatewayKind>;
  fake?: FakeGatewayOptions;
  /** More openai-compatible gateways (keyless), e.g. a test's own upstream: id → base URL. */
  extra?: Record<string, string>;
  settings?: Omit<SettingsInput, 'gateways'>;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const kinds = opts.gateways ?? { local: 'openai-compatible' as const };
  const fakes: Record<string, FakeGateway> = {};
  const env: NodeJS.ProcessEnv = {};
  const gateways: NonNullable<SettingsInput['gateways']> = [];
  for (const [id, kind] of Object.entries(kinds)) {
    const fake = await startFakeGateway(kind, opts.fake);
    fakes[id] = fake;
    const keyEnv = `KEY_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    if (fake.key) env[keyEnv] = fake.key;
    gateways.push({ id, kind, baseUrl: fake.baseUrl, ...(fake.key ? { apiKeyEnv: keyEnv } : {}) });
  }
  for (const [id, baseUrl] of Object.entries(opts.extra ?? {})) gateways.push({ id, kind: 'openai-compatible', baseUrl });
  const parsed = parseSettings({
    ...opts.settings,
    routing: { retryBaseDelayMs: 0, retryMaxDelayMs: 0, ...opts.settings?.routing },
    gateways,
  });
  if (!parsed.ok) throw new Error(parsed.error);
  const settings = parsed.settings;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'switchyard-proxy-'));
  const logs: string[] = [];
  const log = createLogger((level, msg) => logs.push(`[${level}] ${msg}`));
  const app = createApp({ dataDir, getSettings: () => settings, keys: createKeyProvider(env), log, env });
  await app.catalog.start();
  await app.catalog.refresh();
  const proxy = createProxyServer(
    { pipeline: app.pipeline, catalog: app.catalog, getSettings: () => settings, log },
    { host: '127.0.0.1', port: 0, token: TOKEN },
  );
  const info = await proxy.start();
  const url = info.url!;
  return {
    url,
    port: Number(new URL(url).port),
    token: TOKEN,
    fakes,
    app,
    proxy,
    logs,
    dataDir,
    settings,
    ledger: () => app.money.ledger({}),
    keys: () => Object.values(fakes).flatMap((f) => (f.key ? [f.key] : [])),
    async close() {
      await proxy.close(100);
      await app.dispose();
      await Promise.all(Object.values(fakes).map((f) => f.close()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  trailers: Record<string, string | undefined>;
}

/** One request with node:http, exactly as given (no client-side niceties): for refusals and limits. */
export function rawRequest(
  port: number,
  opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path ?? '/v1/models', headers: opts.headers, setHost: !('host' in (opts.headers ?? {})) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), trailers: res.trailers }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

export const auth = (token = TOKEN) => ({ authorization: `Bearer ${token}` });

/** The parsed OpenAI error of a raw response (fails loudly when the shape is not OpenAI's). */
export function openAiError(r: RawResponse): { message: string; type: string; code: string; param: string | null } {
  const parsed = JSON.parse(r.body) as { error?: { message: string; type: string; code: string; param: string | null } };
  if (!parsed.error || typeof parsed.error.message !== 'string' || typeof parsed.error.type !== 'string' || typeof parsed.error.code !== 'string') {
    throw new Error(`not an OpenAI error shape: ${r.body}`);
  }
  return parsed.error;
}
