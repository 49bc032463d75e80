// `switchyard check` output: text (one `file:line:col` line per problem), JSON, and SARIF 2.1.0 for
// code-scanning UIs. Lines and columns are 1-based; columns count UTF-16 code units, as LSP and
// SARIF (`columnKind: utf16CodeUnits`) do.
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import type { Settings } from '../protocol/settings';
import { RULES, RULE_KEYS, type Problem, type Severity } from './types';

export interface FileProblem {
  /** As given on the command line (or found under a given directory). */
  file: string;
  problem: Problem;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface CheckReport {
  version: string;
  files: number;
  skipped: { file: string; reason: string }[];
  catalog: { source: string; models: number; gateways: { gateway: string; state: string; message?: string }[] };
  problems: FileProblem[];
}

export const SEVERITY_RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

export function countBySeverity(problems: readonly FileProblem[]): Record<Severity, number> {
  const out: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const p of problems) out[p.problem.severity]++;
  return out;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function renderText(r: CheckReport): string {
  const lines = r.problems.map(
    (p) => `${p.file}:${p.line}:${p.column}: ${p.problem.severity} ${RULES[p.problem.rule].id}: ${p.problem.message}`,
  );
  const files = new Set(r.problems.map((p) => p.file)).size;
  const catalog = `catalog: ${r.catalog.source}, ${plural(r.catalog.models, 'model')}`;
  if (r.problems.length === 0) lines.push(`No model-ID problems in ${plural(r.files, 'file')} (${catalog}).`);
  else {
    const c = countBySeverity(r.problems);
    const parts = (Object.keys(c) as Severity[]).filter((k) => c[k]).map((k) => plural(c[k], k === 'information' ? 'info' : k));
    lines.push('', `${plural(r.problems.length, 'problem')} (${parts.join(', ')}) in ${plural(files, 'file')} of ${r.files} checked (${catalog}).`);
  }
  return lines.join('\n') + '\n';
}

export function renderJson(r: CheckReport): string {
  const problems = r.problems.map((p) => ({
    file: p.file,
    line: p.line,
    column: p.column,
    endLine: p.endLine,
    endColumn: p.endColumn,
    rule: RULES[p.problem.rule].id,
    severity: p.problem.severity,
    message: p.problem.message,
    value: p.problem.value,
    suggestions: p.problem.suggestions,
  }));
  return JSON.stringify({ ...r, problems, summary: countBySeverity(r.problems) }, null, 2) + '\n';
}

const SARIF_LEVEL: Record<Severity | 'off', 'error' | 'warning' | 'note' | 'none'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
  off: 'none',
};

/** SARIF 2.1.0. Artifact URIs are relative to `root` (uriBaseId %SRCROOT%) when the file is under it. */
export function renderSarif(r: CheckReport, settings: Settings, root: string): string {
  const rules = RULE_KEYS.map((k) => {
    const severity = settings.language.severity[k];
    return {
      id: RULES[k].id,
      name: RULES[k].name,
      shortDescription: { text: RULES[k].text },
      fullDescription: { text: `${RULES[k].text}. Configure with switchyard.language.severity.${k}; ignore IDs with switchyard.language.ignore or a "switchyard-ignore" comment.` },
      defaultConfiguration: { level: SARIF_LEVEL[severity], enabled: severity !== 'off' },
    };
  });
  const location = (file: string) => {
    const abs = path.resolve(root, file);
    const rel = path.relative(root, abs);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel)
      ? { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' }
      : { uri: pathToFileURL(abs).href };
  };
  const results = r.problems.map((p) => {
    const region = { startLine: p.line, startColumn: p.column, endLine: p.endLine, endColumn: p.endColumn };
    const artifactLocation = location(p.file);
    return {
      ruleId: RULES[p.problem.rule].id,
      ruleIndex: RULE_KEYS.indexOf(p.problem.rule),
      level: SARIF_LEVEL[p.problem.severity],
      message: { text: p.problem.message },
      locations: [{ physicalLocation: { artifactLocation, region } }],
      partialFingerprints: { modelId: `${RULES[p.problem.rule].id}:${p.problem.value}` },
      ...(p.problem.suggestions.length
        ? {
            fixes: p.problem.suggestions.slice(0, 3).map((s) => ({
              description: { text: `Replace with "${s}"` },
              artifactChanges: [{ artifactLocation, replacements: [{ deletedRegion: region, insertedContent: { text: s } }] }],
            })),
          }
        : {}),
    };
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'switchyard',
            semanticVersion: r.version,
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(root.endsWith(path.sep) ? root : root + path.sep).href } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
