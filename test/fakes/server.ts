// The HTTP core every fake shares: node:http on 127.0.0.1, sockets tracked so close() is immediate,
// a request log, fault injection ahead of routing, bearer auth, and response helpers that stamp the
// gateway's always-present headers. Gateway files only declare routes.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { completeError, renderError } from './errors';
import { FaultQueue, applyFault } from './faults';
import { SseWriter } from './sse';
import type { Ctx } from './context';
import type { FakeGatewayKind, FakeGatewayOptions, FakeState, LoggedRequest } from './types';

export type { Ctx } from './context';

/** What a gateway's routes share: its kind, its mutable state and the options it was started with. */
export interface GatewayEnv {
  kind: FakeGatewayKind;
  state: FakeState;
  opts: FakeGatewayOptions;
}

export interface Route {
  method: 'GET' | 'POST';
  path: RegExp;
  /** Needs the bearer key (when the gateway has one). */
  auth: boolean;
  handler(ctx: Ctx): void | Promise<void>;
}

export interface ServerConfig {
  kind: FakeGatewayKind;
  routes: Route[];
  key: string | undefined;
  commonHeaders?(ctx: Ctx): Record<string, string>;
}

const MAX_BODY = 64 * 1024 * 1024;
const HIDDEN_HEADERS = new Set(['authorization', 'x-api-key', 'proxy-authorization', 'cookie']);
/** Two URLs that redirect to each other, for the redirectLoop fault (a real loop, not a long chain). */
export const LOOP_PATH = /^\/__fake\/loop\/(a|b)$/;

export class FakeServer {
  readonly requests: LoggedRequest[] = [];
  readonly faults = new FaultQueue();
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly waiters = new Map<(ok: boolean) => void, NodeJS.Timeout | undefined>();
  private closed = false;

  constructor(private readonly cfg: ServerConfig) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        // A bug in a fake must show up in the test output, not as a silent hang.
        console.error(`[fake ${cfg.kind}]`, e);
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify(renderError(cfg.kind, completeError(cfg.kind, { status: 500 }))));
        } else res.destroy();
      });
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      // Loopback only: these fakes accept any request, they must never be reachable from outside.
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        const addr = this.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const [wake, timer] of this.waiters) {
      if (timer) clearTimeout(timer);
      wake(false);
    }
    this.waiters.clear();
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await done;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
    if (this.closed || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = (ok: boolean) => {
        const t = this.waiters.get(wake);
        if (t) clearTimeout(t);
        this.waiters.delete(wake);
        signal?.removeEventListener('abort', onAbort);
        resolve(ok);
      };
      const onAbort = () => wake(false);
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = Number.isFinite(ms) ? setTimeout(() => wake(true), Math.max(0, ms)) : undefined;
      this.waiters.set(wake, timer);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const bodyText = raw ? raw.toString('utf8') : '';
    const body = parseJson(bodyText);
    const log = logEntry(req, url, bodyText, body, started);
    this.requests.push(log);
    res.on('finish', () => {
      log.status = res.statusCode;
    });
    const ctx = this.makeCtx(req, res, url, bodyText, body, log, started);

    const loop = LOOP_PATH.exec(url.pathname);
    if (loop) {
      res.writeHead(302, { location: `/__fake/loop/${loop[1] === 'a' ? 'b' : 'a'}`, 'content-length': '0' });
      res.end();
      return;
    }
    if (raw === null) return ctx.error({ status: 413 });

    const fault = this.faults.take(req.method ?? 'GET', url.pathname);
    if (fault && (await applyFault(ctx, fault, this.cfg.kind)) === 'handled') return;

    const candidates = this.cfg.routes.filter((r) => r.path.test(url.pathname));
    const route = candidates.find((r) => r.method === req.method);
    if (!route) {
      if (candidates.length > 0) return ctx.error({ status: 405, code: 'method_not_allowed', message: `${req.method} is not allowed on ${url.pathname}` });
      return ctx.error({ status: 404, code: 'not_found', message: `Unknown endpoint ${req.method} ${url.pathname}` });
    }
    if (route.auth && this.cfg.key !== undefined) {
      const presented = bearer(req);
      if (presented !== this.cfg.key) {
        return ctx.error({
          status: 401,
          code: 'invalid_api_key',
          message: presented === undefined ? 'Missing API key: send "Authorization: Bearer <key>".' : 'Invalid API key provided.',
        });
      }
    }
    if (req.method === 'POST' && ctx.bodyText.length > 0 && ctx.body === undefined) {
      return ctx.error({ status: 400, code: 'invalid_json', message: 'The request body is not valid JSON.' });
    }
    const m = route.path.exec(url.pathname);
    ctx.params = m ? m.slice(1).map((p) => (p === undefined ? '' : decodeURIComponent(p))) : [];
    await route.handler(ctx);
  }

  private makeCtx(req: IncomingMessage, res: ServerResponse, url: URL, bodyText: string, body: unknown, log: LoggedRequest, started: number): Ctx {
    const server = this;
    const cfg = this.cfg;
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const ctx: Ctx = {
      req, res, url,
      path: url.pathname,
      params: [],
      body,
      bodyText,
      requestId: randomUUID(),
      started,
      log,
      signal: abort.signal,
      commonHeaders: () => (cfg.commonHeaders ? cfg.commonHeaders(ctx) : {}),
      send(status, body, headers = {}) {
        if (res.headersSent || res.destroyed) return;
        let buf = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
        // A `malformed` inference answer: billed, headers and all, then half the JSON (valid bytes, invalid JSON).
        if (ctx.corrupt && buf && status >= 200 && status < 300) buf = buf.subarray(0, Math.max(1, Math.floor(buf.length / 2)));
        res.writeHead(status, { ...ctx.commonHeaders(), ...headers, ...(buf ? { 'content-length': String(buf.length) } : {}) });
        if (!buf || buf.length === 0) return void res.end();
        if (ctx.cutAfterChunks !== undefined) {
          // A JSON answer cut mid-way: half the promised bytes, then the connection dies.
          res.write(buf.subarray(0, Math.floor(buf.length / 2)), () => res.socket?.destroy());
          return;
        }
        res.end(buf);
      },
      json(status, body, headers = {}) {
        ctx.send(status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
      },
      error(spec, headers = {}) {
        const e = completeError(cfg.kind, spec);
        ctx.json(e.status, renderError(cfg.kind, e), headers);
      },
      sse(headers = {}) {
        return new SseWriter(ctx, { ...ctx.commonHeaders(), ...headers });
      },
      sleep: (ms) => server.sleep(ms, abort.signal),
    };
    return ctx;
  }
}

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h);
  return m ? m[1].trim() : '';
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** null when the body exceeds MAX_BODY (answered 413). */
async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooBig = false;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY) tooBig = true;
    else chunks.push(b);
  }
  return tooBig ? null : Buffer.concat(chunks);
}

function logEntry(req: IncomingMessage, url: URL, text: string, parsed: unknown, at: number): LoggedRequest {
  const headers: LoggedRequest['headers'] = {};
  for (const [k, v] of Object.entries(req.headers)) if (!HIDDEN_HEADERS.has(k)) headers[k] = v;
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body: parsed !== undefined ? parsed : text.length > 0 ? text : undefined,
    hadAuth: req.headers.authorization !== undefined || req.headers['x-api-key'] !== undefined,
    at,
  };
}
