// Commands come from tables: each feature exports one, extension.ts registers them all.
// A command that needs the server waits for it (or says clearly that it is not running).
import * as vscode from 'vscode';
import type { ExtensionState } from './state';

export type CommandTable = Record<string, (state: ExtensionState, ...args: unknown[]) => unknown>;

export function registerCommandTable(state: ExtensionState, table: CommandTable): vscode.Disposable[] {
  return Object.entries(table).map(([id, run]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(state, ...args);
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        state.log.error(`${id}: ${msg}`);
        void vscode.window.showErrorMessage(`Switchyard: ${msg}`, 'Show Logs').then((a) => {
          if (a) state.log.show();
        });
        return undefined;
      }
    }),
  );
}

export const coreCommands: CommandTable = {
  'switchyard.showLogs': (state) => state.log.show(),
  'switchyard.restartServer': async (state) => {
    await state.restart();
    void vscode.window.setStatusBarMessage('Switchyard: language server restarted', 3000);
  },
};
