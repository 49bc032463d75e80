// OpenAI chat stream chunks → Anthropic Messages stream events, one chunk at a time. Pure state
// machine: the proxy feeds it parsed chunks as they arrive and writes what it returns at once.
// The event grammar is Anthropic's: message_start, ping, then per content block
// content_block_start / content_block_delta… / content_block_stop (blocks in order, never two open),
// then message_delta (stop_reason, usage) and message_stop — or an `error` event when upstream fails.
import { anthropicErrorType } from './errors';
import { ToolCallSlots } from '../../pipeline/toolSlots';
import { anthropicUsage, stopReason, type AnthropicUsage, type StopReason } from './response';

export type AnthropicEvent = { type: string } & Record<string, unknown>;

export interface TranslatorOptions {
  id: string;
  /** Until a chunk names the model that ran. */
  model: string;
  /** Our estimate of the prompt, for message_start (the real count follows in message_delta). */
  inputTokens: number;
  stopSequences?: readonly string[];
}

interface ToolState {
  block: number;
}

export class StreamTranslator {
  private started = false;
  private ended = false;
  private failed = false;
  private blocks = 0;
  /** The open block: a text block, or a tool call by its chat index. */
  private open: { kind: 'text'; block: number } | { kind: 'tool'; index: number; block: number } | undefined;
  private readonly tools = new Map<number, ToolState>();
  private readonly slots = new ToolCallSlots();
  private finish: { reason: StopReason; sequence: string | null } | undefined;
  private usage: AnthropicUsage | undefined;
  private model: string;

  constructor(private readonly opts: TranslatorOptions) {
    this.model = opts.model;
  }

  /** The chunk with a finish_reason arrived: the answer is complete, whatever follows. */
  get finished(): boolean {
    return this.finish !== undefined;
  }

  get hasFailed(): boolean {
    return this.failed;
  }

  /** Events for one parsed chat chunk (an `error` event for a gateway's in-stream error object). */
  chunk(chunk: unknown): AnthropicEvent[] {
    if (this.ended || this.failed) return [];
    const c = (chunk && typeof chunk === 'object' ? chunk : {}) as Record<string, unknown>;
    if (c.error) {
      const e = c.error as { message?: unknown; code?: unknown };
      const status = typeof e.code === 'number' && e.code >= 400 && e.code < 600 ? e.code : 502;
      return this.fail(status, typeof e.message === 'string' ? e.message : 'the gateway reported an error mid-stream');
    }
    const out: AnthropicEvent[] = [];
    if (!this.started && typeof c.model === 'string' && c.model) this.model = c.model;
    this.start(out);
    const usage = anthropicUsage(c.usage);
    if (usage) this.usage = usage;
    const choice = (Array.isArray(c.choices) ? c.choices[0] : undefined) as Record<string, unknown> | undefined;
    const delta = (choice?.delta && typeof choice.delta === 'object' ? choice.delta : {}) as Record<string, unknown>;
    if (typeof delta.content === 'string' && delta.content) this.text(delta.content, out);
    if (Array.isArray(delta.tool_calls)) for (const call of delta.tool_calls) this.toolDelta(call, out);
    if (choice && typeof choice.finish_reason === 'string' && choice.finish_reason) {
      this.finish = stopReason(choice, this.opts.stopSequences);
      if (this.finish.reason === 'end_turn' && this.tools.size > 0) this.finish = { reason: 'tool_use', sequence: null };
    }
    return out;
  }

  /** The closing events: the open block stopped, message_delta with stop reason and usage, message_stop. */
  end(fallbackUsage?: AnthropicUsage): AnthropicEvent[] {
    if (this.ended || this.failed) return [];
    const out: AnthropicEvent[] = [];
    this.start(out);
    this.close(out);
    this.ended = true;
    const usage = this.usage ?? fallbackUsage ?? { input_tokens: this.opts.inputTokens, output_tokens: 0 };
    out.push({
      type: 'message_delta',
      delta: { stop_reason: this.finish?.reason ?? 'end_turn', stop_sequence: this.finish?.sequence ?? null },
      usage,
    });
    out.push({ type: 'message_stop' });
    return out;
  }

  /** An `error` event; nothing follows it (Anthropic's stream ends there). */
  fail(status: number, message: string): AnthropicEvent[] {
    if (this.ended || this.failed) return [];
    this.failed = true;
    return [{ type: 'error', error: { type: anthropicErrorType(status), message } }];
  }

  private start(out: AnthropicEvent[]): void {
    if (this.started) return;
    this.started = true;
    out.push({
      type: 'message_start',
      message: {
        id: this.opts.id,
        type: 'message',
        role: 'assistant',
        model: this.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: this.opts.inputTokens, output_tokens: 0 },
      },
    });
    out.push({ type: 'ping' });
  }

  private close(out: AnthropicEvent[]): void {
    if (!this.open) return;
    out.push({ type: 'content_block_stop', index: this.open.block });
    this.open = undefined;
  }

  private text(text: string, out: AnthropicEvent[]): void {
    if (this.open?.kind !== 'text') {
      this.close(out);
      this.open = { kind: 'text', block: this.blocks++ };
      out.push({ type: 'content_block_start', index: this.open.block, content_block: { type: 'text', text: '' } });
    }
    out.push({ type: 'content_block_delta', index: this.open.block, delta: { type: 'text_delta', text } });
  }

  private toolDelta(raw: unknown, out: AnthropicEvent[]): void {
    const call = (raw && typeof raw === 'object' ? raw : {}) as { index?: unknown; id?: unknown; function?: { name?: unknown; arguments?: unknown } };
    const index = this.slots.slot(call);
    let state = this.tools.get(index);
    if (!state) {
      const name = call.function?.name;
      // A call's first delta carries its name; pieces of an unnamed call have nothing to attach to.
      if (typeof name !== 'string' || !name) return;
      this.close(out);
      state = { block: this.blocks++ };
      this.tools.set(index, state);
      this.open = { kind: 'tool', index, block: state.block };
      const id = typeof call.id === 'string' && call.id ? call.id : `toolu_${this.opts.id.slice(4)}_${index}`;
      out.push({ type: 'content_block_start', index: state.block, content_block: { type: 'tool_use', id, name, input: {} } });
    }
    const args = call.function?.arguments;
    // A late piece of an earlier call still goes to its own block index (clients append by index).
    if (typeof args === 'string' && args) out.push({ type: 'content_block_delta', index: state.block, delta: { type: 'input_json_delta', partial_json: args } });
  }
}
