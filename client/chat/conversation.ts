// Pure operations on a conversation: creating one, what is sent to a model (history, system prompt,
// attachments), titles, and the Markdown export. The session (session.ts) drives them.
import { randomUUID } from 'node:crypto';
import type { ChatMessage } from '../../server/protocol/messages';
import { conversationTotal, formatTotal, metaParts, modelRefLabel } from './format';
import { CONVERSATION_VERSION, type AssistantMessage, type Attachment, type ChatOptions, type Conversation, type ModelRef, type UserMessage } from './protocol';

export const newId = (): string => randomUUID();

export function newConversation(options: ChatOptions, now = Date.now()): Conversation {
  return { version: CONVERSATION_VERSION, id: newId(), title: 'New chat', createdAt: now, updatedAt: now, options, messages: [] };
}

/** The first line of the first prompt, cut at a word near 60 characters. */
export function titleFrom(text: string, attachments: Attachment[] = []): string {
  const line = text.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
  const base = line || (attachments[0] ? `About ${attachments[0].label}` : 'New chat');
  if (base.length <= 60) return base;
  const cut = base.slice(0, 60);
  const space = cut.lastIndexOf(' ');
  return `${space > 30 ? cut.slice(0, space) : cut}…`;
}

/** A fence longer than any backtick run inside, so attached code cannot close it early. */
export function fence(content: string): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

/** What the model receives for a prompt: the typed text, then each attachment as a labelled code block. */
export function userContent(msg: Pick<UserMessage, 'text' | 'attachments'>): string {
  const blocks = msg.attachments.map((a) => {
    const f = fence(a.content);
    return `${a.kind === 'selection' ? 'Selection from' : 'File'} ${a.label}:\n${f}${a.language ?? ''}\n${a.content}\n${f}`;
  });
  return [msg.text.trim(), ...blocks].filter(Boolean).join('\n\n');
}

const sameModel = (a: ModelRef, b: ModelRef) => a.model === b.model && (a.gateway ?? '') === (b.gateway ?? '');

/**
 * The messages sent to `model` for the prompt at `uptoIndex` (inclusive): the system prompt, each earlier
 * prompt and, of the answers to it, the one this model gave (compare mode) or else the first one.
 * Failed and empty answers are left out: a model should not see an error as its own words.
 */
export function requestMessages(conv: Conversation, model: ModelRef, uptoIndex = conv.messages.length - 1): ChatMessage[] {
  const out: ChatMessage[] = [];
  const system = conv.options.system?.trim();
  if (system) out.push({ role: 'system', content: system });
  const msgs = conv.messages.slice(0, uptoIndex + 1);
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i];
    if (m.role === 'user') {
      out.push({ role: 'user', content: userContent(m) });
      const answers: AssistantMessage[] = [];
      for (let j = i + 1; j < msgs.length && msgs[j].role === 'assistant'; j++) answers.push(msgs[j] as AssistantMessage);
      const usable = answers.filter((a) => a.content.trim() && a.status !== 'error');
      const answer = usable.find((a) => sameModel(a.model, model)) ?? usable[0];
      if (answer) out.push({ role: 'assistant', content: answer.content });
    }
  }
  return out;
}

/** Index of the last prompt, and the answers that follow it. */
export function lastTurn(conv: Conversation): { userIndex: number; answers: AssistantMessage[] } | undefined {
  for (let i = conv.messages.length - 1; i >= 0; i--) {
    if (conv.messages[i].role === 'user') {
      return { userIndex: i, answers: conv.messages.slice(i + 1).filter((m): m is AssistantMessage => m.role === 'assistant') };
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- Markdown export

function quoteBlock(text: string): string {
  return text.split('\n').map((l) => `> ${l}`.trimEnd()).join('\n');
}

export function toMarkdown(conv: Conversation): string {
  const out: string[] = [`# ${conv.title}`, ''];
  const models = conv.options.models.map(modelRefLabel).join(', ') || 'none picked';
  out.push(`- Started: ${new Date(conv.createdAt).toISOString()}`, `- Models: ${models}`);
  if (conv.options.temperature !== undefined) out.push(`- Temperature: ${conv.options.temperature}`);
  if (conv.options.maxTokens !== undefined) out.push(`- Max tokens: ${conv.options.maxTokens}`);
  out.push(`- ${formatTotal(conversationTotal(conv))}`, '');
  if (conv.options.system?.trim()) out.push('## System prompt', '', quoteBlock(conv.options.system.trim()), '');
  for (const m of conv.messages) {
    if (m.role === 'user') {
      out.push('## You', '', userContent(m), '');
      continue;
    }
    out.push(`## ${modelRefLabel(m.model)}`, '');
    if (m.content) out.push(m.content, '');
    if (m.error) out.push(`> **${m.error.title}**: ${m.error.detail}`, '');
    out.push(`*${metaParts(m).join(' · ')}*`, '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
