// A request whose whole answer is wanted in memory (a non-streamed inference answer, an error body):
// undici's `dispatch` with a handler of our own instead of `request()`. `request()` hands the answer
// over as a Readable stream inside an AsyncResource, and collecting it costs 'data' and 'end' events,
// a stream's buffering and a tick for 'end' — ≈ 15–25 µs of CPU per request here, on every
// non-streamed proxied request (README "Proxy benchmark"). The handler below gathers the chunks as
// the parser delivers them and settles once, when the answer has ended, failed, outgrown its cap or
// been cancelled.
import type { Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { abortReason, type Cancellation } from '../core/cancel';

export interface Buffered {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /**
   * False when the next chunk would have passed the cap for its status (`maxOk` for a 2xx,
   * `maxError` otherwise): `body` is what came before it, and the request has been aborted.
   */
  complete: boolean;
}

export interface BufferedOptions {
  signal: Cancellation;
  /** The most a 2xx answer may hold. */
  maxOk: number;
  /** The most of any other answer's body that is kept. */
  maxError: number;
  /** Told as the status line and headers arrive (before the body). */
  onStart?(status: number, headers: IncomingHttpHeaders): void;
}

/**
 * Sends `options` through `dispatcher` and resolves with the whole answer. Rejects with the
 * transport's error (connection refused or reset, a timeout from `headersTimeout`/`bodyTimeout`) or,
 * when `signal` aborts first, with its reason: the request is then aborted as soon as undici has
 * started it.
 */
export function requestBuffered(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, o: BufferedOptions): Promise<Buffered> {
  return new Promise<Buffered>((resolve, reject) => {
    if (o.signal.aborted) return reject(o.signal.reason);
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    let max = o.maxOk;
    const chunks: Buffer[] = [];
    let size = 0;
    const body = () => (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      o.signal.removeEventListener('abort', onAbort);
      return true;
    };
    const fail = (e: unknown) => {
      if (settle()) reject(e);
    };
    const onAbort = () => {
      const reason = abortReason(o.signal);
      controller?.abort(reason);
      fail(reason);
    };
    o.signal.addEventListener('abort', onAbort, { once: true });
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        // Cancelled while the request waited for a connection.
        if (settled) c.abort(abortReason(o.signal));
      },
      onResponseStart(_c, statusCode, h) {
        // Informational answers (1xx) are not the answer.
        if (statusCode < 200) return;
        status = statusCode;
        headers = h;
        max = statusCode < 300 ? o.maxOk : o.maxError;
        o.onStart?.(statusCode, h);
      },
      onResponseData(c, chunk) {
        if (settled) return;
        if (size + chunk.length > max) {
          if (settle()) resolve({ status, headers, body: body(), complete: false });
          c.abort(new Error('the answer passed its size cap'));
          return;
        }
        size += chunk.length;
        chunks.push(chunk);
      },
      onResponseEnd() {
        if (settle()) resolve({ status, headers, body: body(), complete: true });
      },
      onResponseError(_c, e) {
        fail(e);
      },
    };
    try {
      dispatcher.dispatch(options, handler);
    } catch (e) {
      fail(e);
    }
  });
}
