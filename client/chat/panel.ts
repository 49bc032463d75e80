// One chat panel: the webview (HTML with CSP + nonce), the typed message loop, and the editor-side
// actions. The conversation logic lives in session.ts; this file is the VS Code glue around it.
import * as vscode from 'vscode';
import { BudgetOverrideRequest, CatalogRequest } from '../../server/protocol/messages';
import type { ExtensionState } from '../state';
import { exportMarkdown, insertAtCursor, openInNewFile, openLink } from './actions';
import { attachDocument, attachPicked, attachSelection, type AttachResult } from './attachments';
import { newConversation } from './conversation';
import { chatHtml, makeNonce } from './html';
import { pickerQuery, toModelOptions } from './models';
import { describeInvalid, FromWebviewSchema, type ChatOptions, type Conversation, type ErrorAction, type FromWebview, type ModelRef, type ToWebview } from './protocol';
import { ChatSession, type ChatBackend } from './session';
import type { HistoryStore } from './store';

export const CHAT_VIEW_TYPE = 'switchyard.chat';

export interface PanelDeps {
  state: ExtensionState;
  store: HistoryStore;
  backend: ChatBackend;
  route(requestId: string, onText: (text: string) => void): () => void;
  rememberModels(models: ModelRef[]): void;
  defaultOptions(): ChatOptions;
  /** The text editor used last (a focused webview leaves no active one). */
  lastEditor(): vscode.TextEditor | undefined;
  onActive(panel: ChatPanel): void;
  onDisposed(panel: ChatPanel): void;
  /** The panel now shows another conversation (New Chat, one from the history). */
  onConversation(panel: ChatPanel): void;
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    // The bundles and media only: nothing else on disk is reachable from the webview.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export class ChatPanel {
  session: ChatSession;
  private disposed = false;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    conversation: Conversation,
    private readonly deps: PanelDeps,
  ) {
    this.session = this.newSession(conversation);
    const { webview } = panel;
    const ext = deps.state.context.extensionUri;
    webview.options = webviewOptions(ext);
    const dist = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(ext, 'dist', f)).toString();
    webview.html = chatHtml({
      cspSource: webview.cspSource, nonce: makeNonce(),
      scriptUri: dist('webview.js'), styleUri: dist('webview.css'), codiconUri: dist('codicon.css'),
    });
    panel.iconPath = vscode.Uri.joinPath(ext, 'media', 'switchyard.svg');
    this.updateTitle();
    this.subs.push(
      webview.onDidReceiveMessage((raw) => this.receive(raw)),
      panel.onDidChangeViewState((e) => e.webviewPanel.active && deps.onActive(this)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private newSession(conv: Conversation): ChatSession {
    // A session replaced by another (New Chat, a deleted conversation) finishes silently: it must not
    // draw over the new conversation, nor write back a file that was just deleted.
    const current = () => this.session === session;
    const session: ChatSession = new ChatSession(conv, this.deps.backend, {
      post: (m) => current() && this.post(m),
      save: async (c) => (current() ? this.deps.store.save(c) : undefined),
      log: this.deps.state.log,
      route: this.deps.route,
      rememberModels: this.deps.rememberModels,
    });
    return session;
  }

  get conversationId(): string {
    return this.session.conversation.id;
  }

  /** Shows another conversation in this panel (New Chat, or one from the history). */
  load(conv: Conversation): void {
    this.session.dispose();
    this.session = this.newSession(conv);
    this.session.postState();
    this.updateTitle();
    this.deps.onConversation(this);
  }

  reveal(): void {
    this.panel.reveal();
  }

  post(msg: ToWebview): void {
    if (this.disposed) return;
    if (msg.type === 'state') this.updateTitle();
    void this.panel.webview.postMessage(msg).then(undefined, () => {});
  }

  private notice(text: string, level: 'info' | 'warning' | 'error' = 'warning'): void {
    this.post({ type: 'notice', level, text });
  }

  private updateTitle(): void {
    const t = this.session.conversation.title;
    this.panel.title = t === 'New chat' ? 'Switchyard Chat' : `Chat: ${t.length > 40 ? `${t.slice(0, 40)}…` : t}`;
  }

  private receive(raw: unknown): void {
    const parsed = FromWebviewSchema.safeParse(raw);
    if (!parsed.success) {
      this.deps.state.log.warn(`chat: ${describeInvalid(parsed.error, raw)}`);
      return;
    }
    this.handle(parsed.data).catch((e) => {
      const msg = e instanceof Error ? e.message : String(e);
      this.deps.state.log.error(`chat: ${parsed.data.type} failed: ${msg}`);
      this.notice(`${msg}`, 'error');
    });
  }

  private async handle(m: FromWebview): Promise<void> {
    const s = this.session;
    switch (m.type) {
      case 'ready':
        return s.postState();
      case 'send':
        return s.send(m.text, m.options);
      case 'stop':
        return s.stop();
      case 'retry':
        return s.retry();
      case 'editLast':
        return s.editLast(m.text, m.options);
      case 'setOptions':
        return s.setOptions(m.options);
      case 'searchModels':
        return this.searchModels(m.query, m.seq);
      case 'estimate':
        return void this.post({ type: 'estimate', seq: m.seq, estimate: await s.estimate(m.text, m.options) });
      case 'attach':
        return this.attach(m.source);
      case 'detach':
        return s.removeAttachment(m.id);
      case 'copy':
        await vscode.env.clipboard.writeText(m.text);
        return this.notice('Copied to the clipboard.', 'info');
      case 'insertCode': {
        const problem = await insertAtCursor(this.deps.lastEditor(), m.code);
        return problem ? this.notice(problem) : undefined;
      }
      case 'newFile':
        return openInNewFile(m.code, m.language);
      case 'openLink': {
        const problem = await openLink(m.href, this.deps.state.log);
        return problem ? this.notice(problem) : undefined;
      }
      case 'errorAction':
        return this.errorAction(m.action);
      case 'newChat':
        if (s.busy) return this.notice('Stop the running answer first (Esc).');
        return this.load(newConversation(this.deps.defaultOptions()));
      case 'history':
        return void vscode.commands.executeCommand('switchyard.chat.history');
      case 'exportMarkdown':
        if (s.isEmpty) return this.notice('Nothing to export yet.', 'info');
        return void (await exportMarkdown(s.conversation));
      case 'webviewError':
        return this.deps.state.log.warn(`chat webview: ${m.message}`);
    }
  }

  private async searchModels(query: string, seq: number): Promise<void> {
    try {
      const client = await this.deps.state.ready();
      const result = await client.sendRequest(CatalogRequest, pickerQuery(query));
      this.post({ type: 'models', seq, items: toModelOptions(result, query), total: result.total, source: result.source });
    } catch (e) {
      this.post({ type: 'models', seq, items: [], total: 0, error: e instanceof Error ? e.message : String(e) });
    }
  }

  async attach(source: 'selection' | 'file' | 'pick'): Promise<void> {
    const editor = this.deps.lastEditor();
    const r: AttachResult = source === 'selection' ? attachSelection(editor) : source === 'file' ? attachDocument(editor) : await attachPicked();
    if (!r.ok) return this.notice(r.reason);
    for (const a of r.items) {
      a.tokens = await this.session.attachmentTokens(a);
      this.session.addAttachment(a);
    }
    if (r.skipped.length) this.notice(`Not attached: ${r.skipped.join('; ')}`);
  }

  private async errorAction(a: ErrorAction): Promise<void> {
    const s = this.session;
    switch (a.kind) {
      case 'retry':
        return s.retry();
      case 'useModel': {
        const ref: ModelRef = { model: a.model, gateway: a.gateway };
        s.setOptions({ ...s.conversation.options, models: [ref] });
        return s.retry([ref]);
      }
      case 'overrideBudget': {
        const yes = await vscode.window.showWarningMessage(
          'Let requests through the exceeded budget until the language server restarts, and ask again?', { modal: true }, 'Override and Retry');
        if (!yes) return;
        const client = await this.deps.state.ready();
        await client.sendRequest(BudgetOverrideRequest, a.scope ? { scope: a.scope } : {});
        return s.retry();
      }
      case 'openSettings':
        return void vscode.commands.executeCommand('workbench.action.openSettings', a.query);
      case 'setApiKey':
        return void vscode.commands.executeCommand('switchyard.setApiKey', a.gateway);
      case 'showLogs':
        return this.deps.state.log.show();
      case 'pickModel':
      case 'editLast':
        return; // handled inside the webview
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.session.dispose();
    this.subs.forEach((d) => d.dispose());
    this.deps.onDisposed(this);
  }
}
