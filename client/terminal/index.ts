// Integrated terminals point at the local proxy: the variables of the families chosen in
// `switchyard.proxy.terminalEnv` (default OpenAI's: OPENAI_BASE_URL / OPENAI_API_BASE / OPENAI_API_KEY;
// the key is the local proxy token, never a gateway key) through the extension's
// environmentVariableCollection, kept in step with `ProxyChangedNotification`. The command
// "Switchyard: Copy Proxy Environment" offers the same families (and Codex's config.toml block) for
// outside terminals, as `switchyard env` prints them.
import * as vscode from 'vscode';
import { ServerState } from '../lsp/states';
import { ProxyChangedNotification, ProxyInfoRequest, type ProxyInfo } from '../../server/protocol/messages';
import { registerCommandTable, type CommandTable } from '../commands';
import type { Feature } from '../state';
import { FAMILY_LABELS, environmentScript, proxyEnvironment, proxyTarget, terminalFamilies } from './env';
import { TERMINAL_ENV_FAMILIES, type TerminalEnvFamily } from '../../server/protocol/settings';

const families = () => terminalFamilies(vscode.workspace.getConfiguration('switchyard').get<unknown>('proxy.terminalEnv'));

export const terminalFeature: Feature = (state) => {
  const collection = state.context.environmentVariableCollection;
  // The port can change between sessions (a taken port means a free one): never restore stale values.
  collection.persistent = false;
  let last: ProxyInfo | undefined;

  const apply = () => {
    const chosen = families();
    const env = last && chosen.length > 0 ? proxyEnvironment(last, chosen) : undefined;
    // replace() only adds: a family taken out of the setting must lose its variables too.
    collection.clear();
    if (!env || !last?.url) return;
    for (const [k, v] of Object.entries(env)) collection.replace(k, v);
    collection.description = new vscode.MarkdownString(
      `Switchyard's local proxy at \`${last.url}\` for ${chosen.map((f) => FAMILY_LABELS[f]).join('; ')}: tools in this terminal use your gateways with Switchyard's routing, budgets and cost ledger (the key variables hold the local proxy token, not a gateway key). Choose with \`switchyard.proxy.terminalEnv\`.`,
    );
  };

  state.onClient((client) => {
    const sub = client.onNotification(ProxyChangedNotification, (info) => {
      last = info;
      apply();
    });
    // The first notification may go out before this handler exists: ask whenever the server
    // (re)starts; when it stops, its proxy is gone with it.
    const states = client.onDidChangeState((e) => {
      if (e.newState === ServerState.Running) {
        client.sendRequest(ProxyInfoRequest).then(
          (info) => {
            last = info;
            apply();
          },
          (err) => state.log.warn(`proxy info unavailable: ${err instanceof Error ? err.message : String(err)}`),
        );
      } else if (e.newState === ServerState.Stopped) {
        last = undefined;
        apply();
      }
    });
    return [
      sub,
      states,
      {
        dispose: () => {
          last = undefined;
          apply();
        },
      },
    ];
  });

  return [
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('switchyard.proxy.terminalEnv')) apply();
    }),
    ...registerCommandTable(state, terminalCommands),
  ];
};

export const terminalCommands: CommandTable = {
  'switchyard.copyProxyEnvironment': async (state) => {
    const client = await state.ready().catch(() => undefined);
    if (!client) throw new Error('the language server is not running, so neither is the proxy');
    const info = await client.sendRequest(ProxyInfoRequest);
    const target = proxyTarget(info);
    if (!target) {
      throw new Error(info.error ? `the proxy is not running: ${info.error}` : 'the proxy is not running (setting switchyard.proxy.enabled)');
    }
    type Pick = vscode.QuickPickItem & { families: TerminalEnvFamily[] };
    const items: Pick[] = [
      ...TERMINAL_ENV_FAMILIES.map((f) => ({ label: FAMILY_LABELS[f], families: [f], ...(f === 'codex' ? { detail: 'SWITCHYARD_PROXY_TOKEN and the [model_providers.switchyard] block for ~/.codex/config.toml' } : f === 'anthropic' ? { detail: 'Overrides Claude Code\'s own login while set' } : {}) })),
      { label: 'All of them', families: [...TERMINAL_ENV_FAMILIES] },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: 'Copy Proxy Environment for…', placeHolder: `the proxy at ${target.url}` });
    if (!picked) return;
    await vscode.env.clipboard.writeText(environmentScript(picked.families, target, { shell: process.platform === 'win32' ? 'powershell' : 'posix' }));
    void vscode.window.showInformationMessage(`Switchyard: proxy environment for ${picked.label} copied (${target.url}). Paste it into any terminal.`);
  },
};
