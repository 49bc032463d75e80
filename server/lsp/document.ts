// The open documents' text, kept as lines. vscode-languageserver-textdocument keeps one string and
// splices it on every didChange; V8 then copies the whole file (a 5,000-line file: 340 KB, a large-object
// allocation plus its GC) on the next read, i.e. on every keystroke, and that copy was most of the
// server's CPU per completion round trip (language bench, issue 21). Here an edit replaces the lines it
// touches; the whole text is joined only when a feature asks for it (full diagnostics), while completion
// and hover read the cursor's line. Behaviour (offsets, clamping, line breaks \n, \r\n, \r) is the
// library's: test/unit/line-document.test.ts replays random edits on both.
import type { Position, Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

const CR = 13;
const LF = 10;

/** The lines of `text`, each with its line break; the last one has none (and may be empty). */
function splitLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== CR && c !== LF) continue;
    if (c === CR && text.charCodeAt(i + 1) === LF) i++;
    out.push(text.slice(start, i + 1));
    start = i + 1;
  }
  out.push(text.slice(start));
  return out;
}

const isEol = (c: number) => c === CR || c === LF;
/** True for a line that ends in a lone \r: an \n inserted right after it would join the two breaks. */
const endsInLoneCr = (line: string) => line.charCodeAt(line.length - 1) === CR;

export class LineDocument implements TextDocument {
  private lines: string[];
  private starts: number[] = [];
  private length = 0;
  private text: string | undefined;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    private _version: number,
    content: string,
  ) {
    this.lines = splitLines(content);
    this.text = content;
    this.reindex(0);
  }

  get version(): number {
    return this._version;
  }

  get lineCount(): number {
    return this.lines.length;
  }

  getText(range?: Range): string {
    if (!range) return (this.text ??= this.lines.join(''));
    const start = this.offsetAt(range.start);
    const end = this.offsetAt(range.end);
    if (this.text !== undefined) return this.text.substring(start, end);
    const line = this.lineOf(start);
    const from = this.starts[line];
    if (end <= from + this.lines[line].length) return this.lines[line].substring(start - from, end - from);
    return this.getText().substring(start, end);
  }

  offsetAt(position: Position): number {
    if (position.line >= this.lines.length) return this.length;
    if (position.line < 0) return 0;
    const lineOffset = this.starts[position.line];
    if (position.character <= 0) return lineOffset;
    const next = lineOffset + this.lines[position.line].length;
    return this.beforeEol(Math.min(lineOffset + position.character, next), position.line);
  }

  positionAt(offset: number): Position {
    offset = Math.max(Math.min(offset, this.length), 0);
    const line = this.lineOf(offset);
    return { line, character: this.beforeEol(offset, line) - this.starts[line] };
  }

  /** Line `line` with its break ('' outside the document): the stored string, no copy. */
  line(line: number): string {
    return this.lines[line] ?? '';
  }

  getLineRange(line: number): Range {
    const last = this.lines.length - 1;
    if (line > last) return { start: { line: last, character: 0 }, end: { line: last, character: this.length - this.starts[last] } };
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const start = this.starts[line];
    return { start: { line, character: 0 }, end: { line, character: this.beforeEol(start + this.lines[line].length, line) - start } };
  }

  getEOLCharacters(line: number): string {
    if (line < 0 || line >= this.lines.length) return '';
    const start = this.starts[line];
    return this.lines[line].substring(this.beforeEol(start + this.lines[line].length, line) - start);
  }

  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if ('range' in change) this.splice(change.range, change.text);
      else {
        this.lines = splitLines(change.text);
        this.text = change.text;
        this.reindex(0);
      }
    }
    this._version = version;
  }

  private splice(range: Range, text: string): void {
    const [a, b] = before(range.end, range.start) ? [range.end, range.start] : [range.start, range.end];
    const startOffset = this.offsetAt(a);
    const endOffset = this.offsetAt(b);
    let first = this.lineOf(startOffset);
    const last = this.lineOf(endOffset);
    if (first > 0 && endsInLoneCr(this.lines[first - 1])) first--;
    const from = this.starts[first];
    const lastLine = this.lines[last];
    const piece = this.joined(first, last).substring(0, startOffset - from) + text + lastLine.substring(endOffset - this.starts[last]);
    const replaced = splitLines(piece);
    // A piece that ends with a line break (every line but the document's last has one) splits into an extra empty line.
    if (last < this.lines.length - 1) replaced.pop();
    this.lines = this.lines.slice(0, first).concat(replaced, this.lines.slice(last + 1));
    this.text = undefined;
    this.reindex(first);
  }

  private joined(first: number, last: number): string {
    return first === last ? this.lines[first] : this.lines.slice(first, last + 1).join('');
  }

  private reindex(from: number): void {
    const { lines, starts } = this;
    starts.length = lines.length;
    for (let i = from; i < lines.length; i++) starts[i] = i === 0 ? 0 : starts[i - 1] + lines[i - 1].length;
    this.length = starts[lines.length - 1] + lines[lines.length - 1].length;
  }

  /** The line holding `offset` (the last line whose start is ≤ offset). */
  private lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] > offset) hi = mid;
      else lo = mid + 1;
    }
    return lo - 1;
  }

  /** Moves an offset that falls inside the line's break to just before it (the library's `ensureBeforeEOL`). */
  private beforeEol(offset: number, line: number): number {
    const start = this.starts[line];
    const text = this.lines[line];
    while (offset > start && isEol(text.charCodeAt(offset - 1 - start))) offset--;
    return offset;
  }
}

function before(p: Position, q: Position): boolean {
  return p.line < q.line || (p.line === q.line && p.character < q.character);
}

/** Line `line` of any document, with its break ('' outside it); without copying the text for a LineDocument. */
export function lineText(doc: TextDocument, line: number): string {
  if (doc instanceof LineDocument) return doc.line(line);
  return doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
}

/** For `new TextDocuments(LineDocuments)`. */
export const LineDocuments = {
  create: (uri: string, languageId: string, version: number, content: string): TextDocument => new LineDocument(uri, languageId, version, content),
  update: (doc: TextDocument, changes: TextDocumentContentChangeEvent[], version: number): TextDocument => {
    if (!(doc instanceof LineDocument)) throw new Error('LineDocuments.update: the document was not created by LineDocuments.create');
    doc.update(changes, version);
    return doc;
  },
};
