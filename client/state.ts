import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

/** What features get: the extension context, the log, and the running client (when it runs). */
export interface ExtensionState {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  /** The client once started; features subscribe to its notifications through `onClient`. */
  client(): LanguageClient | undefined;
  /** Resolves with the client when the server is running; rejects with a readable reason if it cannot start. */
  ready(): Promise<LanguageClient>;
  /** Called with each (re)started client; listeners register their notification handlers here. */
  onClient(listener: (client: LanguageClient) => vscode.Disposable[] | void): void;
  restart(): Promise<void>;
  /**
   * Work that must finish before the extension host goes away (a window reload, VS Code quitting):
   * deactivate() waits for every task, for at most a few seconds (VS Code's own limit is 5 s).
   */
  beforeDeactivate(task: () => Promise<unknown>): void;
}

/** A feature: registers its views/commands once per extension lifetime. */
export type Feature = (state: ExtensionState) => vscode.Disposable[] | void;
