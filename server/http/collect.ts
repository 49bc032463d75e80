// Collecting a body up to a size cap, for the proxy's requests and the gateways' answers.
import type { Readable } from 'node:stream';

export type Collected =
  | { kind: 'done'; body: Buffer }
  /** The next chunk would have passed the cap; `body` is what came before it. */
  | { kind: 'over'; body: Buffer }
  /** An 'error' (its error), or 'close' before the end (the stream's own error, if any). */
  | { kind: 'failed'; error: Error | undefined };

/**
 * Collects `stream`'s chunks up to `max` bytes, then stops listening; the caller decides what to do
 * with the stream (pause it, destroy it). Plain 'data'/'end' events rather than `for await`: the
 * async iterator costs a promise and a tick per chunk, on every proxied request and answer.
 * `expected` (a declared Content-Length the parser enforces) ends it as soon as that many bytes are
 * in, without waiting a turn of the stream machinery for 'end'.
 */
export function collect(stream: Readable, max: number, expected?: number): Promise<Collected> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const body = () => (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    const finish = (result: Collected) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > max) return finish({ kind: 'over', body: body() });
      size += chunk.length;
      chunks.push(chunk);
      if (size === expected) finish({ kind: 'done', body: body() });
    };
    const onEnd = () => finish({ kind: 'done', body: body() });
    const onError = (error: Error) => finish({ kind: 'failed', error });
    const onClose = () => finish({ kind: 'failed', error: stream.errored ?? undefined });
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
