// Conversations kept across reloads: one JSON file per conversation under <global storage>/chats/.
// Every write goes to a temporary file that is then renamed over the old one, so a crash or a full disk
// leaves the previous version intact, never half a file. Pure Node (no `vscode`): the fs is injectable
// so tests can make a write fail half-way.
import * as nodeFs from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import * as z from '../../server/protocol/zod';
import { conversationTotal } from './format';
import { ConversationSchema, type Conversation } from './protocol';

/** The few fs calls the store makes (node:fs/promises satisfies it). */
export interface StoreFs {
  mkdir(dir: string, opts: { recursive: true }): Promise<unknown>;
  readFile(file: string, encoding: 'utf8'): Promise<string>;
  writeFile(file: string, data: string, opts: { encoding: 'utf8'; mode?: number }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  readdir(dir: string): Promise<string[]>;
}

export interface ConversationSummary {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  models: string[];
  answers: number;
  totalUsd: number;
  /** The first prompt's first line. */
  preview: string;
}

const ID = /^[A-Za-z0-9_-]{1,100}$/;

export class HistoryStore {
  /** Writes per conversation, in order: a later save never loses to an earlier, slower one. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    readonly dir: string,
    private readonly fs: StoreFs = nodeFs,
    private readonly log: (message: string) => void = () => {},
  ) {}

  private file(id: string): string {
    // Ids come from files and webview messages too: never let one name a path outside the folder.
    if (!ID.test(id)) throw new Error(`invalid conversation id "${id.slice(0, 40)}"`);
    return path.join(this.dir, `${id}.json`);
  }

  save(conv: Conversation): Promise<void> {
    const checked = ConversationSchema.safeParse(conv);
    if (!checked.success) return Promise.reject(new Error(`refusing to save an invalid conversation: ${z.prettifyError(checked.error)}`));
    const data = `${JSON.stringify(checked.data)}\n`;
    const prev = this.queues.get(conv.id) ?? Promise.resolve();
    const next = prev.catch(() => {}).then(() => this.writeAtomic(this.file(conv.id), data));
    this.queues.set(conv.id, next);
    void next.finally(() => {
      if (this.queues.get(conv.id) === next) this.queues.delete(conv.id);
    }).catch(() => {});
    return next;
  }

  /** Resolves once every save asked for so far has been written (or has failed and said so). */
  async flush(): Promise<void> {
    while (this.queues.size) await Promise.allSettled([...this.queues.values()]);
  }

  private async writeAtomic(file: string, data: string): Promise<void> {
    await this.fs.mkdir(this.dir, { recursive: true });
    const tmp = `${file}.${randomUUID()}.tmp`;
    try {
      await this.fs.writeFile(tmp, data, { encoding: 'utf8', mode: 0o600 });
      await this.fs.rename(tmp, file);
    } catch (e) {
      await this.fs.unlink(tmp).catch(() => {});
      throw e;
    }
  }

  /** Undefined when there is no such conversation; an error when its file is unreadable or invalid. */
  async load(id: string): Promise<Conversation | undefined> {
    const file = this.file(id);
    let text: string;
    try {
      text = await this.fs.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    return parseConversation(text, file);
  }

  /** Newest first. A file that does not parse is logged and left alone (never deleted, never fatal). */
  async list(): Promise<ConversationSummary[]> {
    let names: string[];
    try {
      names = await this.fs.readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: ConversationSummary[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const id = name.slice(0, -'.json'.length);
      if (!ID.test(id)) continue;
      try {
        const conv = await this.load(id);
        if (conv) out.push(summarize(conv));
      } catch (e) {
        this.log(`chat history: skipped ${name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return out.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async rename(id: string, title: string): Promise<Conversation> {
    const conv = await this.load(id);
    if (!conv) throw new Error('that conversation no longer exists');
    const renamed = { ...conv, title: title.trim().slice(0, 300) || conv.title };
    await this.save(renamed);
    return renamed;
  }

  async remove(id: string): Promise<void> {
    const file = this.file(id);
    await (this.queues.get(id) ?? Promise.resolve()).catch(() => {});
    await this.fs.unlink(file).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }
}

export function parseConversation(text: string, where = 'conversation'): Conversation {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = ConversationSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${where} is not a Switchyard conversation: ${z.prettifyError(parsed.error)}`);
  return interrupted(parsed.data);
}

/**
 * Nothing stored is running: an answer saved while still streaming was cut off (the window reloaded
 * or VS Code quit mid-answer). It keeps what arrived and says it stopped — in the panel, the history
 * list and the export alike — rather than spinning for ever.
 */
function interrupted(conv: Conversation): Conversation {
  if (!conv.messages.some((m) => m.role === 'assistant' && m.status === 'streaming')) return conv;
  return { ...conv, messages: conv.messages.map((m) => (m.role === 'assistant' && m.status === 'streaming' ? { ...m, status: 'stopped' as const } : m)) };
}

export function summarize(conv: Conversation): ConversationSummary {
  const models = new Set<string>();
  for (const m of conv.messages) if (m.role === 'assistant') models.add(m.meta?.servedModel || m.model.model);
  if (!models.size) conv.options.models.forEach((m) => models.add(m.model));
  const first = conv.messages.find((m) => m.role === 'user');
  const total = conversationTotal(conv);
  return {
    id: conv.id,
    title: conv.title,
    createdAt: conv.createdAt,
    updatedAt: conv.updatedAt,
    models: [...models],
    answers: total.answers,
    totalUsd: total.usd,
    preview: first?.role === 'user' ? first.text.split('\n')[0].slice(0, 120) : '',
  };
}
