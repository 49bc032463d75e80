// Completion inside model strings: catalog models, written the way the target gateway spells it,
// favorites and the target gateway's models first, filterable without the provider prefix (`gpt-4o`
// finds `openai/gpt-4o`). The item list depends only on (catalog snapshot, target, favorites), so it
// is built once and reused; a request picks the best matches of the typed text from it (capped, see
// MAX_COMPLETION_ITEMS) and computes the edit range (LSP `itemDefaults.editRange`).
import {
  CompletionItemKind,
  CompletionItemTag,
  type CompletionItem,
  type CompletionList,
  type Range,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { MergedModel } from '../protocol/model';
import { canonicalProvider, modelPart, providerPart, splitId } from '../catalog/canonical';
import { GATEWAY_KINDS } from '../protocol/settings';
import { stringAtOffset, targetOf, type Analysis } from './document';
import { idFor } from './lookup';
import { modelCard, summary } from './card';
import type { LanguageEnv, ModelString, Target } from './types';

const cache = new WeakMap<readonly MergedModel[], Map<string, CompletionItem[]>>();

function targetKey(t: Target): string {
  return t.kind === 'gateway' ? `gw:${t.gateway.id}` : t.kind;
}

/**
 * AI SDK factories of model authors (`anthropic("…")`, `openai.chat("…")`) take that author's own bare
 * IDs; gateway factories (`openrouter("…")`) and code whose base URL names a gateway do not.
 */
export function factoryProvider(s: ModelString, target: Target): string | undefined {
  if (!s.anchor.endsWith('(') || (target.kind === 'gateway' && target.inferred)) return undefined;
  const name = s.anchor.slice(0, -1);
  return (GATEWAY_KINDS as readonly string[]).includes(name) ? undefined : canonicalProvider(name);
}

/** The (cached) items for a target. Ranking: favorites, then models the target serves, then the rest, deprecated last. */
export function completionItems(env: LanguageEnv, target: Target, provider?: string): CompletionItem[] {
  const all = env.catalog.all();
  let byKey = cache.get(all);
  if (!byKey) cache.set(all, (byKey = new Map()));
  const key = `${targetKey(target)}|${provider ?? ''}|${[...env.favorites].sort().join(',')}`;
  let items = byKey.get(key);
  if (!items) {
    const own = provider ? all.filter((m) => providerPart(m.canonicalId) === provider) : [];
    items = own.length ? buildItems(own, env, target, true) : buildItems(all, env, target, false);
    if (byKey.size > 16) byKey.clear();
    byKey.set(key, items);
  }
  return items;
}

function buildItems(all: readonly MergedModel[], env: LanguageEnv, target: Target, bare: boolean): CompletionItem[] {
  const preferred = target.kind === 'gateway' ? target.gateway.id : undefined;
  const width = String(all.length).length;
  const items = all.map((m, i) => {
    const id = bare ? modelPart(m.canonicalId) : idFor(m, target);
    const rank = m.deprecated ? 3 : env.favorites.has(m.canonicalId) ? 0 : preferred && m.offers.some((o) => o.gateway === preferred) ? 1 : 2;
    const part = splitId(id).model;
    // Kept small: 5,000 of these cross the wire per request. The name and the card come with resolve.
    const item: CompletionItem = {
      label: id,
      kind: CompletionItemKind.Value,
      labelDetails: { description: summary(m) },
      sortText: `${rank}${String(i).padStart(width, '0')}`,
    };
    // The bare model part first: prefix-matching clients find `openai/gpt-4o` when `gpt-4o` is typed.
    if (part !== id) item.filterText = `${part} ${id}`;
    if (m.deprecated) item.tags = [CompletionItemTag.Deprecated];
    return item;
  });
  // Two catalog models can be written the same way for this target (a gateway's bare ID the catalog could
  // not attribute to a provider, next to the provider's model the target serves under that ID): one item
  // per text to insert, the best-ranked one.
  const best = new Map<string, CompletionItem>();
  for (const item of items) {
    const seen = best.get(item.label);
    if (!seen || item.sortText! < seen.sortText!) best.set(item.label, item);
  }
  return best.size === items.length ? items : items.filter((item) => best.get(item.label) === item);
}

export interface CompletionOptions {
  /** The client supports `CompletionList.itemDefaults.editRange` (LSP 3.17). */
  itemDefaults: boolean;
}

/**
 * Items sent per request. With thousands of models the JSON, not the server, is the cost (5,000 items:
 * p95 14 ms over stdio); a capped list marked incomplete makes the editor ask again as the person types,
 * and each answer holds the best matches of what is typed so far (issue 21).
 */
export const MAX_COMPLETION_ITEMS = 150;

const keys = new WeakMap<readonly CompletionItem[], string[]>();

/** Lower-case text each item is matched on: its filter text (model part first) or label. */
function matchKeys(items: readonly CompletionItem[]): string[] {
  let k = keys.get(items);
  if (!k) keys.set(items, (k = items.map((i) => (i.filterText ?? i.label).toLowerCase())));
  return k;
}

/** Whether the characters of `typed` appear in `text` in order (the editor's own fuzzy filter is no stricter). */
function subsequence(typed: string, text: string): boolean {
  let j = 0;
  for (let i = 0; i < text.length && j < typed.length; i++) if (text.charCodeAt(i) === typed.charCodeAt(j)) j++;
  return j === typed.length;
}

/**
 * The items for what is typed so far, at most MAX_COMPLETION_ITEMS: those whose ID (or model part) starts
 * with it, then those containing it, then fuzzy matches — each group in the list's own order (favorites,
 * the target's models, the rest, deprecated last).
 */
export function capItems(items: readonly CompletionItem[], typed: string): CompletionItem[] {
  if (items.length <= MAX_COMPLETION_ITEMS) return items as CompletionItem[];
  const t = typed.toLowerCase();
  const k = matchKeys(items);
  const groups: CompletionItem[][] = [[], [], []];
  for (let i = 0; i < items.length && groups[0].length < MAX_COMPLETION_ITEMS; i++) {
    const key = k[i];
    const at = t ? key.indexOf(t) : 0;
    if (at === 0 || (at > 0 && /[\s/:._-]/.test(key[at - 1]))) groups[0].push(items[i]);
    else if (at > 0) groups[1].push(items[i]);
    else if (at < 0 && subsequence(t, key)) groups[2].push(items[i]);
  }
  return [...groups[0], ...groups[1], ...groups[2]].slice(0, MAX_COMPLETION_ITEMS);
}

/** The completion list at `offset`, or null when the cursor is not inside a model string. */
export function completeAt(doc: TextDocument, a: Analysis, offset: number, env: LanguageEnv, opts: CompletionOptions): CompletionList | null {
  const s = stringAtOffset(a, offset);
  if (!s) return null;
  const target = targetOf(a, s);
  const all = completionItems(env, target, factoryProvider(s, target));
  // A range read: the cursor's line, not a copy of the whole file (server/lsp/document.ts).
  const typed = doc.getText({ start: doc.positionAt(s.start), end: doc.positionAt(Math.max(s.start, Math.min(offset, s.end))) });
  const items = capItems(all, typed);
  // Incomplete whenever the list was capped: the editor then asks again on the next keystroke.
  const isIncomplete = items.length < all.length;
  const range: Range = { start: doc.positionAt(s.start), end: doc.positionAt(s.end) };
  // A string still being typed gets its closing quote with the ID.
  const close = !s.terminated && s.quote ? s.quote : '';
  if (opts.itemDefaults && !close) return { isIncomplete, itemDefaults: { editRange: range }, items };
  return { isIncomplete, items: items.map((i) => ({ ...i, textEdit: { range, newText: i.label + close } })) };
}

/** `completionItem/resolve`: the model's name and card. The label is an ID the catalog resolves in any form. */
export function resolveItem(item: CompletionItem, env: LanguageEnv): CompletionItem {
  const m = typeof item.label === 'string' ? env.catalog.find(item.label) : undefined;
  if (m) {
    item.detail = `${m.name} — ${summary(m)}`;
    item.documentation = { kind: 'markdown', value: modelCard(m, env.gateways) };
  }
  return item;
}
