// Problems as LSP Diagnostics (the CLI has its own text/JSON/SARIF renderings in server/cli/check.ts).
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { RULES, type Problem, type Severity } from './types';

export const DIAGNOSTIC_SOURCE = 'switchyard';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What a Diagnostic carries in `data` for clients that keep it (fixes are recomputed either way). */
export interface DiagnosticData {
  value: string;
  suggestions: string[];
}

export function toDiagnostic(doc: TextDocument, p: Problem): Diagnostic {
  const d: Diagnostic = {
    range: { start: doc.positionAt(p.start), end: doc.positionAt(p.end) },
    severity: SEVERITY[p.severity],
    code: RULES[p.rule].id,
    source: DIAGNOSTIC_SOURCE,
    message: p.message,
    data: { value: p.value, suggestions: p.suggestions } satisfies DiagnosticData,
  };
  if (p.rule === 'deprecated') d.tags = [DiagnosticTag.Deprecated];
  return d;
}
