// The proxy inside the language server: started, stopped and restarted as `switchyard.proxy.*`
// settings change, published as `App.proxy` (status bar: URL and request count) and announced to
// the client with `ProxyChangedNotification` (terminal environment). A proxy that cannot start is
// reported through the info's `error`; the language server keeps running.
import type { FeatureContext } from '../lsp/context';
import type { Disposable, ProxyHandle } from '../core/services';
import type { Settings } from '../protocol/settings';
import { ProxyChangedNotification, ProxyInfoRequest, type ProxyInfo } from '../protocol/messages';
import { errorMessage } from '../core/errors';
import { createProxyServer, type ProxyServer } from './server';
import { resolveProxyToken } from './token';

/** Settings that need a new listening socket; the others are read per request. */
const restartKey = (s: Settings) =>
  JSON.stringify([s.proxy.enabled, s.proxy.port, s.proxy.maxHeaderBytes, s.proxy.headersTimeoutMs]);

export function registerProxy({ connection, app, log, onSettings, settingsReady, disposables }: FeatureContext): void {
  let current: ProxyServer | undefined;
  let stopped: ProxyInfo = { running: false, requests: 0 };
  /** Requests served by earlier instances, so the count survives a settings-driven restart. */
  let carried = 0;
  let key = '';
  let lastSent = '';
  let queue: Promise<void> = Promise.resolve();
  let disposed = false;
  const listeners = new Set<() => void>();

  const info = (): ProxyInfo => {
    const i = current?.info() ?? stopped;
    return { ...i, requests: i.requests + carried };
  };
  const changed = () => {
    for (const l of listeners) l();
    const i = info();
    // The client only cares where the proxy is (terminal env): skip count-only changes.
    const sig = JSON.stringify([i.running, i.url, i.token, i.error]);
    if (sig !== lastSent) {
      lastSent = sig;
      void connection.sendNotification(ProxyChangedNotification, i);
    }
  };

  const handle: ProxyHandle = {
    info,
    onDidChange(l): Disposable {
      listeners.add(l);
      return { dispose: () => listeners.delete(l) };
    },
  };
  app.proxy = handle;

  async function stop(): Promise<void> {
    if (!current) return;
    const old = current;
    current = undefined;
    carried += old.info().requests;
    await old.close();
  }

  async function start(s: Settings): Promise<void> {
    await stop();
    if (disposed || !s.proxy.enabled) {
      stopped = { running: false, requests: 0 };
      return changed();
    }
    try {
      const { token } = resolveProxyToken({ env: app.options.env, dataDir: app.options.dataDir });
      const server = createProxyServer(
        { pipeline: app.pipeline, catalog: app.catalog, getSettings: app.options.getSettings, log },
        { host: '127.0.0.1', port: s.proxy.port, token },
      );
      current = server;
      server.onDidChange(changed);
      await server.start();
    } catch (e) {
      current = undefined;
      stopped = { running: false, requests: 0, error: errorMessage(e) };
      log.error(`proxy: ${errorMessage(e)}`);
    }
    changed();
  }

  const apply = (s: Settings) => {
    const k = restartKey(s);
    if (k === key) return;
    key = k;
    // One start/stop at a time, in settings order.
    queue = queue.then(() => start(s)).catch((e) => log.error(`proxy: ${errorMessage(e)}`));
  };

  connection.onRequest(ProxyInfoRequest, async () => {
    await settingsReady;
    await queue; // answer with the proxy as the current settings have it, not half-started
    return info();
  });
  // Start on the client's settings, not the defaults (the port or `enabled` may differ).
  void settingsReady.then(() => {
    onSettings(apply);
    apply(app.options.getSettings());
  });

  // Stop listening on shutdown, after any start or stop still in flight, before the app goes.
  disposables.push(async () => {
    disposed = true;
    listeners.clear();
    await queue.catch(() => undefined);
    await stop();
  });
}
