// The conversation as a live log. Messages are keyed by id and rebuilt only when they change; streamed
// text is appended to a buffer and rendered at most once per animation frame (smooth, and cheap when
// deltas arrive faster than the screen refreshes). aria-busy holds screen readers back while a message
// streams, so the finished answer is read once instead of token by token.
import { conversationTotal, costSourceText, formatTotal, metaParts, modelRefLabel } from '../../client/chat/format';
import type { AssistantMessage, ChatMessageView, Conversation, ErrorAction, ErrorView, UserMessage } from '../../client/chat/protocol';
import { button, h, icon } from './dom';
import type { Renderer } from './render';

export interface TranscriptEvents {
  errorAction(a: ErrorAction): void;
  retry(): void;
  editLast(): void;
  copy(text: string): void;
}

interface Entry {
  el: HTMLElement;
  sig: string;
  body?: HTMLElement;
  content: string;
}

export class Transcript {
  readonly el: HTMLElement;
  readonly total: HTMLElement;
  private readonly entries = new Map<string, Entry>();
  private readonly dirty = new Set<string>();
  private frame = 0;
  private conv: Conversation | undefined;

  constructor(private readonly renderer: Renderer, private readonly events: TranscriptEvents) {
    this.el = h('main', { id: 'transcript', class: 'transcript', attrs: { role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation', tabindex: '0' } });
    this.total = h('div', { class: 'total', attrs: { 'data-testid': 'total', 'aria-live': 'off' } });
  }

  /** Lays out the whole conversation, reusing unchanged message elements. */
  show(conv: Conversation, busy: boolean): void {
    const stick = this.nearBottom();
    this.conv = conv;
    const lastUser = findLastIndex(conv.messages, (m) => m.role === 'user');
    const rows: HTMLElement[] = [];
    let group: HTMLElement | undefined;
    let groupKey: string | undefined;
    conv.messages.forEach((m, i) => {
      const entry = this.entry(m, i >= lastUser, busy);
      if (m.role === 'user') {
        group = undefined;
        rows.push(entry.el);
        return;
      }
      const key = m.group ?? m.id;
      if (!group || groupKey !== key) {
        group = h('div', { class: 'answers', attrs: { role: 'group', 'aria-label': m.group ? 'Answers side by side' : 'Answer' } });
        groupKey = key;
        rows.push(group);
      }
      group.append(entry.el);
      group.dataset.count = String(group.childElementCount);
    });
    for (const id of [...this.entries.keys()]) if (!conv.messages.some((m) => m.id === id)) this.entries.delete(id);
    if (!rows.length) rows.push(h('p', { class: 'empty', text: 'Pick a model, then ask anything. Attach the selection or files for context; the cost of each answer shows under it.' }));
    this.el.replaceChildren(...rows);
    this.el.setAttribute('aria-busy', String(busy));
    this.total.textContent = formatTotal(conversationTotal(conv));
    if (stick) this.scrollToEnd();
  }

  /** Streamed text for a message: buffered, rendered on the next frame. */
  append(messageId: string, text: string): void {
    const e = this.entries.get(messageId);
    if (!e) return;
    e.content += text;
    this.dirty.add(messageId);
    this.frame ||= requestAnimationFrame(() => this.flush());
  }

  private flush(): void {
    this.frame = 0;
    const stick = this.nearBottom();
    for (const id of this.dirty) {
      const e = this.entries.get(id);
      if (e?.body) this.renderer.render(e.body, e.content);
    }
    this.dirty.clear();
    if (stick) this.scrollToEnd();
  }

  private nearBottom(): boolean {
    return this.el.scrollHeight - this.el.scrollTop - this.el.clientHeight < 80;
  }

  private scrollToEnd(): void {
    this.el.scrollTop = this.el.scrollHeight;
  }

  private entry(m: ChatMessageView, lastTurn: boolean, busy: boolean): Entry {
    const sig = JSON.stringify([m, lastTurn, busy && lastTurn]);
    const old = this.entries.get(m.id);
    if (old && old.sig === sig) return old;
    // A streaming message keeps the text it already has if the snapshot lags behind the deltas.
    const content = m.role === 'assistant' && old && m.status === 'streaming' && old.content.length > m.content.length ? old.content : m.role === 'assistant' ? m.content : m.text;
    const e = m.role === 'user' ? this.userEl(m, lastTurn && !busy) : this.assistantEl(m, content, lastTurn && !busy);
    const entry: Entry = { ...e, sig, content };
    this.entries.set(m.id, entry);
    return entry;
  }

  private userEl(m: UserMessage, editable: boolean): { el: HTMLElement; body: HTMLElement } {
    const body = h('div', { class: 'body markdown' });
    this.renderer.render(body, m.text);
    const head = h('header', { class: 'who' }, icon('account'), h('span', { text: 'You' }));
    if (editable) {
      const edit = button('edit', 'Edit and resend this message', { testid: 'edit-last' });
      edit.addEventListener('click', () => this.events.editLast());
      head.append(edit);
    }
    const chips = m.attachments.length
      ? h('ul', { class: 'chips', attrs: { 'aria-label': 'Attached' } }, ...m.attachments.map((a) => h('li', { class: 'chip', title: a.label }, icon(a.kind === 'selection' ? 'selection' : 'file'), h('span', { text: a.label }))))
      : null;
    const el = h('article', { class: 'msg user', attrs: { 'data-testid': 'message-user', 'aria-label': 'You said' } }, head, body, chips);
    return { el, body };
  }

  private assistantEl(m: AssistantMessage, content: string, retryable: boolean): { el: HTMLElement; body: HTMLElement } {
    const label = modelRefLabel(m.model);
    const body = h('div', { class: 'body markdown' });
    this.renderer.render(body, content);
    const head = h('header', { class: 'who' }, icon('hubot'), h('span', { text: m.model.label ?? m.model.model }));
    const streaming = m.status === 'streaming';
    const meta = h('footer', { class: 'meta', attrs: { 'data-testid': 'message-meta' } });
    meta.append(h('span', { class: 'meta-text', text: streaming ? 'Streaming…' : metaParts(m).join(' · '), title: streaming ? undefined : costSourceText(m.meta?.costSource) }));
    if (!streaming && content) {
      const copy = button('copy', 'Copy answer');
      copy.addEventListener('click', () => this.events.copy(content));
      meta.append(copy);
    }
    if (!streaming && retryable) {
      const retry = button('refresh', 'Retry: ask again', { testid: 'retry' });
      retry.addEventListener('click', () => this.events.retry());
      meta.append(retry);
    }
    const el = h(
      'article',
      { class: `msg assistant status-${m.status}`, attrs: { 'data-testid': 'message-assistant', 'aria-label': `Answer from ${label}`, 'aria-busy': String(streaming) } },
      head, body, m.error ? this.errorEl(m.error) : null, meta,
    );
    return { el, body };
  }

  private errorEl(e: ErrorView): HTMLElement {
    const actions = h('div', { class: 'error-actions' });
    for (const a of e.actions) {
      const b = h('button', { class: 'text-button', text: a.label, attrs: { type: 'button' } });
      b.addEventListener('click', () => this.events.errorAction(a));
      actions.append(b);
    }
    return h(
      'div',
      { class: 'error', attrs: { role: 'alert', 'data-testid': 'message-error', 'data-code': e.code } },
      h('div', { class: 'error-title' }, icon('error'), h('strong', { text: e.title })),
      h('p', { class: 'error-detail', text: e.detail }),
      h('p', { class: 'error-hint', text: e.hint }),
      actions,
    );
  }
}

function findLastIndex<T>(a: T[], f: (x: T) => boolean): number {
  for (let i = a.length - 1; i >= 0; i--) if (f(a[i])) return i;
  return -1;
}
