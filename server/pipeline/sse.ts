// Server-sent events from an upstream body, pulled: the body is read only as fast as the consumer
// asks for events, so a slow caller slows the gateway's socket instead of filling our memory.
// Follows the WHATWG event-stream rules that gateways actually exercise: `:` comment lines
// (OpenRouter's `: OPENROUTER PROCESSING` keep-alives), multi-line `data:` joined with "\n",
// CRLF / CR / LF line ends, an optional single space after the colon, and a final event without
// a trailing blank line.
import { StringDecoder } from 'node:string_decoder';
import type { SseEvent } from '../core/services';

export async function* parseSse(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseEvent> {
  // UTF-8 split across chunks is held back until its last byte comes. (StringDecoder rather than
  // TextDecoder: the latter converts its options object on every call, per chunk of every stream.)
  const decoder = new StringDecoder('utf8');
  let buffer = '';
  let data: string[] = [];
  let event: string | undefined;

  const take = (): SseEvent | undefined => {
    if (data.length === 0) {
      event = undefined;
      return undefined;
    }
    const out: SseEvent = { data: data.length === 1 ? data[0] : data.join('\n') };
    if (event) out.event = event;
    data = [];
    event = undefined;
    return out;
  };

  /** One line in; the event it completes, if any. (A plain function: no generator object per line.) */
  const feed = (line: string): SseEvent | undefined => {
    if (line === '') return take();
    if (line.startsWith(':')) return undefined; // comment / keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    // `id` and `retry` mean nothing for a one-shot completion stream.
    return undefined;
  };

  for await (const chunk of chunks) {
    buffer += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    // The next CR is looked for again only once passed: most streams have none, and looking for it
    // from every line start would scan the rest of a large chunk once per line.
    let cr = buffer.indexOf('\r');
    for (;;) {
      const lf = buffer.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = buffer.indexOf('\r', start);
      if (lf === -1 && cr === -1) break;
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        // A CR at the very end may be the first half of a CRLF split across chunks: wait for more.
        if (cr === buffer.length - 1) break;
        end = cr;
        next = buffer[cr + 1] === '\n' ? cr + 2 : cr + 1;
      } else {
        end = lf;
        next = lf + 1;
      }
      const ev = feed(buffer.slice(start, end));
      start = next;
      if (ev) yield ev;
    }
    buffer = buffer.slice(start);
  }
  buffer += decoder.end();
  if (buffer.length > 0) {
    const tail = buffer.endsWith('\r') ? buffer.slice(0, -1) : buffer;
    for (const line of tail.split(/\r\n|\r|\n/)) {
      const ev = feed(line);
      if (ev) yield ev;
    }
  }
  const last = take();
  if (last) yield last;
}
