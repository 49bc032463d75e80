// The one HTTP helper every adapter (and the pipeline) uses: JSON over an injected undici dispatcher.
// - the caller's AbortSignal plus a timeout covering the whole exchange, body included;
// - redirects followed by hand, bounded, loops detected, credentials dropped on a cross-origin hop;
// - a body size cap checked against Content-Length first and while reading, so a 50 MB body is cut
//   after the cap and not read to the end;
// - every body consumed or destroyed, on every path;
// - non-2xx mapped to a tagged HttpError whose message never carries a key.
import type { Dispatcher } from 'undici';
import { HttpError, describeErrorBody, kindForStatus, parseRetryAfter, scrub } from './errors';
import { collect } from './collect';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;
/** Error bodies are read only this far: enough for a message, never a whole HTML page. */
const ERROR_BODY_BYTES = 64 * 1024;

export interface HttpRequest {
  dispatcher: Dispatcher;
  url: string;
  method?: Dispatcher.HttpMethod;
  headers?: Record<string, string>;
  /** Serialised as the JSON body (Content-Type set). */
  json?: unknown;
  signal: AbortSignal;
  /** Whole exchange, headers and body. */
  timeoutMs?: number;
  maxRedirects?: number;
  maxBytes?: number;
  /** Values to scrub from any message besides the registered secrets (a key being tried). */
  secrets?: (string | undefined)[];
  /** Statuses returned to the caller instead of thrown (304 for conditional requests). */
  acceptStatus?: number[];
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The URL that answered, after redirects. */
  url: string;
}

export interface JsonResponse<T = unknown> extends HttpResponse {
  /** undefined for bodiless statuses (204, 304). */
  body: T | undefined;
}

/** An open response whose body the caller must read (`readText`, iterate) or `close()`. */
export interface OpenResponse extends HttpResponse {
  body: Dispatcher.ResponseData['body'];
  /** The combined caller + timeout signal: aborts the body read too. */
  signal: AbortSignal;
  /** Stop the timer and drop listeners; destroys the body if it was not fully read. */
  close(): void;
}

/** Send a request, follow redirects, map non-accepted non-2xx to HttpError. The caller owns the body. */
export async function open(req: HttpRequest): Promise<OpenResponse> {
  const ctrl = new AbortController();
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let timedOut = false;
  const onAbort = () => ctrl.abort(req.signal.reason);
  if (req.signal.aborted) throw new HttpError('aborted', 'the request was cancelled', { url: safeUrl(req.url) });
  req.signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    ctrl.abort(new Error('timeout'));
  }, timeoutMs);
  timer.unref?.();
  const cleanup = () => {
    clearTimeout(timer);
    req.signal.removeEventListener('abort', onAbort);
  };
  const fail = (e: unknown, url: string): HttpError => {
    if (e instanceof HttpError) return e;
    if (timedOut) return new HttpError('timeout', `no complete answer within ${Math.round(timeoutMs / 1000)} s`, { url });
    if (req.signal.aborted) return new HttpError('aborted', 'the request was cancelled', { url });
    return new HttpError('network', `cannot reach ${originOf(url)} (${networkReason(e)})`, { url });
  };

  let url = req.url;
  let headers = { ...req.headers };
  const seen = new Set<string>();
  const maxRedirects = req.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  try {
    for (let hop = 0; ; hop++) {
      const target = new URL(url);
      seen.add(target.href);
      const res = await req.dispatcher.request({
        origin: target.origin,
        path: target.pathname + target.search,
        method: req.method ?? 'GET',
        headers: req.json === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: req.json === undefined ? undefined : JSON.stringify(req.json),
        signal: ctrl.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const status = res.statusCode;
      const location = headerValue(res.headers.location);
      if (status >= 300 && status < 400 && status !== 304 && location) {
        await dump(res.body);
        const next = new URL(location, target);
        if (hop >= maxRedirects || seen.has(next.href)) {
          throw new HttpError('redirects', `${seen.has(next.href) ? 'a redirect loop' : 'too many redirects'} from ${safeUrl(req.url)}`, {
            status,
            url: safeUrl(url),
          });
        }
        // Never hand a gateway key to another origin.
        if (next.origin !== target.origin) headers = withoutCredentials(headers);
        url = next.href;
        continue;
      }
      const out: OpenResponse = {
        status,
        headers: flatHeaders(res.headers),
        url: safeUrl(url),
        body: res.body,
        signal: ctrl.signal,
        close() {
          cleanup();
          if (!res.body.destroyed && !res.body.readableEnded) res.body.destroy();
        },
      };
      if ((status >= 200 && status < 300) || req.acceptStatus?.includes(status)) return out;
      throw await errorFromResponse(out, req);
    }
  } catch (e) {
    cleanup();
    throw fail(e, safeUrl(url));
  }
}

/** Read a body as text up to `maxBytes`; past that, the body is destroyed and `too_large` thrown. */
export async function readText(res: OpenResponse, maxBytes = DEFAULT_MAX_BYTES): Promise<string> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    res.close();
    throw tooLarge(res.url, maxBytes, declared);
  }
  const r = await collect(res.body, maxBytes).finally(() => res.close());
  if (r.kind === 'over') throw tooLarge(res.url, maxBytes);
  if (r.kind === 'failed') throw r.error ?? new Error('the answer was cut off');
  return r.body.toString('utf8');
}

/** GET/POST and parse JSON. Non-2xx → HttpError; non-JSON (HTML page, truncated body) → `malformed`. */
export async function requestJson<T = unknown>(req: HttpRequest): Promise<JsonResponse<T>> {
  const res = await open(req);
  let text: string;
  try {
    text = await readText(res, req.maxBytes);
  } catch (e) {
    if (e instanceof HttpError) throw e;
    if (req.signal.aborted) throw new HttpError('aborted', 'the request was cancelled', { url: res.url });
    if (res.signal.aborted) throw new HttpError('timeout', `the answer did not finish within ${Math.round((req.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s`, { url: res.url });
    throw new HttpError('network', `the connection to ${originOf(res.url)} broke while reading (${networkReason(e)})`, { url: res.url });
  }
  const base: HttpResponse = { status: res.status, headers: res.headers, url: res.url };
  if (res.status === 204 || res.status === 304 || text.trim() === '') return { ...base, body: undefined };
  try {
    return { ...base, body: JSON.parse(text) as T };
  } catch {
    const d = describeErrorBody(text);
    const what = d.html ? d.message : 'text that is not valid JSON';
    throw new HttpError('malformed', scrub(`${res.url} answered with ${what}`, req.secrets), { status: res.status, url: res.url });
  }
}

async function errorFromResponse(res: OpenResponse, req: HttpRequest): Promise<HttpError> {
  let text = '';
  try {
    text = await readText(res, ERROR_BODY_BYTES);
  } catch {
    // An error body too large or cut off: the status alone tells what happened.
  }
  const d = describeErrorBody(text);
  const kind = kindForStatus(res.status);
  const detail = d.message ? `: ${d.message}` : '';
  return new HttpError(kind, scrub(`HTTP ${res.status} from ${res.url}${detail}`, req.secrets), {
    status: res.status,
    code: d.code,
    retryAfterMs: parseRetryAfter(res.headers['retry-after']),
    url: res.url,
  });
}

function tooLarge(url: string, cap: number, declared?: number): HttpError {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 0)} MB`;
  const size = declared ? ` (${mb(declared)} announced)` : '';
  return new HttpError('too_large', `the answer from ${url} is larger than ${mb(cap)}${size}; it was not read`, { url });
}

async function dump(body: Dispatcher.ResponseData['body']): Promise<void> {
  try {
    await body.dump({ limit: ERROR_BODY_BYTES });
  } catch {
    body.destroy();
  }
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function withoutCredentials(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    const name = k.toLowerCase();
    if (name !== 'authorization' && name !== 'x-api-key' && name !== 'cookie' && name !== 'api-key') out[k] = v;
  }
  return out;
}

/** The URL without userinfo or query (a query could carry a token). */
function safeUrl(u: string): string {
  try {
    const x = new URL(u);
    return `${x.origin}${x.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function originOf(u: string): string {
  try {
    return new URL(u).host;
  } catch {
    return u;
  }
}

function networkReason(e: unknown): string {
  const err = e as { code?: string; cause?: { code?: string; message?: string }; message?: string };
  const code = err?.cause?.code ?? err?.code;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'DNS lookup failed',
    ETIMEDOUT: 'connection timed out',
    UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
    UND_ERR_SOCKET: 'the connection closed',
    UND_ERR_CLOSED: 'the connection closed',
    CERT_HAS_EXPIRED: 'TLS certificate expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  };
  return (code && known[code]) ?? code ?? err?.message ?? 'network error';
}
