// OpenAI Chat Completions answer → Anthropic `message`. Pure. Shared with the stream translation:
// the stop-reason and usage mappings.
import { randomBytes } from 'node:crypto';

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal';

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

export type AnthropicBlock = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown };

export interface AnthropicMessageOut {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicBlock[];
  stop_reason: StopReason | null;
  stop_sequence: string | null;
  usage: AnthropicUsage;
}

/** Anthropic-style message ids (`msg_…`), for the answer object and `message_start`. */
export function messageId(): string {
  return `msg_${randomBytes(12).toString('base64url')}`;
}

/**
 * The stop reason for a chat `finish_reason`. Chat Completions says only "stop" for both a natural
 * end and a stop sequence; the sequence is recognised where the gateway names it (vLLM's
 * `stop_reason`, OpenRouter's `native_finish_reason`).
 */
export function stopReason(choice: Record<string, unknown> | undefined, stopSequences: readonly string[] = []): { reason: StopReason; sequence: string | null } {
  const finish = choice?.finish_reason;
  if (finish === 'length') return { reason: 'max_tokens', sequence: null };
  if (finish === 'tool_calls' || finish === 'function_call') return { reason: 'tool_use', sequence: null };
  if (finish === 'content_filter') return { reason: 'refusal', sequence: null };
  const matched = choice?.stop_reason;
  if (typeof matched === 'string' && stopSequences.includes(matched)) return { reason: 'stop_sequence', sequence: matched };
  if (choice?.native_finish_reason === 'stop_sequence') return { reason: 'stop_sequence', sequence: stopSequences.length === 1 ? stopSequences[0] : null };
  return { reason: 'end_turn', sequence: null };
}

const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : undefined);

/**
 * Anthropic's usage from a chat `usage` object. Anthropic's `input_tokens` excludes cached reads and
 * cache writes, which Chat Completions' `prompt_tokens` includes; cached counts come from
 * `prompt_tokens_details` (OpenAI `cached_tokens`, OpenRouter `cache_write_tokens`) or from
 * Anthropic's own field names where a gateway passes them through.
 */
export function anthropicUsage(raw: unknown): AnthropicUsage | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const u = raw as Record<string, unknown>;
  const details = (u.prompt_tokens_details && typeof u.prompt_tokens_details === 'object' ? u.prompt_tokens_details : {}) as Record<string, unknown>;
  const prompt = count(u.prompt_tokens) ?? count(u.input_tokens);
  const output = count(u.completion_tokens) ?? count(u.output_tokens);
  if (prompt === undefined && output === undefined) return undefined;
  const read = count(details.cached_tokens) ?? count(u.cache_read_input_tokens);
  const write = count(details.cache_write_tokens) ?? count(details.cache_creation_tokens) ?? count(u.cache_creation_input_tokens);
  // A gateway passing Anthropic's usage through already has input_tokens without the cached part.
  const passThrough = count(u.prompt_tokens) === undefined && count(u.input_tokens) !== undefined;
  const input = passThrough ? (prompt ?? 0) : Math.max(0, (prompt ?? 0) - (read ?? 0) - (write ?? 0));
  return {
    input_tokens: input,
    output_tokens: output ?? 0,
    ...(read !== undefined ? { cache_read_input_tokens: read } : {}),
    ...(write !== undefined ? { cache_creation_input_tokens: write } : {}),
  };
}

/** A tool call's arguments as the `input` object; a model that wrote broken JSON gets it kept as text. */
export function parseToolInput(args: unknown): unknown {
  if (typeof args !== 'string' || args.trim() === '') return {};
  try {
    const v: unknown = JSON.parse(args);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : { value: v };
  } catch {
    return { _raw_arguments: args };
  }
}

/** The Anthropic message for a JSON chat completion. */
export function toAnthropicMessage(body: unknown, opts: { model: string; stopSequences?: readonly string[]; id?: string }): AnthropicMessageOut {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const choice = (Array.isArray(b.choices) ? b.choices[0] : undefined) as Record<string, unknown> | undefined;
  const msg = (choice?.message && typeof choice.message === 'object' ? choice.message : {}) as Record<string, unknown>;
  const content: AnthropicBlock[] = [];
  const text = typeof msg.content === 'string' ? msg.content : Array.isArray(msg.content) ? msg.content.map((p) => (p as { text?: unknown })?.text).filter((t) => typeof t === 'string').join('') : '';
  if (text) content.push({ type: 'text', text });
  for (const call of Array.isArray(msg.tool_calls) ? msg.tool_calls : []) {
    const c = call as { id?: unknown; function?: { name?: unknown; arguments?: unknown } };
    if (typeof c?.function?.name !== 'string') continue;
    content.push({ type: 'tool_use', id: typeof c.id === 'string' && c.id ? c.id : `toolu_${randomBytes(9).toString('base64url')}`, name: c.function.name, input: parseToolInput(c.function.arguments) });
  }
  const stop = stopReason(choice, opts.stopSequences);
  return {
    id: opts.id ?? messageId(),
    type: 'message',
    role: 'assistant',
    model: typeof b.model === 'string' && b.model ? b.model : opts.model,
    content,
    // A tool call is a tool_use stop whatever finish_reason the gateway chose ("stop" on some).
    stop_reason: content.some((c) => c.type === 'tool_use') && stop.reason === 'end_turn' ? 'tool_use' : stop.reason,
    stop_sequence: stop.sequence,
    usage: anthropicUsage(b.usage) ?? { input_tokens: 0, output_tokens: 0 },
  };
}
