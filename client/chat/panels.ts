// Several chat panels at once: opening, reusing an empty one, finding the panel that shows a
// conversation, restoring panels after a window reload. The webview keeps its conversation id in its
// state, but VS Code persists webview state only when the workbench saves its editors, which a reload
// in a browser (code-server, vscode.dev) can skip; so the open panels' conversation ids are also kept
// in workspaceState, which is written through at once, and used when a revived panel has no state.
import * as vscode from 'vscode';
import * as z from '../../server/protocol/zod';
import { newConversation } from './conversation';
import { CHAT_VIEW_TYPE, ChatPanel, webviewOptions, type PanelDeps } from './panel';
import type { ChatOptions, Conversation, ModelRef } from './protocol';

export const OpenArgsSchema = z.object({
  model: z.optional(z.string().check(z.minLength(1), z.maxLength(300))),
  gateway: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
});
export type OpenArgs = z.infer<typeof OpenArgsSchema>;
const RevivedStateSchema = z.looseObject({ conversationId: z.optional(z.string()) });
const OPEN_KEY = 'switchyard.chat.openConversations';
const OpenIdsSchema = z.array(z.string().check(z.maxLength(200))).check(z.maxLength(100));

export class ChatPanels {
  private readonly panels = new Set<ChatPanel>();
  private last: ChatPanel | undefined;
  private readonly deps: PanelDeps;
  /** The conversations open when the window last ran, for revived panels that come back without state. */
  private readonly toRestore: string[];
  /** Set while the extension shuts down: panels closing then are still open for the next window. */
  private closing = false;

  constructor(deps: Omit<PanelDeps, 'onActive' | 'onDisposed' | 'onConversation'>) {
    this.deps = {
      ...deps,
      onActive: (p) => (this.last = p),
      onDisposed: (p) => {
        this.panels.delete(p);
        if (this.last === p) this.last = [...this.panels].pop();
        this.rememberOpen();
      },
      onConversation: () => this.rememberOpen(),
    };
    const saved = OpenIdsSchema.safeParse(deps.state.context.workspaceState.get(OPEN_KEY, []));
    this.toRestore = saved.success ? [...saved.data] : [];
  }

  private rememberOpen(): void {
    if (this.closing) return;
    const ids = [...this.panels].map((p) => p.conversationId);
    void Promise.resolve(this.deps.state.context.workspaceState.update(OPEN_KEY, ids)).catch((e) =>
      this.deps.state.log.warn(`chat: could not remember the open panels: ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  get all(): ChatPanel[] {
    return [...this.panels];
  }

  private create(conv: Conversation, panel?: vscode.WebviewPanel): ChatPanel {
    const wp = panel ?? vscode.window.createWebviewPanel(CHAT_VIEW_TYPE, 'Switchyard Chat', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, webviewOptions(this.deps.state.context.extensionUri));
    const p = new ChatPanel(wp, conv, this.deps);
    this.panels.add(p);
    this.last = p;
    this.rememberOpen();
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
    const shown = new Set([...this.panels].map((p) => p.conversationId));
    const id = (s.success ? s.data.conversationId : undefined) ?? this.toRestore.find((c) => !shown.has(c));
    const at = id ? this.toRestore.indexOf(id) : -1;
    if (at >= 0) this.toRestore.splice(at, 1);
    let conv: Conversation | undefined;
    if (id) {
      conv = await this.deps.store.load(id).catch((e) => {
        this.deps.state.log.warn(`chat: could not restore conversation: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      });
    }
    this.create(conv ?? newConversation(this.deps.defaultOptions()), panel);
  }

  dispose(): void {
    this.closing = true;
    for (const p of [...this.panels]) p.panel.dispose();
  }
}
