// A real app around the fake gateways for pipeline and routing tests: real HTTP on 127.0.0.1, the
// real catalog (refreshed from the fakes), the real money service writing a real ledger in a temp
// data directory, and the pipeline built either by createApp or with an injected clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Agent } from 'undici';
import { startFakeGateway, type FakeGateway, type FakeGatewayKind, type FakeGatewayOptions } from '../fakes/index';
import { createApp, type App } from '../../server/core/app';
import { createKeyProvider } from '../../server/core/keys';
import { silentLogger, type Logger } from '../../server/core/log';
import { parseSettings, type Settings, type SettingsInput } from '../../server/protocol/settings';
import type { GatewayConfig } from '../../server/protocol/settings';
import type { LedgerRecord } from '../../server/protocol/ledger';
import type { PipelineRequest, PipelineResponse } from '../../server/core/services';
import { adapterFor } from '../../server/gateways/index';
import { createPipelineService, type PipelineDeps } from '../../server/pipeline/pipeline';

export interface GatewaySpec {
  id: string;
  kind: FakeGatewayKind;
  opts?: FakeGatewayOptions;
}

export interface Harness {
  app: App;
  fakes: Record<string, FakeGateway>;
  settings(): Settings;
  setSettings(patch: Partial<SettingsInput>): void;
  /** A pipeline over the same catalog and money service, with overrides (clock, jitter). */
  pipeline(overrides?: Partial<PipelineDeps>): ReturnType<typeof createPipelineService>;
  ledger(): Promise<LedgerRecord[]>;
  close(): Promise<void>;
}

let counter = 0;

export async function startHarness(
  gateways: GatewaySpec[],
  extra: Partial<SettingsInput> = {},
  opts: { log?: Logger; beforeCatalog?: (fakes: Record<string, FakeGateway>) => void } = {},
): Promise<Harness> {
  const log = opts.log ?? silentLogger;
  const fakes: Record<string, FakeGateway> = {};
  const env: NodeJS.ProcessEnv = {};
  const configs: GatewayConfig[] = [];
  for (const g of gateways) {
    const fake = await startFakeGateway(g.kind, g.opts);
    fakes[g.id] = fake;
    const keyEnv = `KEY_${g.id.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`;
    if (fake.key) env[keyEnv] = fake.key;
    configs.push({ id: g.id, kind: g.kind, baseUrl: fake.baseUrl, apiKeyEnv: keyEnv });
  }
  let input: SettingsInput = { gateways: configs, ...extra };
  let settings = mustParse(input);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'switchyard-pipeline-'));
  const dispatcher = new Agent({ connections: 128 });
  const keys = createKeyProvider(env);
  const app = createApp({ dataDir, getSettings: () => settings, keys, log, env, dispatcher });
  opts.beforeCatalog?.(fakes);
  await app.catalog.start();
  await app.catalog.refresh();
  return {
    app,
    fakes,
    settings: () => settings,
    setSettings(patch) {
      input = { ...input, ...patch };
      settings = mustParse(input);
      app.catalog.update(settings);
    },
    pipeline: (overrides = {}) =>
      createPipelineService({
        getSettings: () => settings,
        catalog: app.catalog,
        money: app.money,
        dispatcher,
        keys,
        log,
        adapterFor: (kind) => adapterFor(kind as FakeGatewayKind),
        ...overrides,
      }),
    ledger: () => app.money.ledger({}),
    async close() {
      await app.dispose();
      await Promise.all(Object.values(fakes).map((f) => f.close()));
      await dispatcher.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function mustParse(input: SettingsInput): Settings {
  const r = parseSettings(input);
  if (!r.ok) throw new Error(`test settings are invalid: ${r.error}`);
  return r.settings;
}

export function chatRequest(body: Record<string, unknown>, extra: Partial<PipelineRequest> = {}): PipelineRequest {
  return {
    source: 'proxy',
    endpoint: 'chat/completions',
    body: { messages: [{ role: 'user', content: 'hello there' }], ...body },
    requestId: `req-${process.pid}-${++counter}`,
    signal: new AbortController().signal,
    ...extra,
  };
}

/** Pull a stream to its end; returns the events' data and the metering. */
export async function drain(res: PipelineResponse): Promise<{ data: string[]; text: string }> {
  if (!res.ok || res.kind !== 'stream') throw new Error(`expected a stream, got ${JSON.stringify(res)}`);
  const data: string[] = [];
  let text = '';
  for await (const ev of res.events) {
    data.push(ev.data);
    if (ev.data === '[DONE]') continue;
    const chunk = JSON.parse(ev.data) as { choices?: { delta?: { content?: string } }[] };
    text += chunk.choices?.[0]?.delta?.content ?? '';
  }
  return { data, text };
}

/** A controllable clock for breaker cooldowns (no sleeping in tests). */
export function manualClock(start = Date.now()): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}
