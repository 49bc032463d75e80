// VS Code's Chat messages in the OpenAI chat shape every gateway speaks: text parts → content, tool-call parts
// → the assistant's `tool_calls`, tool-result parts → `tool` messages (right after that assistant message, as
// OpenAI requires), image data parts → `image_url` parts with a data: URL where the model takes images.
// Parts are recognised by shape, not by class, so this is pure and unit-tested without VS Code (and an older
// or newer VS Code's extra part kinds are passed over instead of breaking a request).
import type { LmChatMessage } from '../../server/protocol/messages';
import { estimateTokens } from '../../server/pipeline/needs';
import type { LmRequestMessage } from './api';

const ROLE = { 1: 'user', 2: 'assistant', 3: 'system' } as const;

type Part =
  | { kind: 'text'; text: string }
  | { kind: 'image'; mimeType: string; data: Uint8Array }
  | { kind: 'toolCall'; callId: string; name: string; input: unknown }
  | { kind: 'toolResult'; callId: string; text: string };

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** One part of a message's content, by its shape (LanguageModelTextPart, …ToolCallPart, …ToolResultPart, …DataPart). */
export function classify(p: unknown): Part | undefined {
  if (typeof p === 'string') return { kind: 'text', text: p };
  if (!isObj(p)) return undefined;
  if (typeof p.callId === 'string' && typeof p.name === 'string' && 'input' in p) return { kind: 'toolCall', callId: p.callId, name: p.name, input: p.input };
  if (typeof p.callId === 'string' && Array.isArray(p.content)) return { kind: 'toolResult', callId: p.callId, text: resultText(p.content) };
  if (typeof p.mimeType === 'string' && p.data instanceof Uint8Array) {
    if (p.mimeType.startsWith('image/')) return { kind: 'image', mimeType: p.mimeType, data: p.data };
    if (/^text\/|json/.test(p.mimeType)) return { kind: 'text', text: new TextDecoder().decode(p.data) };
    return undefined; // e.g. VS Code's cache-control markers: not content
  }
  if (typeof p.value === 'string') return { kind: 'text', text: p.value };
  return undefined;
}

/** A tool result's content as text: text parts, text/JSON data parts, and prompt-tsx parts as JSON. */
function resultText(content: unknown[]): string {
  return content
    .map((c) => {
      const part = classify(c);
      if (part?.kind === 'text') return part.text;
      if (isObj(c) && 'value' in c) return JSON.stringify(c.value);
      return '';
    })
    .join('');
}

export interface ConvertOptions {
  /** The model takes images: image parts go upstream, otherwise they are replaced by a note. */
  imageInput: boolean;
}

export function toOpenAiMessages(messages: readonly LmRequestMessage[], opts: ConvertOptions): LmChatMessage[] {
  const out: LmChatMessage[] = [];
  for (const m of messages) {
    const role = ROLE[m.role as keyof typeof ROLE] ?? 'user';
    const parts = m.content.map(classify).filter((p): p is Part => p !== undefined);
    // Tool results answer the previous assistant message's calls: they go first, as `tool` messages.
    for (const p of parts) if (p.kind === 'toolResult') out.push({ role: 'tool', tool_call_id: p.callId, content: p.text });
    const texts: string[] = [];
    const content: Exclude<LmChatMessage['content'], string | null> = [];
    for (const p of parts) {
      if (p.kind === 'text') {
        texts.push(p.text);
        content.push({ type: 'text', text: p.text });
      } else if (p.kind === 'image') {
        if (opts.imageInput && role === 'user') content.push({ type: 'image_url', image_url: { url: `data:${p.mimeType};base64,${Buffer.from(p.data).toString('base64')}` } });
        else {
          const note = '[an image was attached, but this model does not take images]';
          texts.push(note);
          content.push({ type: 'text', text: note });
        }
      }
    }
    const calls = parts.filter((p) => p.kind === 'toolCall');
    if (role === 'assistant' && calls.length) {
      out.push({
        role,
        content: texts.join('') || null,
        tool_calls: calls.map((c) => ({ id: c.callId, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.input ?? {}) } })),
      });
      continue;
    }
    if (!content.length) continue; // only tool results (already sent) or nothing we can carry
    const hasImage = content.some((c) => c.type === 'image_url');
    out.push({ role, content: hasImage ? content : texts.join('') });
  }
  return out;
}

/** The pipeline's own estimate (server/pipeline/needs.ts, ~4 characters a token), over everything a message carries. */
export function countTokens(text: string | LmRequestMessage): number {
  if (typeof text === 'string') return estimateTokens(text);
  let n = 0;
  for (const raw of text.content) {
    const p = classify(raw);
    if (!p) continue;
    if (p.kind === 'text' || p.kind === 'toolResult') n += estimateTokens(p.text);
    else if (p.kind === 'toolCall') n += estimateTokens(p.name + JSON.stringify(p.input ?? {}));
    else n += 85; // OpenAI's flat charge for a low-detail image; a size-based count needs decoding the image
  }
  return n;
}
