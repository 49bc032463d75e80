// The language features' server-side state: settings, gateways, favorites, session ignores and one
// cached analysis per open document. Anything but the document text that changes what the features
// compute bumps `generation`, which invalidates the cached analyses and triggers a re-check.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { MessageType, ShowMessageNotification } from 'vscode-languageserver/node';
import type { FeatureContext } from '../lsp/context';
import type { Settings } from '../protocol/settings';
import { loadedPriceTable } from '../catalog/table';
import { errorMessage } from '../core/errors';
import { analyzeDocument, analyzeLine, type Analysis } from './document';
import { problemContext, type ProblemContext } from './diagnostics';
import { gatewayInfos } from './target';
import type { GatewayInfo, LanguageEnv } from './types';

export class LanguageSession {
  settings: Settings;
  favorites: ReadonlySet<string> = new Set();
  readonly sessionIgnore = new Set<string>();
  /** Bumped whenever something other than the document text changes what features compute. */
  generation = 0;
  private gateways: GatewayInfo[];
  private readonly analyses = new Map<string, { version: number; generation: number; analysis: Analysis }>();
  private readonly listeners = new Set<() => void>();
  private reportedPatternErrors = '';

  constructor(private readonly ctx: FeatureContext) {
    this.settings = ctx.app.options.getSettings();
    this.gateways = gatewayInfos(this.settings, ctx.app.catalog.statuses());
  }

  get enabled(): boolean {
    return this.settings.language.enabled;
  }

  env(): LanguageEnv {
    const { settings, gateways, favorites, sessionIgnore } = this;
    return { catalog: this.ctx.app.catalog, settings, gateways, favorites, sessionIgnore };
  }

  problemContext(): ProblemContext {
    return problemContext(this.env(), (id) => loadedPriceTable()?.identify(id));
  }

  /** Settings, the catalog's loaded gateways or the ignore list changed: re-derive and tell the listeners. */
  invalidate(settings = this.settings): void {
    this.settings = settings;
    this.gateways = gatewayInfos(settings, this.ctx.app.catalog.statuses());
    this.generation++;
    for (const l of this.listeners) l();
  }

  onInvalidate(listener: () => void): void {
    this.listeners.add(listener);
  }

  forget(uri: string): void {
    this.analyses.delete(uri);
  }

  analysisOf(doc: TextDocument): Analysis {
    const hit = this.analyses.get(doc.uri);
    if (hit && hit.version === doc.version && hit.generation === this.generation) return hit.analysis;
    const analysis = analyzeDocument(doc, this.env());
    this.analyses.set(doc.uri, { version: doc.version, generation: this.generation, analysis });
    const errors = analysis.patternErrors.join('\n');
    if (errors && errors !== this.reportedPatternErrors) {
      this.ctx.log.warn(errors);
      this.showMessage(MessageType.Warning, errors);
    }
    this.reportedPatternErrors = errors;
    return analysis;
  }

  /**
   * Runs a feature on an open document, never letting a bug in it take the request down with an
   * exception. With `line`, a document whose full analysis is stale is scanned on that line only
   * (completion and hover arrive on every keystroke; a 5,000-line file is not re-scanned for them).
   */
  withDoc<T>(uri: string, empty: T, f: (doc: TextDocument, a: Analysis) => T, line?: number): T {
    const doc = this.ctx.documents.get(uri);
    if (!doc || !this.enabled) return empty;
    try {
      const hit = this.analyses.get(uri);
      const fresh = hit && hit.version === doc.version && hit.generation === this.generation;
      return f(doc, line !== undefined && !fresh ? analyzeLine(doc, line, this.env()) : this.analysisOf(doc));
    } catch (e) {
      this.ctx.log.error(`model-ID feature failed on ${uri}: ${errorMessage(e)}`);
      return empty;
    }
  }

  /**
   * A plain `window/showMessage` notification: `connection.window.show…Message` sends a request at run
   * time, and a client that does not implement it answers with an error (an unhandled rejection).
   */
  showMessage(type: MessageType, message: string): void {
    this.ctx.connection.sendNotification(ShowMessageNotification.type, { type, message }).catch(() => {});
  }
}
