// Where each feature hooks its handlers into a running language server. One line per feature;
// each register function owns its handlers and pushes what it starts to ctx.disposables (disposed on shutdown).
import type { FeatureContext } from './context';
import { registerCatalogHandlers } from '../catalog/lsp';
import { registerPipelineHandlers } from '../pipeline/lsp';
import { registerLmChatHandlers } from '../pipeline/lmchat';
import { registerMoneyHandlers } from '../ledger/lsp';
import { registerProxy } from '../proxy/lsp';
import { registerLanguageFeatures } from '../language/lsp';

export function registerServerFeatures(ctx: FeatureContext): void {
  registerCatalogHandlers(ctx);
  registerPipelineHandlers(ctx);
  registerLmChatHandlers(ctx);
  registerMoneyHandlers(ctx);
  registerProxy(ctx);
  registerLanguageFeatures(ctx);
}
