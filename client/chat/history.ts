// "Switchyard: Chat History": every kept conversation, newest first. Enter opens one; the row buttons
// rename, export or delete it; "Manage a conversation…" does the same from the keyboard.
import * as vscode from 'vscode';
import { formatUsd } from './format';
import { exportMarkdown } from './actions';
import type { ChatPanels } from './panels';
import type { ConversationSummary, HistoryStore } from './store';

type Action = 'open' | 'rename' | 'export' | 'delete';
interface Item extends vscode.QuickPickItem {
  summary?: ConversationSummary;
  manage?: boolean;
}

const BUTTONS: { action: Action; button: vscode.QuickInputButton }[] = [
  { action: 'rename', button: { iconPath: new vscode.ThemeIcon('edit'), tooltip: 'Rename' } },
  { action: 'export', button: { iconPath: new vscode.ThemeIcon('export'), tooltip: 'Export to Markdown' } },
  { action: 'delete', button: { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Delete' } },
];

function item(s: ConversationSummary): Item {
  const when = new Date(s.updatedAt).toLocaleString();
  return {
    label: s.title,
    description: `${s.models.slice(0, 3).join(', ')}${s.models.length > 3 ? ', …' : ''} · ${formatUsd(s.totalUsd)}`,
    detail: `${when} · ${s.answers} answer${s.answers === 1 ? '' : 's'}${s.preview ? ` · ${s.preview}` : ''}`,
    buttons: BUTTONS.map((b) => b.button),
    summary: s,
  };
}

export interface HistoryDeps {
  store: HistoryStore;
  panels: ChatPanels;
  log: vscode.LogOutputChannel;
}

export async function act(deps: HistoryDeps, action: Action, s: ConversationSummary): Promise<void> {
  if (action === 'open') {
    const conv = await deps.store.load(s.id);
    if (!conv) throw new Error(`the conversation "${s.title}" no longer exists`);
    deps.panels.showConversation(conv);
  } else if (action === 'rename') {
    const title = await vscode.window.showInputBox({ title: 'Rename the conversation', value: s.title, validateInput: (v) => (v.trim() ? undefined : 'A title cannot be empty') });
    if (title?.trim()) deps.panels.renamed(await deps.store.rename(s.id, title));
  } else if (action === 'export') {
    const conv = await deps.store.load(s.id);
    if (conv) await exportMarkdown(conv);
  } else {
    const yes = await vscode.window.showWarningMessage(`Delete the conversation "${s.title}"?`, { modal: true, detail: 'This cannot be undone.' }, 'Delete');
    if (yes !== 'Delete') return;
    await deps.store.remove(s.id);
    deps.panels.deleted(s.id);
  }
}

async function manage(deps: HistoryDeps, summaries: ConversationSummary[]): Promise<void> {
  const picked = await vscode.window.showQuickPick(summaries.map(item), { title: 'Manage which conversation?', matchOnDescription: true, matchOnDetail: true });
  if (!picked?.summary) return;
  const actions: { label: string; action: Action }[] = [
    { label: '$(comment-discussion) Open', action: 'open' },
    { label: '$(edit) Rename…', action: 'rename' },
    { label: '$(export) Export to Markdown…', action: 'export' },
    { label: '$(trash) Delete…', action: 'delete' },
  ];
  const a = await vscode.window.showQuickPick(actions, { title: picked.summary.title });
  if (a) await act(deps, a.action, picked.summary);
}

/** Resolves when the quick pick closes (after the chosen action ran). */
export async function showHistory(deps: HistoryDeps): Promise<void> {
  const summaries = await deps.store.list();
  if (!summaries.length) {
    void vscode.window.showInformationMessage('Switchyard: no chat history yet. Conversations are kept once they have a message.', 'Open Chat').then((a) => {
      if (a) void vscode.commands.executeCommand('switchyard.chat.open');
    });
    return;
  }
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = 'Switchyard: Chat History';
  qp.placeholder = 'Open a conversation (row buttons: rename, export, delete)';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.items = [...summaries.map(item), { label: '', kind: vscode.QuickPickItemKind.Separator }, { label: '$(gear) Manage a conversation…', manage: true, alwaysShow: true }];
  const done = new Promise<void>((resolve) => {
    let pending: Promise<void> = Promise.resolve();
    const run = (f: () => Promise<void>) => {
      pending = f().catch((e) => {
        deps.log.error(`chat history: ${e instanceof Error ? e.message : String(e)}`);
        void vscode.window.showErrorMessage(`Switchyard: ${e instanceof Error ? e.message : String(e)}`);
      });
    };
    qp.onDidAccept(() => {
      const sel = qp.selectedItems[0];
      if (sel?.manage) run(() => manage(deps, summaries));
      else if (sel?.summary) run(() => act(deps, 'open', sel.summary!));
      qp.hide();
    });
    qp.onDidTriggerItemButton((e) => {
      const action = BUTTONS.find((b) => b.button === e.button)?.action;
      if (!action || !e.item.summary) return;
      run(() => act(deps, action, e.item.summary!));
      qp.hide();
    });
    qp.onDidHide(() => {
      void pending.finally(() => {
        qp.dispose();
        resolve();
      });
    });
  });
  qp.show();
  return done;
}
