// Model IDs in code (issue 5): the server does the work (completion, diagnostics, hovers, fixes); the
// client only runs the "ignore this ID" quick fix, because writing settings is something only VS Code can do.
import * as vscode from 'vscode';
import { IGNORE_MODEL_COMMAND } from '../server/language/commands';
import { registerCommandTable, type CommandTable } from './commands';
import type { Feature } from './state';

const commands: CommandTable = {
  [IGNORE_MODEL_COMMAND]: async (_state, id) => {
    if (typeof id !== 'string' || !id) return;
    const config = vscode.workspace.getConfiguration('switchyard');
    const inspected = config.inspect<string[]>('language.ignore');
    // A workspace setting when a folder is open (the ID belongs to that code), the user setting otherwise.
    const workspace = !!vscode.workspace.workspaceFolders?.length;
    const target = workspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    const current = (workspace ? inspected?.workspaceValue : inspected?.globalValue) ?? [];
    if (current.includes(id)) return;
    await config.update('language.ignore', [...current, id], target);
    void vscode.window.setStatusBarMessage(`Switchyard: "${id}" added to switchyard.language.ignore (${workspace ? 'workspace' : 'user'} settings)`, 4000);
  },
};

export const languageFeature: Feature = (state) => registerCommandTable(state, commands);
