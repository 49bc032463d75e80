// The injection grammars that scope model-ID strings (`string.quoted.model-id.switchyard`), their
// package.json contributions, and the colour default. The regexes are run with JavaScript's engine,
// which agrees with Oniguruma on the constructs used (fixed-length lookbehind alternatives,
// backreferences, character classes); the fixed-length rule itself is checked separately.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const load = (file: string) => JSON.parse(readFileSync(path.join(root, 'syntaxes', file), 'utf8'));
const quoted = load('model-id.injection.json');
const unquoted = load('model-id-unquoted.injection.json');

function ids(grammar: { repository: Record<string, { match: string }> }, line: string): string[] {
  const rule = Object.values(grammar.repository)[0];
  const re = new RegExp(rule.match, 'g');
  return [...line.matchAll(re)].map((m) => (m.length > 3 ? m[2] : m[1]));
}

test('quoted model IDs in model positions are matched, other strings are not', () => {
  const yes: [string, string][] = [
    ['client.chat.completions.create(model="gpt-4o", messages=[])', 'gpt-4o'],
    ['{"model": "openai/gpt-4o-mini"}', 'openai/gpt-4o-mini'],
    ["DEFAULT_MODEL = 'anthropic/claude-sonnet-4'", 'anthropic/claude-sonnet-4'],
    ['const m = openai("gpt-4o")', 'gpt-4o'],
    ['const c = anthropic.chat(`claude-sonnet-4`)', 'claude-sonnet-4'],
    ['\tModel: "gpt-4o",', 'gpt-4o'],
    ['<Chat model={"o3-mini"} />', 'o3-mini'],
    ['model = "meta-llama/llama-3.1-8b-instruct:free"', 'meta-llama/llama-3.1-8b-instruct:free'],
    ['llm = ChatOpenAI(model_name="gpt-4o")', 'gpt-4o'],
  ];
  for (const [line, id] of yes) assert.deepEqual(ids(quoted, line), [id], line);
  for (const line of ['print("gpt-4o")', 'models = ["gpt-4o"]', 'model = "two words"', 'model = f"{name}"']) {
    assert.deepEqual(ids(quoted, line), [], line);
  }
});

test('unquoted values (YAML, dotenv) are matched up to a comment', () => {
  assert.deepEqual(ids(unquoted, 'model: gpt-4o  # the default'), ['gpt-4o']);
  assert.deepEqual(ids(unquoted, 'OPENAI_MODEL=openai/gpt-4o'), ['openai/gpt-4o']);
  assert.deepEqual(ids(unquoted, 'model: gpt 4o'), []);
  assert.deepEqual(ids(unquoted, 'description: a model'), []);
});

test('lookbehinds are fixed-length alternatives (Oniguruma rejects variable-length lookbehind)', () => {
  for (const g of [quoted, unquoted]) {
    const match: string = Object.values<{ match: string }>(g.repository)[0].match;
    const body = match.slice(match.indexOf('(?<=') + 4, match.indexOf(')(', match.indexOf('(?<=')));
    for (const alt of body.split(/(?<!\\)\|/)) {
      assert.ok(!/(?<!\\)[*+?{}]/.test(alt.replace(/\\./g, '')), `variable-length lookbehind alternative: ${alt}`);
    }
  }
});

test('package.json contributes both grammars to the right scopes, and a colour default for the scope', () => {
  for (const [grammar, file] of [[quoted, 'model-id.injection.json'], [unquoted, 'model-id-unquoted.injection.json']]) {
    const entry = pkg.contributes.grammars.find((g: { scopeName: string }) => g.scopeName === grammar.scopeName);
    assert.ok(entry, `no contributes.grammars entry for ${grammar.scopeName}`);
    assert.equal(entry.path, `./syntaxes/${file}`);
    assert.ok(existsSync(path.join(root, entry.path)));
    for (const scope of entry.injectTo) assert.ok(grammar.injectionSelector.includes(`L:${scope} -comment -string`), scope);
  }
  const injectTo = pkg.contributes.grammars.find((g: { scopeName: string }) => g.scopeName === quoted.scopeName).injectTo;
  for (const s of ['source.python', 'source.ts', 'source.tsx', 'source.js', 'source.json', 'source.yaml', 'source.toml', 'source.go', 'source.dotenv']) {
    assert.ok(injectTo.includes(s), s);
  }
  const rules = pkg.contributes.configurationDefaults['editor.tokenColorCustomizations'].textMateRules;
  const scopes = rules.flatMap((r: { scope: string | string[] }) => r.scope);
  assert.ok(scopes.includes(quoted.repository['quoted-model-id'].name));
  assert.ok(scopes.includes(unquoted.repository['unquoted-model-id'].captures['1'].name));
});
