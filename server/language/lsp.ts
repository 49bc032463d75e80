// Model IDs in code on the language server (issue 5): completion, hover, code actions, inlay hints
// and diagnostics (server/language/publish.ts). The features themselves are pure functions in this
// folder; this file wires them to the connection and to the catalog, settings and favorites.
import { MessageType } from 'vscode-languageserver/node';
import { z } from 'zod';
import type { FeatureContext } from '../lsp/context';
import { FavoritesChangedNotification, FavoritesParamsSchema } from '../protocol/messages';
import { onNotification } from '../lsp/params';
import { errorMessage } from '../core/errors';
import { completeAt, resolveItem } from './completion';
import { hoverAt } from './hover';
import { codeActions } from './actions';
import { IGNORE_MODEL_COMMAND } from './commands';
import { inlayHints } from './inlay';
import { LanguageSession } from './session';
import { registerDiagnostics } from './publish';
import { firstCatalogPending, loadedGateways } from './target';

export function registerLanguageFeatures(ctx: FeatureContext): void {
  const { connection, app, log } = ctx;
  const caps = ctx.clientCapabilities ?? {};
  const itemDefaults = !!caps.textDocument?.completion?.completionList?.itemDefaults?.includes('editRange');
  const session = new LanguageSession(ctx);
  registerDiagnostics(ctx, session, caps);

  // The catalog emits on every status flip (loading → ok); only a new snapshot, a new set of loaded
  // gateways or the end of the wait for a first catalog (see ProblemContext.pending) matters here.
  const signature = () => {
    const statuses = app.catalog.statuses();
    return { all: app.catalog.all(), live: loadedGateways(statuses).join(','), pending: firstCatalogPending(statuses) };
  };
  let last = signature();
  ctx.disposables.push(
    app.catalog.onDidChange(() => {
      const now = signature();
      if (now.all === last.all && now.live === last.live && now.pending === last.pending) return;
      last = now;
      session.invalidate();
    }),
  );
  ctx.onSettings((s) => session.invalidate(s));

  connection.onCompletion((p) =>
    session.withDoc(p.textDocument.uri, null, (doc, a) => completeAt(doc, a, doc.offsetAt(p.position), session.env(), { itemDefaults }), p.position.line),
  );
  connection.onCompletionResolve((item) => {
    try {
      return resolveItem(item, session.env());
    } catch (e) {
      log.error(`completion resolve failed: ${errorMessage(e)}`);
      return item;
    }
  });
  connection.onHover((p) => session.withDoc(p.textDocument.uri, null, (doc, a) => hoverAt(doc, a, doc.offsetAt(p.position), session.env()), p.position.line));
  connection.onCodeAction((p) =>
    session.withDoc(p.textDocument.uri, [], (doc, a) =>
      codeActions(doc, a, { range: p.range, diagnostics: p.context.diagnostics, only: p.context.only }, session.problemContext()),
    ),
  );
  connection.languages.inlayHint.on((p) => session.withDoc(p.textDocument.uri, [], (doc, a) => inlayHints(doc, a, p.range, session.env())));

  // Editors other than VS Code (which writes the setting client-side) send the ignore fix here:
  // the ID is ignored for this session, and the person is told how to keep it ignored.
  connection.onExecuteCommand((p) => {
    if (p.command !== IGNORE_MODEL_COMMAND) return;
    const id = z.string().min(1).max(300).safeParse(p.arguments?.[0]);
    if (!id.success) return;
    session.sessionIgnore.add(id.data);
    session.invalidate();
    session.showMessage(MessageType.Info, `"${id.data}" is ignored until the server restarts. To keep it ignored, add it to switchyard.language.ignore in your settings.`);
  });

  onNotification(connection, FavoritesChangedNotification, FavoritesParamsSchema, log, ({ canonicalIds }) => {
    session.favorites = new Set(canonicalIds);
  });
}
