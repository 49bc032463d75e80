// Drive the built language server (`node dist/server.js lsp --stdio`) over a real LSP connection.
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
  type ClientCapabilities,
} from 'vscode-languageserver-protocol/node';

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
  // A message connection (not a protocol connection) so that a star handler can record every notification.
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
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
      processId: process.pid,
      rootUri: null,
      capabilities: opts.capabilities ?? { workspace: { configuration: true } },
      initializationOptions: opts.initializationOptions,
    })
    .catch((e: unknown) => {
      // A failed initialize must not leave the server running and the test process waiting on it.
      connection.dispose();
      child.kill();
      throw e;
    });
  await connection.sendNotification(InitializedNotification.type, {});
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    connection,
    child,
    initialize,
    logs,
    events,
    notifications,
    stderr: () => stderr,
    async close() {
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      const code = await exited;
      connection.dispose();
      return code;
    },
  };
}

/** Resolve when a server log line matches (no fixed sleeps). */
export function waitForLog(session: LspSession, predicate: (line: string) => boolean, timeoutMs = 10_000): Promise<string> {
  const hit = session.logs.find(predicate);
  if (hit) return Promise.resolve(hit);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      session.events.off('log', onLog);
      reject(new Error(`no matching log line within ${timeoutMs} ms; got:\n${session.logs.join('\n')}`));
    }, timeoutMs);
    const onLog = (line: string) => {
      if (!predicate(line)) return;
      clearTimeout(timer);
      session.events.off('log', onLog);
      resolve(line);
    };
    session.events.on('log', onLog);
  });
}
