// The chat webview: plain TypeScript over the DOM. Everything it receives is checked against the
// protocol's union (client/chat/protocol.ts) and anything else is dropped and reported; everything it
// does beyond drawing (send, stop, open a link, insert code) is a typed message to the extension.
import './zodSetup'; // before anything that builds a schema
import './chat.css';
import { modelRefLabel } from '../../client/chat/format';
import { describeInvalid, ToWebviewSchema, type ChatOptions, type Conversation, type ErrorAction, type FromWebview, type ModelOption, type ModelRef, type ToWebview } from '../../client/chat/protocol';
import { codeOf, createRenderer } from './render';
import { Composer } from './composer';
import { debounce } from './dom';
import { buildHeader, type Header } from './header';
import { ModelPicker } from './picker';
import { Transcript } from './transcript';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();
const post = (msg: FromWebview) => api.postMessage(msg);
const saved = (api.getState() ?? {}) as { conversationId?: string; draft?: string };

let conv: Conversation | undefined;
let busy = false;
let options: ChatOptions = { models: [] };
let serverOptions = '';
let estimateSeq = 0;
let sent: { text: string; users: number } | undefined;

const renderer = createRenderer(window);
const picker = new ModelPicker((query, seq) => post({ type: 'searchModels', query, seq }), (o) => chooseModel(o));
const header: Header = buildHeader(picker, {
  options: (o) => setOptions(o),
  newChat: () => post({ type: 'newChat' }),
  history: () => post({ type: 'history' }),
  exportMarkdown: () => post({ type: 'exportMarkdown' }),
  notice: (text) => notice('warning', text),
});
const transcript = new Transcript(renderer, {
  errorAction: (a) => onErrorAction(a),
  retry: () => post({ type: 'retry' }),
  editLast: () => editLast(),
  copy: (text) => post({ type: 'copy', text }),
});
const requestEstimate = debounce(() => {
  const seq = ++estimateSeq;
  if (!composer.text.trim() && !document.querySelector('.chips.pending li')) return composer.setEstimate(undefined);
  post({ type: 'estimate', text: composer.text, options, seq });
}, 350);
const composer = new Composer({
  send: (text, editing) => send(text, editing),
  stop: () => post({ type: 'stop' }),
  attach: (source) => post({ type: 'attach', source }),
  detach: (id) => post({ type: 'detach', id }),
  changed: (text) => {
    api.setState({ conversationId: conv?.id, draft: text });
    requestEstimate();
  },
  editLast: () => editLast(),
});
const noticeEl = document.createElement('div');
noticeEl.className = 'notice';
noticeEl.setAttribute('role', 'status');
noticeEl.hidden = true;

function mount(): void {
  const app = document.getElementById('app')!;
  const footer = document.createElement('footer');
  footer.className = 'footer';
  footer.append(transcript.total, composer.el);
  app.replaceChildren(header.el, noticeEl, transcript.el, footer);
  app.removeAttribute('aria-busy');
  if (saved.draft) composer.setText(saved.draft, false);
}

let noticeTimer: ReturnType<typeof setTimeout> | undefined;
function notice(level: 'info' | 'warning' | 'error', text: string): void {
  noticeEl.setAttribute('role', level === 'error' ? 'alert' : 'status');
  noticeEl.className = `notice notice-${level}`;
  noticeEl.textContent = text;
  noticeEl.hidden = false;
  if (noticeTimer) clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => (noticeEl.hidden = true), level === 'error' ? 20_000 : 8_000);
}

function setOptions(o: ChatOptions): void {
  options = o;
  header.showOptions(o);
  picker.setLabel(o.models.length === 1 ? modelRefLabel(o.models[0]) : '');
  post({ type: 'setOptions', options });
  requestEstimate();
}

function chooseModel(o: ModelOption): void {
  const ref: ModelRef = { model: o.model, gateway: o.gateway, label: o.label };
  if (!header.compare) return setOptions({ ...options, models: [ref] });
  const same = (m: ModelRef) => m.model === ref.model && (m.gateway ?? '') === (ref.gateway ?? '');
  if (options.models.some(same)) return notice('info', `${o.label} is already compared.`);
  if (options.models.length >= 4) return notice('warning', 'Compare takes 2 to 4 models: remove one first.');
  setOptions({ ...options, models: [...options.models, ref] });
}

function send(text: string, editing: boolean): void {
  if (busy) return;
  if (!options.models.length) {
    notice('warning', 'Pick a model first.');
    return picker.focus();
  }
  if (header.compare && options.models.length < 2) return notice('warning', 'Compare mode needs 2 to 4 models: add another with the picker.');
  sent = { text, users: conv?.messages.filter((m) => m.role === 'user').length ?? 0 };
  post(editing ? { type: 'editLast', text, options } : { type: 'send', text, options });
}

function editLast(): void {
  const last = [...(conv?.messages ?? [])].reverse().find((m) => m.role === 'user');
  if (!last || last.role !== 'user' || busy) return;
  composer.startEdit(last.text);
}

function onErrorAction(a: ErrorAction): void {
  if (a.kind === 'editLast') return editLast();
  if (a.kind === 'pickModel') return picker.focus();
  post({ type: 'errorAction', action: a });
}

function onState(msg: Extract<ToWebview, { type: 'state' }>): void {
  const c = msg.conversation;
  const incoming = JSON.stringify(c.options);
  if (conv?.id !== c.id || incoming !== serverOptions) {
    serverOptions = incoming;
    options = c.options;
    header.showOptions(options);
    picker.setLabel(options.models.length === 1 ? modelRefLabel(options.models[0]) : '');
  }
  // The prompt empties once the extension took the message (a refused send keeps the text).
  const users = c.messages.filter((m) => m.role === 'user').length;
  if (sent && (users > sent.users || (msg.busy && !busy))) {
    if (composer.text === sent.text) composer.clear();
    sent = undefined;
  }
  const first = !conv;
  conv = c;
  busy = msg.busy;
  transcript.show(c, busy);
  composer.setBusy(busy);
  composer.setAttachments(msg.attachments);
  api.setState({ conversationId: c.id, draft: composer.text });
  requestEstimate();
  if (first) (options.models.length ? composer.prompt : picker).focus();
}

function onMessage(raw: unknown): void {
  const parsed = ToWebviewSchema.safeParse(raw);
  if (!parsed.success) {
    post({ type: 'webviewError', message: describeInvalid(parsed.error, raw) });
    return;
  }
  const msg = parsed.data;
  switch (msg.type) {
    case 'state':
      return onState(msg);
    case 'delta':
      return transcript.append(msg.messageId, msg.text);
    case 'models':
      return picker.setResults(msg.seq, msg.items, msg.total, msg.error);
    case 'estimate':
      if (msg.seq === estimateSeq) composer.setEstimate(msg.estimate);
      return;
    case 'notice':
      sent = undefined;
      return notice(msg.level, msg.text);
    case 'focusPrompt':
      return composer.setText(msg.text ?? composer.text);
  }
}

function onClick(e: MouseEvent): void {
  const target = e.target as Element | null;
  const action = target?.closest('[data-code-action]') as HTMLElement | null;
  if (action) {
    const found = codeOf(action);
    if (!found) return;
    const kind = action.dataset.codeAction;
    if (kind === 'copy') post({ type: 'copy', text: found.code });
    else if (kind === 'insert') post({ type: 'insertCode', code: found.code });
    else if (kind === 'newFile') post({ type: 'newFile', code: found.code, language: found.language });
    return;
  }
  const link = target?.closest('a') as HTMLAnchorElement | null;
  if (link) {
    // Links never navigate the webview: the extension asks before opening anything.
    e.preventDefault();
    const href = link.getAttribute('href');
    if (href) post({ type: 'openLink', href });
  }
}

window.addEventListener('message', (e: MessageEvent) => onMessage(e.data));
document.addEventListener('click', onClick);
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && busy) {
    e.preventDefault();
    post({ type: 'stop' });
  }
});
window.addEventListener('error', (e) => post({ type: 'webviewError', message: String(e.message).slice(0, 2000) }));
window.addEventListener('unhandledrejection', (e) => post({ type: 'webviewError', message: String(e.reason).slice(0, 2000) }));

mount();
post({ type: 'ready' });
