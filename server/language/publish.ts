// Diagnostics delivery: pulled (`textDocument/diagnostic`) by clients that declare it (VS Code),
// pushed (`publishDiagnostics`, debounced) to the others (older Neovim, Helix). After an invalidation
// (catalog, settings, ignore list) every open document is re-checked: `workspace/diagnostic/refresh`
// for pull clients, a re-publish for push clients; inlay hints are refreshed too, and the new
// catalog snapshot's index and default completion list are built before the next keystroke needs them.
import { DocumentDiagnosticReportKind, type ClientCapabilities, type Diagnostic, type DocumentDiagnosticReport } from 'vscode-languageserver/node';
import type { FeatureContext } from '../lsp/context';
import { errorMessage } from '../core/errors';
import { computeProblems, type ProblemContext } from './diagnostics';
import { toDiagnostic } from './convert';
import { completionItems } from './completion';
import { modelIndex } from './lookup';
import { defaultTarget } from './target';
import type { LanguageSession } from './session';

const PUSH_DEBOUNCE_MS = 150;
const REFRESH_DEBOUNCE_MS = 100;

export function registerDiagnostics(ctx: FeatureContext, session: LanguageSession, caps: ClientCapabilities): void {
  const { connection, documents } = ctx;
  const pull = !!caps.textDocument?.diagnostic;
  const timers = new Map<string, NodeJS.Timeout>();

  const diagnosticsOf = (uri: string, pc?: ProblemContext): Diagnostic[] =>
    session.withDoc(uri, [], (doc, a) => computeProblems(doc, a, pc ?? session.problemContext()).map((p) => toDiagnostic(doc, p)));

  connection.languages.diagnostics.on((params): DocumentDiagnosticReport => {
    const doc = documents.get(params.textDocument.uri);
    const resultId = `${doc?.version ?? 'closed'}:${session.generation}:${session.enabled}`;
    if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items: diagnosticsOf(params.textDocument.uri) };
  });

  const publish = (uri: string, pc?: ProblemContext) => {
    const doc = documents.get(uri);
    if (doc) connection.sendDiagnostics({ uri, version: doc.version, diagnostics: diagnosticsOf(uri, pc) }).catch(() => {});
  };
  const schedulePublish = (uri: string) => {
    if (pull) return;
    clearTimeout(timers.get(uri));
    timers.set(uri, setTimeout(() => (timers.delete(uri), publish(uri)), PUSH_DEBOUNCE_MS));
  };
  documents.onDidOpen((e) => schedulePublish(e.document.uri));
  documents.onDidChangeContent((e) => schedulePublish(e.document.uri));
  documents.onDidClose((e) => {
    session.forget(e.document.uri);
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
    if (!pull) connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }).catch(() => {});
  });

  let refreshTimer: NodeJS.Timeout | undefined;
  const refreshAll = () => {
    refreshTimer = undefined;
    if (pull) {
      if (caps.workspace?.diagnostics?.refreshSupport) connection.languages.diagnostics.refresh().catch(() => {});
    } else {
      const pc = session.problemContext();
      for (const doc of documents.all()) publish(doc.uri, pc);
    }
    if (caps.workspace?.inlayHint?.refreshSupport) connection.languages.inlayHint.refresh().catch(() => {});
    if (session.enabled) setImmediate(() => warmUp(ctx, session));
  };
  session.onInvalidate(() => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refreshAll, REFRESH_DEBOUNCE_MS);
  });
  ctx.disposables.push(() => {
    clearTimeout(refreshTimer);
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
  });
}

function warmUp(ctx: FeatureContext, session: LanguageSession): void {
  try {
    const env = session.env();
    modelIndex(env.catalog);
    completionItems(env, defaultTarget(env.gateways, env.settings));
  } catch (e) {
    ctx.log.error(`model-ID warm-up failed: ${errorMessage(e)}`);
  }
}
