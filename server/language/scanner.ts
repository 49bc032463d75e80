// A fast scanner for string literals in model positions — not a parser. It looks for the word
// `model` (plus `_name`/`_id` suffixes), walks back over the key, checks the separator the format
// uses (`=`, `:`, `:=`, JSX `={`, type annotations) and reads the literal that follows. Every loop is
// bounded, so 10 MB files, one-line minified JS and binary content cost linear time and never throw.
// Offsets are JavaScript string indices, i.e. UTF-16 code units, exactly what LSP positions count.
import type { LanguageFamily, ModelString } from './types';

/** Longer than any real model ID: a longer literal is not one. */
export const MAX_VALUE_LENGTH = 256;
const MAX_STRINGS = 20_000;
/** How far back on a line we look for a comment start (minified files have megabyte lines). */
const COMMENT_LOOKBACK = 1_000;
const MAX_NAME = 128;

/** AI SDK provider factories: `openai("gpt-4o")`, `anthropic.chat("…")` (JavaScript/TypeScript only). */
export const FACTORIES = [
  'openai', 'anthropic', 'openrouter', 'google', 'mistral', 'groq', 'deepseek', 'xai', 'cohere',
  'perplexity', 'togetherai', 'fireworks', 'azure', 'bedrock', 'vertex', 'nemorouter', 'arouter',
];
const FACTORY_METHODS = ['chat', 'responses', 'completion', 'languageModel', 'chatModel', 'embedding', 'textEmbeddingModel', 'embeddingModel'];
const FACTORY_RE = new RegExp(`(?<![\\w$.])(${FACTORIES.join('|')})(?:\\.(?:${FACTORY_METHODS.join('|')}))?[ \\t]*\\([ \\t]*`, 'g');

/** Suffixes allowed after `model` in a key name (`model_name=`, `modelId:`, `DEFAULT_MODEL_NAME=`). */
const SUFFIXES = ['_name', '-name', 'name', '_id', '-id', 'id'];

const enum C {
  Tab = 9, Lf = 10, Cr = 13, Space = 32, Dq = 34, Hash = 35, Dollar = 36, Sq = 39, Slash = 47,
  Colon = 58, Eq = 61, Gt = 62, Backslash = 92, Backtick = 96, LBrace = 123,
}

function isNameChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === C.Dollar || c === 45 || c === 46
  );
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === C.Dollar;
}

/** Characters of a model ID as any gateway spells one (`openrouter/meta-llama/llama-3.1-8b:free`, `ollama/llama3.1:8b`). */
export function isIdChar(c: number): boolean {
  return isNameChar(c) || c === C.Slash || c === C.Colon || c === 64 || c === 43;
}

function skipSpaces(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== C.Space && c !== C.Tab) break;
    i++;
  }
  return i;
}

/** Ranges of model strings in `text`, in document order. `patterns` are the user's extra regexes (capture group 1). */
export function scanModelStrings(text: string, family: LanguageFamily, patterns: readonly RegExp[] = []): ModelString[] {
  const out: ModelString[] = [];
  /** False once the document has given all the strings it may (the scan then stops). */
  const push = (s: ModelString | undefined): boolean => {
    if (out.length >= MAX_STRINGS) return false;
    if (s) out.push(s);
    return true;
  };
  scanKeys(text, family, push);
  if (family !== 'js' && patterns.length === 0) return out; // one pass: already in order, no duplicates
  if (family === 'js') scanFactories(text, push);
  for (const re of patterns) scanPattern(text, re, push);
  out.sort((a, b) => a.start - b.start);
  // A factory call or a user pattern may find a string the key scan found too.
  return out.filter((s, i) => i === 0 || s.start !== out[i - 1].start);
}

function scanKeys(text: string, family: LanguageFamily, push: (s: ModelString | undefined) => boolean): void {
  const re = /model/gi;
  const ignored = commentOrStringCursor(text, family);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index;
    const nameEnd = endOfName(text, at + 5);
    if (nameEnd < 0) continue;
    let nameStart = at;
    const floor = Math.max(0, at - MAX_NAME);
    while (nameStart > floor && isNameChar(text.charCodeAt(nameStart - 1))) nameStart--;
    const valueAt = afterKey(text, nameStart, nameEnd, family);
    if (valueAt < 0) continue;
    // A quoted key's own opening quote is not "inside a string".
    const before = text.charCodeAt(nameStart - 1);
    const keyAt = (before === C.Dq || before === C.Sq) && text.charCodeAt(nameEnd) === before ? nameStart - 1 : nameStart;
    if (ignored(keyAt)) continue;
    if (!push(readValue(text, valueAt, family, text.slice(nameStart, nameEnd)))) return;
  }
}

/** End of a key name that ends in `model` (+ suffix), or -1 when the name goes on (`models`, `model.id`). */
function endOfName(text: string, j: number): number {
  if (!isNameChar(text.charCodeAt(j))) return j;
  for (const suf of SUFFIXES) {
    const k = j + suf.length;
    if (text.slice(j, k).toLowerCase() === suf && !isNameChar(text.charCodeAt(k))) return k;
  }
  return -1;
}

/** Offset where the value starts after `key <separator>`, or -1 when this is not a model position. */
function afterKey(text: string, nameStart: number, nameEnd: number, family: LanguageFamily): number {
  let k = nameEnd;
  const before = text.charCodeAt(nameStart - 1);
  if ((before === C.Dq || before === C.Sq) && text.charCodeAt(k) === before) k++;
  else if (family === 'json') return -1;
  k = skipSpaces(text, k);
  const c = text.charCodeAt(k);
  if (c === C.Eq) {
    const next = text.charCodeAt(k + 1);
    if (next === C.Gt) return -1; // `model => …`
    k++;
    if (next === C.Eq) k += text.charCodeAt(k + 1) === C.Eq ? 2 : 1; // comparisons `==`, `===`
    k = skipSpaces(text, k);
    if (family === 'js' && text.charCodeAt(k) === C.LBrace) k = skipSpaces(text, k + 1); // JSX `model={"…"}`
    return k;
  }
  if (c === C.Colon) {
    const next = text.charCodeAt(k + 1);
    if (next === C.Eq) return skipSpaces(text, k + 2); // Go `model := "…"`
    if (next === C.Colon) return -1;
    k++;
    if (family === 'yaml' && k < text.length && !isSpaceOrEol(text.charCodeAt(k))) return -1;
    k = skipSpaces(text, k);
    if ((family === 'python' || family === 'js') && isIdentStart(text.charCodeAt(k))) return skipAnnotation(text, k);
    return k;
  }
  // Go `const DefaultModel string = "…"`, `var model string = "…"`.
  if (family === 'go' && isIdentStart(c)) return skipAnnotation(text, k);
  // Defaults: `process.env.OPENAI_MODEL ?? "…"`, `os.getenv("OPENAI_MODEL", "…")`.
  const next = text.charCodeAt(k + 1);
  if (family === 'js' && ((c === 63 && next === 63) || (c === 124 && next === 124))) return skipSpaces(text, k + 2);
  if (family === 'python' && c === 44 && /(?:getenv|\.get)\(\s*$/.test(text.slice(Math.max(0, nameStart - 24), nameStart - 1))) {
    return skipSpaces(text, k + 1);
  }
  return -1;
}

function isSpaceOrEol(c: number): boolean {
  return c === C.Space || c === C.Tab || c === C.Lf || c === C.Cr;
}

/** Skip a type annotation (`: str =`, `: string =`, `string =`) up to its `=`; -1 when there is none. */
function skipAnnotation(text: string, k: number): number {
  const limit = Math.min(text.length, k + 80);
  for (let i = k; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === C.Eq) {
      const next = text.charCodeAt(i + 1);
      return next === C.Eq || next === C.Gt ? -1 : skipSpaces(text, i + 1);
    }
    if (!(isNameChar(c) || c === C.Space || c === C.Tab || c === 91 || c === 93 || c === 124 || c === 60 || c === C.Gt || c === 44 || c === 63)) return -1;
  }
  return -1;
}

function readValue(text: string, k: number, family: LanguageFamily, anchor: string): ModelString | undefined {
  const c = text.charCodeAt(k);
  if (c === C.Dq || c === C.Sq || (c === C.Backtick && (family === 'js' || family === 'go'))) {
    if (family === 'json' && c !== C.Dq) return undefined;
    if (text.charCodeAt(k + 1) === c && text.charCodeAt(k + 2) === c) return undefined; // """docstring"""
    return readQuoted(text, k, c, anchor);
  }
  if (family === 'yaml' || family === 'dotenv') return readUnquoted(text, k, family, anchor);
  return undefined;
}

function readQuoted(text: string, k: number, q: number, anchor: string): ModelString | undefined {
  const start = k + 1;
  const limit = Math.min(text.length, start + MAX_VALUE_LENGTH + 1);
  let i = start;
  for (; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === q) {
      return { start, end: i, value: text.slice(start, i), quote: String.fromCharCode(q) as ModelString['quote'], terminated: true, anchor };
    }
    if (c === C.Lf || c === C.Cr) break;
    if (c === C.Backslash) i++;
    else if (q === C.Backtick && c === C.Dollar && text.charCodeAt(i + 1) === C.LBrace) return undefined; // `${…}` is not an ID
  }
  if (i >= limit && i < text.length) return undefined; // too long to be an ID
  if (q === C.Backtick) return undefined; // a template literal spanning lines
  // Still being typed: the content is the ID-like run after the quote, so an edit never eats the rest of the line.
  let end = start;
  while (end < i && isIdChar(text.charCodeAt(end))) end++;
  return { start, end, value: text.slice(start, end), quote: String.fromCharCode(q) as ModelString['quote'], terminated: false, anchor };
}

/** A plain YAML scalar or an unquoted dotenv value: an ID, then only spaces up to a comment or the end of the line. */
function readUnquoted(text: string, k: number, family: LanguageFamily, anchor: string): ModelString | undefined {
  // YAML indicators start block scalars, anchors, aliases, tags and flow collections, not IDs.
  if (family === 'yaml' && k < text.length && '|>&*!{[%@`'.includes(text[k])) return undefined;
  const limit = Math.min(text.length, k + MAX_VALUE_LENGTH + 1);
  let end = k;
  while (end < limit && isIdChar(text.charCodeAt(end))) end++;
  if (end >= limit && end < text.length) return undefined; // too long to be an ID
  let i = end;
  while (i < text.length && (text.charCodeAt(i) === C.Space || text.charCodeAt(i) === C.Tab)) i++;
  const c = text.charCodeAt(i);
  const closes =
    i >= text.length || c === C.Lf || c === C.Cr || (c === C.Hash && i > end) || (family === 'yaml' && (c === 44 || c === 93 || c === 125));
  // Anything else after the ID (`two words`, `a#b`, `${VAR}`) means this is not an ID.
  if (!closes) return undefined;
  return { start: k, end, value: text.slice(k, end), quote: '', terminated: true, anchor };
}

function scanFactories(text: string, push: (s: ModelString | undefined) => boolean): void {
  const re = new RegExp(FACTORY_RE.source, 'g');
  const ignored = commentOrStringCursor(text, 'js');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (ignored(m.index)) continue;
    const s = readValue(text, m.index + m[0].length, 'js', `${m[1]}(`);
    // A factory call with a non-literal or prose argument is not a model position.
    if (s && s.quote && !push(s)) return;
  }
}

function scanPattern(text: string, re: RegExp, push: (s: ModelString | undefined) => boolean): void {
  re.lastIndex = 0;
  let count = 0;
  for (let m = re.exec(text); m && count < MAX_STRINGS; m = re.exec(text), count++) {
    if (m[0].length === 0) re.lastIndex++;
    const span = m.indices?.[1];
    if (!span || m[1] === undefined) continue;
    const [start, end] = span;
    const q = text[start - 1];
    const quote = (q === '"' || q === "'" || q === '`') && text[end] === q ? q : '';
    if (!push({ start, end, value: m[1], quote, terminated: true, anchor: 'pattern' })) return;
  }
}

/**
 * A cursor that answers "is this offset inside a line comment (`#`, `//`) or inside a string literal
 * that started earlier on the same line?" — `"see model='x'"` is prose, not code. Offsets asked for
 * only grow during a pass, so the state is carried forward and a whole file costs one linear walk
 * (a minified megabyte line included). Multi-line strings and block comments are not tracked: this is
 * a scanner, not a parser.
 */
export function commentOrStringCursor(text: string, family: LanguageFamily): (pos: number) => boolean {
  const slash = family === 'js' || family === 'go' || family === 'jsonc';
  const hash = family !== 'json' && !slash;
  // Apostrophes in plain YAML/dotenv values (`it's`) are not quotes; a `#` there needs a space before it.
  const spaced = family === 'yaml' || family === 'dotenv';
  let at = 0;
  let quote = 0;
  let comment = false;
  // The first newline at or after `at` (Infinity: none). Kept so that every line is searched once:
  // searching afresh per call would rescan a megabyte-long minified line for each match on it.
  const nextNewline = (from: number) => {
    const i = text.indexOf('\n', from);
    return i < 0 ? Infinity : i;
  };
  let nl = nextNewline(0);
  return (pos: number) => {
    if (pos < at) {
      [at, quote, comment] = [lineStart(text, pos), 0, false];
      nl = nextNewline(at);
    }
    if (nl < pos) {
      // A newline in between resets the state: jump to the last one (native search) instead of walking there.
      [at, quote, comment] = [text.lastIndexOf('\n', pos - 1) + 1, 0, false];
      nl = nextNewline(pos);
    }
    for (let i = at; i < pos; i++) {
      const c = text.charCodeAt(i);
      if (c === C.Lf) {
        quote = 0;
        comment = false;
      } else if (comment) {
        continue;
      } else if (quote) {
        if (c === C.Backslash && text.charCodeAt(i + 1) !== C.Lf) i++;
        else if (c === quote) quote = 0;
      } else if (c === C.Dq || (c === C.Sq && !spaced) || (c === C.Backtick && slash)) {
        quote = c;
      } else if (slash ? c === C.Slash && text.charCodeAt(i + 1) === C.Slash : hash && c === C.Hash) {
        const prev = text.charCodeAt(i - 1);
        comment = !spaced || i === 0 || prev === C.Space || prev === C.Tab || prev === C.Lf;
      }
    }
    at = Math.max(at, pos);
    return comment || quote !== 0;
  };
}

function lineStart(text: string, pos: number): number {
  const floor = Math.max(0, pos - COMMENT_LOOKBACK);
  let i = pos;
  while (i > floor && text.charCodeAt(i - 1) !== C.Lf) i--;
  return i;
}

/** The model string whose content (or its edges) contains `offset`. */
export function stringAt(strings: readonly ModelString[], offset: number): ModelString | undefined {
  let lo = 0;
  let hi = strings.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = strings[mid];
    if (offset < s.start) hi = mid - 1;
    else if (offset > s.end) lo = mid + 1;
    else return s;
  }
  return undefined;
}
