// The chat feature: commands (Open Chat, Ask about Selection, Chat History), the panels, the history
// store under global storage, restoring panels after a reload, and the one `switchyard/chatDelta`
// handler per language client that feeds every panel. One entry in client/extension.ts FEATURES.
import * as vscode from 'vscode';
import * as z from '../../server/protocol/zod';
import { ChatDeltaNotification, ChatRequest, EstimateRequest, StatusRequest } from '../../server/protocol/messages';
import { registerCommandTable, type CommandTable } from '../commands';
import type { ExtensionState } from '../state';
import { selectionAttachment } from './attachments';
import { showHistory } from './history';
import { CHAT_VIEW_TYPE } from './panel';
import { ChatPanels, OpenArgsSchema } from './panels';
import { ModelRefSchema, type ChatOptions, type ModelRef } from './protocol';
import { DeltaRouter, type ChatBackend } from './session';
import { HistoryStore } from './store';

const LAST_MODELS_KEY = 'switchyard.chat.lastModels';

/** The language server as the chat's backend; Stop becomes the request's cancellation. */
export function lspBackend(state: ExtensionState): ChatBackend {
  return {
    async chat(params, signal) {
      const client = await state.ready();
      const cts = new vscode.CancellationTokenSource();
      const cancel = () => cts.cancel();
      signal.addEventListener('abort', cancel, { once: true });
      if (signal.aborted) cts.cancel();
      try {
        return await client.sendRequest(ChatRequest, params, cts.token);
      } finally {
        signal.removeEventListener('abort', cancel);
        cts.dispose();
      }
    },
    estimate: async (p) => (await state.ready()).sendRequest(EstimateRequest, p),
    balance: async (gateway) => (await (await state.ready()).sendRequest(StatusRequest)).balances.find((b) => b.gateway === gateway)?.balanceUsd,
  };
}

export function chatFeature(state: ExtensionState): vscode.Disposable[] {
  const { context, log } = state;
  const store = new HistoryStore(vscode.Uri.joinPath(context.globalStorageUri, 'chats').fsPath, undefined, (m) => log.warn(m));
  // A reload right after an answer ends (or is stopped) must not lose its last save.
  state.beforeDeactivate(() => store.flush());
  const router = new DeltaRouter();
  let lastEditor = vscode.window.activeTextEditor;

  const defaultOptions = (): ChatOptions => {
    const configured = vscode.workspace.getConfiguration('switchyard').get<string>('defaultModel')?.trim();
    const remembered = z.array(ModelRefSchema).check(z.maxLength(4)).safeParse(context.globalState.get(LAST_MODELS_KEY));
    const models: ModelRef[] = configured ? [{ model: configured }] : remembered.success ? remembered.data.slice(0, 1) : [];
    return { models };
  };

  const panels = new ChatPanels({
    state,
    store,
    backend: lspBackend(state),
    route: (id, onText) => router.route(id, onText),
    rememberModels: (models) => void context.globalState.update(LAST_MODELS_KEY, models),
    defaultOptions,
    lastEditor: () => (lastEditor && !lastEditor.document.isClosed ? lastEditor : vscode.window.visibleTextEditors[0]),
  });

  state.onClient((client) => [client.onNotification(ChatDeltaNotification, (p) => router.dispatch(p))]);

  const commands: CommandTable = {
    'switchyard.chat.open': (_s, arg) => {
      const args = OpenArgsSchema.safeParse(arg ?? {});
      if (!args.success) log.warn(`switchyard.chat.open: ignored an argument it does not understand: ${z.prettifyError(args.error)}`);
      panels.open(args.success ? args.data : {});
    },
    'switchyard.chat.askAboutSelection': async () => {
      const editor = vscode.window.activeTextEditor ?? lastEditor;
      const sel = editor?.selections.filter((s) => !s.isEmpty) ?? [];
      if (!editor || !sel.length) {
        void vscode.window.showInformationMessage('Switchyard: select some code first, then Ask about Selection.');
        return;
      }
      const p = panels.current();
      for (const s of sel) {
        const a = selectionAttachment(editor.document, s);
        a.tokens = await p.session.attachmentTokens(a);
        p.session.addAttachment(a);
      }
      p.post({ type: 'focusPrompt' });
    },
    'switchyard.chat.history': () => showHistory({ store, panels, log }),
  };

  return [
    ...registerCommandTable(state, commands),
    vscode.window.onDidChangeActiveTextEditor((e) => {
      if (e) lastEditor = e;
    }),
    vscode.window.registerWebviewPanelSerializer(CHAT_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, saved) => panels.revive(panel, saved),
    }),
    { dispose: () => panels.dispose() },
  ];
}
