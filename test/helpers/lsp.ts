// Drive the language server over a real LSP connection: the built one (`node dist/server.js lsp --stdio`,
// startLsp) or the same code in this process over in-memory streams (startInMemoryLsp).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { EventEmitter } from 'node:events';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  InitializeRequest,
  InitializedNotification,
  ConfigurationRequest,
  ShutdownRequest,
  ExitNotification,
  type InitializeResult,
  type MessageConnection,
  type MessageReader,
  type MessageWriter,
  type ClientCapabilities,
} from 'vscode-languageserver-protocol/node';
import { createConnection } from 'vscode-languageserver/node';
import { PassThrough } from 'node:stream';
import { startLanguageServer, type ServerHandle } from '../../server/lsp/server';
import { waitForEvent } from './wait';

export const SERVER_JS = path.resolve(__dirname, '../../dist/server.js');

export interface LspSession {
  connection: MessageConnection;
  child: ChildProcessWithoutNullStreams;
  initialize: InitializeResult;
  stderr(): string;
  /** Server log lines (window/logMessage). */
  logs: string[];
  /** Emits 'log' for each new line and 'notification' (method, params) for every other notification. */
  events: EventEmitter;
  /** Every non-log notification the server sent, in order. */
  notifications: { method: string; params: unknown }[];
  close(): Promise<number | null>;
}

export interface StartOptions {
  /** What the server gets for `workspace/configuration` section `switchyard`. */
  settings?: unknown;
  initializationOptions?: unknown;
  env?: NodeJS.ProcessEnv;
  capabilities?: ClientCapabilities;
}

export async function startLsp(opts: StartOptions = {}): Promise<LspSession> {
  const child = spawn(process.execPath, [SERVER_JS, 'lsp', '--stdio'], {
    env: { ...process.env, ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const client = await connectClient(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin), opts, process.pid, () => child.kill());
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    ...client,
    child,
    stderr: () => stderr,
    async close() {
      await client.connection.sendRequest(ShutdownRequest.type);
      await client.connection.sendNotification(ExitNotification.type);
      const code = await exited;
      client.connection.dispose();
      return code;
    },
  };
}

/** The client side of a session, spawned or in memory. */
type ClientSide = Pick<LspSession, 'connection' | 'initialize' | 'logs' | 'events' | 'notifications'>;

async function connectClient(reader: MessageReader, writer: MessageWriter, opts: StartOptions, processId: number | null, onFail: () => void): Promise<ClientSide> {
  // A message connection (not a protocol connection) so that a star handler can record every notification.
  const connection = createMessageConnection(reader, writer);
  const logs: string[] = [];
  const events = new EventEmitter();
  connection.onNotification('window/logMessage', (p: { message: string }) => {
    logs.push(p.message);
    events.emit('log', p.message);
  });
  const notifications: { method: string; params: unknown }[] = [];
  connection.onNotification((method: string, params: unknown) => {
    notifications.push({ method, params });
    events.emit('notification', method, params);
  });
  connection.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => opts.settings ?? {}));
  connection.listen();
  const initialize = await connection
    .sendRequest(InitializeRequest.type, {
      processId,
      rootUri: null,
      capabilities: opts.capabilities ?? { workspace: { configuration: true } },
      initializationOptions: opts.initializationOptions,
    })
    .catch((e: unknown) => {
      // A failed initialize must not leave the server running and the test process waiting on it.
      connection.dispose();
      onFail();
      throw e;
    });
  await connection.sendNotification(InitializedNotification.type, {});
  return { connection, initialize, logs, events, notifications };
}

export interface InMemoryLspSession extends ClientSide {
  /** The server's own handle: its app (services) once settings have arrived. */
  server: ServerHandle;
  /** Shuts the server down (which disposes its app). */
  close(): Promise<void>;
}

/**
 * The language server in this process, over a pair of in-memory streams (as vscode-languageserver-node's
 * own connection tests do): a test can reach into the server's services (`server.app()`) while it talks
 * LSP to it, and nothing needs building first.
 */
export async function startInMemoryLsp(opts: StartOptions = {}): Promise<InMemoryLspSession> {
  const up = new PassThrough();
  const down = new PassThrough();
  const server = startLanguageServer(createConnection(new StreamMessageReader(up), new StreamMessageWriter(down)), { ...process.env, ...opts.env });
  // processId null: the server must not watch this process (its watchdog timer would keep the test alive).
  const client = await connectClient(new StreamMessageReader(down), new StreamMessageWriter(up), opts, null, () => {});
  client.connection.onRequest('client/registerCapability', () => null);
  return {
    ...client,
    server,
    async close() {
      // The streams are left open rather than disposed: a feature's late notification then lands in an
      // unread stream instead of throwing in this process (no handle keeps the test alive).
      await client.connection.sendRequest(ShutdownRequest.type);
    },
  };
}

/** Resolve at the first notification `method` whose params satisfy `pred`, counting those already received. */
export function waitForNotification<T>(
  session: Pick<LspSession, 'events' | 'notifications'>,
  method: string,
  pred: (p: T) => boolean = () => true,
  { timeoutMs = 15_000, what }: { timeoutMs?: number; what?: string } = {},
): Promise<T> {
  const of = () => session.notifications.filter((n) => n.method === method).map((n) => n.params as T);
  return waitForEvent<{ method: string; params: T }>(session.events, 'notification', (n) => n.method === method && pred(n.params), {
    what: what ?? `matching ${method}`,
    timeoutMs,
    seen: of().map((params) => ({ method, params })),
    describe: () => `last: ${JSON.stringify(of().at(-1))}`,
    args: (m, p) => ({ method: m as string, params: p as T }),
  }).then((n) => n.params);
}

/** Resolve when a server log line matches (no fixed sleeps). */
export function waitForLog(session: Pick<LspSession, 'events' | 'logs'>, predicate: (line: string) => boolean, timeoutMs = 10_000): Promise<string> {
  return waitForEvent<string>(session.events, 'log', predicate, {
    what: 'matching log line',
    timeoutMs,
    seen: session.logs,
    describe: () => `got:\n${session.logs.join('\n')}`,
  });
}
