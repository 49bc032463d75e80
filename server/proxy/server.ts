// The local OpenAI-compatible proxy: node:http on a loopback address, guards first, then routes.
// It is built from the app's parts (catalog, pipeline, settings) and is run by the language server
// (server/proxy/lsp.ts) and by `switchyard proxy` (server/cli/proxy.ts) alike.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { setTimeout, clearTimeout } from 'node:timers';
import type { Socket } from 'node:net';
import type { CatalogService, Disposable, Pipeline, ProxyHandle } from '../core/services';
import type { Logger } from '../core/log';
import type { ProxyInfo } from '../protocol/messages';
import { resolveGateways, type Settings } from '../protocol/settings';
import type { InferenceEndpoint } from '../gateways/types';
import { errorMessage } from '../core/errors';
import { Canceller, type Cancellation } from '../core/cancel';
import { checkRequest, tokenBytes } from './guards';
import { rawErrorResponse, sendError, type ProxyError } from './errors';
import { createGate } from './limits';
import { readBodyAhead } from './body';
import { baseHeaders, handleInference, type InferenceContext } from './inference';
import { getModel, listModels, suggestServed } from './models';
import { handleResponses } from './responses/handler';
import { waitForFirstCatalogs } from '../catalog/firstLoad';
import { handleCountTokens, handleMessages } from './messages/handler';
import { sendAnthropicError } from './messages/errors';

export interface ProxyDeps {
  pipeline: Pipeline;
  catalog: CatalogService;
  getSettings(): Settings;
  log: Logger;
}

export interface ProxyOptions {
  /** A loopback address (checked by the caller: `--host` / settings). */
  host: string;
  port: number;
  token: string;
  /** When `port` is taken, listen on any free port instead of failing (default true). */
  fallbackPort?: boolean;
}

export interface ProxyServer extends ProxyHandle {
  /** Listen; resolves with the info (url) or rejects with a readable reason. */
  start(): Promise<ProxyInfo>;
  /** Requests being served, waiting in line, and streams waiting for a slow caller, right now. */
  load(): { active: number; waiting: number; stalled: number };
  /** Stop listening, let in-flight requests finish for up to `graceMs`, then cut them. */
  close(graceMs?: number): Promise<void>;
}

const INFERENCE: Record<string, InferenceEndpoint> = {
  '/v1/chat/completions': 'chat/completions',
  '/v1/completions': 'completions',
  '/v1/embeddings': 'embeddings',
};

/** The Anthropic Messages API: Anthropic's auth header and error shape on everything under it. */
const MESSAGES: Record<string, typeof handleMessages> = {
  '/v1/messages': handleMessages,
  '/v1/messages/count_tokens': handleCountTokens,
};
const isAnthropicPath = (path: string) => path === '/v1/messages' || path.startsWith('/v1/messages/');

export function createProxyServer(deps: ProxyDeps, opts: ProxyOptions): ProxyServer {
  const limits = deps.getSettings().proxy;
  const expectedToken = tokenBytes(opts.token);
  const gate = createGate(() => deps.getSettings().proxy.maxConcurrency);
  const listeners = new Set<() => void>();
  let requests = 0;
  let stalled = 0;
  let url: string | undefined;
  let lastError: string | undefined;
  let notifyTimer: NodeJS.Timeout | undefined;

  const emit = () => {
    for (const l of listeners) l();
  };
  // Counts change with every request: tell listeners (the status bar) at most once a second.
  const countChanged = () => {
    if (notifyTimer) return;
    notifyTimer = setTimeout(() => {
      notifyTimer = undefined;
      emit();
    }, 1000);
    notifyTimer.unref();
  };

  const server: Server = createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      // A backstop only: the body has its own, clearer timeout (readBodyAhead).
      requestTimeout: limits.headersTimeoutMs + limits.bodyTimeoutMs + 5000,
      // Check header/request timeouts every second rather than Node's default 30 s.
      connectionsCheckingInterval: 1000,
      keepAliveTimeout: 5000,
    },
    (req, res) => {
      void onRequest(req, res).catch((e) => {
        deps.log.error(`proxy: ${errorMessage(e)}`);
        (isAnthropicPath(pathOf(req)) ? sendAnthropicError : sendError)(res, { status: 500, code: 'internal_error', message: `Switchyard failed to handle the request: ${errorMessage(e)}` });
      });
    },
  );
  server.on('clientError', onClientError);

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const anthropic = isAnthropicPath(pathOf(req));
    // Every refusal in the caller's API's error shape (Anthropic's on /v1/messages).
    const refuse = anthropic ? sendAnthropicError : sendError;
    const refusal = checkRequest(req, expectedToken, anthropic);
    if (refusal) {
      deps.log.warn(`proxy: refused ${req.method} ${pathOf(req).slice(0, 200)}: ${refusal.code}`);
      return refuse(res, refusal);
    }
    requests++;
    countChanged();
    const requestId = requestIdOf(req);
    const aborter = new Canceller();
    let release: (() => void) | undefined;
    res.once('close', () => {
      if (!res.writableFinished) aborter.abort();
      release?.();
    });
    if (req.method === 'POST') {
      const settings = deps.getSettings().proxy;
      const body = await readBodyAhead(req, settings.maxBodyBytes, settings.bodyTimeoutMs);
      if (!body.ok) {
        if (body.error.status === 408) deps.log.warn(`proxy: ${requestId}: ${body.error.message}`);
        return refuse(res, body.error, baseHeaders(requestId));
      }
    }
    // A free slot is taken at once, without a promise and a turn of the microtask queue.
    release = gate.tryAcquire() ?? (await gate.acquire(aborter));
    if (!release) {
      if (aborter.aborted) return;
      return refuse(res, {
        status: 503,
        code: 'proxy_busy',
        message: `the proxy has too many requests waiting (setting switchyard.proxy.maxConcurrency = ${deps.getSettings().proxy.maxConcurrency})`,
        headers: { 'retry-after': '1' },
        close: true,
      }, baseHeaders(requestId));
    }
    // No per-request log line: the ledger has every metered request, and in the editor a debug line
    // would be one more LSP notification per request.
    try {
      await route(req, res, requestId, aborter);
    } finally {
      release();
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse, requestId: string, signal: Cancellation): Promise<void> {
    const path = pathOf(req);
    const settings = deps.getSettings();
    if (isAnthropicPath(path)) {
      const handler = MESSAGES[path];
      if (!handler) {
        return sendAnthropicError(res, { status: 404, code: 'unknown_endpoint', message: `${req.method} ${path.slice(0, 200)} is not served here; the Switchyard proxy serves POST /v1/messages and POST /v1/messages/count_tokens of the Anthropic API` }, baseHeaders(requestId));
      }
      if (req.method !== 'POST') return sendAnthropicError(res, notAllowed(path, 'POST'), baseHeaders(requestId));
      return handler(req, res, inferenceContext(settings, requestId, signal));
    }
    const endpoint = INFERENCE[path];
    if (endpoint) {
      if (req.method !== 'POST') return sendError(res, notAllowed(path, 'POST'), baseHeaders(requestId));
      return handleInference(endpoint, req, res, inferenceContext(settings, requestId, signal));
    }
    if (path === '/v1/responses') {
      if (req.method !== 'POST') return sendError(res, notAllowed(path, 'POST'), baseHeaders(requestId));
      return handleResponses(req, res, inferenceContext(settings, requestId, signal));
    }
    if (path === '/v1/models' || path.startsWith('/v1/models/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, notAllowed(path, 'GET'), baseHeaders(requestId));
      const gateways = new Set(resolveGateways(settings).map((g) => g.id));
      // Right after start a gateway may still be on its first catalog: list what it serves, not nothing.
      await waitForFirstCatalogs(deps.catalog, { timeoutMs: settings.routing.requestTimeoutMs, signal });
      if (signal.aborted) return;
      if (path === '/v1/models') return sendJson(res, listModels(deps.catalog, gateways), requestId);
      let id: string;
      try {
        id = decodeURIComponent(path.slice('/v1/models/'.length));
      } catch {
        return sendError(res, { status: 400, code: 'invalid_request', message: 'the model id in the path is not valid percent-encoding' }, baseHeaders(requestId));
      }
      const r = getModel(deps.catalog, gateways, id, Object.keys(settings.aliases));
      return r.ok ? sendJson(res, r.model, requestId) : sendError(res, r.error, baseHeaders(requestId));
    }
    return sendError(
      res,
      {
        status: 404,
        code: 'unknown_endpoint',
        message: `${req.method} ${path.slice(0, 200)} is not served here; the Switchyard proxy serves GET /v1/models, GET /v1/models/{id}, POST /v1/chat/completions, POST /v1/completions, POST /v1/embeddings, POST /v1/responses, POST /v1/messages and POST /v1/messages/count_tokens`,
      },
      baseHeaders(requestId),
    );
  }

  function inferenceContext(settings: Settings, requestId: string, signal: Cancellation): InferenceContext {
    return {
      pipeline: deps.pipeline,
      log: deps.log,
      maxBodyBytes: settings.proxy.maxBodyBytes,
      requestId,
      signal,
      onStall: (d) => (stalled += d),
      suggest: (model) => suggestServed(deps.catalog, new Set(resolveGateways(settings).map((g) => g.id)), model, Object.keys(settings.aliases)),
      maxOutputTokens: (model) => deps.catalog.find(model)?.maxOutput,
    };
  }

  function onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
    const code = err.code ?? '';
    if (code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, ours, message] =
      code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers_too_large', `the request headers are larger than the proxy accepts (${limits.maxHeaderBytes} bytes; setting switchyard.proxy.maxHeaderBytes)`]
        : code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'request_timeout', `the request was not received in time (headers within ${limits.headersTimeoutMs} ms; setting switchyard.proxy.headersTimeoutMs)`]
          : [400, 'bad_request', `malformed HTTP request (${code || err.message})`];
    socket.end(rawErrorResponse(status, ours, message));
  }

  async function listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => {
        server.off('listening', onListening);
        reject(e);
      };
      const onListening = () => {
        server.off('error', onError);
        const addr = server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen({ host: opts.host, port, exclusive: true });
    });
  }

  const handle: ProxyServer = {
    info: () => ({ running: !!url, url, token: opts.token, requests, ...(lastError ? { error: lastError } : {}) }),
    load: () => ({ active: gate.active, waiting: gate.waiting, stalled }),
    onDidChange(l): Disposable {
      listeners.add(l);
      return { dispose: () => listeners.delete(l) };
    },
    async start() {
      try {
        let port: number;
        try {
          port = await listen(opts.port);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (opts.port === 0 || opts.fallbackPort === false || (code !== 'EADDRINUSE' && code !== 'EACCES')) throw e;
          deps.log.warn(`proxy: port ${opts.port} on ${opts.host} is ${code === 'EACCES' ? 'not allowed' : 'in use'}; using a free port instead`);
          port = await listen(0);
        }
        url = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}/v1`;
        lastError = undefined;
        deps.log.info(`proxy: listening on ${url}`);
      } catch (e) {
        lastError = `the proxy could not listen on ${opts.host}:${opts.port}: ${errorMessage(e)}`;
        url = undefined;
        emit();
        throw new Error(lastError);
      }
      emit();
      return handle.info();
    },
    async close(graceMs = 2000) {
      if (notifyTimer) clearTimeout(notifyTimer);
      notifyTimer = undefined;
      const wasRunning = !!url;
      url = undefined;
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
      if (wasRunning) emit();
    },
  };
  return handle;
}

function pathOf(req: IncomingMessage): string {
  const u = req.url ?? '/';
  const q = u.indexOf('?');
  const p = q === -1 ? u : u.slice(0, q);
  // Tolerate a trailing slash (`/v1/models/`) the way most OpenAI-compatible servers do.
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

// Request ids: a random prefix per process and a counter, unique across processes sharing a ledger
// without a crypto call per request.
const ID_PREFIX = `sy-${randomBytes(6).toString('base64url')}-`;
let idCounter = 0;

function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const v = Array.isArray(given) ? given[0] : given;
  return v && /^[A-Za-z0-9._:-]{1,128}$/.test(v) ? v : ID_PREFIX + (++idCounter).toString(36);
}

function notAllowed(path: string, allow: string): ProxyError {
  return { status: 405, code: 'method_not_allowed', message: `${path} accepts ${allow} only`, headers: { allow } };
}

function sendJson(res: ServerResponse, body: unknown, requestId: string): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...baseHeaders(requestId) });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}
