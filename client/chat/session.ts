// One chat panel's conversation and its running requests: send, compare (2–4 models at once), stop,
// retry, edit-and-resend, estimates. No `vscode` here: the language server is reached through an
// injected backend and the webview through `post`, so the whole flow runs in unit tests.
import type { ChatParams, ChatResult, EstimateParams, EstimateResult } from '../../server/protocol/messages';
import { lastTurn, newId, requestMessages, titleFrom, userContent } from './conversation';
import { describeChatError, transportError } from './errors';
import type { AssistantMessage, Attachment, ChatOptions, Conversation, EstimateView, ModelRef, ToWebview } from './protocol';

export interface ChatBackend {
  chat(params: ChatParams, signal: AbortSignal): Promise<ChatResult>;
  estimate(params: EstimateParams): Promise<EstimateResult>;
  /** A gateway's balance, for a 402 that came without one. */
  balance(gateway: string): Promise<number | undefined>;
}

export interface SessionHost {
  post(msg: ToWebview): void;
  save(conv: Conversation): Promise<void>;
  log: { info(m: string): void; warn(m: string): void; error(m: string): void };
  /** Streamed text for `requestId` goes to `onText` until the returned function is called. */
  route(requestId: string, onText: (text: string) => void): () => void;
  /** The models of the last send, remembered as the next new chat's default. */
  rememberModels?(models: ModelRef[]): void;
}

/** Output the estimate assumes when no max tokens is set (the server's own default). */
const DEFAULT_ESTIMATE_OUTPUT = 1000;

export class ChatSession {
  attachments: Attachment[] = [];
  private readonly running = new Map<string, AbortController>();

  constructor(
    public conversation: Conversation,
    private readonly backend: ChatBackend,
    private readonly host: SessionHost,
  ) {}

  get busy(): boolean {
    return this.running.size > 0;
  }

  get isEmpty(): boolean {
    return this.conversation.messages.length === 0;
  }

  postState(): void {
    this.host.post({ type: 'state', conversation: this.conversation, busy: this.busy, attachments: this.attachments });
  }

  private notice(text: string, level: 'info' | 'warning' | 'error' = 'warning'): void {
    this.host.post({ type: 'notice', level, text });
  }

  private persist(): void {
    if (this.isEmpty) return;
    this.host.save(this.conversation).catch((e) => {
      this.host.log.error(`chat: could not save conversation ${this.conversation.id}: ${e instanceof Error ? e.message : String(e)}`);
      this.notice('This conversation could not be saved to the history (see the Switchyard log).', 'error');
    });
  }

  setOptions(options: ChatOptions): void {
    this.conversation = { ...this.conversation, options };
    this.persist();
  }

  addAttachment(a: Attachment): void {
    this.attachments = [...this.attachments, a];
    this.postState();
  }

  removeAttachment(id: string): void {
    this.attachments = this.attachments.filter((a) => a.id !== id);
    this.postState();
  }

  private ready(options: ChatOptions): boolean {
    if (this.busy) {
      this.notice('An answer is still streaming: wait for it or press Stop (Esc).');
      return false;
    }
    if (!options.models.length) {
      this.notice('Pick a model first.');
      return false;
    }
    return true;
  }

  async send(text: string, options: ChatOptions): Promise<void> {
    if (!this.ready(options)) return;
    if (!text.trim() && !this.attachments.length) {
      this.notice('Type a message or attach something first.');
      return;
    }
    const conv = this.conversation;
    const first = !conv.messages.some((m) => m.role === 'user');
    conv.options = options;
    conv.messages.push({ role: 'user', id: newId(), text, attachments: this.attachments, at: Date.now() });
    if (first) conv.title = titleFrom(text, this.attachments);
    this.attachments = [];
    this.host.rememberModels?.(options.models);
    await this.answer(options.models);
  }

  async retry(models?: ModelRef[]): Promise<void> {
    const turn = lastTurn(this.conversation);
    if (!turn) return this.notice('Nothing to retry yet.');
    const use = models ?? (turn.answers.length ? turn.answers.map((a) => a.model) : this.conversation.options.models);
    if (!this.ready({ ...this.conversation.options, models: use })) return;
    this.conversation.messages.splice(turn.userIndex + 1);
    await this.answer(use);
  }

  async editLast(text: string, options: ChatOptions): Promise<void> {
    const turn = lastTurn(this.conversation);
    if (!turn) return this.send(text, options);
    if (!this.ready(options)) return;
    const user = this.conversation.messages[turn.userIndex];
    if (user.role !== 'user') return;
    user.text = text;
    if (turn.userIndex === 0) this.conversation.title = titleFrom(text, user.attachments);
    this.conversation.options = options;
    this.conversation.messages.splice(turn.userIndex + 1);
    await this.answer(options.models);
  }

  /** Aborts every running answer; each keeps what arrived and says it was stopped. */
  stop(): void {
    for (const ctrl of this.running.values()) ctrl.abort(new Error('stopped'));
  }

  dispose(): void {
    this.stop();
  }

  private async answer(models: ModelRef[]): Promise<void> {
    const conv = this.conversation;
    const upto = conv.messages.length - 1;
    const group = models.length > 1 ? newId() : undefined;
    const answers: AssistantMessage[] = models.map((model) => ({
      role: 'assistant', id: newId(), group, model, content: '', status: 'streaming', at: Date.now(),
    }));
    const ctrls = answers.map((a) => {
      const ctrl = new AbortController();
      this.running.set(a.id, ctrl);
      return ctrl;
    });
    conv.messages.push(...answers);
    conv.updatedAt = Date.now();
    this.postState();
    this.persist();
    await Promise.all(answers.map((a, i) => this.run(a, requestMessages(conv, a.model, upto), ctrls[i].signal)));
    conv.updatedAt = Date.now();
    this.postState();
    this.persist();
  }

  private async run(msg: AssistantMessage, messages: ChatParams['messages'], signal: AbortSignal): Promise<void> {
    const o = this.conversation.options;
    const params: ChatParams = { requestId: `chat-${msg.id}`, model: msg.model.model, gateway: msg.model.gateway, messages };
    if (o.temperature !== undefined) params.temperature = o.temperature;
    if (o.maxTokens !== undefined) params.maxTokens = o.maxTokens;
    const unroute = this.host.route(params.requestId, (text) => {
      if (msg.status !== 'streaming') return;
      msg.content += text;
      this.host.post({ type: 'delta', messageId: msg.id, text });
    });
    try {
      const result = await this.backend.chat(params, signal);
      await this.apply(msg, result);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      if (signal.aborted) msg.status = 'stopped';
      else {
        this.host.log.error(`chat: ${params.requestId} failed: ${reason}`);
        msg.status = 'error';
        msg.error = transportError(reason);
      }
    } finally {
      unroute();
      this.running.delete(msg.id);
    }
  }

  private async apply(msg: AssistantMessage, r: ChatResult): Promise<void> {
    // The server's text is the whole answer; deltas may still be in flight behind the reply.
    if (r.content.length >= msg.content.length) msg.content = r.content;
    msg.meta = {
      servedModel: r.servedModel,
      gateway: r.gateway,
      inputTokens: r.inputTokens,
      outputTokens: r.outputTokens,
      cachedInputTokens: r.cachedInputTokens,
      costUsd: r.costUsd,
      costSource: r.costSource,
      cacheSavingsUsd: r.cacheSavingsUsd,
      latencyMs: r.latencyMs,
      finishReason: r.finishReason,
    };
    if (r.aborted) msg.status = 'stopped';
    else if (r.error) {
      msg.status = 'error';
      let balance = r.error.balanceUsd;
      if (balance === undefined && r.error.gateway && (r.error.code === 'insufficient_credits' || r.error.status === 402)) {
        balance = await this.backend.balance(r.error.gateway).catch(() => undefined);
      }
      msg.error = describeChatError(r.error, balance);
      this.host.log.warn(`chat: ${r.requestId}: ${r.error.code}: ${r.error.message}`);
    } else msg.status = 'done';
  }

  /** Tokens and cost of sending `text` (with the attachments) now, summed over the picked models. */
  async estimate(text: string, options: ChatOptions): Promise<EstimateView> {
    const models = options.models.length ? options.models : [{ model: 'auto' }];
    const draft = { role: 'user' as const, id: 'draft', text, attachments: this.attachments, at: Date.now() };
    const conv: Conversation = { ...this.conversation, options, messages: [...this.conversation.messages, draft] };
    const attachmentTokens = this.attachments.reduce((n, a) => n + (a.tokens ?? 0), 0) || undefined;
    try {
      const results = await Promise.all(
        models.map((m) => this.backend.estimate({ model: m.model, messages: requestMessages(conv, m), maxTokens: options.maxTokens })),
      );
      const sum = (k: 'inputCostUsd' | 'maxCostUsd') => (results.every((r) => r[k] !== undefined) ? results.reduce((n, r) => n + (r[k] ?? 0), 0) : undefined);
      const priced = options.models.length > 0;
      return {
        inputTokens: results[0].inputTokens,
        attachmentTokens,
        inputCostUsd: priced ? sum('inputCostUsd') : undefined,
        maxCostUsd: priced ? sum('maxCostUsd') : undefined,
        assumedOutputTokens: options.maxTokens ?? DEFAULT_ESTIMATE_OUTPUT,
        contextLength: smallest(results.map((r) => r.contextLength)),
        models: options.models.length,
      };
    } catch (e) {
      return { models: options.models.length, attachmentTokens, error: e instanceof Error ? e.message : String(e) };
    }
  }

  /** Tokens of one attachment as the model will receive it (the model does not change the count). */
  async attachmentTokens(a: Attachment): Promise<number | undefined> {
    const model = this.conversation.options.models[0]?.model ?? 'auto';
    const content = userContent({ text: '', attachments: [a] });
    return this.backend.estimate({ model, messages: [{ role: 'user', content }] }).then((r) => r.inputTokens, () => undefined);
  }
}

function smallest(values: (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  return known.length ? Math.min(...known) : undefined;
}

/** Streamed text by request id: one notification handler per language client feeds every panel. */
export class DeltaRouter {
  private readonly handlers = new Map<string, (text: string) => void>();

  route(requestId: string, onText: (text: string) => void): () => void {
    this.handlers.set(requestId, onText);
    return () => {
      if (this.handlers.get(requestId) === onText) this.handlers.delete(requestId);
    };
  }

  dispatch(p: { requestId: string; text: string }): void {
    this.handlers.get(p.requestId)?.(p.text);
  }

  get size(): number {
    return this.handlers.size;
  }
}
