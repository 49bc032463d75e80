// `switchyard proxy [--port N] [--host 127.0.0.1] [--token T]`: the local OpenAI-compatible proxy
// without an editor. Prints the base URL on stdout once listening (scripts read that line); how to
// point tools at it goes to stderr; SIGINT/SIGTERM stop it cleanly (exit 0).
import type { Subcommand } from './command';
import { errorMessage } from '../core/errors';
import { createApp, type App } from '../core/app';
import { createKeyProvider } from '../core/keys';
import { defaultDataDir } from '../core/paths';
import { stderrLogger } from '../core/log';
import { createProxyServer, type ProxyServer } from '../proxy/server';
import { resolveProxyToken } from '../proxy/token';
import { proxyStarted } from './engine';
import { hostFlag, portFlag } from './flags';

export const proxyCommand: Subcommand = {
  summary: 'run the local OpenAI-compatible proxy on 127.0.0.1 (prints its base URL)',
  usage: 'proxy [--port N] [--host 127.0.0.1] [--token T]',
  options: { port: { type: 'string', short: 'p' }, host: { type: 'string' }, token: { type: 'string' } },
  async run(values, _positionals, io, settings) {
    const host = hostFlag(values.host);
    const port = portFlag(values.port, settings.proxy.port);
    const dataDir = (values['data-dir'] as string | undefined) ?? defaultDataDir(io.env);
    const token = resolveProxyToken({ flag: values.token as string | undefined, env: io.env, dataDir });
    const log = stderrLogger(!!io.env.SWITCHYARD_DEBUG);
    const app = createApp({ dataDir, getSettings: () => settings, keys: createKeyProvider(io.env), log, env: io.env });
    const catalogStarted = app.catalog.start().catch((e) => log.error(`catalog failed to start: ${errorMessage(e)}`));
    const server = createProxyServer(
      { pipeline: app.pipeline, catalog: app.catalog, getSettings: () => settings, log },
      { host, port, token: token.token },
    );
    // Before listening: a signal that arrives as soon as the URL is out must find its handler.
    stopOnSignals(server, app);
    try {
      await server.start();
    } catch (e) {
      await app.dispose();
      io.err(`switchyard proxy: ${errorMessage(e)}\n`);
      return 1;
    }
    app.proxy = server;
    const url = server.info().url!;
    const key = token.source === 'file' ? `$(cat '${token.file}')` : token.source === 'env' ? '"$SWITCHYARD_PROXY_TOKEN"' : '<the --token value>';
    io.err(`  export OPENAI_BASE_URL=${url} OPENAI_API_BASE=${url} OPENAI_API_KEY=${key}\nStop with Ctrl+C.\n`);
    // Last: scripts take the URL line on stdout as the ready signal.
    io.out(`${url}\n`);
    void catalogStarted.then(proxyStarted);
    return undefined;
  },
};

function stopOnSignals(server: ProxyServer, app: App): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.exit(130); // a second Ctrl+C: stop waiting for in-flight requests
    }
    stopping = true;
    process.stderr.write(`switchyard proxy: ${signal}, stopping\n`);
    void (async () => {
      await server.close(2000);
      await app.dispose();
      // Ledger appends are awaited by the pipeline; nothing else needs the event loop.
      process.exit(0);
    })().catch((e) => {
      process.stderr.write(`switchyard proxy: ${errorMessage(e)}\n`);
      process.exit(1);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
