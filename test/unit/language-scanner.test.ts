// The model-string scanner: positions per language, what is not a model position, and bad input
// (huge files, minified lines, binary, unterminated strings, CRLF, astral characters).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { scanModelStrings, stringAt } from '../../server/language/scanner';
import { compilePatterns } from '../../server/language/document';
import { familyOf, languageIdForPath } from '../../server/language/languages';
import type { LanguageFamily } from '../../server/language/types';

function values(text: string, family: LanguageFamily, patterns: RegExp[] = []): string[] {
  const found = scanModelStrings(text, family, patterns);
  for (const s of found) assert.equal(text.slice(s.start, s.end), s.value, 'offsets cover exactly the value');
  return found.map((s) => s.value);
}

test('Python: keyword arguments, dict keys, annotated assignments, getenv defaults', () => {
  const py = [
    'client.chat.completions.create(model="gpt-4o", messages=[])',
    "llm = ChatOpenAI(model_name='gpt-4o-mini', temperature=0)",
    'DEFAULT_MODEL: str = "openai/gpt-4o"',
    'self.embedding_model = "text-embedding-3-small"',
    'body = {"model": "anthropic/claude-sonnet-4", "models": ["x"]}',
    'm = os.getenv("OPENAI_MODEL", "o3-mini")',
    'if model == "gpt-4o": pass',
    '# model="commented-out"',
    'x = 1  # model="also-commented"',
    'doc = """model="in-a-docstring-opening"""',
    'models = ["not-a-position"]',
    'remodelled = "nope"',
  ].join('\n');
  assert.deepEqual(values(py, 'python'), ['gpt-4o', 'gpt-4o-mini', 'openai/gpt-4o', 'text-embedding-3-small', 'anthropic/claude-sonnet-4', 'o3-mini', 'gpt-4o']);
});

test('TypeScript/JavaScript: object keys, consts, JSX attributes, AI SDK factories, env defaults', () => {
  const ts = [
    'const r = await client.chat.completions.create({ model: "gpt-4o", messages });',
    "export const DEFAULT_MODEL: string = 'openai/gpt-4o-mini';",
    'const m = openai("gpt-4o"); const c = anthropic.chat(`claude-sonnet-4`);',
    'const t = openrouter("meta-llama/llama-3.1-70b-instruct:free");',
    '<Chat model="o3-mini" fallbackModel={"gpt-4o-mini"} />',
    'const envModel = process.env.OPENAI_MODEL ?? "gpt-4o";',
    'const tpl = { model: `${prefix}/gpt-4o` };',
    'const fn = (model) => model; // model: "commented"',
    'const u = "https://example.com/model=x"; const v = { modelId: "deepseek/deepseek-chat" };',
  ].join('\n');
  assert.deepEqual(values(ts, 'js'), [
    'gpt-4o', 'openai/gpt-4o-mini', 'gpt-4o', 'claude-sonnet-4', 'meta-llama/llama-3.1-70b-instruct:free', 'o3-mini', 'gpt-4o-mini', 'gpt-4o',
    'deepseek/deepseek-chat',
  ]);
  const anchors = scanModelStrings(ts, 'js').map((s) => s.anchor);
  assert.ok(anchors.includes('openai(') && anchors.includes('anthropic(') && anchors.includes('openrouter('));
});

test('JSON, YAML, TOML, dotenv and Go', () => {
  assert.deepEqual(values('{"model": "gpt-4o", "type": "model", "default_model":"o3-mini", "models": []}', 'json'), ['gpt-4o', 'o3-mini']);
  assert.deepEqual(values('{\n  // model: "x"\n  "model": "gpt-4o"\n}', 'jsonc'), ['gpt-4o']);
  const yaml = ['model: gpt-4o  # the default', 'fallback_model: "o3-mini"', "other_model: 'x-ai/grok-2'", 'model: |', '  block', 'model:gpt', 'description: "a model: no"', 'MODEL: {{ .Values.model }}', '- model: deepseek/deepseek-chat'].join('\n');
  assert.deepEqual(values(yaml, 'yaml'), ['gpt-4o', 'o3-mini', 'x-ai/grok-2', 'deepseek/deepseek-chat']);
  assert.deepEqual(values('[llm]\nmodel = "gpt-4o"\nsmall_model = \'gpt-4o-mini\'\n[model]\n', 'toml'), ['gpt-4o', 'gpt-4o-mini']);
  assert.deepEqual(values('OPENAI_MODEL=gpt-4o\nexport FAST_MODEL="gpt-4o-mini"\n# OTHER_MODEL=x\nSPACED_MODEL=two words\n', 'dotenv'), ['gpt-4o', 'gpt-4o-mini']);
  const go = 'req := openai.ChatCompletionRequest{\n\tModel: "gpt-4o",\n}\nmodel := "o3-mini"\nconst DefaultModel string = `claude-sonnet-4`\ntype T struct { Model string `json:"model"` }';
  assert.deepEqual(values(go, 'go'), ['gpt-4o', 'o3-mini', 'claude-sonnet-4']);
});

test('extra patterns from settings: the first capture group is the ID; bad patterns are reported, not thrown', () => {
  const { regexes, errors } = compilePatterns(['pick\\("([^"]+)"\\)', '(unclosed', 'no-group']);
  assert.equal(regexes.length, 1);
  assert.equal(errors.length, 2);
  assert.match(errors[0], /not a valid regular expression/);
  assert.match(errors[1], /no capture group/);
  const found = scanModelStrings('x = pick("gpt-4o")\ny = pick("o3-mini")', 'python', regexes);
  assert.deepEqual(found.map((s) => [s.value, s.quote, s.anchor]), [['gpt-4o', '"', 'pattern'], ['o3-mini', '"', 'pattern']]);
  // An empty match must not loop forever.
  assert.deepEqual(scanModelStrings('abc', 'python', compilePatterns(['()']).regexes).map((s) => s.value), ['', '', '', '']);
});

test('unterminated strings: the ID-like run is the value, so completion never eats the rest of the line', () => {
  const text = 'a(model="gpt-4o\nb(model="gp, temperature=0)\r\nc(model="';
  const found = scanModelStrings(text, 'python');
  assert.deepEqual(found.map((s) => [s.value, s.terminated]), [['gpt-4o', false], ['gp', false], ['', false]]);
  assert.equal(found[2].start, text.length);
  assert.equal(stringAt(found, text.length), found[2]);
});

test('positions are UTF-16 code units: emoji and other astral characters before the string, CRLF lines', () => {
  const text = '# 😀 𝒳 data\r\nx = "🎉"; client.create(model="gpt-4o")\r\nDEFAULT_MODEL = "o3-mini"';
  const doc = TextDocument.create('file:///a.py', 'python', 1, text);
  const [first, second] = scanModelStrings(text, 'python');
  const line1 = 'x = "🎉"; client.create(model="';
  assert.deepEqual(doc.positionAt(first.start), { line: 1, character: line1.length });
  assert.equal(line1.length, 31, '🎉 counts as two code units');
  assert.deepEqual(doc.positionAt(first.end), { line: 1, character: line1.length + 6 });
  assert.deepEqual(doc.positionAt(second.start), { line: 2, character: 17 });
});

test('bad input: 10 MB files, a 10 MB minified line, binary bytes and pathological repetitions stay linear', () => {
  const line = 'response = client.chat.completions.create(model="gpt-4o", messages=messages)\n';
  const filler = 'value = compute(alpha, beta)  # 😀 𝒳 filler, no model here\n'.repeat(99);
  const block = filler + line;
  const blocks = Math.ceil((10 * 1024 * 1024) / block.length);
  const big = block.repeat(blocks);
  let t = performance.now();
  const found = scanModelStrings(big, 'python');
  const bigMs = performance.now() - t;
  assert.equal(found.length, blocks);
  const last = found.at(-1)!;
  assert.equal(last.value, 'gpt-4o');
  assert.equal(last.start, big.length - line.length + line.indexOf('gpt-4o'));
  const doc = TextDocument.create('file:///big.py', 'python', 1, big);
  assert.deepEqual(doc.positionAt(last.start), { line: blocks * 100 - 1, character: line.indexOf('gpt-4o') });

  const minified = 'var a={model:"gpt-4o",b:1};'.repeat(400_000);
  t = performance.now();
  const flat = scanModelStrings(minified, 'js');
  const minMs = performance.now() - t;
  assert.equal(flat.length, 20_000, 'capped at 20,000 strings per document');
  assert.equal(flat[19_999].start, 19_999 * 27 + 14);

  const bytes = new Uint8Array(1024 * 1024);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
  const binary = Buffer.from(bytes).toString('utf8') + 'model="x\u0000y"' + 'model\u0000="z"';
  assert.doesNotThrow(() => scanModelStrings(binary, 'python'));
  assert.doesNotThrow(() => scanModelStrings('model'.repeat(200_000) + '="' + 'a'.repeat(100_000), 'js'));
  assert.doesNotThrow(() => scanModelStrings('model=model=model:'.repeat(100_000), 'yaml'));
  // Not a timing assertion (benchmarks live in bench/): a sanity bound against accidental quadratic work.
  assert.ok(bigMs < 20_000 && minMs < 20_000, `scan took ${bigMs.toFixed(0)} / ${minMs.toFixed(0)} ms`);
});

test('languages: by languageId in the editor, by file name in the CLI', () => {
  assert.equal(familyOf('typescriptreact'), 'js');
  assert.equal(familyOf('dotenv'), 'dotenv');
  assert.equal(familyOf('markdown'), 'generic');
  assert.equal(languageIdForPath('src/App.tsx'), 'typescriptreact');
  assert.equal(languageIdForPath('/x/.env.local'), 'dotenv');
  assert.equal(languageIdForPath('prod.env'), 'dotenv');
  assert.equal(languageIdForPath('config.yml'), 'yaml');
  assert.equal(languageIdForPath('README.md'), undefined);
});
