// Integrated terminals point at the local proxy: OPENAI_BASE_URL / OPENAI_API_BASE / OPENAI_API_KEY
// (the local proxy token, never a gateway key) through the extension's environmentVariableCollection,
// kept in step with `ProxyChangedNotification` and `switchyard.proxy.terminalEnv`. The command
// "Switchyard: Copy Proxy Environment" puts the same variables on the clipboard for outside terminals.
import * as vscode from 'vscode';
import { ServerState } from '../lsp/states';
import { ProxyChangedNotification, ProxyInfoRequest, type ProxyInfo } from '../../server/protocol/messages';
import { registerCommandTable, type CommandTable } from '../commands';
import type { Feature } from '../state';
import { exportLines, proxyEnvironment } from './env';

const enabled = () => vscode.workspace.getConfiguration('switchyard').get<boolean>('proxy.terminalEnv', true);

export const terminalFeature: Feature = (state) => {
  const collection = state.context.environmentVariableCollection;
  // The port can change between sessions (a taken port means a free one): never restore stale values.
  collection.persistent = false;
  let last: ProxyInfo | undefined;

  const apply = () => {
    const env = last && enabled() ? proxyEnvironment(last) : undefined;
    if (!env) {
      collection.clear();
      return;
    }
    for (const [k, v] of Object.entries(env)) collection.replace(k, v);
    collection.description = new vscode.MarkdownString(
      `Switchyard's local proxy at \`${env.OPENAI_BASE_URL}\`: OpenAI SDKs, \`curl\` and CLI tools in this terminal use your gateways with Switchyard's routing, budgets and cost ledger (\`OPENAI_API_KEY\` is the local proxy token, not a gateway key). Turn off with \`switchyard.proxy.terminalEnv\`.`,
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
    const env = proxyEnvironment(info);
    if (!env) {
      throw new Error(info.error ? `the proxy is not running: ${info.error}` : 'the proxy is not running (setting switchyard.proxy.enabled)');
    }
    await vscode.env.clipboard.writeText(exportLines(env, process.platform === 'win32' ? 'powershell' : 'posix'));
    void vscode.window.showInformationMessage(`Switchyard: proxy environment copied (${env.OPENAI_BASE_URL}). Paste it into any terminal.`);
  },
};
