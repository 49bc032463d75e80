// Where each feature hooks its handlers into a running language server. One line per feature;
// each register function owns its handlers and the timers it starts (disposed on shutdown).
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { App } from '../core/app';
import type { Logger } from '../core/log';
import type { Settings } from '../protocol/settings';
import { registerCatalogHandlers } from '../catalog/lsp';

export interface FeatureContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  app: App;
  log: Logger;
  onSettings(listener: (s: Settings) => void): void;
}

export function registerServerFeatures(ctx: FeatureContext): void {
  registerCatalogHandlers(ctx);
}
