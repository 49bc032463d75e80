// Model IDs in code through the built language server (`node dist/server.js lsp --stdio`) over a real
// LSP connection, against fake NemoRouter and OpenRouter gateways: completion, each diagnostic, each
// quick fix applied with incremental sync, hover, inlay hints, the ignore command, the refactor, and
// the catalog-change refresh (pull: workspace/diagnostic/refresh; push: a new publishDiagnostics).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  CodeActionRequest,
  CompletionRequest,
  CompletionResolveRequest,
  DiagnosticRefreshRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  ExecuteCommandRequest,
  HoverRequest,
  InlayHintRefreshRequest,
  InlayHintRequest,
  PublishDiagnosticsNotification,
  type ClientCapabilities,
  type CompletionList,
  type Diagnostic,
  type FullDocumentDiagnosticReport,
  type PublishDiagnosticsParams,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startLsp, waitForNotification, type LspSession } from '../helpers/lsp';
import { startFakeGateway, type FakeGateway } from '../fakes';
import { CatalogChangedNotification, RefreshCatalogRequest, type CatalogChangedParams } from '../../server/protocol/messages';

let nemo: FakeGateway;
let or: FakeGateway;
before(async () => {
  [nemo, or] = await Promise.all([startFakeGateway('nemorouter'), startFakeGateway('openrouter')]);
});
after(async () => {
  await Promise.all([nemo.close(), or.close()]);
});

const PULL_CAPS: ClientCapabilities = {
  workspace: { configuration: true, diagnostics: { refreshSupport: true }, inlayHint: { refreshSupport: true } },
  textDocument: { diagnostic: {}, completion: { completionList: { itemDefaults: ['editRange'] } } },
};
const PUSH_CAPS: ClientCapabilities = { workspace: { configuration: true }, textDocument: { publishDiagnostics: {} } };

const waitFor = <T>(s: LspSession, method: string, pred: (p: T) => boolean) => waitForNotification<T>(s, method, pred);

async function startSession(capabilities: ClientCapabilities): Promise<LspSession> {
  const settings = {
    gateways: [
      { id: 'nemo', kind: 'nemorouter', baseUrl: nemo.baseUrl, apiKeyEnv: 'NEMO_KEY' },
      { id: 'or', kind: 'openrouter', baseUrl: or.baseUrl, apiKeyEnv: 'OR_KEY' },
    ],
    proxy: { enabled: false },
    language: { inlayHints: true },
  };
  const s = await startLsp({
    settings,
    capabilities,
    env: { NEMO_KEY: nemo.key, OR_KEY: or.key },
    initializationOptions: { dataDir: mkdtempSync(path.join(tmpdir(), 'switchyard-lang-')) },
  });
  await waitFor<CatalogChangedParams>(s, CatalogChangedNotification.method, (p) => p.source === 'live' && !p.refreshing && p.statuses.every((x) => x.state === 'ok' && x.modelCount > 0));
  return s;
}

/** A document the test edits with incremental `didChange`s, mirrored locally. */
class Doc {
  doc: TextDocument;
  constructor(private readonly s: LspSession, uri: string, languageId: string, text: string) {
    this.doc = TextDocument.create(uri, languageId, 1, text);
  }
  get uri() {
    return this.doc.uri;
  }
  async open() {
    await this.s.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: this.uri, languageId: this.doc.languageId, version: 1, text: this.doc.getText() },
    });
  }
  async edit(edits: TextEdit[]) {
    const version = this.doc.version + 1;
    const changes = edits.map((e) => ({ range: e.range, text: e.newText }));
    this.doc = TextDocument.update(this.doc, changes, version);
    await this.s.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: this.uri, version }, contentChanges: changes });
  }
  pos(needle: string, delta = 0) {
    const at = this.doc.getText().indexOf(needle);
    assert.ok(at >= 0, `"${needle}" not in document`);
    return this.doc.positionAt(at + delta);
  }
  async diagnostics(): Promise<Diagnostic[]> {
    const r = (await this.s.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: this.uri } })) as FullDocumentDiagnosticReport;
    assert.equal(r.kind, 'full');
    return r.items;
  }
}

function summary(ds: Diagnostic[], doc: TextDocument): [string, string][] {
  return ds.map((d) => [String(d.code), doc.getText(d.range)]);
}

const PY = (nemoUrl: string) => `from openai import OpenAI
client = OpenAI(base_url="${nemoUrl}")
ok = client.chat.completions.create(model="gpt-4o", messages=[])
typo = client.chat.completions.create(model="gpt-4o-mnii", messages=[])
old = client.chat.completions.create(model="claude-3-5-sonnet", messages=[])
form = client.chat.completions.create(model="openai/o3-mini", messages=[])
gone = client.chat.completions.create(model="openai/o1", messages=[])
elsewhere = client.chat.completions.create(model="google/gemini-2.0-flash-001", messages=[])
todo = client.chat.completions.create(model="", messages=[])
`;

let pull: LspSession;
let py: Doc;
const refreshes: string[] = [];

test('pull diagnostics: unknown, deprecated, wrong form for the targeted gateway, not served', async () => {
  pull = await startSession(PULL_CAPS);
  pull.connection.onRequest(DiagnosticRefreshRequest.type, () => void refreshes.push('diagnostic'));
  pull.connection.onRequest(InlayHintRefreshRequest.type, () => void refreshes.push('inlayHint'));
  py = new Doc(pull, 'file:///work/app.py', 'python', PY(nemo.baseUrl));
  await py.open();
  const ds = await py.diagnostics();
  assert.deepEqual(summary(ds, py.doc), [
    ['unknown-model', 'gpt-4o-mnii'],
    ['deprecated-model', 'claude-3-5-sonnet'],
    ['wrong-id-form', 'openai/o3-mini'],
    ['model-not-served', 'openai/o1'],
    ['model-not-served', 'google/gemini-2.0-flash-001'],
  ]);
  assert.ok(ds.every((d) => d.source === 'switchyard'));
  const message = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);
  assert.match(message(ds[0]), /Did you mean "gpt-4o-mini"/);
  assert.match(message(ds[1]), /deprecated since 2025-10-22/);
  assert.equal(message(ds[2]), 'NemoRouter (nemo) names this model "o3-mini", not "openai/o3-mini" (the base URL in this file points at it).');
  assert.match(message(ds[3]), /known model, but none of your gateways \(nemo, or\) serves it/);
  assert.match(message(ds[4]), /OpenRouter \(or\) as "google\/gemini-2\.0-flash-001" does/);
  assert.deepEqual(ds[0].range, { start: { line: 3, character: 45 }, end: { line: 3, character: 56 } });
});

test('completion inside model="": every model, NemoRouter IDs first, one edit range; resolve adds the card', async () => {
  const list = (await pull.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: py.uri }, position: py.pos('model=""', 7) })) as CompletionList;
  // 15 gateway models, two of them NemoRouter's spellings of OpenRouter's (claude-4-sonnet, claude-3-5-sonnet): 13.
  assert.equal(list.items.length, 13);
  assert.deepEqual(list.itemDefaults?.editRange, { start: py.pos('model=""', 7), end: py.pos('model=""', 7) });
  const ranked = [...list.items].sort((a, b) => a.sortText!.localeCompare(b.sortText!)).map((i) => i.label);
  const nemoFirst = ranked.slice(0, ranked.findIndex((l) => l.includes('/')));
  assert.equal(nemoFirst.length, 9, `NemoRouter's own (non-deprecated) IDs come first: ${ranked.join(', ')}`);
  assert.deepEqual(ranked.slice(-1), ['claude-3-5-sonnet'], 'deprecated last, in the form NemoRouter (the default) spells it');
  const item = list.items.find((i) => i.label === 'gpt-4o')!;
  assert.equal(item.filterText, undefined, 'a bare ID filters on its label');
  assert.equal(list.items.find((i) => i.label.includes('/'))?.filterText?.split(' ').length, 2, 'prefixed IDs filter on their bare part too');
  assert.equal(item.labelDetails?.description, '$2.50 / $10 per M · 128k ctx');
  const resolved = await pull.connection.sendRequest(CompletionResolveRequest.type, item);
  assert.equal(resolved.detail, 'OpenAI: GPT-4o — $2.50 / $10 per M · 128k ctx');
  assert.match((resolved.documentation as { value: string }).value, /\| 1k in \+ 1k out \| \$0\.0125 \|/);
  // Outside a model string there is nothing to offer.
  assert.equal(await pull.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: py.uri }, position: { line: 0, character: 2 } }), null);
});

test('hover: the model card with the ID on each gateway', async () => {
  const h = await pull.connection.sendRequest(HoverRequest.type, { textDocument: { uri: py.uri }, position: py.pos('"gpt-4o"', 3) });
  const md = (h!.contents as { value: string }).value;
  for (const part of ['**OpenAI: GPT\\-4o**', 'NemoRouter \\(nemo\\) — `gpt-4o` — $2.50 / $10 per M ← this string', 'OpenRouter \\(or\\) — `openai/gpt-4o`', '| Context | 128k tokens |', '| Max output | 16k tokens |', '| 1k in + 1k out | $0.0125 |']) {
    assert.ok(md.includes(part), `missing ${part} in\n${md}`);
  }
});

test('inlay hints: the price after each known model string', async () => {
  const hints = await pull.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri: py.uri }, range: { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } } });
  const first = hints!.find((h) => h.position.line === 2)!;
  assert.equal(first.label, '$2.50 / $10 per M · 128k ctx');
  assert.deepEqual(first.position, py.pos('"gpt-4o"', 8));
});

test('quick fixes applied through incremental didChange make the diagnostics go away', async () => {
  const ds = await py.diagnostics();
  for (const code of ['unknown-model', 'wrong-id-form']) {
    const d = (await py.diagnostics()).find((x) => x.code === code)!;
    const actions = await pull.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: py.uri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] } });
    const fix = actions!.find((a) => 'edit' in a && a.isPreferred)!;
    assert.ok('diagnostics' in fix && fix.diagnostics?.length === 1, 'the fix names the diagnostic it resolves');
    await py.edit((fix as { edit: { changes: Record<string, TextEdit[]> } }).edit.changes[py.uri]);
  }
  assert.ok(py.doc.getText().includes('model="gpt-4o-mini"') && py.doc.getText().includes('model="o3-mini"'));
  const after = await py.diagnostics();
  assert.equal(after.length, ds.length - 2);
  assert.ok(!after.some((d) => d.code === 'unknown-model' || d.code === 'wrong-id-form'));
});

test('the ignore fix (workspace/executeCommand from non-VS Code editors) silences the ID and refreshes', async () => {
  const d = (await py.diagnostics()).find((x) => x.code === 'deprecated-model')!;
  const actions = await pull.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: py.uri }, range: d.range, context: { diagnostics: [d] } });
  const ignore = actions!.find((a) => a.title.startsWith('Ignore'))!;
  const command = 'command' in ignore && typeof ignore.command === 'object' ? ignore.command : undefined;
  assert.deepEqual(command?.arguments, ['claude-3-5-sonnet']);
  const before = refreshes.length;
  const refreshed = new Promise<void>((resolve) => pull.connection.onRequest(DiagnosticRefreshRequest.type, () => void (refreshes.push('diagnostic'), resolve())));
  // No handler for window/showMessageRequest here: the client answers MethodNotFound, which the server must survive.
  await pull.connection.sendRequest(ExecuteCommandRequest.type, { command: command!.command, arguments: command!.arguments });
  await refreshed;
  assert.ok(refreshes.length > before);
  assert.ok(!(await py.diagnostics()).some((x) => x.code === 'deprecated-model'));
});

test('refactor: switch to a cheaper equivalent served by the targeted gateway', async () => {
  const at = py.pos('"gpt-4o"', 2);
  const actions = await pull.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: py.uri }, range: { start: at, end: at }, context: { diagnostics: [], only: ['refactor.rewrite'] } });
  assert.deepEqual(actions!.map((a) => a.title), [
    'Switch to a cheaper equivalent: "gpt-4o-mini" (94% cheaper, $0.00075 vs $0.0125 per 1k/1k call)',
  ]);
});

test('bad documents: a 3 MB CRLF file with astral characters, a minified megabyte line, binary bytes, an unterminated string', async () => {
  const filler = 'note = "😀 𝒳 filler"  # 🎉\r\n'.repeat(100_000);
  const big = new Doc(pull, 'file:///work/big.py', 'python', `${filler}z = "🎉"; y = create(model="gpt-4o-mnii")\r\n`);
  await big.open();
  const [d] = await big.diagnostics();
  assert.equal(d.code, 'unknown-model');
  assert.deepEqual(d.range, { start: { line: 100_000, character: 28 }, end: { line: 100_000, character: 39 } }, 'UTF-16 columns after 🎉');

  const chunk = 'var a={b:"😀"};';
  assert.equal(chunk.length, 15, 'the emoji is two UTF-16 code units');
  const minified = new Doc(pull, 'file:///work/app.min.js', 'javascript', chunk.repeat(70_000) + 'x({model:"gpt-4o-mnii"});');
  await minified.open();
  const [m] = await minified.diagnostics();
  assert.deepEqual(summary([m], minified.doc), [['unknown-model', 'gpt-4o-mnii']]);
  assert.equal(m.range.start.line, 0);
  assert.equal(m.range.start.character, 15 * 70_000 + 10);

  const binary = new Doc(pull, 'file:///work/blob.json', 'json', '\u0000\u0001\uFFFD{"model": "gpt-4o-mnii\u0000"}\uD800 model="x"');
  await binary.open();
  assert.ok(Array.isArray(await binary.diagnostics()));

  const typing = new Doc(pull, 'file:///work/typing.py', 'python', 'client.create(model="gpt-4o-mn');
  await typing.open();
  assert.deepEqual(await typing.diagnostics(), [], 'a string still being typed is not reported');
  const list = (await pull.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: typing.uri }, position: typing.doc.positionAt(typing.doc.getText().length) })) as CompletionList;
  const item = list.items.find((i) => i.label === 'gpt-4o-mini')!;
  assert.deepEqual(item.textEdit, { range: { start: { line: 0, character: 21 }, end: { line: 0, character: 30 } }, newText: 'gpt-4o-mini"' });
});

test('a catalog change re-checks open documents (pull: workspace/diagnostic/refresh)', async () => {
  // NemoRouter drops gpt-4o: the file targets NemoRouter, so `model="gpt-4o"` is no longer served there.
  nemo.state.models = nemo.state.models.filter((m) => m.id !== 'gpt-4o');
  const refreshed = new Promise<void>((resolve) => pull.connection.onRequest(DiagnosticRefreshRequest.type, () => void (refreshes.push('diagnostic'), resolve())));
  await pull.connection.sendRequest(RefreshCatalogRequest, { gateway: 'nemo' });
  await refreshed;
  const ds = await py.diagnostics();
  const line2 = ds.filter((d) => d.range.start.line === 2);
  assert.deepEqual(summary(line2, py.doc), [['model-not-served', 'gpt-4o']]);
  assert.match(String(line2[0].message), /NemoRouter \(nemo\), which the base URL in this file points at, does not serve "gpt-4o"/);
  assert.equal(await pull.close(), 0, pull.stderr());
});

test('push diagnostics for clients without pull (older Neovim, Helix), re-published when the catalog changes', async () => {
  nemo.state.models = nemo.state.models.filter((m) => m.id !== 'mistral-large');
  const s = await startSession(PUSH_CAPS);
  try {
    const env = new Doc(s, 'file:///work/.env', 'dotenv', `OPENAI_BASE_URL=${or.baseUrl}\nOPENAI_MODEL=gpt-4o\nFAST_MODEL=openai/gpt-4o-mini\nBIG_MODEL=mistralai/mistral-large\n`);
    await env.open();
    const first = await waitFor<PublishDiagnosticsParams>(s, PublishDiagnosticsNotification.method, (p) => p.uri === env.uri && p.diagnostics.length > 0);
    assert.deepEqual(summary(first.diagnostics, env.doc), [['wrong-id-form', 'gpt-4o']]);
    // OpenRouter stops listing Mistral Large, which no gateway then serves.
    or.state.models = or.state.models.filter((m) => m.id !== 'mistralai/mistral-large');
    await s.connection.sendRequest(RefreshCatalogRequest, { gateway: 'or' });
    const next = await waitFor<PublishDiagnosticsParams>(s, PublishDiagnosticsNotification.method, (p) => p.uri === env.uri && p.diagnostics.length === 2);
    assert.deepEqual(summary(next.diagnostics, env.doc), [['wrong-id-form', 'gpt-4o'], ['model-not-served', 'mistralai/mistral-large']]);
  } finally {
    assert.equal(await s.close(), 0, s.stderr());
  }
});
