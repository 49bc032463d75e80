// Extension entry: owns the two disposal scopes — extension lifetime (context.subscriptions:
// views, commands, status bar) and server lifetime (handlers on one LanguageClient instance).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type * as LspClient from './lsp/client';
import { GetSecretRequest } from '../server/protocol/messages';
import { secretKeyName } from './secrets';
import { coreCommands, registerCommandTable } from './commands';
import type { ExtensionState, Feature } from './state';
import { terminalFeature } from './terminal';
import { registerExplorer } from './explorer';
import { statusFeature } from './status';
import { chatFeature } from './chat';
import { languageFeature } from './language';

/**
 * vscode-languageclient and the protocol libraries under it (≈ 375 KB minified) are their own bundle,
 * dist/lsp-client.js, loaded once activation has returned: views, commands and the status bar are
 * registered without waiting for them to be read and compiled. The server is started right after.
 *
 * Both files use ONE vscode-jsonrpc: it recognises a message's parameter structure and its errors by
 * object identity, and the protocol's RequestTypes are made here. So this bundle holds jsonrpc and
 * exports it, and the language-client build takes `vscode-jsonrpc` and `vscode-jsonrpc/node` from
 * this export (esbuild.mjs; the build fails if it ever bundles a second copy).
 */
export * as jsonrpc from 'vscode-jsonrpc/node';

const loadLspClient = (): typeof LspClient => require('./lsp-client.js');

/** Feature modules, each registering its own views, commands and notification handlers. */
const FEATURES: Feature[] = [registerExplorer, terminalFeature, statusFeature, chatFeature, languageFeature];

/** What deactivate() waits for (ExtensionState.beforeDeactivate). */
const exitTasks = new Set<() => Promise<unknown>>();
/** Below VS Code's 5 s for deactivate, so a stuck task never makes it give up on the others. */
const EXIT_WAIT_MS = 4000;

export interface SwitchyardApi {
  /** Resolves when the language server is running. */
  ready: Promise<void>;
  client(): LanguageClient | undefined;
}

export function activate(context: vscode.ExtensionContext): SwitchyardApi {
  const log = vscode.window.createOutputChannel('Switchyard', { log: true });
  context.subscriptions.push(log);
  let client: LanguageClient | undefined;
  let serverScope: vscode.Disposable[] = [];
  const clientListeners: ((c: LanguageClient) => vscode.Disposable[] | void)[] = [];
  let started: Promise<LanguageClient>;
  let gaveUp = false;
  let disposed = false;

  const giveUp = (reason: string) => {
    if (gaveUp) return;
    gaveUp = true;
    log.error(reason);
    void vscode.window.showErrorMessage(reason, 'Show Logs', 'Restart').then((a) => {
      if (a === 'Show Logs') log.show();
      if (a === 'Restart') void vscode.commands.executeCommand('switchyard.restartServer');
    });
  };

  const start = (): Promise<LanguageClient> => {
    gaveUp = false;
    const c = loadLspClient().createLanguageClient(context, log, giveUp);
    c.onRequest(GetSecretRequest, async ({ gateway }) => ({
      key: (await context.secrets.get(secretKeyName(gateway))) ?? null,
    }));
    client = c;
    serverScope = clientListeners.flatMap((l) => l(c) ?? []);
    // Activation never waits for this: the server, the network and the catalog come up behind it.
    return c.start().then(() => c);
  };

  const state: ExtensionState = {
    context,
    log,
    client: () => client,
    ready: () => started,
    onClient: (l) => {
      clientListeners.push(l);
      if (client) serverScope.push(...(l(client) ?? []));
    },
    beforeDeactivate: (task) => {
      exitTasks.add(task);
    },
    restart: async () => {
      const old = client;
      serverScope.forEach((d) => d.dispose());
      serverScope = [];
      client = undefined;
      if (old) await old.stop().catch(() => {});
      started = start();
      await started;
    },
  };

  context.subscriptions.push(...registerCommandTable(state, coreCommands));
  for (const feature of FEATURES) context.subscriptions.push(...(feature(state) ?? []));
  // After activate() has returned (setImmediate), so the language client's bundle loads behind it.
  started = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
    if (disposed) throw new Error('the extension was deactivated before its language server started');
    return start();
  });
  // One message for any way the first start fails (a failed initialize has said so already: giveUp
  // says a thing once); nothing when the extension was simply deactivated first.
  started.catch((e) => {
    if (!disposed) giveUp(`The Switchyard language server did not start: ${e instanceof Error ? e.message : String(e)}`);
  });
  context.subscriptions.push({
    dispose: () => {
      disposed = true;
      serverScope.forEach((d) => d.dispose());
      void client?.stop();
    },
  });
  const ready = started.then(() => undefined);
  ready.catch(() => {}); // said above; whoever awaits `ready` still gets the rejection
  return { ready, client: () => client };
}

/** The client is stopped through context.subscriptions; what must reach the disk first is awaited here. */
export async function deactivate(): Promise<void> {
  const tasks = [...exitTasks].map((t) => Promise.resolve().then(t));
  exitTasks.clear();
  if (!tasks.length) return;
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<void>((resolve) => (timer = setTimeout(resolve, EXIT_WAIT_MS)));
  await Promise.race([Promise.allSettled(tasks), cap]);
  clearTimeout(timer);
}
