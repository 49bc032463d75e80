// What a request needs from a model, read from its OpenAI-shaped body: room in the context window,
// tools, image input. Also the rough token count used where no tokenizer answer exists (the `auto`
// context check, the pre-send estimate, a stream cut before its usage chunk).
import type { InferenceEndpoint } from '../gateways/types';

/** ~4 characters per token: the usual rule of thumb for English and code with BPE tokenizers. */
export const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / CHARS_PER_TOKEN);
}

export interface RequestNeeds {
  inputTokens: number;
  /** max_tokens / max_completion_tokens when given. */
  maxOutputTokens?: number;
  tools: boolean;
  images: boolean;
  /** The output the model must produce: chat text, or vectors for embeddings. */
  output: 'text' | 'embedding';
}

export function requestNeeds(endpoint: InferenceEndpoint, body: Record<string, unknown>): RequestNeeds {
  const max = positiveInt(body.max_completion_tokens) ?? positiveInt(body.max_tokens);
  return {
    inputTokens: requestTokens(endpoint, body),
    maxOutputTokens: max,
    tools: nonEmptyArray(body.tools) || nonEmptyArray(body.functions),
    images: Array.isArray(body.messages) && body.messages.some((m) => hasImage((m as { content?: unknown })?.content)),
    output: endpoint === 'embeddings' ? 'embedding' : 'text',
  };
}

/** The estimate of a request's prompt tokens: requestText's length, counted without joining it (an agent's prompt is 100 kB and more). */
export function requestTokens(endpoint: InferenceEndpoint, body: Record<string, unknown>): number {
  let chars = 0;
  eachPromptText(endpoint, body, (text) => (chars += text.length));
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/** All the prompt text of a request: chat messages, a completions prompt, embeddings input. */
export function requestText(endpoint: InferenceEndpoint, body: Record<string, unknown>): string {
  let out = '';
  eachPromptText(endpoint, body, (text) => (out += text));
  return out;
}

/** Each piece of a request's prompt text, in order: a message's content (a string, or the `text` parts of a content array), a prompt or input string. */
function eachPromptText(endpoint: InferenceEndpoint, body: Record<string, unknown>, visit: (text: string) => void): void {
  if (endpoint === 'chat/completions') {
    if (!Array.isArray(body.messages)) return;
    for (const m of body.messages) {
      const content = (m as { content?: unknown })?.content;
      if (typeof content === 'string') visit(content);
      else if (Array.isArray(content)) {
        for (const part of content) {
          const text = (part as { text?: unknown })?.text;
          if (typeof text === 'string') visit(text);
        }
      }
    }
    return;
  }
  const input = endpoint === 'completions' ? body.prompt : body.input;
  if (typeof input === 'string') visit(input);
  else if (Array.isArray(input)) for (const x of input) if (typeof x === 'string') visit(x);
}

function hasImage(content: unknown): boolean {
  if (!Array.isArray(content)) return false;
  return content.some((p) => {
    const type = (p as { type?: unknown })?.type;
    return type === 'image_url' || type === 'input_image' || type === 'image';
  });
}

function nonEmptyArray(v: unknown): boolean {
  return Array.isArray(v) && v.length > 0;
}

function positiveInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}
