// The server's line-based document (server/lsp/document.ts) must behave exactly like
// vscode-languageserver-textdocument's: the same random edits are replayed on both and every answer compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument, type Position, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { LineDocument, LineDocuments } from '../../server/lsp/document';
import { rng } from './rng';


const PIECES = ['a', 'model="gpt-4o"', ' ', '\n', '\r\n', '\r', 'é', '😀', '', 'x\ny', '\r\n\r\n', '\n\r'];

function assertSame(ours: TextDocument, lib: TextDocument, where: string): void {
  assert.equal(ours.getText(), lib.getText(), `${where}: text`);
  assert.equal(ours.lineCount, lib.lineCount, `${where}: lineCount`);
  assert.equal(ours.version, lib.version, `${where}: version`);
  const n = lib.getText().length;
  for (let o = -1; o <= n + 1; o++) assert.deepEqual(ours.positionAt(o), lib.positionAt(o), `${where}: positionAt(${o})`);
  for (let line = -1; line <= lib.lineCount; line++) {
    assert.deepEqual(ours.getLineRange(line), lib.getLineRange(line), `${where}: getLineRange(${line})`);
    assert.equal(ours.getEOLCharacters(line), lib.getEOLCharacters(line), `${where}: getEOLCharacters(${line})`);
    for (let character = -1; character <= 6; character++) {
      const p = { line, character };
      assert.equal(ours.offsetAt(p), lib.offsetAt(p), `${where}: offsetAt(${line}:${character})`);
      const range = { start: { line, character: 0 }, end: p };
      assert.equal(ours.getText(range), lib.getText(range), `${where}: getText(${line}:0-${character})`);
    }
  }
}

test('random edits give the same text, lines, offsets and positions as vscode-languageserver-textdocument', () => {
  for (let seed = 1; seed <= 60; seed++) {
    const r = rng(seed);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
    const text = Array.from({ length: Math.floor(r() * 12) }, () => pick(PIECES)).join('');
    let lib = TextDocument.create('file:///t.py', 'python', 1, text);
    const ours = LineDocuments.create('file:///t.py', 'python', 1, text);
    assertSame(ours, lib, `seed ${seed} create`);
    for (let step = 0; step < 25; step++) {
      const pos = (): Position => ({ line: Math.floor(r() * (lib.lineCount + 1)), character: Math.floor(r() * 8) });
      const inserted = Array.from({ length: Math.floor(r() * 3) }, () => pick(PIECES)).join('');
      const change: TextDocumentContentChangeEvent = r() < 0.05 ? { text: inserted } : { range: { start: pos(), end: pos() }, text: inserted };
      lib = TextDocument.update(lib, [change], lib.version + 1);
      LineDocuments.update(ours, [change], ours.version + 1);
      assertSame(ours, lib, `seed ${seed} step ${step} ${JSON.stringify(change)}`);
    }
  }
});

test('a line read after an edit is the edited line, and the whole text follows', () => {
  const doc = new LineDocument('file:///t.py', 'python', 1, 'a = 1\nmodel = "gpt"\nb = 2\n');
  doc.update([{ range: { start: { line: 1, character: 12 }, end: { line: 1, character: 12 } }, text: '-4o' }], 2);
  assert.equal(doc.getText({ start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }), 'model = "gpt-4o"\n');
  assert.equal(doc.getText(), 'a = 1\nmodel = "gpt-4o"\nb = 2\n');
});
