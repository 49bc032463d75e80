// OpenAI Responses API request → Chat Completions request, the API every gateway speaks.
// Pure: validated with zod at the boundary, then translated item by item. What cannot be carried
// is refused with a 400 naming the field (never silently changed), except the tools OpenAI runs on
// its own servers (web_search, file_search, …): no gateway can run them, Codex offers web_search on
// every turn and works without it, so they are dropped and reported in `dropped`.
import { z } from 'zod';
import { chatToolName, toolMap, type ToolMap, type ToolTarget } from './tools';

const text = z.string();
const part = z.looseObject({ type: z.string() });
const message = z.looseObject({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([text, z.array(part)]),
});
const item = z.looseObject({ type: z.string().optional() });

const tool = z.looseObject({ type: z.string(), name: z.string().optional() });

export const responsesRequest = z.looseObject({
  model: z.string().trim().min(1, 'model must name a model (e.g. "gpt-5-codex")').max(512).optional(),
  input: z.union([text, z.array(item)], 'input must be a string or an array of input items'),
  instructions: z.string().nullish(),
  stream: z.boolean().nullish(),
  tools: z.array(tool).nullish(),
  tool_choice: z.union([z.string(), z.looseObject({ type: z.string() })]).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  max_output_tokens: z.int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  text: z.looseObject({ format: z.looseObject({ type: z.string() }).optional() }).nullish(),
  reasoning: z.looseObject({ effort: z.string().nullish() }).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  store: z.boolean().nullish(),
  user: z.string().nullish(),
  previous_response_id: z.string().nullish(),
});

export type ResponsesRequest = z.infer<typeof responsesRequest>;

export interface Translated {
  /** The Chat Completions body for the pipeline. */
  chat: Record<string, unknown>;
  /** How chat tool names map back to Responses output items. */
  tools: ToolMap;
  /** Tool types dropped because only OpenAI's own servers can run them. */
  dropped: string[];
  request: ResponsesRequest;
}

export type TranslateResult = { ok: true; value: Translated } | { ok: false; message: string; param?: string };

class Refusal extends Error {
  constructor(message: string, readonly param?: string) {
    super(message);
  }
}

/** Server-side tools: only OpenAI's own platform runs them, a gateway's Chat Completions cannot. */
const HOSTED_TOOLS = new Set([
  'web_search', 'web_search_preview', 'web_search_preview_2025_03_11', 'web_search_2025_08_26', 'file_search',
  'code_interpreter', 'image_generation', 'computer_use_preview', 'computer_use', 'mcp', 'tool_search',
]);

const STATEFUL = 'the Switchyard proxy keeps no conversations (gateways speak stateless Chat Completions); send the whole conversation in `input` with `store: false`, as Codex does';

export function translateRequest(value: unknown): TranslateResult {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: 'the request body must be a JSON object' };
  const parsed = responsesRequest.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, message: `invalid responses request: ${z.prettifyError(parsed.error).replace(/\n\s*/g, ' ')}`, param: first?.path.join('.') || undefined };
  }
  const req = parsed.data;
  try {
    return { ok: true, value: translate(req) };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, message: e.message, param: e.param };
    throw e;
  }
}

function translate(req: ResponsesRequest): Translated {
  if (req.previous_response_id) throw new Refusal(`previous_response_id is not supported: ${STATEFUL}.`, 'previous_response_id');
  for (const field of ['conversation', 'prompt'] as const) {
    if ((req as Record<string, unknown>)[field] != null) throw new Refusal(`${field} is not supported: ${STATEFUL}.`, field);
  }
  if ((req as Record<string, unknown>).background === true) throw new Refusal('background responses are not supported: the proxy answers while the connection is open.', 'background');
  const dropped: string[] = [];
  const offered = (req.tools ?? []).filter((t) => {
    if (!HOSTED_TOOLS.has(t.type)) return true;
    if (!dropped.includes(t.type)) dropped.push(t.type);
    return false;
  });
  const tools = toolMap(offered, (type, i) => new Refusal(`tool type "${type}" is not supported by the Switchyard proxy (function, custom, namespace and local_shell tools are)`, `tools.${i}.type`));
  const chat: Record<string, unknown> = { messages: messages(req, tools) };
  if (req.model !== undefined) chat.model = req.model;
  if (req.stream) {
    chat.stream = true;
    // Usage comes in the stream's last chunk; the Responses API always reports it.
    chat.stream_options = { include_usage: true };
  }
  if (tools.chatTools.length > 0) {
    chat.tools = tools.chatTools;
    if (req.parallel_tool_calls != null) chat.parallel_tool_calls = req.parallel_tool_calls;
  }
  const choice = toolChoice(req.tool_choice, tools, dropped);
  if (choice !== undefined && tools.chatTools.length > 0) chat.tool_choice = choice;
  if (req.max_output_tokens != null) chat.max_tokens = req.max_output_tokens;
  if (req.temperature != null) chat.temperature = req.temperature;
  if (req.top_p != null) chat.top_p = req.top_p;
  if (req.user != null) chat.user = req.user;
  if (req.reasoning?.effort) chat.reasoning_effort = req.reasoning.effort;
  const format = responseFormat(req.text?.format);
  if (format) chat.response_format = format;
  return { chat, tools, dropped, request: req };
}

type ChatMessage = Record<string, unknown> & { role: string };

function messages(req: ResponsesRequest, tools: ToolMap): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (req.instructions) out.push({ role: 'system', content: req.instructions });
  if (typeof req.input === 'string') {
    out.push({ role: 'user', content: req.input });
    return out;
  }
  req.input.forEach((raw, i) => {
    const type = raw.type ?? 'message';
    const at = `input.${i}`;
    if (type === 'message') return out.push(chatMessage(raw, at));
    if (type === 'function_call' || type === 'custom_tool_call' || type === 'local_shell_call') return addToolCall(out, toolCall(raw, type, tools, at));
    if (type === 'function_call_output' || type === 'custom_tool_call_output' || type === 'local_shell_call_output') {
      return out.push({ role: 'tool', tool_call_id: str(raw, 'call_id', at), content: toolOutput(raw.output, `${at}.output`) });
    }
    // Reasoning is the model's own scratch work (often encrypted for OpenAI only): not forwarded.
    if (type === 'reasoning') return;
    // Calls OpenAI ran itself (web search) have no Chat Completions form; their results are not ours.
    if (type.endsWith('_call') && HOSTED_TOOLS.has(type.slice(0, -'_call'.length))) return;
    if (type === 'item_reference') throw new Refusal(`input item references need stored responses: ${STATEFUL}.`, at);
    throw new Refusal(`input item type "${type}" is not supported by the Switchyard proxy`, `${at}.type`);
  });
  return out;
}

function chatMessage(raw: unknown, at: string): ChatMessage {
  const r = message.safeParse(raw);
  if (!r.success) throw new Refusal(`${at} is not a valid message: ${z.prettifyError(r.error).replace(/\n\s*/g, ' ')}`, at);
  const m = r.data;
  // Chat Completions gateways know "system"; few know OpenAI's newer "developer".
  const role = m.role === 'developer' ? 'system' : m.role;
  if (typeof m.content === 'string') return { role, content: m.content };
  if (role !== 'user') {
    // Assistant and system turns are text in every gateway's Chat Completions.
    return { role, content: m.content.map((p, j) => partText(p, `${at}.content.${j}`)).join('') };
  }
  return { role, content: m.content.map((p, j) => userPart(p, `${at}.content.${j}`)) };
}

function partText(p: { type: string } & Record<string, unknown>, at: string): string {
  if ((p.type === 'input_text' || p.type === 'output_text' || p.type === 'text') && typeof p.text === 'string') return p.text;
  if (p.type === 'refusal' && typeof p.refusal === 'string') return p.refusal;
  throw new Refusal(`content part type "${p.type}" is not supported in this message`, at);
}

function userPart(p: { type: string } & Record<string, unknown>, at: string): Record<string, unknown> {
  if (p.type === 'input_image') {
    if (typeof p.image_url !== 'string') throw new Refusal('input_image needs image_url (a URL or a data: URL); file_id needs OpenAI\'s file store, which gateways do not have', at);
    return { type: 'image_url', image_url: { url: p.image_url, ...(typeof p.detail === 'string' ? { detail: p.detail } : {}) } };
  }
  return { type: 'text', text: partText(p, at) };
}

function toolCall(raw: Record<string, unknown>, type: string, tools: ToolMap, at: string): Record<string, unknown> {
  const callId = str(raw, 'call_id', at);
  const target: ToolTarget =
    type === 'custom_tool_call'
      ? { kind: 'custom', name: str(raw, 'name', at), namespace: optStr(raw.namespace) }
      : type === 'local_shell_call'
        ? { kind: 'local_shell', name: 'local_shell' }
        : { kind: 'function', name: str(raw, 'name', at), namespace: optStr(raw.namespace) };
  let args: string;
  if (type === 'custom_tool_call') args = JSON.stringify({ input: typeof raw.input === 'string' ? raw.input : '' });
  else if (type === 'local_shell_call') {
    const { type: _exec, ...action } = (raw.action ?? {}) as Record<string, unknown>;
    args = JSON.stringify(action);
  } else args = typeof raw.arguments === 'string' ? raw.arguments : JSON.stringify(raw.arguments ?? {});
  return { id: callId, type: 'function', function: { name: tools.chatNameOf(target) ?? chatToolName(target), arguments: args } };
}

/** Consecutive calls are one assistant turn in Chat Completions, with any text said before them. */
function addToolCall(out: ChatMessage[], call: Record<string, unknown>): void {
  const last = out[out.length - 1];
  if (last?.role === 'assistant') {
    last.tool_calls = [...((last.tool_calls as unknown[] | undefined) ?? []), call];
    return;
  }
  out.push({ role: 'assistant', content: null, tool_calls: [call] });
}

function toolOutput(output: unknown, at: string): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) {
    // Tool messages are text in Chat Completions: text parts are kept, an image is named.
    return output
      .map((p) => {
        const part = p as { type?: unknown; text?: unknown };
        if (typeof part.text === 'string') return part.text;
        return `[${typeof part.type === 'string' ? part.type : 'content'} omitted: tool results are text in Chat Completions]`;
      })
      .join('\n');
  }
  if (output && typeof output === 'object') return JSON.stringify(output);
  throw new Refusal('a tool output must be a string or an array of content parts', at);
}

function toolChoice(choice: ResponsesRequest['tool_choice'], tools: ToolMap, dropped: string[]): unknown {
  if (choice == null) return undefined;
  if (typeof choice === 'string') {
    if (choice === 'auto' || choice === 'none' || choice === 'required') return choice;
    throw new Refusal(`tool_choice "${choice}" is not one of auto, none, required`, 'tool_choice');
  }
  if (choice.type === 'allowed_tools') return choice.mode === 'required' ? 'required' : 'auto';
  if (choice.type === 'function' || choice.type === 'custom') {
    const name = tools.chatNameOf({ kind: choice.type, name: String(choice.name ?? ''), namespace: optStr(choice.namespace) });
    if (!name) throw new Refusal(`tool_choice names the tool "${String(choice.name)}", which is not in tools`, 'tool_choice');
    return { type: 'function', function: { name } };
  }
  if (dropped.includes(choice.type)) throw new Refusal(`tool_choice forces "${choice.type}", which only OpenAI's own servers run; no gateway can`, 'tool_choice');
  throw new Refusal(`tool_choice type "${choice.type}" is not supported`, 'tool_choice');
}

function responseFormat(format: { type: string } & Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  if (format.type === 'json_schema') {
    if (typeof format.name !== 'string' || !format.schema || typeof format.schema !== 'object') {
      throw new Refusal('text.format json_schema needs a name and a schema', 'text.format');
    }
    const { type: _t, ...rest } = format;
    return { type: 'json_schema', json_schema: rest };
  }
  throw new Refusal(`text.format type "${format.type}" is not one of text, json_object, json_schema`, 'text.format.type');
}

function str(raw: Record<string, unknown>, key: string, at: string): string {
  const v = raw[key];
  if (typeof v !== 'string' || !v) throw new Refusal(`${at}.${key} must be a non-empty string`, `${at}.${key}`);
  return v;
}

const optStr = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
