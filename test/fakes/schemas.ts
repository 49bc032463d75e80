// Request bodies the fakes accept, validated like a real gateway would (a 400 with a readable
// message on a bad body). Loose objects: real clients send many fields the fakes ignore.
import { z } from 'zod';

const ContentPart = z.looseObject({ type: z.string(), text: z.string().optional() });

const ChatMessage = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(ContentPart), z.null()]).optional(),
});

const MaxTokens = z.number().int().nonnegative().nullish();
const StreamOptions = z.looseObject({ include_usage: z.boolean().optional() }).nullish();
/** OpenRouter's usage accounting switch; other gateways ignore it. */
const UsageSwitch = z.looseObject({ include: z.boolean().optional() }).optional();

/** OpenAI function tools; other tool types are passed over (the fake model only calls functions). */
const Tool = z.looseObject({
  type: z.string(),
  function: z.looseObject({ name: z.string().min(1), parameters: z.unknown().optional() }).optional(),
});

export const ChatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(ChatMessage).min(1),
  tools: z.array(Tool).nullish(),
  stream: z.boolean().nullish(),
  stream_options: StreamOptions,
  max_tokens: MaxTokens,
  max_completion_tokens: MaxTokens,
  usage: UsageSwitch,
});
export type ChatRequest = z.infer<typeof ChatRequestSchema>;

const TokenArray = z.array(z.number().int());
const PromptInput = z.union([z.string(), z.array(z.string()), TokenArray, z.array(TokenArray)]);

export const CompletionRequestSchema = z.looseObject({
  model: z.string().min(1),
  prompt: PromptInput,
  stream: z.boolean().nullish(),
  stream_options: StreamOptions,
  max_tokens: MaxTokens,
  usage: UsageSwitch,
});
export type CompletionRequest = z.infer<typeof CompletionRequestSchema>;

export const EmbeddingRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: PromptInput.refine((v) => (typeof v === 'string' ? true : v.length > 0), 'input must not be empty'),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().positive().max(8192).optional(),
  usage: UsageSwitch,
});
export type EmbeddingRequest = z.infer<typeof EmbeddingRequestSchema>;

/** Common fields the inference code reads off any of the three requests. */
export interface InferenceRequestBase {
  model: string;
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean } | null;
  usage?: { include?: boolean };
}
