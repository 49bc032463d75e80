// `switchyard check [--format text|json|sarif] FILE|DIR…` — the editor's model-ID diagnostics for CI and
// pre-commit. Exit 0 clean, 1 problems found, 2 usage or config error (design.md). It asks the
// configured gateways for their catalogs (bounded by --timeout); when none answers it checks against
// the disk cache or the embedded price table, offline.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Subcommand } from './command';
import { UsageError, errorMessage } from '../core/errors';
import { createLogger } from '../core/log';
import { createKeyProvider } from '../core/keys';
import { defaultDataDir } from '../core/paths';
import { VERSION } from '../core/version';
import { createApp, type App } from '../core/app';
import { resolveGateways, type Settings } from '../protocol/settings';
import { loadPriceTable, loadedPriceTable } from '../catalog/table';
import { languageIdForPath } from '../language/languages';
import { analyzeDocument, compilePatterns } from '../language/document';
import { computeProblems, problemContext } from '../language/diagnostics';
import { gatewayInfos } from '../language/target';
import { renderJson, renderSarif, renderText, SEVERITY_RANK, type CheckReport, type FileProblem } from '../language/report';
import type { LanguageEnv, Severity } from '../language/types';

const FORMATS = ['text', 'json', 'sarif'] as const;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'out', 'build', 'target', 'vendor', 'venv', '__pycache__', 'site-packages']);
const MAX_FILE_BYTES = 32 * 1024 * 1024;
const MAX_FILES = 100_000;

export const checkCommand: Subcommand = {
  summary: 'check model IDs in source files; exit 1 when problems are found (CI, pre-commit)',
  usage: 'check [--format text|json|sarif] [--offline] [--timeout SECONDS] [--fail-on error|warning|information|hint] FILE|DIR…',
  options: {
    format: { type: 'string', short: 'f' },
    offline: { type: 'boolean' },
    timeout: { type: 'string' },
    'fail-on': { type: 'string' },
  },
  allowPositionals: true,
  async run(values, positionals, io, settings) {
    const format = (values.format ?? 'text') as (typeof FORMATS)[number];
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${String(values.format)}")`);
    const failOn = (values['fail-on'] ?? 'hint') as Severity;
    if (!(failOn in SEVERITY_RANK)) throw new UsageError(`--fail-on must be one of error, warning, information, hint (got "${failOn}")`);
    const timeoutSec = values.timeout === undefined ? 20 : Number(values.timeout);
    if (!Number.isFinite(timeoutSec) || timeoutSec <= 0) throw new UsageError(`--timeout must be a positive number of seconds (got "${String(values.timeout)}")`);
    if (positionals.length === 0) throw new UsageError('give at least one file or directory to check');
    // A broken extra pattern would silently check less: in CI that is a configuration error.
    const patternErrors = compilePatterns(settings.language.patterns).errors;
    if (patternErrors.length) throw new UsageError(patternErrors.join('\n'));
    const { files, skipped } = collectFiles(positionals);

    const debug = !!io.env.SWITCHYARD_DEBUG;
    const log = createLogger((level, msg) => {
      if (debug || level === 'error') io.err(`[${level}] ${msg}\n`);
    });
    const offline = !!values.offline;
    const app = createApp({
      dataDir: (values['data-dir'] as string | undefined) ?? defaultDataDir(io.env),
      getSettings: () => settings,
      keys: createKeyProvider(io.env),
      log,
      env: io.env,
      offline,
    });
    try {
      await loadCatalog(app, settings, offline, timeoutSec * 1000);
      const report = checkFiles(app, settings, files, skipped);
      for (const s of report.catalog.gateways) if (s.state !== 'ok' && s.message) io.err(`switchyard check: ${s.message}\n`);
      for (const s of report.skipped) io.err(`switchyard check: skipped ${s.file}: ${s.reason}\n`);
      const out = format === 'json' ? renderJson(report) : format === 'sarif' ? renderSarif(report, settings, process.cwd()) : renderText(report);
      io.out(out);
      return report.problems.some((p) => SEVERITY_RANK[p.problem.severity] >= SEVERITY_RANK[failOn]) ? 1 : 0;
    } finally {
      await app.dispose();
    }
  },
};

/** The catalog as fresh as the gateways allow within the timeout; the cache or the embedded table otherwise. */
async function loadCatalog(app: App, settings: Settings, offline: boolean, timeoutMs: number): Promise<void> {
  await app.catalog.start();
  // "Not served" needs the embedded table even when gateways answer.
  const table = loadPriceTable().catch(() => undefined);
  if (!offline && resolveGateways(settings).length > 0) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([app.catalog.refresh().then(() => undefined), timeout]);
    clearTimeout(timer);
  }
  await table;
}

function collectFiles(args: string[]): { files: string[]; skipped: CheckReport['skipped'] } {
  const files: string[] = [];
  const skipped: CheckReport['skipped'] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      skipped.push({ file: dir, reason: errorMessage(e) });
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (files.length >= MAX_FILES) return;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && !SKIP_DIRS.has(e.name)) walk(p);
      } else if (e.isFile() && languageIdForPath(p)) files.push(p);
    }
  };
  for (const arg of args) {
    let st;
    try {
      st = statSync(arg);
    } catch {
      throw new UsageError(`no such file or directory: ${arg}`);
    }
    if (st.isDirectory()) walk(arg);
    else files.push(arg);
  }
  return { files, skipped };
}

function checkFiles(app: App, settings: Settings, files: string[], skipped: CheckReport['skipped']): CheckReport {
  const env: LanguageEnv = { catalog: app.catalog, settings, gateways: gatewayInfos(settings, app.catalog.statuses()), favorites: new Set() };
  const pc = problemContext(env, (id) => loadedPriceTable()?.identify(id));
  const problems: FileProblem[] = [];
  let checked = 0;
  for (const file of files) {
    const text = readText(file, skipped);
    if (text === undefined) continue;
    checked++;
    const doc = TextDocument.create(pathToFileURL(path.resolve(file)).href, languageIdForPath(file) ?? 'plaintext', 1, text);
    const analysis = analyzeDocument(doc, env);
    for (const problem of computeProblems(doc, analysis, pc)) {
      const start = doc.positionAt(problem.start);
      const end = doc.positionAt(problem.end);
      problems.push({ file, problem, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 });
    }
  }
  const statuses = app.catalog.statuses();
  return {
    version: VERSION,
    files: checked,
    skipped,
    catalog: {
      source: app.catalog.source,
      models: app.catalog.all().length,
      gateways: statuses.map((s) => ({ gateway: s.gateway, state: s.state, ...(s.message ? { message: s.message } : {}) })),
    },
    problems,
  };
}

/** The file's text, or undefined (and a reason in `skipped`) for binary, huge or unreadable files. */
function readText(file: string, skipped: CheckReport['skipped']): string | undefined {
  let buf: Buffer;
  try {
    if (statSync(file).size > MAX_FILE_BYTES) {
      skipped.push({ file, reason: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` });
      return undefined;
    }
    buf = readFileSync(file);
  } catch (e) {
    skipped.push({ file, reason: errorMessage(e) });
    return undefined;
  }
  if (buf.subarray(0, 8000).includes(0)) {
    skipped.push({ file, reason: 'binary file' });
    return undefined;
  }
  const text = buf.toString('utf8');
  // Editors drop the byte-order mark; columns must match what they show.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
