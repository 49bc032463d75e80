// Every refusal and failure leaves the proxy in the OpenAI error shape
// `{ "error": { "message", "type", "param", "code" } }`, so SDKs raise their usual typed errors.
import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Failure } from '../core/services';
import { redact } from '../core/log';

export interface ProxyError {
  status: number;
  code: string;
  message: string;
  param?: string;
  /** Extra response headers (Allow, Retry-After). */
  headers?: Record<string, string>;
  /** Close the connection after answering (the request body was not read). */
  close?: boolean;
}

/** OpenAI's `type` values by status; SDKs map the status, people read the type. */
export function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 402) return 'insufficient_quota';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return status === 504 ? 'timeout_error' : 'server_error';
  return 'invalid_request_error';
}

export function errorBody(e: Pick<ProxyError, 'status' | 'code' | 'message' | 'param'>): string {
  // redact: an upstream may echo a key in its message; the proxy never hands one back.
  return JSON.stringify({
    error: { message: redact(e.message), type: errorType(e.status), param: e.param ?? null, code: e.code },
  });
}

export function sendError(res: ServerResponse, e: ProxyError, extra: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = errorBody(e);
  res.writeHead(e.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...(e.close ? { connection: 'close' } : {}),
    ...extra,
    ...e.headers,
  });
  res.end(body);
}

/** A raw HTTP/1.1 error for sockets the http parser gave up on (header overflow, header timeout). */
export function rawErrorResponse(status: number, code: string, message: string): string {
  const body = errorBody({ status, code, message });
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}

/** The pipeline's tagged failure, as the caller sees it. */
export function failureToError(f: Failure, requested?: string): ProxyError {
  const headers: Record<string, string> = {};
  if (f.retryAfterMs !== undefined && f.retryAfterMs > 0) headers['retry-after'] = String(Math.ceil(f.retryAfterMs / 1000));
  let message = f.message;
  if (f.suggestions?.length && !f.suggestions.some((s) => message.includes(s))) {
    message += ` Did you mean: ${f.suggestions.slice(0, 5).join(', ')}?`;
  }
  if (f.gateway && !message.includes(f.gateway)) message = `${message} (gateway "${f.gateway}")`;
  const status = Number.isInteger(f.status) && f.status >= 400 && f.status <= 599 ? f.status : 502;
  return {
    status,
    code: f.code,
    message: f.kind === 'unknown_model' && requested && !message.includes(requested) ? `"${requested}": ${message}` : message,
    param: f.kind === 'unknown_model' ? 'model' : undefined,
    headers,
  };
}
