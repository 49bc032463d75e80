// Entry point of the fake LLM gateways: `startFakeGateway(kind)` starts a real HTTP server on
// 127.0.0.1 that speaks that gateway's documented API (../../../shared/seeds). See README.md.
import { randomBytes } from 'node:crypto';
import { arouterRoutes } from './arouter';
import { bifrostRoutes } from './bifrost';
import { seedModels } from './models';
import { nemoCommonHeaders, nemoRoutes } from './nemorouter';
import { openAiCompatibleRoutes } from './openai-compatible';
import { OPENROUTER_PREFIX, openRouterRoutes } from './openrouter';
import { FakeServer, type GatewayEnv, type Route } from './server';
import type { FakeGateway, FakeGatewayKind, FakeGatewayOptions, FakeState } from './types';

export type * from './types';
export { FAKE_GATEWAY_KINDS } from './types';
export { generateModels, seedModels, DEFAULT_AUTO_MODEL } from './models';
export { countTokens, promptTokens, makeReply, computeCost, formatUsd, base64ToFloat32, embeddingVector, CHARS_PER_TOKEN } from './tokens';
export { encodePageToken } from './bifrost';

/** Key prefixes as the gateways document them (NemoRouter `sk-nemo-`, OpenRouter `sk-or-v1-`, ARouter `lr_live_`). */
const KEY_PREFIX: Record<FakeGatewayKind, string | undefined> = {
  nemorouter: 'sk-nemo-',
  openrouter: 'sk-or-v1-',
  arouter: 'lr_live_',
  bifrost: undefined, // self-hosted and keyless unless the test passes opts.key
  'openai-compatible': 'sk-',
};

const DEFAULT_BALANCE: Record<FakeGatewayKind, number> = {
  nemorouter: 5, // the seed's "$5 free credits when you sign up"
  openrouter: 10,
  arouter: 0,
  bifrost: 0,
  'openai-compatible': 0,
};

function defaultKey(kind: FakeGatewayKind): string | undefined {
  const prefix = KEY_PREFIX[kind];
  return prefix === undefined ? undefined : `${prefix}${randomBytes(kind === 'openrouter' ? 32 : 16).toString('hex')}`;
}

export async function startFakeGateway(kind: FakeGatewayKind, opts: FakeGatewayOptions = {}): Promise<FakeGateway> {
  const key = opts.key === null ? undefined : (opts.key ?? defaultKey(kind));
  const balance = opts.balanceUsd ?? DEFAULT_BALANCE[kind];
  const state: FakeState = {
    balance,
    spent: 0,
    models: opts.models ?? seedModels(kind),
    charges: [],
    billed: [],
    promptCache: opts.promptCache ?? false,
    replyChars: opts.replyChars,
    autoModel: opts.autoModel,
  };
  const env: GatewayEnv = { kind, state, opts };
  const prefix = kind === 'openrouter' ? OPENROUTER_PREFIX : '/v1';
  const routes: Route[] = {
    nemorouter: () => nemoRoutes(env, balance),
    openrouter: () => openRouterRoutes(env, key),
    arouter: () => arouterRoutes(env),
    bifrost: () => bifrostRoutes(env),
    'openai-compatible': () => openAiCompatibleRoutes(env),
  }[kind]();
  const server = new FakeServer({ kind, routes, key, commonHeaders: kind === 'nemorouter' ? nemoCommonHeaders : undefined });
  const port = await server.listen(opts.port ?? 0);
  const url = `http://127.0.0.1:${port}`;
  return {
    kind,
    url,
    baseUrl: `${url}${prefix}`,
    port,
    key,
    state,
    requests: server.requests,
    fail: (spec) => server.faults.add(spec),
    clearFaults: () => server.faults.clear(),
    close: () => server.close(),
  };
}
