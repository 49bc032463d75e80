// Errors on the Anthropic endpoints leave in Anthropic's shape
// `{ "type": "error", "error": { "type", "message" }, "request_id" }` with the matching status, so the
// Anthropic SDK raises its typed errors (NotFoundError, RateLimitError…) and Claude Code decides to
// retry (429, 5xx, 529) or stop (4xx) as it does against Anthropic. Our own stable code travels in
// the `x-switchyard-error-code` header.
import type { ServerResponse } from 'node:http';
import { redact } from '../../core/log';
import type { ProxyError } from '../errors';

/** Anthropic's error `type` for an HTTP status (https://docs.anthropic.com/en/api/errors). */
export function anthropicErrorType(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 503:
    case 529:
      return 'overloaded_error';
    case 504:
      return 'timeout_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

/** The error object (`{type:"error", error:{…}}`), as a JSON body or as the data of a stream's `error` event. */
export function anthropicErrorBody(e: Pick<ProxyError, 'status' | 'message'>, requestId?: string): string {
  // redact: an upstream may echo a key in its message; the proxy never hands one back.
  return JSON.stringify({
    type: 'error',
    error: { type: anthropicErrorType(e.status), message: redact(e.message) },
    ...(requestId ? { request_id: requestId } : {}),
  });
}

export function sendAnthropicError(res: ServerResponse, e: ProxyError, extra: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = anthropicErrorBody(e, extra['x-switchyard-request-id']);
  res.writeHead(e.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-switchyard-error-code': e.code,
    ...(e.close ? { connection: 'close' } : {}),
    ...extra,
    ...e.headers,
  });
  res.end(body);
}

/** One server-sent event in Anthropic's framing (`event:` names the type, `data:` the JSON). */
export function sseEvent(type: string, data: unknown): string {
  return `event: ${type}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}
