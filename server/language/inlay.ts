// Optional inlay hints (`switchyard.language.inlayHints`): the price and context after each model string.
import type { InlayHint, Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from './document';
import { hasIdShape } from './lookup';
import { formatTokens, offerPrice } from '../protocol/present';
import type { LanguageEnv } from './types';

export function inlayHints(doc: TextDocument, a: Analysis, range: Range, env: LanguageEnv): InlayHint[] {
  if (!env.settings.language.inlayHints) return [];
  const from = doc.offsetAt(range.start);
  const to = doc.offsetAt(range.end);
  const out: InlayHint[] = [];
  for (const s of a.strings) {
    if (s.end < from || s.start > to || !s.terminated || !hasIdShape(s.value)) continue;
    const m = env.catalog.find(s.value);
    if (!m) continue;
    out.push({
      position: doc.positionAt(s.end + (s.quote ? 1 : 0)),
      label: `${offerPrice(m)} · ${formatTokens(m.contextLength)} ctx`,
      paddingLeft: true,
      tooltip: `${m.name}: USD per million input/output tokens${m.priceSource === 'table' ? ' (embedded price table, estimated)' : ''}`,
    });
  }
  return out;
}
