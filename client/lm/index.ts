// VS Code's own Chat on Switchyard: the Language Model Chat Provider (where the API exists, VS Code ≥ 1.104)
// and the `@switchyard` participant. Registered by the explorer feature, which owns the favorites and the
// catalog state this feature follows: the picker's list changes with the catalog, favorites and settings.
import * as vscode from 'vscode';
import { LmChatDeltaNotification } from '../../server/protocol/messages';
import type { ExtensionState } from '../state';
import type { CatalogState } from '../explorer/catalogState';
import type { Favorites } from '../explorer/favorites';
import { registerCommandTable } from '../commands';
import { ServerState } from '../lsp/states';
import { lmProviderApi } from './api';
import { registerParticipant } from './participant';
import { createProvider, LmDeltaRouter } from './provider';

export const VENDOR = 'switchyard';
/** Coalesces bursts (a catalog refresh sends several notifications) into one picker update. */
const CHANGE_DEBOUNCE_MS = 200;

export function lmFeature(state: ExtensionState, deps: { favorites: Favorites; catalog: CatalogState }): vscode.Disposable[] {
  const out: vscode.Disposable[] = [...registerParticipant(state)];
  out.push(
    ...registerCommandTable(state, {
      // The provider's management command (Chat: Manage Language Models → Switchyard): Switchyard's model setup.
      'switchyard.lm.manage': async () => {
        const pick = await vscode.window.showQuickPick(
          [
            { label: '$(star) Choose favorites in the Models explorer', run: () => vscode.commands.executeCommand('switchyard.models.focus') },
            { label: '$(settings) Add models by pattern or provider (switchyard.vscodeChat.models)', run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'switchyard.vscodeChat.models') },
            { label: '$(plug) Add a gateway', run: () => vscode.commands.executeCommand('switchyard.addGateway') },
            { label: '$(key) Set an API key', run: () => vscode.commands.executeCommand('switchyard.setApiKey') },
          ],
          { title: "Switchyard models in VS Code's Chat: favorites, the default model and aliases are listed" },
        );
        await pick?.run();
      },
    }),
  );
  const api = lmProviderApi();
  if (!api) {
    state.log.info("VS Code's Language Model Chat Provider API is not available here (VS Code < 1.104): Switchyard's models are not offered in VS Code's Chat.");
    return out;
  }
  const changed = new vscode.EventEmitter<void>();
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => changed.fire(), CHANGE_DEBOUNCE_MS);
  };
  const router = new LmDeltaRouter();
  state.onClient((client) => [
    client.onNotification(LmChatDeltaNotification, (p) => router.dispatch(p)),
    // The picker lists a provider's models only once it has asked for them; on a fresh profile that happens
    // after a change event. Fire when a server runs (and on every catalog change after that).
    client.onDidChangeState((e) => {
      if (e.newState === ServerState.Running) fire();
    }),
  ]);
  const provider = createProvider({ state, parts: api, router, favorites: () => deps.favorites.list(), onDidChange: changed.event });
  out.push(
    changed,
    api.registerLanguageModelChatProvider(VENDOR, provider),
    deps.favorites.onDidChange(fire),
    deps.catalog.onDidChange(fire),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('switchyard')) fire();
    }),
    { dispose: () => timer && clearTimeout(timer) },
  );
  fire();
  return out;
}
