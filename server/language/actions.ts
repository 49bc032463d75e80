// Code actions on model strings. Quick fixes are recomputed from the string under the range (not read
// back from `Diagnostic.data`, which some clients drop): replace with each suggestion, ignore the ID
// (setting), suppress on this line (comment). The refactor offers cheaper equivalents.
import {
  CodeActionKind,
  type CodeAction,
  type Diagnostic,
  type Range,
  type TextEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { checkString, type ProblemContext } from './diagnostics';
import { targetOf, type Analysis } from './document';
import { cheaperEquivalents } from './cheaper';
import { hasIdShape, idFor } from './lookup';
import { formatUsd } from '../protocol/present';
import { costUsd } from '../catalog/price';
import { suppressionComment } from './suppress';
import { IGNORE_MODEL_COMMAND as IGNORE_COMMAND } from './commands';
import { RULES, type ModelString, type Problem } from './types';

export { IGNORE_MODEL_COMMAND as IGNORE_COMMAND } from './commands';

export interface ActionRequest {
  range: Range;
  /** The client's diagnostics at the range (linked to the fixes that resolve them). */
  diagnostics: Diagnostic[];
  only?: string[];
}

export function codeActions(doc: TextDocument, a: Analysis, req: ActionRequest, pc: ProblemContext): CodeAction[] {
  const from = doc.offsetAt(req.range.start);
  const to = doc.offsetAt(req.range.end);
  const wants = (kind: string) => !req.only || req.only.some((k) => kind === k || kind.startsWith(`${k}.`));
  const out: CodeAction[] = [];
  for (const s of a.strings) {
    if (s.end < from || s.start > to || !s.terminated || !hasIdShape(s.value)) continue;
    const range = { start: doc.positionAt(s.start), end: doc.positionAt(s.end) };
    if (wants(CodeActionKind.QuickFix) && !pc.ignored(s.value)) {
      for (const p of checkString(s, targetOf(a, s), pc, a.azureDeployments)) out.push(...quickFixes(doc, a, s, p, range, req.diagnostics));
    }
    if (wants(CodeActionKind.RefactorRewrite)) out.push(...cheaperActions(doc, a, s, range, pc));
  }
  return dedupeTitles(out);
}

function quickFixes(doc: TextDocument, a: Analysis, s: ModelString, p: Problem, range: Range, diags: Diagnostic[]): CodeAction[] {
  const rule = RULES[p.rule].id;
  const linked = diags.filter((d) => d.code === rule && d.range.start.line === range.start.line && d.range.start.character === range.start.character);
  const edit = (newText: string): { changes: Record<string, TextEdit[]> } => ({ changes: { [doc.uri]: [{ range, newText }] } });
  const out: CodeAction[] = p.suggestions.map((sug, i) => ({
    title: `Replace with "${sug}"`,
    kind: CodeActionKind.QuickFix,
    diagnostics: linked,
    isPreferred: i === 0,
    edit: edit(sug),
  }));
  out.push({
    title: `Ignore "${s.value}" (add to switchyard.language.ignore)`,
    kind: CodeActionKind.QuickFix,
    diagnostics: linked,
    command: { title: 'Ignore model ID', command: IGNORE_COMMAND, arguments: [s.value] },
  });
  const comment = suppressionComment(a.family, rule);
  if (comment) {
    const line = range.start.line;
    const text = doc.getText({ start: { line, character: 0 }, end: { line, character: 10_000 } });
    const indent = /^[ \t]*/.exec(text)![0];
    out.push({
      title: `Suppress "${rule}" on this line`,
      kind: CodeActionKind.QuickFix,
      diagnostics: linked,
      edit: { changes: { [doc.uri]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}${comment}${eol(doc)}` }] } },
    });
  }
  return out;
}

function cheaperActions(doc: TextDocument, a: Analysis, s: ModelString, range: Range, pc: ProblemContext): CodeAction[] {
  const m = pc.env.catalog.find(s.value);
  if (!m) return [];
  const target = targetOf(a, s);
  return cheaperEquivalents(m, pc.env.catalog, target, pc.live).map((c) => {
    const id = idFor(c.model, target, s.value);
    const pct = Math.round(c.saving * 100);
    return {
      title: `Switch to a cheaper equivalent: "${id}" (${pct}% cheaper, ${formatUsd(c.cost)} vs ${formatUsd(costUsd(m.pricing, 1000, 1000) ?? NaN)} per 1k/1k call)`,
      kind: CodeActionKind.RefactorRewrite,
      edit: { changes: { [doc.uri]: [{ range, newText: id }] } },
    };
  });
}

function eol(doc: TextDocument): string {
  const text = doc.getText();
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

function dedupeTitles(actions: CodeAction[]): CodeAction[] {
  const seen = new Set<string>();
  return actions.filter((x) => !seen.has(x.title) && !!seen.add(x.title));
}
