// Hover on a model string: the model card, saying how the string spells the model when it is not the
// model's own ID (a dated snapshot, a host's form, a spelling the price table lists under it); for an
// ID only the embedded price table knows, what the table says; for an unknown ID what it may have meant.
import type { Hover } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { loadedPriceTable } from '../catalog/table';
import { resolveModelId, spellingNote } from '../catalog/resolve';
import { stringAtOffset, targetOf, type Analysis } from './document';
import { hasIdShape, modelIndex, printed, suggestModels } from './lookup';
import { modelCard } from './card';
import type { LanguageEnv } from './types';

export function hoverAt(doc: TextDocument, a: Analysis, offset: number, env: LanguageEnv): Hover | null {
  const s = stringAtOffset(a, offset);
  if (!s || !hasIdShape(s.value)) return null;
  const range = { start: doc.positionAt(s.start), end: doc.positionAt(s.end) };
  const alias = env.settings.aliases[s.value];
  const r = resolveModelId(s.value, { find: (id) => env.catalog.find(id), tableLookup: (id) => loadedPriceTable()?.identify(id) });
  if (r?.model) {
    const head = alias ? `Alias for \`${alias}\` (switchyard.aliases)\n\n` : '';
    const note = alias ? undefined : spellingNote(s.value, r, r.model.name);
    return { range, contents: { kind: 'markdown', value: head + (note ? `${note}\n\n` : '') + modelCard(r.model, env.gateways, s.value) } };
  }
  if (r?.entry) {
    const e = r.entry;
    const lines = [`**${e.name ?? e.canonicalId}** — \`${e.canonicalId}\``, '', spellingNote(s.value, r, e.name ?? e.canonicalId) ?? ''];
    if (e.deprecated) lines.push('', '⚠️ **Deprecated**');
    lines.push('', '_Known to the embedded price table; no configured gateway lists it._');
    return { range, contents: { kind: 'markdown', value: lines.filter((l, i) => l || lines[i - 1]).join('\n') } };
  }
  const target = targetOf(a, s);
  const near = printed(suggestModels(modelIndex(env.catalog), s.value, { limit: 5 }), target, s.value).slice(0, 3);
  const hint = near.length ? ` Did you mean ${near.map((x) => `\`${x}\``).join(', ')}?` : '';
  return { range, contents: { kind: 'markdown', value: `**Unknown model** \`${s.value}\` — not in the catalog.${hint}` } };
}
