// The precision benchmark of issue 21: every corpus spelling is written into a Python file in a model
// position and checked the way `switchyard check --offline` checks a repository (the embedded price
// table as the catalog, no gateway). A `known` ID reported "unknown model" is a false alarm; a `typo`
// reported "unknown model" is caught.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createCatalogService } from '../../server/catalog/service';
import { createKeyProvider } from '../../server/core/keys';
import { silentLogger } from '../../server/core/log';
import { parseSettings } from '../../server/protocol/settings';
import { loadedPriceTable } from '../../server/catalog/table';
import { analyzeDocument } from '../../server/language/document';
import { computeProblems, problemContext } from '../../server/language/diagnostics';
import type { LanguageEnv, Problem } from '../../server/language/types';
import { CORPUS, type CorpusEntry } from './corpus';

export interface CorpusOutcome {
  entry: CorpusEntry;
  problems: Problem[];
  /** Reported as an unknown model. */
  flagged: boolean;
}

export interface CorpusFigures {
  known: number;
  typos: number;
  falseUnknown: CorpusOutcome[];
  caught: number;
  missed: CorpusOutcome[];
  /** Known IDs with another diagnostic (deprecated …): reported for information. */
  otherProblems: CorpusOutcome[];
  outcomes: CorpusOutcome[];
}

export async function evaluateCorpus(corpus: readonly CorpusEntry[] = CORPUS): Promise<CorpusFigures> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'switchyard-corpus-'));
  const settings = parseSettings({}).settings;
  const catalog = createCatalogService({ dataDir, getSettings: () => settings, keys: createKeyProvider({}), log: silentLogger, offline: true });
  try {
    await catalog.start();
    const env: LanguageEnv = { catalog, settings, gateways: [], favorites: new Set() };
    const text = corpus.map((e) => `client.chat.completions.create(model="${e.id}")`).join('\n') + '\n';
    const doc = TextDocument.create('file:///corpus.py', 'python', 1, text);
    const problems = computeProblems(doc, analyzeDocument(doc, env), problemContext(env, (id) => loadedPriceTable()?.identify(id)));
    const byLine = new Map<number, Problem[]>();
    for (const p of problems) {
      const line = doc.positionAt(p.start).line;
      byLine.set(line, [...(byLine.get(line) ?? []), p]);
    }
    const outcomes = corpus.map((entry, i) => {
      const found = byLine.get(i) ?? [];
      return { entry, problems: found, flagged: found.some((p) => p.rule === 'unknown') };
    });
    const knownOnes = outcomes.filter((o) => o.entry.label === 'known');
    const typoOnes = outcomes.filter((o) => o.entry.label === 'typo');
    return {
      known: knownOnes.length,
      typos: typoOnes.length,
      falseUnknown: knownOnes.filter((o) => o.flagged),
      caught: typoOnes.filter((o) => o.flagged).length,
      missed: typoOnes.filter((o) => !o.flagged),
      otherProblems: knownOnes.filter((o) => !o.flagged && o.problems.length > 0),
      outcomes,
    };
  } finally {
    catalog.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
