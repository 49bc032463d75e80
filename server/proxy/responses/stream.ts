// Chat Completions stream chunks → OpenAI Responses stream events, one chunk in, its events out
// (nothing is held back but freeform tool input, which arrives JSON-wrapped and is only known whole).
// The sequence OpenAI sends: response.created, response.in_progress, then per output item
// output_item.added → (content_part.added → output_text.delta… → output_text.done → content_part.done)
// or (function_call_arguments.delta… → .done) → output_item.done, and finally response.completed
// (response.incomplete on a length stop, response.failed when the gateway broke off).
import type { SseEvent } from '../../core/services';
import type { ToolMap } from './tools';
import { ToolCallSlots } from '../../pipeline/toolSlots';
import { messageItem, newId, responseObject, textPart, toolCallItem, toUsage, type FallbackTokens, type ResponseShell, type ResponseUsage } from './response';

interface OpenCall {
  id: string;
  name: string;
  args: string;
  itemId: string;
  outputIndex: number;
}

interface ChatDelta {
  content?: unknown;
  refusal?: unknown;
  tool_calls?: { index?: number; id?: string; function?: { name?: string; arguments?: string } }[];
}

export class ResponsesStream {
  private seq = 0;
  private readonly output: Record<string, unknown>[] = [];
  private message: { itemId: string; outputIndex: number; text: string } | undefined;
  private readonly calls = new Map<number, OpenCall>();
  private readonly slots = new ToolCallSlots();
  private finishReason: string | null = null;
  private usage: unknown;
  private ended = false;

  constructor(private readonly shell: ResponseShell, private readonly tools: ToolMap) {}

  start(): SseEvent[] {
    const response = responseObject(this.shell, 'in_progress', []);
    return [this.ev('response.created', { response }), this.ev('response.in_progress', { response })];
  }

  /** One parsed chat chunk. */
  chunk(chunk: unknown): SseEvent[] {
    const c = (chunk && typeof chunk === 'object' ? chunk : {}) as { model?: unknown; usage?: unknown; choices?: { delta?: ChatDelta; finish_reason?: unknown }[] };
    if (typeof c.model === 'string' && c.model && this.shell.model !== c.model && this.seq <= 2) this.shell.model = c.model;
    if (c.usage) this.usage = c.usage;
    const choice = Array.isArray(c.choices) ? c.choices[0] : undefined;
    if (!choice) return [];
    const out: SseEvent[] = [];
    const d = choice.delta ?? {};
    const text = typeof d.content === 'string' ? d.content : typeof d.refusal === 'string' ? d.refusal : '';
    if (text) out.push(...this.text(text));
    for (const t of Array.isArray(d.tool_calls) ? d.tool_calls : []) out.push(...this.toolDelta(t));
    if (typeof choice.finish_reason === 'string') this.finishReason = choice.finish_reason;
    return out;
  }

  /** The gateway's stream ended normally: close every open item and say how the response ended. */
  finish(fallback?: FallbackTokens): SseEvent[] {
    if (this.ended) return [];
    this.ended = true;
    const incomplete = this.finishReason === 'length' || this.finishReason === 'content_filter';
    const out = this.closeAll(incomplete ? 'incomplete' : 'completed');
    const usage: ResponseUsage | null = toUsage(this.usage, fallback);
    const response = responseObject(this.shell, incomplete ? 'incomplete' : 'completed', this.output, { usage, finishReason: this.finishReason });
    out.push(this.ev(incomplete ? 'response.incomplete' : 'response.completed', { response }));
    return out;
  }

  /** The gateway broke off (or sent an error): the caller gets `response.failed`, never a silent end. */
  fail(code: string, message: string): SseEvent[] {
    if (this.ended) return [];
    this.ended = true;
    const out = this.closeAll('incomplete');
    const response = responseObject(this.shell, 'failed', this.output, { usage: toUsage(this.usage), error: { code, message } });
    out.push(this.ev('response.failed', { response }));
    return out;
  }

  private text(delta: string): SseEvent[] {
    const out: SseEvent[] = [];
    if (!this.message) {
      const itemId = newId('msg');
      const outputIndex = this.output.length;
      this.output.push(messageItem(itemId, '', 'in_progress'));
      this.message = { itemId, outputIndex, text: '' };
      out.push(this.ev('response.output_item.added', { output_index: outputIndex, item: messageItem(itemId, '', 'in_progress') }));
      out.push(this.ev('response.content_part.added', { item_id: itemId, output_index: outputIndex, content_index: 0, part: textPart('') }));
    }
    const m = this.message;
    m.text += delta;
    out.push(this.ev('response.output_text.delta', { item_id: m.itemId, output_index: m.outputIndex, content_index: 0, delta, logprobs: [] }));
    return out;
  }

  private toolDelta(t: NonNullable<ChatDelta['tool_calls']>[number]): SseEvent[] {
    const out: SseEvent[] = [];
    const index = this.slots.slot(t);
    let call = this.calls.get(index);
    if (!call) {
      // Text comes before calls in a chat answer: the message is complete once a call starts.
      out.push(...this.closeMessage('completed'));
      call = { id: t.id || newId('call'), name: t.function?.name ?? '', args: '', itemId: newId('fc'), outputIndex: this.output.length };
      this.calls.set(index, call);
      const item = toolCallItem(this.tools, { id: call.id, name: call.name, arguments: '' }, call.itemId, 'in_progress');
      this.output.push(item);
      out.push(this.ev('response.output_item.added', { output_index: call.outputIndex, item }));
    } else if (t.function?.name && !call.name) {
      call.name = t.function.name;
    }
    const piece = t.function?.arguments;
    if (typeof piece === 'string' && piece) {
      call.args += piece;
      // Freeform and shell calls are rebuilt from the whole JSON at the end; functions stream as they come.
      if (this.tools.targetOf(call.name)?.kind !== 'custom' && this.tools.targetOf(call.name)?.kind !== 'local_shell') {
        out.push(this.ev('response.function_call_arguments.delta', { item_id: call.itemId, output_index: call.outputIndex, delta: piece }));
      }
    }
    return out;
  }

  private closeMessage(status: 'completed' | 'incomplete'): SseEvent[] {
    const m = this.message;
    if (!m) return [];
    this.message = undefined;
    const item = messageItem(m.itemId, m.text, status);
    this.output[m.outputIndex] = item;
    return [
      this.ev('response.output_text.done', { item_id: m.itemId, output_index: m.outputIndex, content_index: 0, text: m.text, logprobs: [] }),
      this.ev('response.content_part.done', { item_id: m.itemId, output_index: m.outputIndex, content_index: 0, part: textPart(m.text) }),
      this.ev('response.output_item.done', { output_index: m.outputIndex, item }),
    ];
  }

  private closeAll(messageStatus: 'completed' | 'incomplete'): SseEvent[] {
    const out = this.closeMessage(messageStatus);
    for (const call of [...this.calls.values()].sort((a, b) => a.outputIndex - b.outputIndex)) {
      const item = toolCallItem(this.tools, { id: call.id, name: call.name, arguments: call.args }, call.itemId, 'completed');
      this.output[call.outputIndex] = item;
      if (item.type === 'function_call') {
        out.push(this.ev('response.function_call_arguments.done', { item_id: call.itemId, output_index: call.outputIndex, name: item.name, arguments: call.args }));
      } else if (item.type === 'custom_tool_call') {
        out.push(this.ev('response.custom_tool_call_input.done', { item_id: call.itemId, output_index: call.outputIndex, input: item.input }));
      }
      out.push(this.ev('response.output_item.done', { output_index: call.outputIndex, item }));
    }
    this.calls.clear();
    return out;
  }

  private ev(type: string, fields: Record<string, unknown>): SseEvent {
    return { event: type, data: JSON.stringify({ type, sequence_number: this.seq++, ...fields }) };
  }
}
