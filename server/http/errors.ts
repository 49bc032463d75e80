// Every way an HTTP exchange with a gateway can fail, as one small tagged error (style.md §11).
// Adapters, the catalog and the pipeline branch on `kind`; `message` is already safe to show and
// log: it never carries a key (see `scrub`), nor more than a short excerpt of an upstream body.
import { redact } from '../core/log';
import { asRecord } from '../core/json';

export type HttpErrorKind =
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'rate_limited' // 429
  | 'client' // any other 4xx (400 guardrail_blocked, 402 insufficient_credits, …)
  | 'server' // 5xx
  | 'network' // refused, reset, DNS, TLS
  | 'timeout'
  | 'aborted' // the caller's signal
  | 'too_large' // the body passed the size cap
  | 'redirects' // too many redirects, or a loop
  | 'malformed'; // not JSON, an HTML page, or JSON of the wrong shape

export interface HttpErrorInit {
  status?: number;
  /** The gateway's own error code when its body names one (insufficient_credits, rate_limit_exceeded, …). */
  code?: string;
  retryAfterMs?: number;
  url?: string;
}

export class HttpError extends Error {
  override name = 'HttpError';
  readonly kind: HttpErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly retryAfterMs?: number;
  readonly url?: string;

  constructor(kind: HttpErrorKind, message: string, init: HttpErrorInit = {}) {
    super(message);
    this.kind = kind;
    this.status = init.status;
    this.code = init.code;
    this.retryAfterMs = init.retryAfterMs;
    this.url = init.url;
  }

  /** Worth another try later (routing retries these with backoff; the catalog keeps its cache). */
  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'server' || this.kind === 'network' || this.kind === 'timeout';
  }
}

export function isHttpError(e: unknown): e is HttpError {
  return e instanceof HttpError;
}

export function kindForStatus(status: number): HttpErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return 'client';
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  const secs = Number(v.trim());
  if (Number.isFinite(secs) && secs >= 0) return Math.round(secs * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The message and code an error body carries, in any of the shapes gateways use. */
export function describeErrorBody(text: string): { message?: string; code?: string; html: boolean } {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('<')) {
    const title = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(trimmed)?.[1]?.trim();
    return { message: title ? `an HTML page ("${title}")` : 'an HTML page', html: true };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const line = trimmed.split('\n', 1)[0]?.slice(0, 200);
    return { message: line || undefined, html: false };
  }
  const rec = asRecord(body);
  if (!rec) return { html: false };
  // OpenAI / NemoRouter / ARouter: {error:{message,code,type}}; OpenRouter: {error:{code:<number>,message}};
  // Bifrost: {is_bifrost_error, status_code, error:{type,code,message}}; others: {error:"…"} or {message} / {detail}.
  const err = rec.error;
  const inner = asRecord(err);
  const message = str(inner?.message) ?? str(err) ?? str(rec.message) ?? str(rec.detail);
  const code = str(inner?.code) ?? str(inner?.type) ?? str(rec.code);
  return { message: message?.slice(0, 300), code, html: false };
}

/** Remove every secret we know of from a text that may have come from upstream. */
export function scrub(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4 && out.includes(s)) out = out.split(s).join('[redacted]');
  return redact(out);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}
