// `switchyard check` as CI and pre-commit run it: the built CLI (`node dist/server.js check`) against
// fake gateways, offline on the embedded table, exit codes 0/1/2, text/JSON output and SARIF 2.1.0
// validated against the structure the SARIF spec requires.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { startFakeGateway, type FakeGateway } from '../fakes';

const SERVER_JS = path.resolve(__dirname, '../../dist/server.js');

let nemo: FakeGateway;
let or: FakeGateway;
let project: string;
let config: string;
before(async () => {
  [nemo, or] = await Promise.all([startFakeGateway('nemorouter'), startFakeGateway('openrouter')]);
  project = mkdtempSync(path.join(tmpdir(), 'switchyard-check-'));
  mkdirSync(path.join(project, 'src'));
  mkdirSync(path.join(project, 'node_modules', 'dep'), { recursive: true });
  writeFileSync(path.join(project, 'src', 'clean.py'), `client = OpenAI(base_url="${nemo.baseUrl}")\nclient.create(model="gpt-4o")\n`);
  writeFileSync(
    path.join(project, 'src', 'app.py'),
    `client = OpenAI(base_url="${nemo.baseUrl}")\r\n# 😀\r\nx = "🎉"; client.create(model="gpt-4o-mnii")\r\nclient.create(model="openai/o3-mini")\r\nclient.create(model="gpt4o")  # switchyard-ignore\r\n`,
  );
  writeFileSync(path.join(project, '.env'), `OPENAI_BASE_URL=${or.baseUrl}\nOPENAI_MODEL=openai/gpt-4o\n`);
  writeFileSync(path.join(project, 'node_modules', 'dep', 'index.js'), 'openai("not-checked-here")');
  writeFileSync(path.join(project, 'src', 'blob.json'), Buffer.from([0x7b, 0x00, 0x01, 0x02, 0x7d]));
  config = path.join(project, 'switchyard.json');
  writeFileSync(config, JSON.stringify({
    gateways: [
      { id: 'nemo', kind: 'nemorouter', baseUrl: nemo.baseUrl, apiKeyEnv: 'NEMO_KEY' },
      { id: 'or', kind: 'openrouter', baseUrl: or.baseUrl, apiKeyEnv: 'OR_KEY' },
    ],
  }));
});
after(async () => {
  await Promise.all([nemo.close(), or.close()]);
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function check(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'switchyard-check-data-'));
  const child = spawn(process.execPath, [SERVER_JS, 'check', '--data-dir', dataDir, ...args], {
    cwd: project,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NEMO_KEY: nemo.key, OR_KEY: or.key, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

test('exit 0 on a clean file, 1 with problems; text lines are file:line:column with UTF-16 columns', async () => {
  const clean = await check(['--config', config, 'src/clean.py']);
  assert.equal(clean.code, 0, clean.stderr);
  assert.match(clean.stdout, /^No model-ID problems in 1 file \(catalog: live, \d+ models\)\.\n$/);

  const r = await check(['--config', config, 'src/app.py', '.env']);
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), [
    'src/app.py:3:32: warning unknown-model: Unknown model "gpt-4o-mnii". Did you mean "gpt-4o-mini"?',
    'src/app.py:4:22: warning wrong-id-form: NemoRouter (nemo) names this model "o3-mini", not "openai/o3-mini" (the base URL in this file points at it).',
    '',
    '2 problems (2 warnings) in 1 file of 2 checked (catalog: live, 13 models).',
  ], 'the suppressed line and the .env (right form for OpenRouter, which its base URL names) are clean');
});

test('--format json: every problem with position, rule, severity, suggestions; directories are walked', async () => {
  const r = await check(['--config', config, '--format', 'json', '.']);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.catalog.source, 'live');
  assert.deepEqual(report.catalog.gateways.map((g: { gateway: string; state: string }) => [g.gateway, g.state]), [['nemo', 'ok'], ['or', 'ok']]);
  assert.equal(report.files, 4, '.env, switchyard.json, src/app.py, src/clean.py — not node_modules, not the binary JSON');
  assert.deepEqual(report.skipped, [{ file: 'src/blob.json', reason: 'binary file' }]);
  assert.match(r.stderr, /skipped src\/blob\.json: binary file/);
  const [first] = report.problems;
  assert.deepEqual(first, {
    file: 'src/app.py', line: 3, column: 32, endLine: 3, endColumn: 43, rule: 'unknown-model', severity: 'warning',
    message: 'Unknown model "gpt-4o-mnii". Did you mean "gpt-4o-mini"?', value: 'gpt-4o-mnii', suggestions: ['gpt-4o-mini'],
  });
  assert.deepEqual(report.summary, { error: 0, warning: report.problems.length, information: 0, hint: 0 });
});

/** The parts of SARIF 2.1.0 (OASIS, sarif-schema-2.1.0.json) that code-scanning uploads rely on. */
const Message = z.object({ text: z.string().min(1) });
const Region = z.object({ startLine: z.number().int().min(1), startColumn: z.number().int().min(1), endLine: z.number().int().min(1), endColumn: z.number().int().min(1) });
const ArtifactLocation = z.object({ uri: z.string().min(1), uriBaseId: z.string().optional() });
const Sarif = z.object({
  $schema: z.string().url(),
  version: z.literal('2.1.0'),
  runs: z.array(z.object({
    tool: z.object({
      driver: z.object({
        name: z.string(),
        semanticVersion: z.string().regex(/^\d+\.\d+\.\d+/),
        rules: z.array(z.object({
          id: z.string(),
          name: z.string().regex(/^[A-Z][A-Za-z]+$/),
          shortDescription: Message,
          fullDescription: Message,
          defaultConfiguration: z.object({ level: z.enum(['none', 'note', 'warning', 'error']), enabled: z.boolean() }),
        }).strict()),
      }),
    }),
    originalUriBaseIds: z.record(z.string(), z.object({ uri: z.string().regex(/^file:\/\/.*\/$/) })),
    columnKind: z.literal('utf16CodeUnits'),
    results: z.array(z.object({
      ruleId: z.string(),
      ruleIndex: z.number().int().min(0),
      level: z.enum(['none', 'note', 'warning', 'error']),
      message: Message,
      locations: z.array(z.object({ physicalLocation: z.object({ artifactLocation: ArtifactLocation, region: Region }) })).min(1),
      partialFingerprints: z.record(z.string(), z.string()),
      fixes: z.array(z.object({
        description: Message,
        artifactChanges: z.array(z.object({
          artifactLocation: ArtifactLocation,
          replacements: z.array(z.object({ deletedRegion: Region, insertedContent: z.object({ text: z.string() }) })).min(1),
        })).min(1),
      })).optional(),
    })),
  })).length(1),
});

test('--format sarif: valid SARIF 2.1.0 with rule ids, relative artifact URIs and fixes', async () => {
  const r = await check(['--config', config, '--format', 'sarif', 'src/app.py']);
  assert.equal(r.code, 1, r.stderr);
  const parsed = Sarif.safeParse(JSON.parse(r.stdout));
  assert.ok(parsed.success, parsed.success ? '' : z.prettifyError(parsed.error));
  const run = parsed.data.runs[0];
  const ruleIds = run.tool.driver.rules.map((x) => x.id);
  assert.deepEqual(ruleIds, ['unknown-model', 'deprecated-model', 'model-not-served', 'wrong-id-form']);
  for (const res of run.results) assert.equal(ruleIds[res.ruleIndex], res.ruleId);
  assert.deepEqual(run.results.map((x) => [x.ruleId, x.locations[0].physicalLocation.region.startLine, x.locations[0].physicalLocation.region.startColumn]), [['unknown-model', 3, 32], ['wrong-id-form', 4, 22]]);
  assert.deepEqual(run.results[0].locations[0].physicalLocation.artifactLocation, { uri: 'src/app.py', uriBaseId: '%SRCROOT%' });
  assert.equal(run.results[1].fixes?.[0].artifactChanges[0].replacements[0].insertedContent.text, 'o3-mini');
  assert.ok(run.originalUriBaseIds['%SRCROOT%'].uri.endsWith(`${path.basename(project)}/`));
});

test('offline on the embedded table: no config at all, and configured gateways that do not answer', async () => {
  const none = await check(['src/clean.py', 'src/app.py']);
  assert.equal(none.code, 1, none.stderr);
  assert.match(none.stdout, /src\/app\.py:3:32: warning unknown-model: Unknown model "gpt-4o-mnii"\. Did you mean "gpt-4o-mini"/);
  assert.match(none.stdout, /catalog: offline, \d{3,} models/);

  const down = path.join(project, 'down.json');
  writeFileSync(down, JSON.stringify({ gateways: [{ id: 'nemo', kind: 'nemorouter', baseUrl: 'http://127.0.0.1:9/v1', apiKeyEnv: 'NEMO_KEY' }] }));
  const r = await check(['--config', down, '--timeout', '10', 'src/clean.py']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /catalog: offline/);
  assert.match(r.stderr, /NemoRouter \(nemo\)/, 'the unreachable gateway is named on stderr');
});

test('--fail-on lets warnings pass a pre-commit hook; usage and config errors exit 2', async () => {
  const lenient = await check(['--config', config, '--fail-on', 'error', 'src/app.py']);
  assert.equal(lenient.code, 0);
  assert.match(lenient.stdout, /unknown-model/, 'problems are still printed');

  const bad = path.join(project, 'bad.json');
  writeFileSync(bad, '{"gateways": [{"id": "x", "kind": "nope"}]}');
  const badPattern = path.join(project, 'bad-pattern.json');
  writeFileSync(badPattern, JSON.stringify({ language: { patterns: ['pick\\(("unclosed'] } }));
  const cases = [['--format', 'xml', 'src/app.py'], [], ['missing.py'], ['--config', bad, 'src/app.py'], ['--config', badPattern, 'src/app.py'], ['--no-such-flag', 'src/app.py'], ['--timeout', '0', 'src/app.py']];
  for (const args of cases) {
    const r = await check(args);
    assert.equal(r.code, 2, `${args.join(' ')} → ${r.code}: ${r.stderr}`);
    assert.match(r.stderr, /switchyard check: /);
    assert.equal(r.stdout, '');
  }
});
