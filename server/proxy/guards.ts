// The proxy's front door, checked before a byte of body is read: loopback Host only (a web page
// that rebinds its DNS name to 127.0.0.1 still sends its own name as Host), no browser Origin and
// no CORS preflight (nothing a browser page may read or send), then the local token.
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { ProxyError } from './errors';

/** True for 127.0.0.0/8, ::1, the IPv4-mapped loopback and `localhost` (and `*.localhost`, RFC 6761). */
export function isLoopbackName(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

/** An address the server may bind (`--host`): a loopback IP or `localhost`, nothing else. */
export function isLoopbackBindAddress(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || ((isIP(h) === 4 || isIP(h) === 6) && isLoopbackName(h));
}

/** The `Host` header's name part, or undefined when it is not a well-formed host[:port]. */
export function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:\[\]\s]+)(?::(\d{1,5}))?$/.exec(header.trim());
  return m?.[1];
}

/** What checkRequest compares against: the token's bytes, prepared once per server. */
export function tokenBytes(token: string): Buffer {
  return Buffer.from(token, 'utf8');
}

/**
 * Constant-time comparison of the presented bearer token with ours. Only a length mismatch returns
 * early, and the length is no secret (generated tokens all have the same).
 */
export function bearerMatches(authorization: string | undefined, expected: Buffer): boolean {
  if (!authorization) return false;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!m) return false;
  const presented = Buffer.from(m[1], 'utf8');
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

const refuse = (status: number, code: string, message: string): ProxyError => ({ status, code, message, close: true });

/** Host header → allowed, for the few distinct values a proxy sees (bounded: a client picks them). */
const hostVerdicts = new Map<string, boolean>();

function loopbackHost(header: string | undefined): boolean {
  if (header === undefined) return false;
  let ok = hostVerdicts.get(header);
  if (ok === undefined) {
    const name = hostName(header);
    ok = !!name && isLoopbackName(name);
    if (hostVerdicts.size >= 64) hostVerdicts.clear();
    hostVerdicts.set(header, ok);
  }
  return ok;
}

/** The token as an `x-api-key` header (what the Anthropic SDKs and `ANTHROPIC_API_KEY` send). */
export function apiKeyMatches(value: string | string[] | undefined, expected: Buffer): boolean {
  if (typeof value !== 'string') return false;
  const presented = Buffer.from(value.trim(), 'utf8');
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/** `anthropic`: the Anthropic endpoints, which also take the token as `x-api-key`. */
export function checkRequest(req: IncomingMessage, token: Buffer, anthropic = false): ProxyError | undefined {
  if (!loopbackHost(req.headers.host)) {
    return refuse(
      403,
      'host_not_allowed',
      `the Switchyard proxy answers only to loopback Host names (127.0.0.1, localhost, [::1]); got ${JSON.stringify(req.headers.host ?? '')}`,
    );
  }
  if (req.method === 'OPTIONS') {
    return refuse(403, 'cors_not_allowed', 'the Switchyard proxy does not serve browsers: CORS preflight requests are refused');
  }
  if (req.headers.origin !== undefined || req.headers['sec-fetch-site'] !== undefined) {
    return refuse(
      403,
      'origin_not_allowed',
      'the Switchyard proxy refuses requests from web pages (an Origin or Sec-Fetch-Site header was sent); call it from a terminal tool or script',
    );
  }
  if (!bearerMatches(req.headers.authorization, token) && !(anthropic && apiKeyMatches(req.headers['x-api-key'], token))) {
    const sent = req.headers.authorization ?? (anthropic ? req.headers['x-api-key'] : undefined);
    const what = sent ? 'the local proxy token is wrong' : 'no local proxy token was sent';
    const how = anthropic ? 'send it as "x-api-key: <token>" or "Authorization: Bearer <token>" (ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN)' : 'send "Authorization: Bearer <token>"';
    return {
      ...refuse(
        401,
        'invalid_api_key',
        `${what}: ${how} with the Switchyard proxy token (in VS Code run "Switchyard: Copy Proxy Environment"; headless, use SWITCHYARD_PROXY_TOKEN or the proxy-token file in the data directory). This is not a gateway key.`,
      ),
      headers: { 'www-authenticate': 'Bearer realm="switchyard"' },
    };
  }
  return undefined;
}
