// Where each feature hooks its handlers into a running language server. One line per feature;
// each register function owns its handlers and the timers it starts (disposed on shutdown).
import type { ClientCapabilities, Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { App } from '../core/app';
import type { Logger } from '../core/log';
import type { Settings } from '../protocol/settings';
import { registerCatalogHandlers } from '../catalog/lsp';
import { registerPipelineHandlers } from '../pipeline/lsp';
import { registerLmChatHandlers } from '../pipeline/lmchat';
import { registerMoneyHandlers } from '../ledger/lsp';
import { registerProxy } from '../proxy/lsp';
import { registerLanguageFeatures } from '../language/lsp';

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
}

export function registerServerFeatures(ctx: FeatureContext): void {
  registerCatalogHandlers(ctx);
  registerPipelineHandlers(ctx);
  registerLmChatHandlers(ctx);
  registerMoneyHandlers(ctx);
  registerProxy(ctx);
  registerLanguageFeatures(ctx);
}
