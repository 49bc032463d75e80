// Several chat panels at once: opening, reusing an empty one, finding the panel that shows a
// conversation, restoring panels after a window reload (the webview keeps its conversation id).
import * as vscode from 'vscode';
import { z } from 'zod';
import { newConversation } from './conversation';
import { CHAT_VIEW_TYPE, ChatPanel, webviewOptions, type PanelDeps } from './panel';
import type { ChatOptions, Conversation, ModelRef } from './protocol';

export const OpenArgsSchema = z.object({ model: z.string().min(1).max(300).optional(), gateway: z.string().min(1).max(100).optional() });
export type OpenArgs = z.infer<typeof OpenArgsSchema>;
const RevivedStateSchema = z.object({ conversationId: z.string().optional() }).loose();

export class ChatPanels {
  private readonly panels = new Set<ChatPanel>();
  private last: ChatPanel | undefined;
  private readonly deps: PanelDeps;

  constructor(deps: Omit<PanelDeps, 'onActive' | 'onDisposed'>) {
    this.deps = {
      ...deps,
      onActive: (p) => (this.last = p),
      onDisposed: (p) => {
        this.panels.delete(p);
        if (this.last === p) this.last = [...this.panels].pop();
      },
    };
  }

  get all(): ChatPanel[] {
    return [...this.panels];
  }

  private create(conv: Conversation, panel?: vscode.WebviewPanel): ChatPanel {
    const wp = panel ?? vscode.window.createWebviewPanel(CHAT_VIEW_TYPE, 'Switchyard Chat', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, webviewOptions(this.deps.state.context.extensionUri));
    const p = new ChatPanel(wp, conv, this.deps);
    this.panels.add(p);
    this.last = p;
    return p;
  }

  /** A new chat (with `model` when given); an open panel with an empty chat is reused instead of adding one more. */
  open(args: OpenArgs = {}): ChatPanel {
    const options: ChatOptions = args.model
      ? { ...this.deps.defaultOptions(), models: [{ model: args.model, gateway: args.gateway } satisfies ModelRef] }
      : this.deps.defaultOptions();
    const empty = [...this.panels].find((p) => p.session.isEmpty && !p.session.busy);
    if (empty) {
      if (args.model) empty.session.setOptions(options);
      empty.session.postState();
      empty.reveal();
      return empty;
    }
    return this.create(newConversation(options));
  }

  /** The panel last used, or a new one. */
  current(): ChatPanel {
    const p = this.last ?? [...this.panels].pop();
    if (p) {
      p.reveal();
      return p;
    }
    return this.open();
  }

  showConversation(conv: Conversation): ChatPanel {
    const open = [...this.panels].find((p) => p.conversationId === conv.id);
    if (open) {
      open.reveal();
      return open;
    }
    const empty = [...this.panels].find((p) => p.session.isEmpty && !p.session.busy);
    if (empty) {
      empty.load(conv);
      empty.reveal();
      return empty;
    }
    return this.create(conv);
  }

  renamed(conv: Conversation): void {
    for (const p of this.panels) {
      if (p.conversationId === conv.id) {
        p.session.conversation.title = conv.title;
        p.session.postState();
      }
    }
  }

  /** A deleted conversation's panel starts a new chat rather than writing the file back. */
  deleted(id: string): void {
    for (const p of this.panels) if (p.conversationId === id) p.load(newConversation(this.deps.defaultOptions()));
  }

  /** A panel VS Code restored after a reload: back to the conversation it showed, or a new chat. */
  async revive(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const s = RevivedStateSchema.safeParse(state);
    let conv: Conversation | undefined;
    if (s.success && s.data.conversationId) {
      conv = await this.deps.store.load(s.data.conversationId).catch((e) => {
        this.deps.state.log.warn(`chat: could not restore conversation: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      });
    }
    this.create(conv ?? newConversation(this.deps.defaultOptions()), panel);
  }

  dispose(): void {
    for (const p of [...this.panels]) p.panel.dispose();
  }
}
