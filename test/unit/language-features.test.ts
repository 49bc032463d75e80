// Completion, hover, code actions and inlay hints as pure functions, and the CLI report renderers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, CompletionItemTag, type CompletionList, type TextEdit } from 'vscode-languageserver/node';
import { completeAt, resolveItem } from '../../server/language/completion';
import { hoverAt } from '../../server/language/hover';
import { codeActions, IGNORE_COMMAND } from '../../server/language/actions';
import { inlayHints } from '../../server/language/inlay';
import { computeProblems, problemContext } from '../../server/language/diagnostics';
import { renderSarif, renderText } from '../../server/language/report';
import { analyzed, catalogView, envOf, GATEWAY_MODELS, NEMO_URL, OR_URL, offsetOf } from './language-fixtures';
import type { Model } from '../../server/protocol/model';

function apply(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'python', 1, text), edits);
}

test('completion: every model in the target form, favorites and the target gateway first, whole-content edit', () => {
  const env = envOf({ favorites: ['google/gemini-2.0-flash'] });
  const text = `client = OpenAI(base_url="${NEMO_URL}")\nclient.create(model="gp")`;
  const { doc, a } = analyzed(text, 'python', env);
  const list = completeAt(doc, a, offsetOf(text, 'gp"', 1), env, { itemDefaults: true })!;
  assert.equal(list.items.length, 6, 'one item per catalog model');
  const sorted = [...list.items].sort((x, y) => x.sortText!.localeCompare(y.sortText!)).map((i) => i.label);
  assert.equal(sorted[0], 'google/gemini-2.0-flash-001', 'the favorite first (as OpenRouter names it: NemoRouter lacks it)');
  assert.deepEqual(sorted.slice(1, 4).sort(), ['claude-4-sonnet', 'gpt-4o', 'gpt-4o-mini'], "then NemoRouter's own IDs");
  assert.equal(sorted.at(-1), 'anthropic/claude-3.5-sonnet', 'deprecated last');
  const dep = list.items.find((i) => i.label === 'anthropic/claude-3.5-sonnet')!;
  assert.deepEqual(dep.tags, [CompletionItemTag.Deprecated]);
  const gpt = list.items.find((i) => i.label === 'gpt-4o')!;
  assert.equal(gpt.labelDetails?.description, '$2.50 / $10 per M · 128k ctx');
  assert.equal(gpt.detail, undefined, 'the name comes with resolve: 5,000 items cross the wire');
  const line = 1;
  assert.deepEqual(list.itemDefaults?.editRange, { start: { line, character: 21 }, end: { line, character: 23 } });
  // Filtering ignores the provider prefix: the bare model part leads filterText.
  const or = list.items.find((i) => i.label === 'meta-llama/llama-3.1-70b-instruct')!;
  assert.equal(or.filterText, 'llama-3.1-70b-instruct meta-llama/llama-3.1-70b-instruct');
  // Documentation (the model card) arrives on resolve.
  const resolved = resolveItem({ ...gpt }, env);
  assert.equal(resolved.detail, 'OpenAI: GPT-4o — $2.50 / $10 per M · 128k ctx');
  const card = resolved.documentation as { kind: string; value: string };
  assert.equal(card.kind, 'markdown');
  assert.match(card.value, /1k in \+ 1k out \| \$0\.0125/);
  // Same snapshot, target and favorites: the very same item objects.
  assert.equal(completeAt(doc, a, offsetOf(text, 'gp"', 1), env, { itemDefaults: true })!.items, list.items);
});

test('completion without itemDefaults support, in an unterminated string, and after an AI SDK factory', () => {
  const env = envOf();
  const text = `base = "${OR_URL}"\nllm = ChatOpenAI(model="gpt`;
  const { doc, a } = analyzed(text, 'python', env);
  const list = completeAt(doc, a, text.length, env, { itemDefaults: false }) as CompletionList;
  const gpt = list.items.find((i) => i.label === 'openai/gpt-4o')!;
  assert.deepEqual(gpt.textEdit, { range: { start: { line: 1, character: 24 }, end: { line: 1, character: 27 } }, newText: 'openai/gpt-4o"' });
  assert.equal(apply(text, [gpt.textEdit as TextEdit]).split('\n')[1], 'llm = ChatOpenAI(model="openai/gpt-4o"');
  assert.equal(completeAt(doc, a, 3, env, { itemDefaults: true }), null, 'outside model strings: nothing');

  const ts = 'const m = anthropic("claude"); const o = openrouter("")';
  const t = analyzed(ts, 'typescript', env);
  const own = completeAt(t.doc, t.a, offsetOf(ts, 'claude', 2), env, { itemDefaults: true })!;
  assert.deepEqual(own.items.map((i) => i.label).sort(), ['claude-3.5-sonnet', 'claude-sonnet-4'], "Anthropic's own bare IDs only");
  const all = completeAt(t.doc, t.a, offsetOf(ts, '("")', 2), env, { itemDefaults: true })!;
  assert.equal(all.items.length, 6);
});

test('completion: one item per ID when two catalog models are written the same way; a missing price side is "—"', () => {
  // A local gateway lists a bare `gpt-4o-mini` the catalog cannot attribute to OpenAI (its own model),
  // and an embedding model with no output price: seen in the end-to-end run against the fakes.
  const local: Model[] = [
    { ...GATEWAY_MODELS.nemo[1], gateway: 'local', canonicalId: 'local/gpt-4o-mini', provider: 'local', pricing: undefined, priceSource: 'none' },
    { ...GATEWAY_MODELS.nemo[0], gateway: 'local', id: 'embed-small', canonicalId: 'local/embed-small', provider: 'local', name: 'Embed small', pricing: { inputPerMTok: 0.02 } },
  ];
  const env = envOf({ catalog: catalogView({ ...GATEWAY_MODELS, local }) });
  const text = 'client.create(model="")';
  const { doc, a } = analyzed(text, 'python', env);
  const list = completeAt(doc, a, offsetOf(text, '""', 1), env, { itemDefaults: true })!;
  const minis = list.items.filter((i) => i.label === 'gpt-4o-mini');
  assert.equal(minis.length, 1, `one "gpt-4o-mini" item (labels: ${list.items.map((i) => i.label).join(', ')})`);
  assert.equal(minis[0].labelDetails?.description, '$0.15 / $0.60 per M · 128k ctx', "the one NemoRouter (the target) serves, with its price");
  assert.equal(new Set(list.items.map((i) => i.label)).size, list.items.length, 'no label twice');
  const embed = list.items.find((i) => i.label === 'embed-small')!;
  assert.match(embed.labelDetails!.description!, /^\$0\.02 \/ \? per M · /, 'an unknown output price is "?", not "$?"');
});

test('hover: the model card with every gateway ID, prices, context, modalities and the 1k/1k cost', () => {
  const env = envOf();
  const text = `base_url = "${NEMO_URL}"\nmodel = "gpt-4o"\nother_model = "gpt-4o-mnii"`;
  const { doc, a } = analyzed(text, 'python', env);
  const h = hoverAt(doc, a, offsetOf(text, 'gpt-4o"', 2), env)!;
  const md = (h.contents as { value: string }).value;
  for (const part of ['**OpenAI: GPT\\-4o**', '`openai/gpt-4o`', '| Price | $2.50 / $10 per M |', '| Context | 128k tokens |', '| Max output | 16k tokens |', '| Input | text, image |', '| Output | text |', 'tools · vision · JSON output', '| 1k in + 1k out | $0.0125 |', 'NemoRouter \\(nemo\\) — `gpt-4o` — $2.50 / $10 per M ← this string', 'OpenRouter \\(or\\) — `openai/gpt-4o`']) {
    assert.ok(md.includes(part), `card lacks ${part}:\n${md}`);
  }
  assert.deepEqual(h.range, { start: { line: 1, character: 9 }, end: { line: 1, character: 15 } });
  const unknown = hoverAt(doc, a, offsetOf(text, 'mnii'), env)!;
  assert.match((unknown.contents as { value: string }).value, /Unknown model.*Did you mean `gpt-4o-mini`/);
  assert.equal(hoverAt(doc, a, 0, env), null);
});

test('quick fixes: replace with each suggestion, ignore (command), suppress on this line; applied edits fix the problem', () => {
  const env = envOf();
  const text = `client = OpenAI(base_url="${NEMO_URL}")\r\n    client.create(model="openai/gpt-4o")\r\n`;
  const { doc, a } = analyzed(text, 'python', env);
  const pc = problemContext(env);
  const [problem] = computeProblems(doc, a, pc);
  assert.equal(problem.rule, 'wrongForm');
  const at = doc.positionAt(problem.start);
  const actions = codeActions(doc, a, { range: { start: at, end: at }, diagnostics: [] }, pc);
  const fixes = actions.filter((x) => x.kind === CodeActionKind.QuickFix);
  assert.deepEqual(fixes.map((x) => x.title), ['Replace with "gpt-4o"', 'Ignore "openai/gpt-4o" (add to switchyard.language.ignore)', 'Suppress "wrong-id-form" on this line']);
  assert.equal(fixes[0].isPreferred, true);
  const fixed = apply(text, fixes[0].edit!.changes![doc.uri]);
  assert.ok(fixed.includes('model="gpt-4o"'));
  const after = analyzed(fixed, 'python', env);
  assert.deepEqual(computeProblems(after.doc, after.a, pc), []);
  assert.deepEqual(fixes[1].command, { title: 'Ignore model ID', command: IGNORE_COMMAND, arguments: ['openai/gpt-4o'] });
  const suppressed = apply(text, fixes[2].edit!.changes![doc.uri]);
  assert.equal(suppressed.split('\n')[1], '    # switchyard-ignore-next-line wrong-id-form\r', 'indented, with the file\'s line ending');
  const s2 = analyzed(suppressed, 'python', env);
  assert.deepEqual(computeProblems(s2.doc, s2.a, pc), []);
  // JSON has no comments: no suppression fix there.
  const json = analyzed('{"model": "gpt4o"}', 'json', env);
  const jsonFixes = codeActions(json.doc, json.a, { range: { start: { line: 0, character: 12 }, end: { line: 0, character: 12 } }, diagnostics: [] }, pc);
  assert.ok(!jsonFixes.some((x) => x.title.startsWith('Suppress')));
});

test('refactor: cheaper equivalents keep capabilities, modalities and context, cheapest first', () => {
  const env = envOf();
  const text = `base_url = "${OR_URL}"\nmodel = "openai/gpt-4o"`;
  const { doc, a } = analyzed(text, 'python', env);
  const at = { line: 1, character: 12 };
  const actions = codeActions(doc, a, { range: { start: at, end: at }, diagnostics: [], only: [CodeActionKind.RefactorRewrite] }, problemContext(env));
  assert.deepEqual(actions.map((x) => x.title), [
    'Switch to a cheaper equivalent: "google/gemini-2.0-flash-001" (96% cheaper, $0.0005 vs $0.0125 per 1k/1k call)',
    'Switch to a cheaper equivalent: "openai/gpt-4o-mini" (94% cheaper, $0.00075 vs $0.0125 per 1k/1k call)',
  ]);
  assert.equal(apply(text, actions[1].edit!.changes![doc.uri]).split('\n')[1], 'model = "openai/gpt-4o-mini"');
  // Claude Sonnet 4 reasons; nothing cheaper here does.
  const s = analyzed(`base_url = "${OR_URL}"\nmodel = "anthropic/claude-sonnet-4"`, 'python', env);
  assert.deepEqual(codeActions(s.doc, s.a, { range: { start: at, end: at }, diagnostics: [], only: [CodeActionKind.RefactorRewrite] }, problemContext(env)), []);
});

test('inlay hints: price and context after the closing quote, only when enabled', () => {
  const text = 'model = "gpt-4o"\nx_model = "nope-nope"';
  const range = { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } };
  const off = analyzed(text);
  assert.deepEqual(inlayHints(off.doc, off.a, range, off.env), []);
  const env = envOf({ settings: { language: { inlayHints: true } } });
  const on = analyzed(text, 'python', env);
  const hints = inlayHints(on.doc, on.a, range, env);
  assert.deepEqual(hints.map((h) => [h.position, h.label]), [[{ line: 0, character: 16 }, '$2.50 / $10 per M · 128k ctx']]);
});

test('report renderers: text lines, SARIF 2.1.0 with relative URIs, rules and fixes', () => {
  const env = envOf();
  const { doc, a } = analyzed('model = "gpt4o"', 'python', env);
  const [p] = computeProblems(doc, a, problemContext(env));
  const report = {
    version: '0.1.0', files: 1, skipped: [],
    catalog: { source: 'live', models: 6, gateways: [] },
    problems: [{ file: 'src/app.py', problem: p, line: 1, column: 10, endLine: 1, endColumn: 15 }],
  };
  assert.equal(renderText(report).split('\n')[0], 'src/app.py:1:10: warning unknown-model: Unknown model "gpt4o". Did you mean "gpt-4o"?');
  const sarif = JSON.parse(renderSarif(report, env.settings, '/work/proj'));
  const run = sarif.runs[0];
  assert.equal(sarif.version, '2.1.0');
  assert.deepEqual(run.tool.driver.rules.map((r: { id: string }) => r.id), ['unknown-model', 'deprecated-model', 'model-not-served', 'wrong-id-form']);
  assert.equal(run.results[0].ruleIndex, 0);
  assert.deepEqual(run.results[0].locations[0].physicalLocation, { artifactLocation: { uri: 'src/app.py', uriBaseId: '%SRCROOT%' }, region: { startLine: 1, startColumn: 10, endLine: 1, endColumn: 15 } });
  assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, 'file:///work/proj/');
  assert.equal(run.results[0].fixes[0].artifactChanges[0].replacements[0].insertedContent.text, 'gpt-4o');
});
