// Turning what went wrong into the pipeline's `Failure` union, and the pure decisions taken on it:
// may this be retried on the same gateway, may it fail over to another one.
import type { Failure } from '../core/services';
import { describeErrorBody, parseRetryAfter, scrub } from '../http/errors';
import { errorMessage } from '../core/errors';

/** Codes for a status when the gateway's body names none (OpenRouter puts the status number in `code`). */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'invalid_api_key',
  402: 'insufficient_credits',
  403: 'permission_denied',
  404: 'model_not_found',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'unprocessable_entity',
  429: 'rate_limit_exceeded',
  500: 'internal_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

/** Statuses worth the same request again after a pause (timeouts, rate limits, transient server trouble). */
const RETRYABLE_STATUS = new Set([408, 409, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524, 529]);

/** The account or the request itself is at fault: no retry, no failover (design.md "Routing"). */
const FINAL_STATUS = new Set([400, 401, 402, 403]);

export function failureFromResponse(
  gateway: string,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  bodyText: string,
  secrets: readonly (string | undefined)[] = [],
  now = Date.now(),
): Failure {
  const described = describeErrorBody(bodyText);
  const own = described.code && isStableCode(described.code, secrets) ? described.code : undefined;
  const code = own ?? CODE_BY_STATUS[status] ?? `http_${status}`;
  const detail = described.message ? scrub(described.message, secrets) : `HTTP ${status}`;
  return {
    kind: 'upstream',
    status,
    code,
    message: `${gateway} answered ${status}${code ? ` ${code}` : ''}: ${detail}`,
    gateway,
    retryable: RETRYABLE_STATUS.has(status),
    retryAfterMs: parseRetryAfter(headers['retry-after'], now),
  };
}

/**
 * A gateway's `code` is passed on (to the caller and the ledger's `status`) only when it reads like
 * a code: words joined by `_` `-` `.`. A numeric one (OpenRouter), an error class name, or anything
 * that could be a credential echoed back — a known key, a key shape, a long segment with digits —
 * falls back to the status's own code (issue 16, item 6).
 */
function isStableCode(code: string, secrets: readonly (string | undefined)[]): boolean {
  if (code.length > 64 || !/^[a-z][a-z0-9_.-]*$/i.test(code) || /Error$/.test(code)) return false;
  if (scrub(code, secrets) !== code) return false;
  return !code.split(/[-_.]/).some((part) => part.length >= 12 && /\d/.test(part));
}

/** An error payload inside a 200 stream (OpenRouter sends `data: {"error": {...}}` mid-stream). */
export function failureFromStreamError(gateway: string, payload: unknown, secrets: readonly (string | undefined)[] = []): Failure | undefined {
  if (!payload || typeof payload !== 'object' || !('error' in payload)) return undefined;
  const err = (payload as { error: unknown }).error;
  if (!err) return undefined;
  const rec = typeof err === 'object' ? (err as Record<string, unknown>) : {};
  const numeric = typeof rec.code === 'number' ? rec.code : undefined;
  const status = numeric && numeric >= 400 && numeric < 600 ? numeric : 502;
  return failureFromResponse(gateway, status, {}, JSON.stringify(payload), secrets);
}

export function networkFailure(gateway: string, e: unknown, secrets: readonly (string | undefined)[] = []): Failure {
  const code = (e as { code?: unknown })?.code;
  return {
    kind: 'network',
    status: 502,
    code: 'unreachable',
    message: `${gateway} could not be reached: ${scrub(errorMessage(e), secrets)}${typeof code === 'string' ? ` (${code})` : ''}`,
    gateway,
    retryable: true,
  };
}

export function timeoutFailure(gateway: string, ms: number): Failure {
  return {
    kind: 'timeout',
    status: 504,
    code: 'timeout',
    message: `${gateway} did not start answering within ${Math.round(ms / 1000)} s`,
    gateway,
    retryable: true,
  };
}

export function abortedFailure(gateway?: string): Failure {
  return { kind: 'aborted', status: 499, code: 'aborted', message: 'the request was cancelled by the caller', gateway, retryable: false };
}

export function malformedFailure(gateway: string, what: string): Failure {
  return { kind: 'upstream', status: 502, code: 'malformed_response', message: `${gateway} sent ${what}`, gateway, retryable: true };
}

export function badRequest(message: string): Failure {
  return { kind: 'bad_request', status: 400, code: 'invalid_request', message, retryable: false };
}

/** Another try on the same gateway can help. */
export function canRetry(f: Failure): boolean {
  return f.retryable && !FINAL_STATUS.has(f.status);
}

/**
 * Another gateway (or a fallback model) can help: transient trouble, or this gateway does not have
 * the model after all (a stale catalog). Never for 400/401/402/403: a guardrail, a bad key or an
 * empty account must reach the person as such, and silently spending on another account is worse.
 */
export function canFailOver(f: Failure): boolean {
  if (f.kind === 'aborted' || f.kind === 'bad_request') return false;
  if (FINAL_STATUS.has(f.status)) return false;
  return f.retryable || f.status === 404;
}

/** Counts against the gateway's circuit breaker: the gateway itself is in trouble, not the request. */
export function countsAgainstGateway(f: Failure): boolean {
  return f.kind === 'network' || f.kind === 'timeout' || (f.kind === 'upstream' && f.retryable);
}
