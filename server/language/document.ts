// One scan of a document, shared by every feature (diagnostics, completion, hover, actions, hints):
// its model strings, the gateway URLs it mentions, and who each string is sent to.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { familyOf } from './languages';
import { scanModelStrings, stringAt } from './scanner';
import { defaultTarget, findMentions, targetAt, type Mention } from './target';
import { lineText } from '../lsp/document';
import type { LanguageEnv, LanguageFamily, ModelString, Target } from './types';

export interface Analysis {
  family: LanguageFamily;
  strings: ModelString[];
  mentions: Mention[];
  fallback: Target;
  /** Problems compiling the user's extra patterns (reported once by the caller). */
  patternErrors: string[];
  /**
   * The file talks to Azure OpenAI, where `model` names the person's own deployment
   * (`AzureOpenAI(…)`, `*.openai.azure.com`): such names are left alone, never "unknown".
   */
  azureDeployments: boolean;
}

const AZURE = /\.openai\.azure\.com|\bAzureOpenAI\b|\bazure_deployment\b|\bAZURE_OPENAI_/;

export function analyzeDocument(doc: TextDocument, env: LanguageEnv): Analysis {
  const text = doc.getText();
  const family = familyOf(doc.languageId);
  const { regexes, errors } = compilePatterns(env.settings.language.patterns);
  return {
    family,
    strings: scanModelStrings(text, family, regexes),
    mentions: findMentions(text, env.gateways, env.settings.proxy.port),
    fallback: defaultTarget(env.gateways, env.settings),
    patternErrors: errors,
    azureDeployments: AZURE.test(text),
  };
}

/**
 * The analysis of one line (offsets still document offsets): what completion and hover need per
 * keystroke, without re-scanning a 5,000-line file or even reading it whole (server/lsp/document.ts
 * keeps the lines apart; joining them costs a copy of the file). Model strings never span lines, nor
 * do URLs; the mentions that can pick a target for a string on this line are found by walking out
 * from it (see mentionsNear).
 */
export function analyzeLine(doc: TextDocument, line: number, env: LanguageEnv): Analysis {
  const start = doc.offsetAt({ line, character: 0 });
  const family = familyOf(doc.languageId);
  const { regexes, errors } = compilePatterns(env.settings.language.patterns);
  const strings = scanModelStrings(lineText(doc, line), family, regexes).map((s) => ({ ...s, start: s.start + start, end: s.end + start }));
  return {
    family,
    strings,
    mentions: mentionsNear(doc, line, env),
    fallback: defaultTarget(env.gateways, env.settings),
    patternErrors: errors,
    // Read by diagnostics and code actions, which use the full analysis; computed only if asked.
    get azureDeployments() {
      return AZURE.test(doc.getText());
    },
  };
}

/**
 * The gateway URL mentions that decide the target of any string on `line`, such that targetAt over
 * them answers as over the whole file's: the last one before the line and those on it, or (with none
 * before) the first one after.
 */
function mentionsNear(doc: TextDocument, line: number, env: LanguageEnv): Mention[] {
  const on = (l: number): Mention[] => {
    const text = lineText(doc, l);
    if (!text.includes('://')) return [];
    const from = doc.offsetAt({ line: l, character: 0 });
    return findMentions(text, env.gateways, env.settings.proxy.port).map((m) => ({ ...m, offset: m.offset + from }));
  };
  let before: Mention | undefined;
  for (let l = Math.min(line, doc.lineCount) - 1; l >= 0 && !before; l--) before = on(l).at(-1);
  const here = on(line);
  if (before) return [before, ...here];
  if (here.length) return here;
  for (let l = Math.max(line + 1, 0); l < doc.lineCount; l++) {
    const after = on(l);
    if (after.length) return [after[0]];
  }
  return [];
}

export function targetOf(a: Analysis, s: ModelString): Target {
  return targetAt(a.mentions, s.start, a.fallback);
}

export function stringAtOffset(a: Analysis, offset: number): ModelString | undefined {
  return stringAt(a.strings, offset);
}

let compiled: { key: string; regexes: RegExp[]; errors: string[] } | undefined;

/** The `language.patterns` setting as regexes (`d` flag: the first group's range is the ID). */
export function compilePatterns(sources: readonly string[]): { regexes: RegExp[]; errors: string[] } {
  const key = sources.join('\u0000');
  if (compiled?.key === key) return compiled;
  const regexes: RegExp[] = [];
  const errors: string[] = [];
  for (const src of sources) {
    try {
      const re = new RegExp(src, 'gdm');
      // A pattern without a group has nothing to point at; say so instead of silently matching nothing.
      if (new RegExp(`${src}|`).exec('')!.length < 2) errors.push(`switchyard.language.patterns: "${src}" has no capture group`);
      else regexes.push(re);
    } catch (e) {
      errors.push(`switchyard.language.patterns: "${src}" is not a valid regular expression (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  compiled = { key, regexes, errors };
  return compiled;
}
