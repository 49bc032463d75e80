// Reading and appending `switchyard.gateways` in VS Code settings, and the setup context keys the
// welcome view and the walkthrough use. Entries that do not validate are kept untouched when appending:
// bad input loses nothing.
import * as vscode from 'vscode';
import { GatewayConfigSchema, type GatewayConfig } from '../../server/protocol/settings';
import { secretKeyName } from '../secrets';
import type { ExtensionState } from '../state';

export interface ConfiguredGateways {
  valid: GatewayConfig[];
  /** Entries that failed validation (the server reports why); shown as a count, never rewritten. */
  invalid: number;
}

export function readGateways(): ConfiguredGateways {
  const raw = vscode.workspace.getConfiguration('switchyard').get<unknown>('gateways');
  const list = Array.isArray(raw) ? raw : [];
  const valid: GatewayConfig[] = [];
  let invalid = 0;
  for (const entry of list) {
    const r = GatewayConfigSchema.safeParse(entry);
    if (r.success) valid.push(r.data);
    else invalid++;
  }
  return { valid, invalid };
}

/**
 * Appends to the array of the scope that defines `switchyard.gateways` (folder, workspace, else user),
 * so entries from other scopes are neither copied nor lost.
 */
export async function appendGateway(g: GatewayConfig): Promise<string> {
  const cfg = vscode.workspace.getConfiguration('switchyard');
  const inspect = cfg.inspect<unknown[]>('gateways');
  const [target, current, where] =
    inspect?.workspaceValue !== undefined
      ? [vscode.ConfigurationTarget.Workspace, inspect.workspaceValue, 'workspace settings']
      : [vscode.ConfigurationTarget.Global, inspect?.globalValue ?? [], 'user settings'];
  await cfg.update('gateways', [...(Array.isArray(current) ? current : []), g], target);
  return where;
}

/** Context keys: `switchyard.noGateways` / `switchyard.hasGateways` (welcome view, walkthrough), `switchyard.hasApiKey`. */
export function registerSetupContext(state: ExtensionState): vscode.Disposable[] {
  let seq = 0;
  const update = async () => {
    const mine = ++seq;
    const enabled = readGateways().valid.filter((g) => g.enabled !== false);
    const keys = await Promise.all(enabled.map((g) => state.context.secrets.get(secretKeyName(g.id)).then(Boolean, () => false)));
    if (mine !== seq) return; // a newer update is on its way
    await vscode.commands.executeCommand('setContext', 'switchyard.noGateways', enabled.length === 0);
    await vscode.commands.executeCommand('setContext', 'switchyard.hasGateways', enabled.length > 0);
    await vscode.commands.executeCommand('setContext', 'switchyard.hasApiKey', keys.some(Boolean));
  };
  void update();
  return [
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('switchyard.gateways')) void update();
    }),
    state.context.secrets.onDidChange((e) => {
      if (e.key.startsWith(secretKeyName(''))) void update();
    }),
  ];
}
