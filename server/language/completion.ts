// Completion inside model strings: every catalog model, written the way the target gateway spells it,
// favorites and the target gateway's models first, filterable without the provider prefix (`gpt-4o`
// finds `openai/gpt-4o`). The item list depends only on (catalog snapshot, target, favorites), so it
// is built once and reused; a request only computes the edit range (LSP `itemDefaults.editRange`).
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

/** The completion list at `offset`, or null when the cursor is not inside a model string. */
export function completeAt(doc: TextDocument, a: Analysis, offset: number, env: LanguageEnv, opts: CompletionOptions): CompletionList | null {
  const s = stringAtOffset(a, offset);
  if (!s) return null;
  const target = targetOf(a, s);
  const items = completionItems(env, target, factoryProvider(s, target));
  const range: Range = { start: doc.positionAt(s.start), end: doc.positionAt(s.end) };
  // A string still being typed gets its closing quote with the ID.
  const close = !s.terminated && s.quote ? s.quote : '';
  if (opts.itemDefaults && !close) return { isIncomplete: false, itemDefaults: { editRange: range }, items };
  return { isIncomplete: false, items: items.map((i) => ({ ...i, textEdit: { range, newText: i.label + close } })) };
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
