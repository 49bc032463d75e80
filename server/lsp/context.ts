// What a feature gets when it hooks into a running language server. A leaf module: the feature
// folders import it, and server/lsp/features.ts (which imports them) does not have to be imported back.
import type { ClientCapabilities, Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { App } from '../core/app';
import type { Logger } from '../core/log';
import type { Settings } from '../protocol/settings';
import type { DisposableScope } from '../core/dispose';

export interface FeatureContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  app: App;
  log: Logger;
  onSettings(listener: (s: Settings) => void): void;
  /** What the client declared in `initialize` (pull or push diagnostics, completion list defaults, refresh support). */
  clientCapabilities?: ClientCapabilities;
  /** Resolves once the client's settings have been pulled (handlers are registered before that). */
  settingsReady: Promise<void>;
  /**
   * The server's lifetime: push each timer, listener, socket and piece of running work here where it
   * is started. `shutdown` (or `exit` without it) disposes them newest first, then the app.
   */
  disposables: DisposableScope;
}
