// Starting and supervising the bundled language server. This module is its own bundle,
// dist/lsp-client.js, loaded after activation (see client/extension.ts): it imports no protocol
// module, only vscode-languageclient.
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

/** Languages whose source may hold model IDs (issue 5); the server decides what to do with each. */
export const DOCUMENT_SELECTOR = [
  'python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'json', 'jsonc',
  'yaml', 'toml', 'dotenv', 'properties', 'go',
].flatMap((language) => [{ scheme: 'file', language }, { scheme: 'untitled', language }]).concat([
  { scheme: 'file', pattern: '**/.env*' } as never,
]);

/** Bounded restarts: at most MAX_RESTARTS crashes within WINDOW_MS, then stop and say so once. */
const MAX_RESTARTS = 4;
const WINDOW_MS = 3 * 60_000;

export function createLanguageClient(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  onGiveUp: (reason: string) => void,
): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, args: ['lsp'] },
    debug: { module, transport: TransportKind.ipc, args: ['lsp'], options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const crashes: number[] = [];
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: log,
    initializationOptions: {
      dataDir: context.globalStorageUri.fsPath,
      secrets: true,
      httpProxy: vscode.workspace.getConfiguration('http').get<string>('proxy') || undefined,
    },
    synchronize: { configurationSection: 'switchyard' },
    errorHandler: {
      error: (_error, _message, count): ErrorHandlerResult =>
        (count ?? 0) <= 3 ? { action: ErrorAction.Continue } : { action: ErrorAction.Shutdown },
      closed: (): CloseHandlerResult => {
        const now = Date.now();
        crashes.push(now);
        while (crashes.length && now - crashes[0] > WINDOW_MS) crashes.shift();
        if (crashes.length > MAX_RESTARTS) {
          onGiveUp(`The Switchyard language server stopped ${crashes.length} times in 3 minutes and will not be restarted.`);
          return { action: CloseAction.DoNotRestart, handled: true };
        }
        log.warn(`language server stopped; restarting (${crashes.length}/${MAX_RESTARTS})`);
        return { action: CloseAction.Restart, handled: true };
      },
    },
    initializationFailedHandler: (error) => {
      // No retry loop after a failed start: one message, one way out.
      onGiveUp(`The Switchyard language server failed to start: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    },
  };
  return new LanguageClient('switchyard', 'Switchyard', serverOptions, clientOptions);
}
