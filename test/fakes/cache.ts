// Prompt caching and reasoning tokens, deterministically, so a test can predict every count:
//
// Cache (only when `state.promptCache` is on; off by default so other tests see plain counts):
//   a chat prompt's prefixes are its first k whole messages (k = 1…n; a message is its role and text,
//   `cache_control` markers aside). A request reads from the
//   cache the longest prefix an earlier request on the same model stored: `cached` = that prefix's
//   tokens (tokens.ts rules). What is stored:
//   - Anthropic models (owned by `anthropic`): only prefixes ending at a breakpoint — a message with
//     `cache_control`, on the message or on one of its content parts — as Anthropic's API does;
//     the part of the last breakpoint's prefix not read from the cache is `written` (billed at the
//     cache-write price).
//   - every other model: every prefix, automatically, with no write charge (OpenAI's caching).
// Reasoning: a request that asks for it (`reasoning_effort`, or OpenRouter's `reasoning: {effort}`)
//   on a model whose supported parameters include `reasoning` spends low 16 / medium 64 / high 256
//   hidden tokens, counted in completion_tokens.
import { createHash } from 'node:crypto';
import { contentText, countTokens } from './tokens';
import type { FakeModel, FakeState } from './types';

export interface CacheUse {
  cached: number;
  written: number;
  /** Store this prompt's prefixes (called once the request is accepted: a refused one caches nothing). */
  commit(): void;
}

interface Message {
  role?: string;
  content?: unknown;
  cache_control?: unknown;
}

const stores = new WeakMap<FakeState, Set<string>>();

/** What this prompt reads from and writes to the gateway's cache; zeros when caching is off. */
export function peekPromptCache(state: FakeState, model: FakeModel, messages: Message[]): CacheUse {
  if (!state.promptCache || messages.length === 0) return { cached: 0, written: 0, commit: () => {} };
  let store = stores.get(state);
  if (!store) stores.set(state, (store = new Set()));
  const hash = createHash('sha256');
  const keys: string[] = [];
  const tokens: number[] = [];
  let total = 0;
  for (const m of messages) {
    // What is cached is the text, not the markers: a breakpoint moved to a later message keeps the prefix's key.
    hash.update(JSON.stringify([m.role ?? '', contentText(m.content)]));
    keys.push(`${model.id}\n${hash.copy().digest('hex')}`);
    total += countTokens(contentText(m.content));
    tokens.push(total);
  }
  let cached = 0;
  for (let k = keys.length - 1; k >= 0; k--) {
    if (store.has(keys[k])) {
      cached = tokens[k];
      break;
    }
  }
  let written = 0;
  let stored = keys;
  if (model.ownedBy === 'anthropic') {
    const breakpoints = messages.map((m, i) => (hasBreakpoint(m) ? i : -1)).filter((i) => i >= 0);
    stored = breakpoints.map((i) => keys[i]);
    const last = breakpoints.at(-1);
    if (last !== undefined) written = Math.max(0, tokens[last] - cached);
  }
  const s = store;
  return { cached, written, commit: () => stored.forEach((k) => s.add(k)) };
}

function hasBreakpoint(m: Message): boolean {
  if (m.cache_control) return true;
  return Array.isArray(m.content) && m.content.some((p) => p && typeof p === 'object' && 'cache_control' in p && !!p.cache_control);
}

const EFFORT: Record<string, number> = { low: 16, medium: 64, high: 256 };

/** Hidden reasoning tokens for this request (0 when not asked or not supported). */
export function reasoningTokens(model: FakeModel, body: Record<string, unknown>): number {
  if (!model.supportedParameters.includes('reasoning')) return 0;
  const nested = body.reasoning && typeof body.reasoning === 'object' ? (body.reasoning as { effort?: unknown }).effort : undefined;
  const effort = typeof body.reasoning_effort === 'string' ? body.reasoning_effort : typeof nested === 'string' ? nested : undefined;
  return effort ? (EFFORT[effort] ?? 0) : 0;
}
