// The last CatalogChangedNotification of the running server: statuses per gateway, the catalog's source
// (live / cache / offline) and whether a refresh is under way. It drives the tree's refresh, the error
// nodes, the view's message and the progress bar shown in the view while the server refreshes.
import * as vscode from 'vscode';
import { CatalogChangedNotification, type CatalogChangedParams } from '../../server/protocol/messages';
import type { ExtensionState } from '../state';

export const VIEW_ID = 'switchyard.models';

export class CatalogState implements vscode.Disposable {
  private latest: CatalogChangedParams | undefined;
  private readonly emitter = new vscode.EventEmitter<CatalogChangedParams | undefined>();
  readonly onDidChange = this.emitter.event;
  private endProgress: (() => void) | undefined;

  constructor(state: ExtensionState) {
    state.onClient((client) => {
      // A new server: forget the old one's statuses. No re-render now — the client is not running yet;
      // its first notification refreshes the tree.
      this.latest = undefined;
      this.hideProgress();
      return [client.onNotification(CatalogChangedNotification, (p) => this.set(p))];
    });
  }

  get(): CatalogChangedParams | undefined {
    return this.latest;
  }

  private set(p: CatalogChangedParams | undefined): void {
    const prev = this.latest;
    this.latest = p;
    if (p?.refreshing) this.showProgress();
    else this.hideProgress();
    // Repeated notifications with nothing new must not re-render a 5,000-model tree.
    if (prev && p && prev.version === p.version && prev.source === p.source && JSON.stringify(prev.statuses) === JSON.stringify(p.statuses)) return;
    this.emitter.fire(p);
  }

  /** Shows the view's progress bar until `work` settles (Refresh command) — and while the server says it refreshes. */
  withViewProgress<T>(work: Thenable<T>): Thenable<T> {
    return vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => work);
  }

  private showProgress(): void {
    if (this.endProgress) return;
    void vscode.window.withProgress(
      { location: { viewId: VIEW_ID } },
      () => new Promise<void>((resolve) => (this.endProgress = resolve)),
    );
  }

  private hideProgress(): void {
    const end = this.endProgress;
    this.endProgress = undefined;
    end?.();
  }

  dispose(): void {
    this.hideProgress();
    this.emitter.dispose();
  }
}
