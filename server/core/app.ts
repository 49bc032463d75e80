// The composition root shared by the language server and the headless CLI: one catalog, one
// pipeline, one ledger writer per process, all reading settings through `getSettings`.
import { chmodSync, mkdirSync } from 'node:fs';
import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import type { Logger } from './log';
import type { KeyProvider } from './keys';
import type { Settings } from '../protocol/settings';
import type { CatalogService, MoneyService, Pipeline, ProxyHandle } from './services';
import { createCatalogService } from '../catalog/service';
import { createPipeline } from '../pipeline/service';
import { createMoneyService } from '../ledger/money';

export interface AppOptions {
  dataDir: string;
  getSettings: () => Settings;
  keys: KeyProvider;
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** Tests inject their own; product code builds one per process (never a global dispatcher). */
  dispatcher?: Dispatcher;
  /** Use only the embedded table (CLI --offline). */
  offline?: boolean;
}

export interface App {
  options: AppOptions;
  dispatcher: Dispatcher;
  catalog: CatalogService;
  pipeline: Pipeline;
  money: MoneyService;
  /** Set by the proxy feature once it listens (language server or `switchyard proxy`). */
  proxy?: ProxyHandle;
  dispose(): Promise<void>;
}

export function createDispatcher(settings: Settings, env: NodeJS.ProcessEnv): Dispatcher {
  const proxy = settings.http.proxy || env.HTTPS_PROXY || env.https_proxy || '';
  // No per-gateway connection cap: what is admitted (the proxy's maxConcurrency, a person in the
  // chat) is the cap. A smaller pool made admitted requests wait for a connection inside undici,
  // and that local wait counted against requestTimeoutMs — a healthy gateway timed out and tripped
  // its breaker above 16 requests at once (issue 16, item 4).
  const opts = { connections: null, keepAliveTimeout: 30_000, connectTimeout: 10_000 };
  return proxy ? new ProxyAgent({ uri: proxy, ...opts }) : new Agent(opts);
}

/** The data directory holds the ledger, cached catalogs and the proxy token: the user's alone (0700). */
function secureDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  } catch {
    // A read-only or foreign directory: the files inside are still written 0600.
  }
}

export function createApp(options: AppOptions): App {
  secureDataDir(options.dataDir);
  const dispatcher = options.dispatcher ?? createDispatcher(options.getSettings(), options.env);
  const catalog = createCatalogService({ ...options, dispatcher });
  const money = createMoneyService({ ...options, dispatcher, catalog });
  const pipeline = createPipeline({ ...options, dispatcher, catalog, money });
  return {
    options,
    dispatcher,
    catalog,
    pipeline,
    money,
    async dispose() {
      catalog.dispose();
      money.dispose();
      if (!options.dispatcher) await dispatcher.close().catch(() => {});
    },
  };
}
