// Error bodies in each gateway's own shape (what adapters must parse):
// - NemoRouter, ARouter, openai-compatible: OpenAI's `{ error: { message, type, param, code } }`.
//   NemoRouter's typed errors carry the seed's code (`insufficient_credits`, ...) and, as `type`,
//   the seed's error class (`NemoCreditError`, ...) — the seed says "catch the class, read the code"
//   but does not print a body, so this is our choice.
// - OpenRouter: `{ error: { code: <HTTP status as a number>, message, metadata? } }` (its errors page).
// - Bifrost: `{ is_bifrost_error, status_code, error: { type, code, message } }` (its BifrostError).
import type { FakeGatewayKind } from './types';

export interface ErrorSpec {
  status: number;
  code?: string;
  message?: string;
  type?: string;
  param?: string | null;
  metadata?: Record<string, unknown>;
}

/** NemoRouter's typed gateway errors (seed 001, "NemoRouter gateway errors"). */
export const NEMO_TYPED_ERRORS: Record<string, { status: number; type: string; message: string }> = {
  guardrail_blocked: {
    status: 400, type: 'NemoGuardrailBlockedError',
    message: 'A guardrail blocked the request: a secret was detected in the payload.',
  },
  insufficient_credits: {
    status: 402, type: 'NemoCreditError',
    message: 'The key would breach its credit balance or budget. No credits were debited.',
  },
  rate_limit_exceeded: {
    status: 429, type: 'NemoRateLimitError',
    message: 'The requests-per-minute (RPM) ceiling for the key or tier was exceeded. Retry after a short backoff.',
  },
  tpm_limit_exceeded: {
    status: 429, type: 'NemoRateLimitError',
    message: 'The tokens-per-minute (TPM) ceiling was exceeded. Lower request size or spread load across the window.',
  },
  credit_check_failed: {
    status: 503, type: 'NemoServiceError',
    message: 'The credit system was briefly unavailable. The request was rejected rather than run un-metered.',
  },
};

const BY_STATUS: Record<number, { type: string; code: string; message: string }> = {
  400: { type: 'invalid_request_error', code: 'bad_request', message: 'The request was malformed or missing required parameters.' },
  401: { type: 'authentication_error', code: 'invalid_api_key', message: 'Invalid or missing API key.' },
  402: { type: 'insufficient_quota', code: 'insufficient_credits', message: 'Insufficient credits.' },
  403: { type: 'permission_denied', code: 'permission_denied', message: 'Your key does not have access to this model or resource.' },
  404: { type: 'not_found_error', code: 'not_found', message: 'The requested model or endpoint does not exist.' },
  408: { type: 'timeout_error', code: 'request_timeout', message: 'The LLM provider did not respond in time.' },
  413: { type: 'invalid_request_error', code: 'payload_too_large', message: 'Request body too large.' },
  429: { type: 'rate_limit_error', code: 'rate_limit_exceeded', message: 'Rate limit exceeded.' },
  500: { type: 'server_error', code: 'internal_error', message: 'An unexpected error occurred in the proxy.' },
  502: { type: 'server_error', code: 'bad_gateway', message: 'The LLM provider returned an invalid response.' },
  503: { type: 'server_error', code: 'service_unavailable', message: 'The LLM provider is temporarily unavailable.' },
  504: { type: 'timeout_error', code: 'gateway_timeout', message: 'The LLM provider did not respond in time.' },
};

function defaults(status: number) {
  return BY_STATUS[status] ?? { type: status >= 500 ? 'server_error' : 'invalid_request_error', code: `http_${status}`, message: `HTTP ${status}` };
}

/** Fills a partial spec: NemoRouter typed codes bring their own status, class and message. */
export function completeError(kind: FakeGatewayKind, spec: Partial<ErrorSpec> & { code?: string }): ErrorSpec {
  const typed = kind === 'nemorouter' && spec.code ? NEMO_TYPED_ERRORS[spec.code] : undefined;
  const status = spec.status ?? typed?.status ?? 500;
  const d = defaults(status);
  return {
    status,
    code: spec.code ?? d.code,
    type: spec.type ?? typed?.type ?? d.type,
    message: spec.message ?? typed?.message ?? d.message,
    param: spec.param ?? null,
    metadata: spec.metadata,
  };
}

export function renderError(kind: FakeGatewayKind, e: ErrorSpec): Record<string, unknown> {
  switch (kind) {
    case 'openrouter':
      return { error: { code: e.status, message: e.message, ...(e.metadata ? { metadata: e.metadata } : {}) } };
    case 'bifrost':
      return {
        is_bifrost_error: true,
        status_code: e.status,
        error: { type: e.type, code: e.code, message: e.message },
      };
    default:
      return { error: { message: e.message, type: e.type, param: e.param ?? null, code: e.code } };
  }
}
