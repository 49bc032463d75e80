// Anthropic Messages request → OpenAI Chat Completions request (what every gateway speaks). Pure.
// Decisions where the two APIs differ:
//   - `tool_result` blocks become `role: "tool"` messages placed right after the assistant turn that
//     called them (Chat Completions requires that order); an `is_error` result is prefixed "Error: ".
//     Images inside a tool result follow in a user message (tool messages carry text only).
//   - Server tools (a versioned `type` such as `web_search_20250305`) run at Anthropic, not at a
//     gateway: they are left out and named in `dropped`, and a `tool_choice` naming one is refused.
//   - `thinking` blocks and the `thinking` setting are accepted and not forwarded (a gateway cannot
//     verify Anthropic's signatures, and reasoning switches differ per gateway); `metadata.user_id` is
//     not forwarded (it identifies the person's device to a third party); `top_k` is dropped (OpenAI
//     refuses it); `cache_control` marks are dropped (gateways cache on their own); of
//     `output_config` only `format` (structured outputs) goes on, as `response_format`.
import type { z } from 'zod';
import {
  ContentBlock,
  DocumentBlock,
  ImageBlock,
  TextBlock,
  ToolResultBlock,
  ToolUseBlock,
  type AnthropicMessage,
  type AnthropicTool,
  type MessagesRequest,
} from './schema';

export type ChatPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } }
  | { type: 'file'; file: { filename: string; file_data: string } };

export type ChatMessage = Record<string, unknown> & { role: string };

export type Translated = { ok: true; body: Record<string, unknown>; dropped: string[] } | { ok: false; message: string };

class Refusal extends Error {}

const refuse = (message: string): never => {
  throw new Refusal(message);
};

/** The Chat Completions body for an Anthropic Messages request, or why it cannot be sent. */
export function toChatRequest(req: MessagesRequest): Translated {
  try {
    const { tools, dropped } = translateTools(req.tools);
    const body: Record<string, unknown> = {
      model: req.model,
      messages: [...systemMessages(req.system), ...req.messages.flatMap((m, i) => translateMessage(m, i))],
      max_tokens: req.max_tokens,
    };
    if (tools.length > 0) {
      body.tools = tools;
      const choice = translateToolChoice(req.tool_choice, tools, dropped);
      if (choice.tool_choice !== undefined) body.tool_choice = choice.tool_choice;
      if (choice.parallel === false) body.parallel_tool_calls = false;
    } else if (req.tool_choice && req.tool_choice.type !== 'auto' && req.tool_choice.type !== 'none') {
      refuse(`tool_choice "${req.tool_choice.type}" needs tools, and the request offers none${dropped.length ? ` that a gateway can run (left out: ${dropped.join(', ')})` : ''}`);
    }
    if (req.stop_sequences?.length) body.stop = req.stop_sequences;
    if (req.temperature !== undefined) body.temperature = req.temperature;
    if (req.top_p !== undefined) body.top_p = req.top_p;
    const format = req.output_config?.format ?? req.output_format;
    // Structured outputs: the same JSON schema as Chat Completions' json_schema response format.
    if (format) body.response_format = { type: 'json_schema', json_schema: { name: 'output', schema: format.schema, strict: true } };
    if (req.stream === true) {
      body.stream = true;
      // The usage chunk gives message_delta its token counts (and the ledger its figures).
      body.stream_options = { include_usage: true };
    }
    return { ok: true, body, dropped };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, message: e.message };
    throw e;
  }
}

/** The chat messages for a system prompt and Anthropic messages (count_tokens needs just these). */
export function toChatMessages(system: MessagesRequest['system'], messages: AnthropicMessage[]): { ok: true; messages: ChatMessage[] } | { ok: false; message: string } {
  try {
    return { ok: true, messages: [...systemMessages(system), ...messages.flatMap((m, i) => translateMessage(m, i))] };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, message: e.message };
    throw e;
  }
}

export function systemMessages(system: MessagesRequest['system']): ChatMessage[] {
  if (system === undefined) return [];
  const text = typeof system === 'string' ? system : system.map((b) => b.text).join('\n\n');
  return text ? [{ role: 'system', content: text }] : [];
}

/** One Anthropic message → one or more chat messages (tool results become their own `tool` messages). */
export function translateMessage(m: AnthropicMessage, index: number): ChatMessage[] {
  const blocks = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content;
  const where = (j: number) => `messages.${index}.content.${j}`;
  if (m.role === 'system') return systemTurn(blocks, where);
  return m.role === 'assistant' ? [assistantMessage(blocks, where)] : userMessages(blocks, where);
}

/** A system message inside the conversation stays where it is: Chat Completions takes them anywhere. */
function systemTurn(blocks: ContentBlock[], where: (j: number) => string): ChatMessage[] {
  const text = blocks.map((b, j) => (b.type === 'text' ? check(TextBlock, b, where(j)).text : refuse(`${where(j)}: a system message carries text blocks only (got "${b.type}")`))).join('\n\n');
  return text ? [{ role: 'system', content: text }] : [];
}

function assistantMessage(blocks: ContentBlock[], where: (j: number) => string): ChatMessage {
  let text = '';
  const calls: { id: string; type: 'function'; function: { name: string; arguments: string } }[] = [];
  blocks.forEach((b, j) => {
    if (b.type === 'text') text += check(TextBlock, b, where(j)).text;
    else if (b.type === 'tool_use') {
      const u = check(ToolUseBlock, b, where(j));
      calls.push({ id: u.id, type: 'function', function: { name: u.name, arguments: JSON.stringify(u.input ?? {}) } });
    } else if (b.type !== 'thinking' && b.type !== 'redacted_thinking') {
      refuse(`${where(j)}: an assistant message cannot carry a "${b.type}" block through a gateway (text, tool_use and thinking are accepted)`);
    }
  });
  const out: ChatMessage = { role: 'assistant', content: text || (calls.length ? null : '') };
  if (calls.length) out.tool_calls = calls;
  return out;
}

function userMessages(blocks: ContentBlock[], where: (j: number) => string): ChatMessage[] {
  const toolMessages: ChatMessage[] = [];
  const parts: ChatPart[] = [];
  blocks.forEach((b, j) => {
    if (b.type === 'tool_result') {
      const r = check(ToolResultBlock, b, where(j));
      const inner = typeof r.content === 'string' ? [{ type: 'text', text: r.content }] : (r.content ?? []);
      const innerParts = inner.flatMap((x, k) => userPart(x, `${where(j)}.content.${k}`));
      const text = innerParts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
      toolMessages.push({ role: 'tool', tool_call_id: r.tool_use_id, content: r.is_error ? `Error: ${text}` : text });
      const media = innerParts.filter((p) => p.type !== 'text');
      if (media.length) parts.push({ type: 'text', text: `(attachments of tool result ${r.tool_use_id})` }, ...media);
    } else {
      parts.push(...userPart(b, where(j)));
    }
  });
  if (parts.length === 0) return toolMessages;
  // One text part goes as a plain string: the form every OpenAI-compatible server understands.
  const content = parts.length === 1 && parts[0].type === 'text' ? parts[0].text : parts;
  return [...toolMessages, { role: 'user', content }];
}

function userPart(b: ContentBlock, where: string): ChatPart[] {
  switch (b.type) {
    case 'text':
      return [{ type: 'text', text: check(TextBlock, b, where).text }];
    case 'image': {
      const src = check(ImageBlock, b, where).source;
      const url = src.type === 'base64' ? `data:${src.media_type};base64,${src.data}` : src.url;
      return [{ type: 'image_url', image_url: { url } }];
    }
    case 'document': {
      const d = check(DocumentBlock, b, where);
      if (d.source.type === 'text' && typeof d.source.data === 'string') return [{ type: 'text', text: d.title ? `${d.title}\n\n${d.source.data}` : d.source.data }];
      if (d.source.type === 'base64' && typeof d.source.data === 'string' && d.source.media_type) {
        const filename = d.title || (d.source.media_type === 'application/pdf' ? 'document.pdf' : 'document');
        return [{ type: 'file', file: { filename, file_data: `data:${d.source.media_type};base64,${d.source.data}` } }];
      }
      return refuse(`${where}: a document with a "${d.source.type}" source cannot go through a gateway (text and base64 documents can)`);
    }
    case 'thinking':
    case 'redacted_thinking':
      return [];
    case 'tool_use':
      return refuse(`${where}: tool_use blocks belong in assistant messages`);
    default:
      return refuse(`${where}: content blocks of type "${b.type}" are not supported through a gateway (text, image, document, tool_use, tool_result, thinking are)`);
  }
}

function check<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const at = issue?.path.length ? `${where}.${issue.path.join('.')}` : where;
  return refuse(`invalid messages request: ${at}: ${issue?.message ?? 'malformed block'}`);
}

type ChatTool = { type: 'function'; function: { name: string; description?: string; parameters: Record<string, unknown> } };

/** Client tools become functions; server tools (a versioned `type`) are left out and named. */
export function translateTools(tools: AnthropicTool[] | undefined): { tools: ChatTool[]; dropped: string[] } {
  const out: ChatTool[] = [];
  const dropped: string[] = [];
  for (const t of tools ?? []) {
    if (t.type && t.type !== 'custom') {
      dropped.push(`${t.name} (${t.type})`);
      continue;
    }
    out.push({
      type: 'function',
      function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.input_schema ?? { type: 'object', properties: {} } },
    });
  }
  return { tools: out, dropped };
}

export function translateToolChoice(
  choice: MessagesRequest['tool_choice'],
  tools: ChatTool[],
  dropped: string[],
): { tool_choice?: unknown; parallel?: false } {
  if (!choice) return {};
  const parallel = 'disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use === true ? (false as const) : undefined;
  switch (choice.type) {
    case 'auto':
      return { tool_choice: 'auto', parallel };
    case 'any':
      return { tool_choice: 'required', parallel };
    case 'none':
      return { tool_choice: 'none' };
    case 'tool': {
      const name = choice.name;
      if (!tools.some((t) => t.function.name === name)) {
        const gone = dropped.find((d) => d.startsWith(`${name} (`));
        refuse(
          gone
            ? `tool_choice names "${name}", a server tool (${gone}) that runs at Anthropic only; a gateway cannot run it`
            : `tool_choice names "${name}", which is not among the request's tools`,
        );
      }
      return { tool_choice: { type: 'function', function: { name } }, parallel };
    }
  }
}
