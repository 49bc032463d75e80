// The bottom of the panel: attachments with their token counts, the send estimate, the prompt box
// (Enter sends, Shift+Enter new line, Esc stops or cancels an edit, ↑ in an empty box edits the last
// message), attach buttons, Send and Stop.
import { formatEstimate, formatTokens } from '../../client/chat/format';
import type { Attachment, EstimateView } from '../../client/chat/protocol';
import { button, h, icon } from './dom';

export interface ComposerEvents {
  send(text: string, editing: boolean): void;
  stop(): void;
  attach(source: 'selection' | 'file' | 'pick'): void;
  detach(id: string): void;
  changed(text: string): void;
  editLast(): void;
}

export class Composer {
  readonly el: HTMLElement;
  readonly prompt: HTMLTextAreaElement;
  private readonly chips: HTMLElement;
  private readonly estimateLine: HTMLElement;
  private readonly editBanner: HTMLElement;
  private readonly sendBtn: HTMLButtonElement;
  private readonly stopBtn: HTMLButtonElement;
  private editing = false;
  private busy = false;

  constructor(private readonly events: ComposerEvents) {
    this.chips = h('ul', { class: 'chips pending', attrs: { 'aria-label': 'Attachments to send' } });
    this.estimateLine = h('div', { class: 'estimate', attrs: { 'data-testid': 'estimate' } });
    const cancel = h('button', { class: 'link-button', text: 'Cancel', attrs: { type: 'button' } });
    cancel.addEventListener('click', () => this.cancelEdit());
    this.editBanner = h('div', { class: 'edit-banner', hidden: true, attrs: { role: 'status' } }, icon('edit'), h('span', { text: 'Editing your last message: Enter resends it.' }), cancel);
    this.prompt = h('textarea', {
      class: 'prompt',
      attrs: {
        'data-testid': 'prompt', rows: '3', 'aria-label': 'Message',
        placeholder: 'Ask anything. Enter sends, Shift+Enter adds a line, Esc stops.',
      },
    });
    this.prompt.addEventListener('keydown', (e) => this.onKey(e));
    this.prompt.addEventListener('input', () => this.events.changed(this.prompt.value));
    const attachSel = button('selection', 'Attach the editor selection', { testid: 'attach-selection' });
    const attachFile = button('file', 'Attach the current file', { testid: 'attach-file' });
    const attachPick = button('files', 'Attach files…', { testid: 'attach-pick' });
    attachSel.addEventListener('click', () => this.events.attach('selection'));
    attachFile.addEventListener('click', () => this.events.attach('file'));
    attachPick.addEventListener('click', () => this.events.attach('pick'));
    this.sendBtn = button('send', 'Send (Enter)', { text: 'Send', testid: 'send', class: 'primary-button' });
    this.stopBtn = button('debug-stop', 'Stop the answer (Esc)', { text: 'Stop', testid: 'stop', class: 'secondary-button' });
    this.stopBtn.hidden = true;
    this.sendBtn.addEventListener('click', () => this.submit());
    this.stopBtn.addEventListener('click', () => this.events.stop());
    const bar = h('div', { class: 'composer-actions', attrs: { role: 'toolbar', 'aria-label': 'Message actions' } },
      attachSel, attachFile, attachPick, h('span', { class: 'spacer' }), this.stopBtn, this.sendBtn);
    this.el = h('section', { class: 'composer', attrs: { 'aria-label': 'Compose' } }, this.chips, this.estimateLine, this.editBanner, this.prompt, bar);
  }

  get text(): string {
    return this.prompt.value;
  }

  setText(text: string, focus = true): void {
    this.prompt.value = text;
    this.events.changed(text);
    if (focus) {
      this.prompt.focus();
      this.prompt.setSelectionRange(text.length, text.length);
    }
  }

  setBusy(busy: boolean): void {
    const had = this.stopBtn.contains(document.activeElement);
    this.busy = busy;
    this.stopBtn.hidden = !busy;
    this.sendBtn.hidden = busy;
    if (had && !busy) this.prompt.focus(); // keep focus somewhere useful when Stop disappears
  }

  setAttachments(items: Attachment[]): void {
    this.chips.replaceChildren(
      ...items.map((a) => {
        const remove = button('close', `Remove attachment ${a.label}`);
        remove.addEventListener('click', () => this.events.detach(a.id));
        const tokens = a.tokens !== undefined ? ` · ≈${formatTokens(a.tokens)} tokens` : '';
        return h('li', { class: 'chip', title: a.label }, icon(a.kind === 'selection' ? 'selection' : 'file'), h('span', { text: `${a.label}${tokens}` }), remove);
      }),
    );
  }

  setEstimate(e: EstimateView | undefined): void {
    this.estimateLine.textContent = e ? formatEstimate(e) : '';
  }

  startEdit(text: string): void {
    this.editing = true;
    this.editBanner.hidden = false;
    this.setText(text);
  }

  cancelEdit(): void {
    if (!this.editing) return;
    this.editing = false;
    this.editBanner.hidden = true;
    this.setText('');
  }

  private submit(): void {
    if (this.busy) return;
    const text = this.prompt.value;
    this.events.send(text, this.editing);
    this.editing = false;
    this.editBanner.hidden = true;
  }

  /** After a send was accepted: an empty box for the next message. */
  clear(): void {
    this.prompt.value = '';
    this.events.changed('');
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.submit();
    } else if (e.key === 'Escape') {
      if (this.busy) this.events.stop();
      else this.cancelEdit();
      e.preventDefault();
      e.stopPropagation();
    } else if (e.key === 'ArrowUp' && !this.prompt.value && !this.busy) {
      e.preventDefault();
      this.events.editLast();
    }
  }
}
