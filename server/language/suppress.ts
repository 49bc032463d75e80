// Inline suppression comments:
//   model="my-finetune"  # switchyard-ignore                  (this line, every rule)
//   // switchyard-ignore-next-line unknown-model              (the next line, listed rules only)
// The marker is searched as text (cheap, and it works in every comment syntax); rule IDs after it are
// taken while they name real rules.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { lineComment } from './languages';
import { RULES, type LanguageFamily } from './types';

export const SUPPRESS_MARKER = 'switchyard-ignore';
const NEXT_LINE = '-next-line';
const RULE_IDS = new Set<string>(Object.values(RULES).map((r) => r.id));

export type LineRules = Map<number, Set<string> | 'all'>;

/** Per line, the rules suppressed there; undefined when the document has no marker at all. */
export function suppressedRules(doc: TextDocument, _family: LanguageFamily): LineRules | undefined {
  const text = doc.getText();
  let at = text.indexOf(SUPPRESS_MARKER);
  if (at < 0) return undefined;
  const out: LineRules = new Map();
  for (; at >= 0; at = text.indexOf(SUPPRESS_MARKER, at + SUPPRESS_MARKER.length)) {
    let i = at + SUPPRESS_MARKER.length;
    const next = text.startsWith(NEXT_LINE, i);
    if (next) i += NEXT_LINE.length;
    const line = doc.positionAt(at).line + (next ? 1 : 0);
    const rules = new Set<string>();
    const rest = text.slice(i, i + 200).split(/[\r\n]/, 1)[0];
    for (const word of rest.split(/[\s,:]+/)) {
      if (RULE_IDS.has(word)) rules.add(word);
      else if (word) break;
    }
    const prev = out.get(line);
    if (rules.size === 0 || prev === 'all') out.set(line, 'all');
    else out.set(line, new Set([...(prev ?? []), ...rules]));
  }
  return out;
}

/** The comment line that suppresses `rule` on the line below, or undefined when the format has no comments. */
export function suppressionComment(family: LanguageFamily, rule: string): string | undefined {
  const token = lineComment(family);
  return token ? `${token} ${SUPPRESS_MARKER}${NEXT_LINE} ${rule}` : undefined;
}
