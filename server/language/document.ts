// One scan of a document, shared by every feature (diagnostics, completion, hover, actions, hints):
// its model strings, the gateway URLs it mentions, and who each string is sent to.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { familyOf } from './languages';
import { scanModelStrings, stringAt } from './scanner';
import { defaultTarget, findMentions, targetAt, type Mention } from './target';
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
 * keystroke, without re-scanning a 5,000-line file. Model strings never span lines; the URL mentions
 * that pick the target are searched in the whole text (a native regex pass).
 */
export function analyzeLine(doc: TextDocument, line: number, env: LanguageEnv): Analysis {
  const text = doc.getText();
  const start = doc.offsetAt({ line, character: 0 });
  const end = line + 1 < doc.lineCount ? doc.offsetAt({ line: line + 1, character: 0 }) : text.length;
  const family = familyOf(doc.languageId);
  const { regexes, errors } = compilePatterns(env.settings.language.patterns);
  const strings = scanModelStrings(text.slice(start, end), family, regexes).map((s) => ({ ...s, start: s.start + start, end: s.end + start }));
  return {
    family,
    strings,
    mentions: findMentions(text, env.gateways, env.settings.proxy.port),
    fallback: defaultTarget(env.gateways, env.settings),
    patternErrors: errors,
    azureDeployments: AZURE.test(text),
  };
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
