// Hover on a model string: the model card, or for an unknown ID what it may have meant.
import type { Hover } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { stringAtOffset, targetOf, type Analysis } from './document';
import { hasIdShape, idFor, modelIndex, suggestModels } from './lookup';
import { modelCard } from './card';
import type { LanguageEnv } from './types';

export function hoverAt(doc: TextDocument, a: Analysis, offset: number, env: LanguageEnv): Hover | null {
  const s = stringAtOffset(a, offset);
  if (!s || !hasIdShape(s.value)) return null;
  const range = { start: doc.positionAt(s.start), end: doc.positionAt(s.end) };
  const alias = env.settings.aliases[s.value];
  const m = env.catalog.find(s.value);
  if (m) {
    const head = alias ? `Alias for \`${alias}\` (switchyard.aliases)\n\n` : '';
    return { range, contents: { kind: 'markdown', value: head + modelCard(m, env.gateways, s.value) } };
  }
  const target = targetOf(a, s);
  const suggestions = suggestModels(modelIndex(env.catalog), s.value, { limit: 3 }).map((x) => `\`${idFor(x, target, s.value)}\``);
  const hint = suggestions.length ? ` Did you mean ${suggestions.join(', ')}?` : '';
  return { range, contents: { kind: 'markdown', value: `**Unknown model** \`${s.value}\` — not in the catalog.${hint}` } };
}
