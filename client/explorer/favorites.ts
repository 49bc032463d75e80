// Favorite models: canonical IDs in globalState, synced across machines with Settings Sync, and told to
// the server (FavoritesChangedNotification) whenever they change and each time a server starts.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ServerState } from '../lsp/states';
import * as z from '../../server/protocol/zod';
import { FavoritesChangedNotification } from '../../server/protocol/messages';
import type { ExtensionState } from '../state';

const KEY = 'switchyard.favorites';
const Schema = z.catch(z.array(z.string().check(z.minLength(1))), []);

export class Favorites implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(private readonly state: ExtensionState) {
    state.context.globalState.setKeysForSync([KEY]);
    state.onClient((client) => [
      client.onDidChangeState((e) => {
        if (e.newState === ServerState.Running) this.tell(client);
      }),
    ]);
  }

  list(): string[] {
    // Read each time: Settings Sync may have replaced the value from another machine.
    return [...new Set(Schema.parse(this.state.context.globalState.get(KEY) ?? []))];
  }

  has(canonicalId: string): boolean {
    return this.list().includes(canonicalId);
  }

  /** Adds or removes; resolves with whether the model is a favorite afterwards. */
  async toggle(canonicalId: string, want?: boolean): Promise<boolean> {
    const cur = this.list();
    const isFav = cur.includes(canonicalId);
    const next = want ?? !isFav;
    if (next === isFav) return next;
    await this.state.context.globalState.update(KEY, next ? [...cur, canonicalId] : cur.filter((id) => id !== canonicalId));
    this.emitter.fire();
    const client = this.state.client();
    if (client?.state === ServerState.Running) this.tell(client);
    return next;
  }

  private tell(client: LanguageClient): void {
    client.sendNotification(FavoritesChangedNotification, { canonicalIds: this.list() }).catch((e: unknown) => {
      this.state.log.warn(`could not send favorites to the server: ${e instanceof Error ? e.message : String(e)}`);
    });
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
