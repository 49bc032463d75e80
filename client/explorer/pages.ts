// The details and compare pages: webview panels with static HTML (pagesHtml.ts), no scripts, a CSP that
// allows only our nonce'd stylesheet. One details panel per model (revealed again if open) and one
// compare panel, reused.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { MergedModel } from '../../server/protocol/model';
import { modelLabel } from '../../server/protocol/present';
import { renderCompareHtml, renderDetailsHtml } from './pagesHtml';

const nonce = () => randomBytes(16).toString('base64');

/** No scripts, no local resources: the pages are pure HTML + one inline stylesheet. */
const OPTIONS: vscode.WebviewPanelOptions & vscode.WebviewOptions = {
  enableScripts: false,
  enableCommandUris: false,
  localResourceRoots: [],
  enableFindWidget: true,
};

export class Pages implements vscode.Disposable {
  private readonly details = new Map<string, vscode.WebviewPanel>();
  private compare: vscode.WebviewPanel | undefined;

  showDetails(model: MergedModel, favorite: boolean): vscode.WebviewPanel {
    let panel = this.details.get(model.canonicalId);
    if (panel) {
      panel.reveal();
    } else {
      panel = vscode.window.createWebviewPanel('switchyard.modelDetails', modelLabel(model), vscode.ViewColumn.Active, OPTIONS);
      this.details.set(model.canonicalId, panel);
      const key = model.canonicalId;
      panel.onDidDispose(() => this.details.delete(key));
    }
    panel.title = modelLabel(model);
    panel.webview.html = renderDetailsHtml(model, { cspSource: panel.webview.cspSource, nonce: nonce(), favorite });
    return panel;
  }

  showCompare(models: MergedModel[]): vscode.WebviewPanel {
    const title = `Compare: ${models.map(modelLabel).join(' vs ')}`;
    if (this.compare) {
      this.compare.reveal();
    } else {
      this.compare = vscode.window.createWebviewPanel('switchyard.compareModels', title, vscode.ViewColumn.Active, OPTIONS);
      this.compare.onDidDispose(() => (this.compare = undefined));
    }
    this.compare.title = title;
    this.compare.webview.html = renderCompareHtml(models, { cspSource: this.compare.webview.cspSource, nonce: nonce() });
    return this.compare;
  }

  /** Titles of the open pages (E2E checks and the command that reports what is open). */
  openTitles(): string[] {
    return [...this.details.values(), ...(this.compare ? [this.compare] : [])].map((p) => p.title);
  }

  dispose(): void {
    this.details.forEach((p) => p.dispose());
    this.compare?.dispose();
  }
}
