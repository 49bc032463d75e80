// Request bodies: read up to the size cap (Content-Length checked before reading), parsed as JSON
// and validated with the pipeline's own schemas (server/pipeline/body.ts), answered in OpenAI's
// error shape with the bad field's `param`.
import type { IncomingMessage } from 'node:http';
import type { InferenceEndpoint } from '../gateways/types';
import { checkBody } from '../pipeline/body';
import { collect } from '../http/collect';
import type { ProxyError } from './errors';

export type Result<T> = { ok: true; value: T } | { ok: false; error: ProxyError };

/** Bodies read ahead of admission (server.ts), kept on the request for whichever handler reads its body. */
const PRE_READ = Symbol('switchyard.preRead');
type PreRead = IncomingMessage & { [PRE_READ]?: Promise<Result<Buffer>> };

/**
 * Read the body before the request takes a concurrency slot, within `timeoutMs`: a client that sends
 * headers and then stalls holds a socket, never a slot (issue 16, item 5). The result is kept for
 * the handler's own readBody call.
 */
export function readBodyAhead(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<Result<Buffer>> {
  const result = takeWhole(req, maxBytes).then((whole) => whole ?? readWithin(req, maxBytes, timeoutMs));
  (req as PreRead)[PRE_READ] = result;
  return result;
}

/**
 * The usual request: its whole body came in the packet with its headers, so one microtask later
 * (the HTTP parser has gone through the packet by then) all of it sits in the request's buffer.
 * Taken in one read: no flowing mode, listeners, timer or turns of the stream machinery (about half
 * of what reading a small body cost here). Undefined when that is not so — no Content-Length, more
 * than the cap, not all there yet — and the streaming read below takes over.
 */
async function takeWhole(req: IncomingMessage, maxBytes: number): Promise<Result<Buffer> | undefined> {
  await null;
  const declared = Number(req.headers['content-length']);
  if (!(declared > 0 && declared <= maxBytes) || req.readableLength !== declared || req.readableFlowing) return undefined;
  // Without a size, read() hands over everything buffered: exactly the declared bytes.
  const body: unknown = req.read();
  if (!Buffer.isBuffer(body) || body.length !== declared) return unreadable();
  return { ok: true, value: body };
}

function readWithin(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<Result<Buffer>> {
  return new Promise<Result<Buffer>>((resolve) => {
    const timer = setTimeout(() => {
      resolve({
        ok: false,
        error: {
          status: 408,
          code: 'body_timeout',
          message: `the request body did not arrive within ${timeoutMs} ms of its headers (setting switchyard.proxy.bodyTimeoutMs)`,
          close: true,
        },
      });
    }, timeoutMs);
    collectBody(req, maxBytes).then(
      (r) => {
        clearTimeout(timer);
        resolve(r);
      },
      () => {
        clearTimeout(timer);
        resolve(unreadable());
      },
    );
  });
}

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Result<Buffer>> {
  return (req as PreRead)[PRE_READ] ?? collectBody(req, maxBytes);
}

async function collectBody(req: IncomingMessage, maxBytes: number): Promise<Result<Buffer>> {
  const tooLarge = (): Result<Buffer> => ({
    ok: false,
    error: {
      status: 413,
      code: 'request_too_large',
      message: `the request body is larger than the proxy accepts (${maxBytes} bytes; setting switchyard.proxy.maxBodyBytes)`,
      close: true,
    },
  });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();
  const r = await collect(req, maxBytes, declared);
  if (r.kind === 'done') return { ok: true, value: r.body };
  if (r.kind === 'over') {
    req.pause();
    return tooLarge();
  }
  // An error, or closed before the end: the caller left mid-body.
  return unreadable();
}

const unreadable = (): Result<Buffer> => ({ ok: false, error: { status: 400, code: 'bad_request', message: 'the request body could not be read', close: true } });

/** The body parsed; `text` is the JSON it was parsed from (the pipeline builds the outgoing body from it). */
export function parseJson(buf: Buffer): Result<unknown> & { text?: string } {
  if (buf.length === 0) {
    return { ok: false, error: { status: 400, code: 'invalid_json', message: 'the request body is empty; send a JSON object' } };
  }
  try {
    const text = buf.toString('utf8');
    return { ok: true, value: JSON.parse(text), text };
  } catch (e) {
    return {
      ok: false,
      error: {
        status: 400,
        code: 'invalid_json',
        message: `the request body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
      },
    };
  }
}

export function validateRequest(endpoint: InferenceEndpoint, value: unknown): Result<Record<string, unknown>> {
  const r = checkBody(endpoint, value);
  return r.ok ? { ok: true, value: r.body } : { ok: false, error: { status: 400, code: 'invalid_request', message: r.message, param: r.param } };
}
