// Inference endpoints: the caller's body goes through the pipeline (source `proxy`), the answer
// comes back in OpenAI's shape with `x-switchyard-*` headers saying which gateway and model served
// it and what it cost. Streams are relayed one event at a time, pulled only as fast as the caller
// reads (backpressure); a caller that leaves aborts the upstream request; an upstream that dies
// mid-stream ends the caller's stream with an error event.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Failure, Metering, Pipeline, PipelineRequest, PipelineResponse, SseEvent } from '../core/services';
import type { InferenceEndpoint } from '../gateways/types';
import type { Logger } from '../core/log';
import { redact } from '../core/log';
import { errorMessage } from '../core/errors';
import { setTimeout, clearTimeout } from 'node:timers';
import { errorBody, failureToError, sendError, type ProxyError } from './errors';
import { parseJson, readBody, validateRequest } from './body';
import { normalizeEmbeddings } from './embeddings';
import { formatCostUsd } from '../pipeline/metering';
import { withToolIndexes, type ToolCallSlots } from '../pipeline/toolSlots';
import { chunkOf } from '../pipeline/stream';
import type { Cancellation } from '../core/cancel';

export interface InferenceContext {
  pipeline: Pipeline;
  log: Logger;
  maxBodyBytes: number;
  requestId: string;
  /** Aborted when the caller goes away before the answer is complete. */
  signal: Cancellation;
  /** Told when a stream starts (+1) and stops (-1) waiting for a slow caller to read. */
  onStall?(delta: 1 | -1): void;
  /** Close model IDs for an unknown one, when the pipeline's failure names none. */
  suggest(model: string): string[];
  /** The catalog's output limit for a requested model (any ID form or alias), when known. */
  maxOutputTokens?(model: string): number | undefined;
  /** How long to wait, after the last event, for the ledger line before ending the response anyway. */
  settleTimeoutMs?: number;
}

export const GATEWAY_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export async function handleInference(
  endpoint: InferenceEndpoint,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: InferenceContext,
): Promise<void> {
  const raw = await readBody(req, ctx.maxBodyBytes);
  if (!raw.ok) return sendError(res, raw.error, baseHeaders(ctx.requestId));
  const json = parseJson(raw.value);
  if (!json.ok) return sendError(res, json.error, baseHeaders(ctx.requestId));
  const body = validateRequest(endpoint, json.value);
  if (!body.ok) return sendError(res, body.error, baseHeaders(ctx.requestId));
  // checkBody hands on the parsed object itself, so the text is still what it was parsed from.
  const r = await runPipeline(req, res, ctx, { endpoint, body: body.value, bodyChecked: true, bodyText: json.text }, sendError, baseHeaders(ctx.requestId));
  if (!r) return;
  if (!r.ok) {
    const requested = typeof body.value.model === 'string' ? body.value.model : undefined;
    return sendError(res, failureToError(withSuggestions(r.failure, requested, ctx), requested), baseHeaders(ctx.requestId));
  }
  if (r.kind === 'json') {
    const out = endpoint === 'embeddings' ? normalizeEmbeddings(r.body, body.value.encoding_format) : r.body;
    // Passed on unchanged: the gateway's own bytes (parsed and checked by the pipeline), not the
    // same object serialised a second time.
    const payload = out === r.body ? r.raw : JSON.stringify(out);
    // One headers object, filled in place.
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length),
    };
    baseHeaders(ctx.requestId, addMeteringHeaders(safeHeaders(r.headers, headers), r.metering));
    res.writeHead(r.status, headers);
    res.end(payload);
    return;
  }
  await relayStream(res, r, ctx);
}

/** Writes a refusal in the caller's API's error shape (OpenAI's `sendError`, Anthropic's `sendAnthropicError`). */
export type ErrorWriter = (res: ServerResponse, e: ProxyError, headers: Record<string, string>) => void;

/**
 * Every inference endpoint's way into the pipeline (source `proxy`): checks the optional
 * `x-switchyard-gateway` pin and runs the request. When the pin is malformed or the pipeline throws,
 * the caller is answered here through `send` (with `headers`) and the result is undefined.
 */
export async function runPipeline(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: InferenceContext,
  call: Omit<PipelineRequest, 'source' | 'gateway' | 'requestId' | 'signal'>,
  send: ErrorWriter,
  headers: Record<string, string>,
): Promise<PipelineResponse | undefined> {
  const gateway = header(req, 'x-switchyard-gateway');
  if (gateway !== undefined && !GATEWAY_ID.test(gateway)) {
    send(res, { status: 400, code: 'invalid_gateway', message: `x-switchyard-gateway: "${gateway.slice(0, 64)}" is not a gateway id` }, headers);
    return undefined;
  }
  try {
    return await ctx.pipeline.execute({ ...call, source: 'proxy', gateway, requestId: ctx.requestId, signal: ctx.signal });
  } catch (e) {
    ctx.log.error(`proxy ${ctx.requestId}: pipeline failed: ${errorMessage(e)}`);
    send(res, { status: 500, code: 'internal_error', message: `Switchyard failed to handle the request: ${errorMessage(e)}` }, headers);
    return undefined;
  }
}

/** An unknown-model failure names the catalog's nearest IDs when it names none (a gateway's own 404 does not). */
export function withSuggestions(failure: Failure, requested: string | undefined, ctx: Pick<InferenceContext, 'suggest'>): Failure {
  if (failure.kind !== 'unknown_model' && failure.code !== 'model_not_found') return failure;
  if (failure.suggestions?.length || !requested) return failure;
  return { ...failure, suggestions: ctx.suggest(requested) };
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
}

/** The request-id headers of every proxy answer, set on `into` (a fresh object by default). */
export function baseHeaders(requestId: string, into: Record<string, string> = {}): Record<string, string> {
  into['x-switchyard-request-id'] = requestId;
  into['x-request-id'] = requestId;
  return into;
}

/** Header values must be a single line of visible text; a model name is shown, never trusted. */
export function headerValue(v: string): string {
  return v.replace(/[^\x20-\x7e]/g, '?').slice(0, 256);
}

/** Only `x-switchyard-*` and request ids from the pipeline, redacted: nothing upstream-specific leaks by accident. */
export function safeHeaders(h: Record<string, string>, out: Record<string, string> = {}): Record<string, string> {
  for (const k in h) {
    const v = h[k];
    const name = k.toLowerCase();
    if (name.startsWith('x-switchyard-') || name === 'x-request-id' || name === 'x-upstream-request-id') out[name] = headerValue(redact(String(v)));
  }
  return out;
}

/** The same names the pipeline uses (server/pipeline/metering.ts), completed with the metering's numbers. */
export function meteringHeaders(m: Metering): Record<string, string> {
  return addMeteringHeaders({}, m);
}

export function addMeteringHeaders(h: Record<string, string>, m: Metering): Record<string, string> {
  h['x-switchyard-gateway'] = m.gateway;
  h['x-switchyard-model'] = headerValue(m.servedModel);
  h['x-switchyard-cost-source'] = m.costSource;
  h['x-switchyard-input-tokens'] = String(m.inputTokens);
  h['x-switchyard-output-tokens'] = String(m.outputTokens);
  h['x-switchyard-latency-ms'] = String(Math.round(m.latencyMs));
  // Plain decimal, as the pipeline's own header and the ledger have it: String() would write a cost
  // under a micro-dollar as 1.2e-7.
  if (m.costUsd !== null) h['x-switchyard-cost'] = formatCostUsd(m.costUsd);
  return h;
}

const TRAILERS = ['x-switchyard-cost', 'x-switchyard-cost-source', 'x-switchyard-model', 'x-switchyard-input-tokens', 'x-switchyard-output-tokens', 'x-switchyard-status'];
export const TRAILER_HEADER = TRAILERS.join(', ');

export function formatEvent(ev: SseEvent): string {
  const head = ev.event ? `event: ${ev.event.replace(/[\r\n]/g, '')}\n` : '';
  // The usual chunk is one line of JSON: no split per event.
  if (!ev.data.includes('\n') && !ev.data.includes('\r')) return `${head}data: ${ev.data}\n\n`;
  // Multi-line payloads go out as several `data:` lines, which the caller's parser joins back with "\n".
  let out = head;
  for (const line of ev.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return out + '\n';
}

export type StreamResponse = Extract<PipelineResponse, { kind: 'stream' }>;

async function relayStream(res: ServerResponse, r: StreamResponse, ctx: InferenceContext): Promise<void> {
  const headers = baseHeaders(ctx.requestId, safeHeaders(r.headers));
  headers['x-switchyard-gateway'] = r.gateway;
  writeStreamHead(res, r.status, headers);
  let sawDone = false;
  let sawError = false;
  let events = 0;
  const slots = new Map<number, ToolCallSlots>();
  // `[DONE]` waits for the cost trailers, which follow once the ledger line is written — usually in
  // the same turn of the event loop, and then both leave in one write — but at most FINAL_WAIT_MS: a
  // client stops reading there, and a gateway may keep the body open a while after it (trailers).
  const { cut, metering } = await pump(r, ctx, (ev) => {
    if (ev.data === '[DONE]') {
      sawDone = true;
      holdFinal(res);
    } else if (ev.data.includes('"error"') && carriesError(ev)) {
      // A gateway's error event, passed on as it is except for anything that looks like a key.
      sawError = true;
      ev = { ...ev, data: redact(ev.data) };
    } else if (ev.data.includes('"tool_calls"')) {
      ev = withIndexes(ev, slots);
    }
    events++;
    return send(res, formatEvent(ev), ctx);
  });
  if (ctx.signal.aborted || res.destroyed) return;
  // The gateway's own error event already told the caller; otherwise say that the stream broke.
  if (!sawDone && !sawError && (cut !== undefined || (metering && metering.status !== 'ok'))) {
    flushEvents(res);
    const status = metering?.status && metering.status !== 'ok' ? ` (${metering.status})` : '';
    const reason = cut ? `: ${cut}` : '';
    res.write(
      `data: ${errorBody({
        status: 502,
        code: 'upstream_stream_cut',
        message: `the gateway "${r.gateway}" ended the stream before it finished, after ${events} event(s)${status}${reason}`,
      })}\n\n`,
    );
  }
  endStream(res, metering);
}

/** Ends an event-stream answer with its cost trailers (named by writeStreamHead), when the metering came. */
export function endStream(res: ServerResponse, metering: Metering | undefined): void {
  if (metering) res.addTrailers({ ...meteringHeaders(metering), 'x-switchyard-status': headerValue(metering.status) });
  // The last events, the end of the body and the trailers in one write.
  const text = takeEvents(res);
  if (text === undefined) res.end();
  else res.end(text);
}

/** Opens an event-stream answer with the `x-switchyard-*` headers and the names of the cost trailers. */
export function writeStreamHead(res: ServerResponse, status: number, headers: Record<string, string>): void {
  res.writeHead(status, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
    ...headers,
    // Cost is known only at the end: it follows as HTTP trailers (curl --raw, undici) and in the ledger.
    trailer: TRAILER_HEADER,
  });
  // No flushHeaders(): the pipeline returns with the first event in hand, so the headers leave with it
  // in one write (one packet fewer before the caller's first byte).
}

/** The caller's socket is full: nothing more is pulled from upstream until it has read (backpressure). */
export async function backpressure(res: ServerResponse, ctx: Pick<InferenceContext, 'signal' | 'onStall'>): Promise<void> {
  ctx.onStall?.(1);
  await drained(res, ctx.signal);
  ctx.onStall?.(-1);
}

/**
 * Pulls a started stream to its end — or until `onEvent` answers false, or the caller leaves — and
 * waits for its metering. `onEvent` returns a promise only when it must wait (backpressure), so a
 * stream that flows costs no extra turn of the event loop per event.
 */
export async function pump(
  r: StreamResponse,
  ctx: InferenceContext,
  onEvent: (ev: SseEvent) => void | boolean | Promise<void | boolean>,
): Promise<{ cut?: string; metering?: Metering }> {
  const it = r.events[Symbol.asyncIterator]();
  let cut: string | undefined;
  try {
    while (!ctx.signal.aborted) {
      const next = await it.next();
      if (next.done || ctx.signal.aborted) break;
      let go = onEvent(next.value);
      if (go instanceof Promise) go = await go;
      if (go === false) {
        await it.return?.().catch(() => undefined);
        break;
      }
    }
  } catch (e) {
    cut = errorMessage(e);
  } finally {
    // The caller left: stop pulling, which lets the pipeline abort the upstream request.
    if (ctx.signal.aborted) await it.return?.().catch(() => undefined);
  }
  return { cut, metering: await settle(r.done, ctx.settleTimeoutMs ?? 10_000) };
}

/** The event text relayed this tick and not yet written (see send). */
const PENDING = Symbol('switchyard.pendingEvents');
const FINAL = Symbol('switchyard.finalTimer');
/** FINAL: the timer while the last events are held; null once it is over (they are not held twice). */
type Relaying = ServerResponse & { [PENDING]?: string; [FINAL]?: NodeJS.Timeout | null };

/** How long the stream's last events (`[DONE]` and what came with it) may wait for the cost trailers. */
const FINAL_WAIT_MS = 1;

/**
 * Writes; when the socket is full, nothing more is pulled from upstream until the caller has read:
 * backpressure. The events relayed in one tick (those of one upstream read, usually several) leave
 * as one string in one write once the tick's work is done: one HTTP chunk and one system call
 * instead of a chunk (size line, text, CRLF) per event. Anything else written to a relayed response
 * goes through flushEvents first, so nothing overtakes an event (endStream takes them along).
 */
export function send(res: ServerResponse, text: string, ctx: Pick<InferenceContext, 'signal' | 'onStall'>): Promise<void> | undefined {
  const r = res as Relaying;
  if (r[PENDING] === undefined) {
    r[PENDING] = text;
    // Held (holdFinal): endStream or the timer writes them.
    if (!r[FINAL]) process.nextTick(flushTick, r);
  } else r[PENDING] += text;
  // The last write filled the socket: wait for the caller to read before pulling more.
  return res.writableNeedDrain ? backpressure(res, ctx) : undefined;
}

/** Called as `[DONE]` comes, before it is sent: from here on the events wait for endStream, FINAL_WAIT_MS at most. */
function holdFinal(res: ServerResponse): void {
  const r = res as Relaying;
  if (r[FINAL] !== undefined) return;
  const timer = setTimeout(flushEvents, FINAL_WAIT_MS, r);
  timer.unref();
  r[FINAL] = timer;
}

/** The end of the tick: the events go out, unless `[DONE]` came and they wait for endStream (holdFinal). */
function flushTick(r: Relaying): void {
  if (!r[FINAL]) flushEvents(r);
}

/** Writes the events send() is holding, now. */
function flushEvents(res: ServerResponse): void {
  const text = takeEvents(res);
  if (text !== undefined && !res.destroyed && !res.writableEnded) res.write(text);
}

function takeEvents(res: ServerResponse): string | undefined {
  const r = res as Relaying;
  const text = r[PENDING];
  r[PENDING] = undefined;
  if (r[FINAL]) {
    clearTimeout(r[FINAL]);
    r[FINAL] = null;
  }
  return text;
}

/** A tool-call chunk from an endpoint that leaves out `index` (Gemini's), completed so SDKs can assemble the calls. */
function withIndexes(ev: SseEvent, slots: Map<number, ToolCallSlots>): SseEvent {
  const fixed = withToolIndexes(chunkOf(ev), slots);
  return fixed === undefined ? ev : { ...ev, data: JSON.stringify(fixed) };
}

function carriesError(ev: SseEvent): boolean {
  const error = chunkOf(ev)?.error;
  return error !== undefined && error !== null;
}

/** Resolves when the socket can take more, or when the caller is gone. */
function drained(res: ServerResponse, signal: Cancellation): Promise<void> {
  if (signal.aborted || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** The metering of a finished stream, or undefined when the pipeline does not settle in time. */
export async function settle(done: Promise<Metering>, timeoutMs: number): Promise<Metering | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      done.catch(() => undefined),
      new Promise<undefined>((resolve) => {
        const t = setTimeout(() => resolve(undefined), timeoutMs);
        t.unref();
        timer = t;
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
