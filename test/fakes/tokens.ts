// The deterministic rules the fakes answer by, so a test can predict every number it will see.
//
// Tokens: a text of L UTF-16 code units is ceil(L / 4) tokens (0 for ""). A chat prompt is the sum
//   over its messages of the tokens of each message's text (string content, or the `text` of its
//   parts, joined with no separator); roles and names are free. A token-array prompt/input counts
//   one token per element.
// Reply: `Echo: <text of the last user message>` (`Echo.` when there is none); when replyChars is
//   set, that text is repeated with single spaces and cut to exactly replyChars characters. A
//   `max_tokens` / `max_completion_tokens` of M cuts the reply to M*4 characters, finish_reason "length".
// Tool calls: when the request offers `tools` and the LAST message is the user's, every directive
//   `[[tool:NAME {json args}]]` (args optional, default {}) in that message whose NAME is an offered
//   tool becomes a tool call (ids `call_<n>_<hash>`), finish_reason "tool_calls", output tokens = the
//   tokens of NAME + arguments. Once a tool result is the last message the model answers in text:
//   `Tool result: <text of the results since the last assistant turn>` — so an agent loop ends.
// Cost: inputTokens × input price + outputTokens × output price, rounded to 12 decimals; that
//   rounded number is what is reported (header / usage.cost) and what is debited.
// Embeddings: a unit-length float32 vector seeded by the input text; base64 is the little-endian
//   float32 bytes, exactly what OpenAI sends, and decodes to the same numbers the float form lists.
import { createHash } from 'node:crypto';
import type { FakeModel } from './types';

export const CHARS_PER_TOKEN = 4;

export function countTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** Text of a chat message's `content`: a string, or an array of parts of which the `text` ones count. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let out = '';
  for (const part of content) {
    if (part && typeof part === 'object' && 'text' in part && typeof part.text === 'string') out += part.text;
  }
  return out;
}

export function promptTokens(messages: { content?: unknown }[]): number {
  return messages.reduce((n, m) => n + countTokens(contentText(m.content)), 0);
}

/** A completions `prompt` or embeddings `input`: strings count by the rule, token arrays by length. */
export function inputTokens(input: string | string[] | number[] | number[][]): number {
  if (typeof input === 'string') return countTokens(input);
  let n = 0;
  for (const item of input) n += typeof item === 'string' ? countTokens(item) : Array.isArray(item) ? item.length : 1;
  return n;
}

export interface Reply {
  text: string;
  finishReason: 'stop' | 'length';
}

export interface ToolCall {
  id: string;
  name: string;
  /** JSON text, as OpenAI sends `function.arguments`. */
  arguments: string;
}

const DIRECTIVE = /\[\[tool:([A-Za-z0-9_.:-]+)(?:\s+(\{[\s\S]*?\}))?\]\]/g;

/** The tool calls the fake model makes for this request (see the rules at the top); [] for a text answer. */
export function toolCallsFor(lastUserText: string, offered: readonly string[], seed: string): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const m of lastUserText.matchAll(DIRECTIVE)) {
    const name = m[1];
    if (!offered.includes(name)) continue;
    let args = '{}';
    if (m[2] !== undefined) {
      try {
        args = JSON.stringify(JSON.parse(m[2]));
      } catch {
        continue; // not JSON: the directive is just text
      }
    }
    const id = `call_${calls.length}_${createHash('sha256').update(`${seed}:${calls.length}:${name}:${args}`).digest('hex').slice(0, 16)}`;
    calls.push({ id, name, arguments: args });
  }
  return calls;
}

export function makeReply(echoOf: string, replyChars: number | undefined, maxTokens: number | null | undefined): Reply {
  let text = echoOf.length > 0 ? `Echo: ${echoOf}` : 'Echo.';
  if (replyChars !== undefined) {
    const unit = text;
    while (text.length < replyChars) text += ` ${unit}`;
    text = text.slice(0, replyChars);
  }
  if (maxTokens !== null && maxTokens !== undefined && countTokens(text) > maxTokens) {
    return { text: text.slice(0, maxTokens * CHARS_PER_TOKEN), finishReason: 'length' };
  }
  return { text, finishReason: 'stop' };
}

/** Binary floating point makes 12 × 2.5e-6 + … land one ulp off; 12 decimals is far below a cent. */
export function round12(x: number): number {
  return Number(x.toFixed(12));
}

/** Cache and reasoning parts of a request's input and output tokens (cache.ts). */
export interface TokenParts {
  cached?: number;
  written?: number;
  reasoning?: number;
}

/**
 * Uncached input at the input price, cache reads and writes at their prices, output at the output
 * price (reasoning at its own price when the model has one); a part with no price of its own is
 * billed as input or output.
 */
export function computeCost(model: FakeModel, input: number, output: number, parts: TokenParts = {}): number | undefined {
  const p = model.price;
  if (!p) return undefined;
  const cached = parts.cached ?? 0;
  const written = parts.written ?? 0;
  const reasoning = parts.reasoning ?? 0;
  const inputCost = (input - cached - written) * p.input + cached * (p.cacheRead ?? p.input) + written * (p.cacheWrite ?? p.input);
  const outputCost = (output - reasoning) * p.output + reasoning * (p.reasoning ?? p.output);
  return round12(inputCost + outputCost);
}

/** Plain decimal, never exponent notation ("0.00019", not "1.9e-4"), as a header value. */
export function formatUsd(x: number): string {
  if (x === 0) return '0';
  return x.toFixed(12).replace(/0+$/, '').replace(/\.$/, '');
}

/** A deterministic unit vector for `text`, as float32 so float and base64 forms agree bit for bit. */
export function embeddingVector(text: string, dims: number): Float32Array {
  const seed = createHash('sha256').update(text).digest();
  let state = seed.readUInt32LE(0) || 1;
  const v = new Float32Array(dims);
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    // xorshift32: cheap, reproducible, spreads values over [-1, 1).
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    const x = state / 0x80000000 - 1;
    v[i] = x;
    norm += x * x;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < dims; i++) v[i] = v[i] * scale;
  return v;
}

export function float32ToBase64(v: Float32Array): string {
  const buf = Buffer.alloc(v.length * 4);
  for (let i = 0; i < v.length; i++) buf.writeFloatLE(v[i], i * 4);
  return buf.toString('base64');
}

/** The inverse, for tests: base64 little-endian float32 → numbers. */
export function base64ToFloat32(b64: string): number[] {
  const buf = Buffer.from(b64, 'base64');
  const out: number[] = [];
  for (let i = 0; i + 4 <= buf.length; i += 4) out.push(buf.readFloatLE(i));
  return out;
}
