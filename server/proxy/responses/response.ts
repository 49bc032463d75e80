// Chat Completions answer → OpenAI Responses `response` object (non-streaming), and the pieces the
// stream translation shares: the response skeleton, output items for tool calls, usage.
import { randomBytes } from 'node:crypto';
import type { ResponsesRequest } from './request';
import type { ToolMap } from './tools';
import { parseObject } from '../../core/json';

export const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

export interface ResponseUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

/** Tokens the pipeline metered, for answers whose gateway sent no usage. */
export interface FallbackTokens {
  inputTokens: number;
  outputTokens: number;
}

/** The gateway's own usage, with the cached and reasoning counts it reports (OpenAI's detail fields). */
export function toUsage(chatUsage: unknown, fallback?: FallbackTokens): ResponseUsage | null {
  const u = chatUsage && typeof chatUsage === 'object' ? (chatUsage as Record<string, unknown>) : undefined;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
  const input = num(u?.prompt_tokens) ?? fallback?.inputTokens;
  const output = num(u?.completion_tokens) ?? fallback?.outputTokens;
  if (input === undefined || output === undefined) return null;
  const cached = num((u?.prompt_tokens_details as Record<string, unknown> | undefined)?.cached_tokens) ?? 0;
  const reasoning = num((u?.completion_tokens_details as Record<string, unknown> | undefined)?.reasoning_tokens) ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: num(u?.total_tokens) ?? input + output,
  };
}

export type Status = 'in_progress' | 'completed' | 'incomplete' | 'failed';

export interface ResponseShell {
  id: string;
  createdAt: number;
  request: ResponsesRequest;
  model: string;
}

/** The `response` object around `output`, echoing the request's settings as OpenAI does. */
export function responseObject(
  shell: ResponseShell,
  status: Status,
  output: unknown[],
  extra: { usage?: ResponseUsage | null; finishReason?: string | null; error?: { code: string; message: string } } = {},
): Record<string, unknown> {
  const r = shell.request;
  return {
    id: shell.id,
    object: 'response',
    created_at: shell.createdAt,
    status,
    error: extra.error ?? null,
    incomplete_details: status === 'incomplete' ? { reason: extra.finishReason === 'content_filter' ? 'content_filter' : 'max_output_tokens' } : null,
    instructions: r.instructions ?? null,
    max_output_tokens: r.max_output_tokens ?? null,
    model: shell.model,
    output,
    parallel_tool_calls: r.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: r.reasoning?.effort ?? null, summary: null },
    // Nothing is kept: the proxy is stateless whatever was asked.
    store: false,
    temperature: r.temperature ?? null,
    text: { format: r.text?.format ?? { type: 'text' } },
    tool_choice: r.tool_choice ?? 'auto',
    tools: r.tools ?? [],
    top_p: r.top_p ?? null,
    truncation: 'disabled',
    usage: extra.usage ?? null,
    user: r.user ?? null,
    metadata: r.metadata ?? {},
  };
}

export function messageItem(id: string, text: string, status: 'in_progress' | 'completed' | 'incomplete', refusal?: string): Record<string, unknown> {
  const content = status === 'in_progress' ? [] : [refusal !== undefined ? { type: 'refusal', refusal } : textPart(text)];
  return { type: 'message', id, status, role: 'assistant', content };
}

export const textPart = (text: string) => ({ type: 'output_text', text, annotations: [], logprobs: [] });

/** One chat tool call as the Responses item the caller's tool expects (function, custom or local shell). */
export function toolCallItem(tools: ToolMap, call: { id: string; name: string; arguments: string }, itemId: string, status: 'in_progress' | 'completed'): Record<string, unknown> {
  const target = tools.targetOf(call.name);
  const done = status === 'completed';
  if (target?.kind === 'custom') {
    return { type: 'custom_tool_call', id: itemId, status, call_id: call.id, name: target.name, input: done ? customInput(call.arguments) : '', ...(target.namespace ? { namespace: target.namespace } : {}) };
  }
  if (target?.kind === 'local_shell') {
    const args = parseObject(call.arguments) ?? {};
    const command = Array.isArray(args.command) ? args.command.map(String) : typeof args.command === 'string' ? ['bash', '-lc', args.command] : [];
    return { type: 'local_shell_call', id: itemId, status, call_id: call.id, action: { ...args, type: 'exec', command } };
  }
  return {
    type: 'function_call',
    id: itemId,
    status,
    call_id: call.id,
    name: target?.name ?? call.name,
    arguments: done ? call.arguments : '',
    ...(target?.namespace ? { namespace: target.namespace } : {}),
  };
}

/** A freeform tool's text: the `input` string of the JSON the model wrote, or what it wrote if not JSON. */
export function customInput(args: string): string {
  const input = parseObject(args)?.input;
  return typeof input === 'string' ? input : args;
}


interface ChatChoice {
  message?: { content?: unknown; refusal?: unknown; tool_calls?: unknown };
  finish_reason?: unknown;
}

/** A whole Chat Completions answer as a `response` object. */
export function fromChatCompletion(chat: unknown, tools: ToolMap, shell: ResponseShell, fallback?: FallbackTokens): Record<string, unknown> {
  const body = (chat && typeof chat === 'object' ? chat : {}) as { choices?: ChatChoice[]; usage?: unknown; model?: unknown };
  const choice = Array.isArray(body.choices) ? body.choices[0] : undefined;
  const msg = choice?.message ?? {};
  const finish = typeof choice?.finish_reason === 'string' ? choice.finish_reason : null;
  const status: Status = finish === 'length' || finish === 'content_filter' ? 'incomplete' : 'completed';
  const output: unknown[] = [];
  const text = typeof msg.content === 'string' ? msg.content : '';
  if (text || typeof msg.refusal === 'string') {
    output.push(messageItem(newId('msg'), text, status === 'completed' ? 'completed' : 'incomplete', typeof msg.refusal === 'string' && !text ? msg.refusal : undefined));
  }
  for (const c of Array.isArray(msg.tool_calls) ? msg.tool_calls : []) {
    const call = c as { id?: unknown; function?: { name?: unknown; arguments?: unknown } };
    if (typeof call.function?.name !== 'string') continue;
    const id = typeof call.id === 'string' && call.id ? call.id : newId('call');
    const args = typeof call.function.arguments === 'string' ? call.function.arguments : JSON.stringify(call.function.arguments ?? {});
    output.push(toolCallItem(tools, { id, name: call.function.name, arguments: args }, newId('fc'), 'completed'));
  }
  const model = typeof body.model === 'string' && body.model ? body.model : shell.model;
  return responseObject({ ...shell, model }, status, output, { usage: toUsage(body.usage, fallback), finishReason: finish });
}
