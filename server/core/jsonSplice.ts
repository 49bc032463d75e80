// The JSON text of an outgoing request body built from the caller's text instead of serialising the
// whole object again. The pipeline changes a few top-level fields of what the caller sent (the
// gateway's model ID, `stream_options`, an adapter's additions) and hands every other field on as it
// came; an agent's request is mostly `messages`, often hundreds of kilobytes. Serialising all of it
// again cost more than parsing it (≈ 1.7 ms per MB here, and a second copy in memory): a field whose
// value is the very value the caller's text was parsed into is copied from that text instead.
//
// Worth it only where the text is mostly long strings (prompts, file contents): finding the spans
// costs per token, serialising per byte, and for a body of many short tokens (an agent's tool
// schemas and short turns, or code full of escaped quotes: 100 kB of either took as long to scan as
// to serialise) the scan gives up after a few hundred tokens and the body is serialised whole.
//
// Only what JSON.parse produced from `text` is ever copied: such a span parses back to an equal
// value, so the gateway receives what the caller sent. Anything unusual (a key twice in one object,
// at any depth — JSON.parse keeps the last, other parsers the first, so the gateway could read what
// Switchyard did not; a top-level `__proto__` key; text that is not one object) gives undefined, and
// the caller serialises the object as before.

/** Where each top-level member's value sits in an object's JSON text: [start, end). */
export type Spans = Map<string, readonly [number, number]>;

/**
 * The spans of the top-level members of `text`, which must be JSON that JSON.parse accepted (this
 * does not validate it). Strings are skipped with indexOf, so a long prompt costs a few calls, not a
 * loop over its characters. Undefined for anything but one object with distinct, ordinary keys.
 */
export function topLevelSpans(text: string): Spans | undefined {
  const n = text.length;
  const scan: Scan = { tokens: 0, keys: [] };
  let i = skipWs(text, 0);
  if (text.charCodeAt(i) !== OPEN_OBJECT) return undefined;
  const spans: Spans = new Map();
  i = skipWs(text, i + 1);
  if (text.charCodeAt(i) === CLOSE_OBJECT) return skipWs(text, i + 1) === n ? spans : undefined;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return undefined;
    const keyEnd = stringEnd(text, i);
    if (keyEnd < 0) return undefined;
    const key = keyOf(text, i, keyEnd);
    if (key === '__proto__' || spans.has(key)) return undefined;
    i = skipWs(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) return undefined;
    const start = skipWs(text, i + 1);
    const end = valueEnd(text, start, scan);
    if (end < 0) return undefined;
    spans.set(key, [start, end]);
    i = skipWs(text, end);
    const c = text.charCodeAt(i);
    if (c === CLOSE_OBJECT) return skipWs(text, i + 1) === n ? spans : undefined;
    if (c !== COMMA) return undefined;
    i = skipWs(text, i + 1);
  }
}

/**
 * `out` as JSON text, taking from `text` (the JSON `from` was parsed from, with its `spans`) every
 * top-level value of `out` that is the same object or string as `from`'s under that key. Other
 * values (changed, added, numbers and the like) are serialised. Undefined when the spans do not
 * describe `from` (then serialise `out` whole).
 */
export function spliceJson(from: Record<string, unknown>, text: string, spans: Spans, out: Record<string, unknown>): string | undefined {
  const keys = Object.keys(from);
  if (keys.length !== spans.size) return undefined;
  for (const k of keys) if (!spans.has(k)) return undefined;
  let json = '{';
  let first = true;
  // Own enumerable keys in their own order, as JSON.stringify writes them.
  for (const k of Object.keys(out)) {
    const v = out[k];
    let value: string | undefined;
    const span = spans.get(k);
    // Objects, arrays and strings: the caller's text. Numbers go through JSON.stringify as before
    // (it writes 1e400 as null); other values are small.
    if (span && (typeof v === 'string' || (typeof v === 'object' && v !== null)) && from[k] === v) value = text.slice(span[0], span[1]);
    else {
      value = JSON.stringify(v);
      if (value === undefined) continue; // undefined and functions are left out, as JSON.stringify does
    }
    json += `${first ? '' : ','}${JSON.stringify(k)}:${value}`;
    first = false;
  }
  return json + '}';
}

const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;

function skipWs(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/**
 * The index just past the string that opens at `i` (a quote), or -1. Each escaped quote on the way
 * costs another indexOf, and counts as a token of `scan` (code is full of them).
 */
function stringEnd(text: string, i: number, scan?: Scan): number {
  let q = i;
  for (;;) {
    q = text.indexOf('"', q + 1);
    if (q < 0) return -1;
    // Escaped when preceded by an odd number of backslashes.
    let b = q - 1;
    while (text.charCodeAt(b) === BACKSLASH) b--;
    if ((q - 1 - b) % 2 === 0) return q + 1;
    if (scan) scan.tokens++;
  }
}

/** Whether the scan has seen too many tokens for the characters it covered (see MIN_CHARS_PER_TOKEN). */
function tooDense(scan: Scan, at: number): boolean {
  return scan.tokens > SCAN_FREE_TOKENS && scan.tokens * MIN_CHARS_PER_TOKEN > at;
}

/** The key whose string literal spans [start, end) of `text`, its escapes decoded. */
function keyOf(text: string, start: number, end: number): string {
  return hasEscape(text, start, end) ? (JSON.parse(text.slice(start, end)) as string) : text.slice(start + 1, end - 1);
}

/** Fewer characters per token than this, past the first SCAN_FREE_TOKENS, and the scan gives up. */
const MIN_CHARS_PER_TOKEN = 48;
const SCAN_FREE_TOKENS = 256;

/** What the scan of one text keeps: tokens seen so far, and the keys of the objects it is inside. */
interface Scan {
  tokens: number;
  /** Each key seen in the enclosing objects, innermost last: start, end, 1 if it has an escape. */
  keys: number[];
}

/**
 * The index just past the value that starts at `i`, or -1: also for a key given twice in one
 * object, and when the text has too many tokens for its length (MIN_CHARS_PER_TOKEN).
 */
function valueEnd(text: string, i: number, scan: Scan): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) {
    const end = stringEnd(text, i, scan);
    return end < 0 || tooDense(scan, end) ? -1 : end;
  }
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
    // For each enclosing object, where its keys start in scan.keys; -1 for an array.
    const open: number[] = [];
    const keys = scan.keys;
    keys.length = 0;
    let key = false; // the next string is a key
    for (let j = i; j < text.length; j++) {
      const d = text.charCodeAt(j);
      if (d === QUOTE) {
        const end = stringEnd(text, j, scan);
        if (end < 0) return -1;
        if (key) {
          const escaped = hasEscape(text, j, end);
          if (hasKey(text, keys, open[open.length - 1], j, end, escaped)) return -1;
          keys.push(j, end, escaped ? 1 : 0);
          key = false;
        }
        j = end - 1;
      } else if (d === OPEN_OBJECT) {
        open.push(keys.length);
        key = true;
      } else if (d === OPEN_ARRAY) {
        open.push(-1);
        key = false;
      } else if (d === CLOSE_OBJECT || d === CLOSE_ARRAY) {
        const from = open.pop()!;
        if (from >= 0) keys.length = from;
        if (open.length === 0) return j + 1;
        key = false;
      } else if (d === COMMA) key = open[open.length - 1] >= 0;
      else continue;
      scan.tokens++;
      if (tooDense(scan, j)) return -1;
    }
    return -1;
  }
  // A number, true, false or null: up to the next delimiter.
  let j = i;
  for (; j < text.length; j++) {
    const d = text.charCodeAt(j);
    if (d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
  }
  return j > i ? j : -1;
}

/** Whether the key literal [start, end) equals one of the keys at keys[from..] (see Scan.keys). */
function hasKey(text: string, keys: number[], from: number, start: number, end: number, escaped: boolean): boolean {
  for (let k = from; k < keys.length; k += 3) {
    const s2 = keys[k];
    const e2 = keys[k + 1];
    if (escaped || keys[k + 2] === 1) {
      if (keyOf(text, start, end) === keyOf(text, s2, e2)) return true;
    } else if (e2 - s2 === end - start && text.startsWith(text.slice(s2, e2), start)) return true;
  }
  return false;
}

/** Whether the string literal [start, end) has a backslash in it (keys are short: a plain loop). */
function hasEscape(text: string, start: number, end: number): boolean {
  for (let i = start + 1; i < end - 1; i++) if (text.charCodeAt(i) === BACKSLASH) return true;
  return false;
}
