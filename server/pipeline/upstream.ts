// One try of one request on one gateway. Deliberately not server/http/json.ts's `open`: inference
// needs a timeout that covers only the start of the answer (a stream may run for minutes), the
// HTTP trailers (NemoRouter sends a stream's cost there), no redirects (a POST is never replayed
// elsewhere) and, for streams, the first event read before anyone is told it worked — so that
// retries and failover stay possible until then. Error bodies and Retry-After are read with the
// shared helpers of server/http/errors.ts.
import type { Dispatcher } from 'undici';
import type { Failure, SseEvent } from '../core/services';
import type { InferenceEndpoint } from '../gateways/types';
import type { ResolvedGateway } from '../protocol/settings';
import { VERSION } from '../core/version';
import { requestStreamed, collectBody, type BodyQueue, type Streamed } from '../http/streamed';
import { requestBuffered, type Buffered } from '../http/buffered';
import { parseSse } from './sse';
import { abortedFailure, failureFromResponse, failureFromStreamError, malformedFailure, networkFailure, timeoutFailure } from './failure';
import { Canceller, type Cancellation } from '../core/cancel';
import { firstBytes } from '../core/firstBytes';

/** Error bodies are read only this far: enough for a message, never a whole HTML page. */
const ERROR_BODY_BYTES = 64 * 1024;
/** A non-streamed answer larger than this is refused (an embeddings batch is a few MB at most). */
const JSON_BODY_BYTES = 32 * 1024 * 1024;

export interface AttemptInput {
  dispatcher: Dispatcher;
  gateway: ResolvedGateway;
  apiKey?: string;
  endpoint: InferenceEndpoint;
  body: Record<string, unknown>;
  /** `body` as JSON text, when the caller built it already (pipeline/attempts.ts outgoingText). */
  bodyText?: string;
  stream: boolean;
  signal: Cancellation;
  /** Until the status line (JSON) or the first event (stream) arrives. */
  startTimeoutMs: number;
}

export type Headers = Record<string, string>;

export type AttemptResult =
  | {
      ok: true;
      kind: 'json';
      status: number;
      headers: Headers;
      body: unknown;
      /** The bytes `body` was parsed from, exactly as the gateway sent them. */
      raw: Buffer;
    }
  | {
      ok: true;
      kind: 'stream';
      status: number;
      headers: Headers;
      first: SseEvent;
      /** `first.data` parsed (it was checked for an error payload): nobody needs to parse it again. */
      firstChunk: unknown;
      rest: AsyncIterator<SseEvent>;
      trailers(): Headers;
      cancel(): void;
    }
  | { ok: false; failure: Failure; billed?: Billed };

/**
 * A failed try the gateway may nevertheless have billed: it accepted the request (a 2xx status line
 * came, or the request was sent and the answer timed out or the connection was closed on us) and the
 * answer never became usable. What arrived is kept: NemoRouter states the cost in a header even when
 * the body is broken.
 */
export interface Billed {
  headers: Headers;
  body?: unknown;
}

/** Network errors raised before the gateway could have seen the request: nothing was billed. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'ERR_INVALID_URL']);

/** `${baseUrl}/${endpoint}` split for undici, parsed once per gateway URL and endpoint. */
const targets = new Map<string, { origin: string; path: string }>();

function targetOf(baseUrl: string, endpoint: InferenceEndpoint): { origin: string; path: string } {
  const key = `${baseUrl}/${endpoint}`;
  let t = targets.get(key);
  if (!t) {
    const url = new URL(key);
    t = { origin: url.origin, path: url.pathname + url.search };
    if (targets.size >= 256) targets.clear(); // gateways are few; settings edits must not grow it forever
    targets.set(key, t);
  }
  return t;
}

export async function attempt(a: AttemptInput): Promise<AttemptResult> {
  const gw = a.gateway.id;
  if (a.signal.aborted) return { ok: false, failure: abortedFailure(gw) };
  // What undici is given as the request's `signal`: the same light Canceller the proxy gives each
  // request (undici takes any EventTarget-like object), aborted by the caller's signal, the start
  // timer, or cancel().
  const upstream = new Canceller();
  let timedOut = false;
  const onAbort = () => upstream.abort(a.signal.reason);
  a.signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    upstream.abort(new Error('start timeout'));
  }, a.startTimeoutMs);
  // Counted while the upstream's first byte is awaited (background work steps aside; core/firstBytes.ts).
  const firstByte = firstBytes.begin();
  const started = () => {
    firstByte();
    clearTimeout(timer);
  };
  const detach = () => {
    firstByte();
    clearTimeout(timer);
    a.signal.removeEventListener('abort', onAbort);
  };
  const failed = (e: unknown): AttemptResult => {
    detach();
    if (a.signal.aborted) return { ok: false, failure: abortedFailure(gw) };
    // The request was sent: the gateway may be working on it (and billing it) right now.
    const sent = { billed: { headers: answered ?? {} } };
    if (timedOut || (e as { code?: unknown })?.code === 'UND_ERR_HEADERS_TIMEOUT') return { ok: false, failure: timeoutFailure(gw, a.startTimeoutMs), ...sent };
    const code = (e as { code?: unknown })?.code;
    const billed = answered !== undefined || !NOT_SENT.has(typeof code === 'string' ? code : '');
    return { ok: false, failure: networkFailure(gw, e, [a.apiKey]), ...(billed ? sent : {}) };
  };
  /** The 2xx answer's headers once they came (a body cut after them was billed). */
  let answered: Headers | undefined;

  let options: Dispatcher.DispatchOptions;
  try {
    const target = targetOf(a.gateway.baseUrl, a.endpoint);
    options = {
      origin: target.origin,
      path: target.path,
      method: 'POST',
      headers: requestHeaders(a),
      body: a.bodyText ?? JSON.stringify(a.body),
      headersTimeout: a.startTimeoutMs,
      // Between two chunks of a running answer; the start is covered by the timer above.
      bodyTimeout: a.startTimeoutMs,
    };
  } catch (e) {
    // A gateway URL that does not parse: nothing was sent.
    return failed(e);
  }
  if (!a.stream) {
    // The whole answer is wanted at once: gathered by our own handler, not read from a stream.
    let r: Buffered;
    try {
      r = await requestBuffered(a.dispatcher, options, {
        signal: upstream,
        maxOk: JSON_BODY_BYTES,
        maxError: ERROR_BODY_BYTES,
        onStart(status, h) {
          if (status < 200 || status >= 300) return;
          answered = flatHeaders(h);
          started();
        },
      });
    } catch (e) {
      return failed(e);
    }
    detach();
    const headers = answered ?? flatHeaders(r.headers);
    // An error body past its cap is simply cut.
    if (r.status < 200 || r.status >= 300) return { ok: false, failure: failureFromResponse(gw, r.status, headers, r.body.toString('utf8'), [a.apiKey]) };
    if (!r.complete) return failed(new Error(`the answer is larger than ${Math.round(JSON_BODY_BYTES / 1024 / 1024)} MB`));
    const body = parseJson(r.body.toString('utf8'));
    if (body === undefined) return { ok: false, failure: malformedFailure(gw, 'an answer that is not valid JSON'), billed: { headers, body } };
    return { ok: true, kind: 'json', status: r.status, headers, body, raw: r.body };
  }

  let res: Streamed;
  try {
    res = await requestStreamed(a.dispatcher, options, upstream);
  } catch (e) {
    return failed(e);
  }
  const headers = flatHeaders(res.headers);
  try {
    if (res.status < 200 || res.status >= 300) {
      const text = (await readBounded(res.body, ERROR_BODY_BYTES, true)).toString('utf8');
      detach();
      return { ok: false, failure: failureFromResponse(gw, res.status, headers, text, [a.apiKey]) };
    }
    answered = headers;
    if (!(headers['content-type'] ?? '').includes('text/event-stream')) {
      // A streaming request answered with JSON: refused, but billed as far as we can tell.
      started();
      const raw = await readBounded(res.body, JSON_BODY_BYTES, false);
      detach();
      const body = parseJson(raw.toString('utf8'));
      return { ok: false, failure: malformedFailure(gw, body === undefined ? 'a non-streaming answer to a streaming request' : 'a JSON answer to a streaming request'), billed: { headers, body } };
    }
    return await firstEvent(a, res, headers, started, detach, upstream);
  } catch (e) {
    res.body.destroy();
    return failed(e);
  }
}

async function firstEvent(
  a: AttemptInput,
  res: Streamed,
  headers: Headers,
  started: () => void,
  detach: () => void,
  upstream: Canceller,
): Promise<AttemptResult> {
  const gw = a.gateway.id;
  const events = parseSse(res.body)[Symbol.asyncIterator]();
  const next = await events.next();
  if (next.done || next.value.data === '[DONE]') {
    detach();
    res.body.destroy();
    return { ok: false, failure: malformedFailure(gw, 'a stream that ended before its first chunk'), billed: { headers } };
  }
  const payload = parseJson(next.value.data);
  const streamError = failureFromStreamError(gw, payload, [a.apiKey]);
  if (streamError || payload === undefined) {
    detach();
    res.body.destroy();
    // An error event instead of a first chunk is a refusal (not billed); garbage after a 200 is not.
    if (streamError) return { ok: false, failure: streamError };
    return { ok: false, failure: malformedFailure(gw, 'a stream chunk that is not valid JSON'), billed: { headers } };
  }
  started();
  return {
    ok: true,
    kind: 'stream',
    status: res.status,
    headers,
    first: next.value,
    firstChunk: payload,
    rest: events,
    trailers: () => flatHeaders(res.body.trailers),
    cancel: () => {
      detach();
      if (!res.body.closed) upstream.abort(new Error('stream closed'));
      res.body.destroy();
    },
  };
}

function requestHeaders(a: AttemptInput): Record<string, string> {
  const h: Record<string, string> = {
    'user-agent': `switchyard/${VERSION}`,
    ...a.gateway.headers,
    'content-type': 'application/json',
    accept: a.stream ? 'text/event-stream' : 'application/json',
  };
  if (a.apiKey) h.authorization = `Bearer ${a.apiKey}`;
  return h;
}

/** Read a body up to `max` bytes. Past it: an error body is simply cut, a JSON answer is refused. */
async function readBounded(body: BodyQueue, max: number, cut: boolean): Promise<Buffer> {
  const r = await collectBody(body, max);
  if (r.kind === 'done') return r.body;
  if (r.kind === 'failed') throw r.error ?? new Error('the answer was cut off');
  if (cut) return r.body;
  throw new Error(`the answer is larger than ${Math.round(max / 1024 / 1024)} MB`);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function flatHeaders(h: Record<string, string | string[] | undefined>): Headers {
  const out: Headers = {};
  for (const [k, v] of Object.entries(h ?? {})) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
