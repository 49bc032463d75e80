// Which scanning rules apply to a document: by LSP languageId in the editor, by file name in the CLI.
import * as path from 'node:path';
import type { LanguageFamily } from './types';

const BY_LANGUAGE_ID: Record<string, LanguageFamily> = {
  python: 'python',
  typescript: 'js',
  typescriptreact: 'js',
  javascript: 'js',
  javascriptreact: 'js',
  json: 'json',
  jsonc: 'jsonc',
  json5: 'jsonc',
  yaml: 'yaml',
  toml: 'toml',
  dotenv: 'dotenv',
  properties: 'dotenv',
  ini: 'dotenv',
  sh: 'dotenv',
  go: 'go',
};

const BY_EXTENSION: Record<string, string> = {
  '.py': 'python', '.pyi': 'python',
  '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript', '.tsx': 'typescriptreact',
  '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascriptreact',
  '.json': 'json', '.jsonc': 'jsonc', '.json5': 'jsonc',
  '.yaml': 'yaml', '.yml': 'yaml', '.toml': 'toml',
  '.env': 'dotenv', '.properties': 'properties',
  '.go': 'go',
};

export function familyOf(languageId: string): LanguageFamily {
  return BY_LANGUAGE_ID[languageId] ?? 'generic';
}

/** The languageId the CLI uses for a file, or undefined when the file is not one Switchyard reads. */
export function languageIdForPath(file: string): string | undefined {
  const base = path.basename(file).toLowerCase();
  // `.env`, `.env.local`, `prod.env`: dotenv files are named more than they are extended.
  if (base === '.env' || base.startsWith('.env.') || base.endsWith('.env')) return 'dotenv';
  return BY_EXTENSION[path.extname(base)];
}

/** The line-comment token used to write a suppression comment, or undefined when the format has none. */
export function lineComment(family: LanguageFamily): string | undefined {
  switch (family) {
    case 'python':
    case 'yaml':
    case 'toml':
    case 'dotenv':
      return '#';
    case 'js':
    case 'jsonc':
    case 'go':
      return '//';
    default:
      return undefined;
  }
}
