// A request whose answer is read as it comes (an event stream): undici's `dispatch` with a handler of
// our own, and the body handed over as a plain async iterator of chunks instead of `request()`'s
// Readable. A streamed answer is pulled one event at a time through three async iterators already
// (this one, the SSE parser, the metering); a Readable's own iterator under them cost promises and
// ticks of its stream machinery per chunk on every proxied stream. Backpressure is kept: while
// `HIGH_WATER` bytes wait unread the parser is paused, so a slow caller slows the gateway's socket.
import type { Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { abortReason, type Cancellation } from '../core/cancel';
import type { Collected } from './collect';

/** Unread bytes at which undici stops reading the socket until the consumer catches up. */
const HIGH_WATER = 64 * 1024;

type Waiter = { resolve(r: IteratorResult<Buffer>): void; reject(e: unknown): void };

/** A response body as undici's parser delivers it, pulled with `next()`. */
export class BodyQueue implements AsyncIterableIterator<Buffer> {
  private readonly chunks: Buffer[] = [];
  private queued = 0;
  private ended = false;
  private error: Error | undefined;
  private waiter: Waiter | undefined;
  private controller: Dispatcher.DispatchController | undefined;
  /** The answer's trailers, once it has ended. */
  trailers: IncomingHttpHeaders = {};

  /** @internal The handler's side. */
  attach(c: Dispatcher.DispatchController): void {
    this.controller = c;
  }

  /** @internal */
  push(chunk: Buffer): void {
    if (this.ended || this.error) return;
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w.resolve({ value: chunk, done: false });
      return;
    }
    this.chunks.push(chunk);
    this.queued += chunk.length;
    if (this.queued >= HIGH_WATER) this.controller?.pause();
  }

  /** @internal */
  end(trailers: IncomingHttpHeaders): void {
    if (this.ended || this.error) return;
    this.ended = true;
    this.trailers = trailers;
    const w = this.waiter;
    this.waiter = undefined;
    w?.resolve({ value: undefined, done: true });
  }

  /** @internal Also how the consumer's side stops it (destroy). */
  fail(e: Error): void {
    if (this.ended || this.error) return;
    this.error = e;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(e);
  }

  /** True once the body has ended, failed or been destroyed. */
  get closed(): boolean {
    return this.ended || this.error !== undefined;
  }

  next(): Promise<IteratorResult<Buffer>> {
    if (this.chunks.length) {
      const value = this.chunks.shift()!;
      this.queued -= value.length;
      if (this.controller?.paused && this.queued < HIGH_WATER) this.controller.resume();
      return Promise.resolve({ value, done: false });
    }
    if (this.error) return Promise.reject(this.error);
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    if (this.controller?.paused) this.controller.resume();
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  /** `for await` left early: the rest of the answer is not wanted. */
  return(): Promise<IteratorResult<Buffer>> {
    this.destroy();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Stops reading and aborts the request if the answer has not ended. */
  destroy(reason?: Error): void {
    // Called at the end of every stream: the error (and its stack) only when there is something to stop.
    if (this.closed) return;
    const why = reason ?? new Error('the body was closed before its end');
    this.chunks.length = 0;
    this.queued = 0;
    this.fail(why);
    this.controller?.abort(why);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

export interface Streamed {
  status: number;
  headers: IncomingHttpHeaders;
  body: BodyQueue;
}

/**
 * Sends `options` through `dispatcher` and resolves once the status line and headers are in (an
 * informational 1xx is not the answer), with the body to pull. Rejects with the transport's error
 * before then, or with `signal`'s reason when it aborts first; an abort after the headers fails the
 * body with that reason and aborts the request.
 */
export function requestStreamed(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, signal: Cancellation): Promise<Streamed> {
  return new Promise<Streamed>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const body = new BodyQueue();
    let controller: Dispatcher.DispatchController | undefined;
    let started = false;
    let rejected = false;
    const onAbort = () => {
      const reason = abortReason(signal);
      if (started) body.destroy(reason);
      else {
        rejected = true;
        controller?.abort(reason);
        reject(reason);
      }
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const detach = () => signal.removeEventListener('abort', onAbort);
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        body.attach(c);
        // Cancelled while the request waited for a connection.
        if (rejected) c.abort(abortReason(signal));
      },
      onResponseStart(_c, status, headers) {
        if (status < 200 || started || rejected) return;
        started = true;
        resolve({ status, headers, body });
      },
      onResponseData(_c, chunk) {
        body.push(chunk);
      },
      onResponseEnd(_c, trailers) {
        detach();
        body.end(trailers);
      },
      onResponseError(_c, e) {
        detach();
        if (started) body.fail(e);
        else if (!rejected) {
          rejected = true;
          reject(e);
        }
      },
    };
    try {
      dispatcher.dispatch(options, handler);
    } catch (e) {
      detach();
      rejected = true;
      reject(e);
    }
  });
}

/** Pulls a body up to `max` bytes, like collect() does a Readable; past it the body is destroyed. */
export async function collectBody(body: BodyQueue, max: number): Promise<Collected> {
  const chunks: Buffer[] = [];
  let size = 0;
  const whole = () => (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
  try {
    for (;;) {
      const n = await body.next();
      if (n.done) return { kind: 'done', body: whole() };
      if (size + n.value.length > max) {
        body.destroy();
        return { kind: 'over', body: whole() };
      }
      size += n.value.length;
      chunks.push(n.value);
    }
  } catch (e) {
    return { kind: 'failed', error: e instanceof Error ? e : undefined };
  }
}
