// The Anthropic Messages request as the proxy accepts it (https://docs.anthropic.com/en/api/messages).
// What the translation reads is checked; every other field (context_management, output_config,
// service_tier, container, anything newer) is tolerated and not forwarded. Loose objects, because
// Claude Code adds fields with every release.
import { z } from 'zod';

const CacheControl = z.looseObject({ type: z.string() }).nullish();

/**
 * Blocks are checked by the translation, type by type (server/proxy/messages/request.ts), so that a
 * bad block gets a message naming its place and an unsupported type is named in a clear refusal.
 */
export const ContentBlock = z.looseObject({ type: z.string() });
export type ContentBlock = z.infer<typeof ContentBlock>;

export const TextBlock = z.looseObject({ type: z.literal('text'), text: z.string(), cache_control: CacheControl });

const ImageSource = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('base64'), media_type: z.string().min(1), data: z.string().min(1) }),
  z.looseObject({ type: z.literal('url'), url: z.string().min(1) }),
]);
export const ImageBlock = z.looseObject({ type: z.literal('image'), source: ImageSource, cache_control: CacheControl });

/** A plain-text document (Claude Code's file reads); PDFs and other sources are refused by the translation. */
export const DocumentBlock = z.looseObject({
  type: z.literal('document'),
  source: z.looseObject({ type: z.string(), data: z.string().optional(), media_type: z.string().optional() }),
  title: z.string().nullish(),
});

export const ToolUseBlock = z.looseObject({ type: z.literal('tool_use'), id: z.string().min(1), name: z.string().min(1), input: z.unknown() });

export const ToolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.union([z.string(), z.array(ContentBlock)]).optional(),
  is_error: z.boolean().optional(),
  cache_control: CacheControl,
});


const Message = z.looseObject({
  // `system` mid-conversation: Claude Code 2.1 sends its environment notes that way (beta per-turn-control).
  role: z.enum(['user', 'assistant', 'system'], 'a message role is "user", "assistant" or "system"'),
  content: z.union([z.string(), z.array(ContentBlock)]),
});
export type AnthropicMessage = z.infer<typeof Message>;

/**
 * A client tool has `input_schema` (Claude Code's own tools carry no `type`, or `type: "custom"`);
 * a server tool (`web_search_20250305`, `bash_20250124`, …) has a versioned `type` and runs at Anthropic.
 */
const Tool = z.looseObject({
  type: z.string().nullish(),
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()).optional(),
});
export type AnthropicTool = z.infer<typeof Tool>;

const ToolChoice = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('tool'), name: z.string().min(1), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('none') }),
]);

const common = {
  model: z.string().trim().min(1, 'model is required').max(512),
  messages: z.array(Message, 'messages must be an array of { role, content }').min(1, 'messages must not be empty'),
  system: z.union([z.string(), z.array(TextBlock)]).optional(),
  tools: z.array(Tool).optional(),
  tool_choice: ToolChoice.optional(),
};

export const MessagesRequest = z.looseObject({
  ...common,
  // Required, as Anthropic requires it: the caller decides how long an answer may be.
  max_tokens: z.number('max_tokens is required (a positive integer)').int().positive(),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().nonnegative().optional(),
  stream: z.boolean().optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).nullish(),
  thinking: z.looseObject({ type: z.string() }).nullish(),
  // Structured outputs (`format`); `effort` and anything else in it is not forwarded.
  output_config: z.looseObject({ format: z.looseObject({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) }).nullish() }).nullish(),
  /** The beta spelling of the same. */
  output_format: z.looseObject({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) }).nullish(),
});
export type MessagesRequest = z.infer<typeof MessagesRequest>;

/** `POST /v1/messages/count_tokens`: the same prompt fields, no max_tokens. */
export const CountTokensRequest = z.looseObject({ ...common, thinking: z.unknown().optional() });
export type CountTokensRequest = z.infer<typeof CountTokensRequest>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export function parseWith<T>(schema: z.ZodType<T>, what: string, value: unknown): Parsed<T> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: 'the request body must be a JSON object' };
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, message: `invalid ${what} request: ${z.prettifyError(r.error).replace(/\n\s*/g, ' ')}` };
}
