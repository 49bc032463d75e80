// `POST /v1/responses`: the OpenAI Responses API (Codex CLI, the `openai` SDK's responses.create)
// over gateways that speak Chat Completions. The request is translated (request.ts) and goes
// through the one pipeline like a chat completion (source `proxy`, api `responses`: routed,
// retried, failed over, budgeted, metered); the answer is translated back (response.ts), a stream
// event by event with backpressure (stream.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SseEvent } from '../../core/services';
import { redact } from '../../core/log';
import { parseJson, readBody } from '../body';
import { failureToError, sendError } from '../errors';
import {
  addMeteringHeaders, baseHeaders, endStream, formatEvent, pump, runPipeline, safeHeaders, send, withSuggestions, writeStreamHead,
  type InferenceContext, type StreamResponse,
} from '../inference';
import { translateRequest, type Translated } from './request';
import { fromChatCompletion, newId, type ResponseShell } from './response';
import { ResponsesStream } from './stream';
import { chunkOf } from '../../pipeline/stream';
import { failureFromStreamError } from '../../pipeline/failure';

export async function handleResponses(req: IncomingMessage, res: ServerResponse, ctx: InferenceContext): Promise<void> {
  const base = baseHeaders(ctx.requestId);
  const raw = await readBody(req, ctx.maxBodyBytes);
  if (!raw.ok) return sendError(res, raw.error, base);
  const json = parseJson(raw.value);
  if (!json.ok) return sendError(res, json.error, base);
  const t = translateRequest(json.value);
  if (!t.ok) return sendError(res, { status: 400, code: 'invalid_request', message: t.message, param: t.param }, base);
  const notice: Record<string, string> = {};
  if (t.value.dropped.length > 0) {
    // Said once per request in a header (and the log), so a caller can tell why a tool was never called.
    notice['x-switchyard-dropped-tools'] = t.value.dropped.join(', ');
    ctx.log.info(`proxy ${ctx.requestId}: responses: dropped tool type(s) ${t.value.dropped.join(', ')} (run by OpenAI's servers only; no gateway can)`);
  }
  const r = await runPipeline(req, res, ctx, { endpoint: 'chat/completions', api: 'responses', body: t.value.chat }, sendError, { ...base, ...notice });
  if (!r) return;
  const requested = typeof t.value.chat.model === 'string' ? t.value.chat.model : undefined;
  if (!r.ok) {
    // OpenAI's own code for an unknown model, with the catalog's nearest IDs when the failure has none.
    const failure = withSuggestions(r.failure, requested, ctx);
    const unknown = failure.kind === 'unknown_model' || failure.code === 'model_not_found';
    return sendError(res, failureToError(unknown ? { ...failure, code: 'model_not_found' } : failure, requested), { ...base, ...notice });
  }
  const shell: ResponseShell = { id: newId('resp'), createdAt: Math.floor(Date.now() / 1000), request: t.value.request, model: requested ?? '' };
  if (r.kind === 'json') {
    shell.model = r.servedModel;
    const text = JSON.stringify(fromChatCompletion(r.body, t.value.tools, shell, r.metering));
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      ...baseHeaders(ctx.requestId, addMeteringHeaders(safeHeaders(r.headers), r.metering)),
      ...notice,
    });
    res.end(text);
    return;
  }
  await relay(res, r, t.value, shell, ctx, notice);
}

async function relay(res: ServerResponse, r: StreamResponse, t: Translated, shell: ResponseShell, ctx: InferenceContext, notice: Record<string, string>): Promise<void> {
  const headers = baseHeaders(ctx.requestId, safeHeaders(r.headers));
  headers['x-switchyard-gateway'] = r.gateway;
  writeStreamHead(res, 200, { ...headers, ...notice });
  const out = new ResponsesStream(shell, t.tools);
  const write = (events: SseEvent[]) => (events.length === 0 || res.destroyed ? undefined : send(res, events.map(formatEvent).join(''), ctx));
  await write(out.start());
  let failed = false;
  let chunks = 0;
  const { cut, metering } = await pump(r, ctx, (ev) => {
    if (ev.data === '[DONE]') return;
    const chunk = chunkOf(ev);
    const error = chunk === undefined ? { code: 'malformed_response', message: `the gateway "${r.gateway}" sent a stream chunk that is not JSON` } : failureFromStreamError(r.gateway, chunk);
    if (error) {
      failed = true;
      return Promise.resolve(write(out.fail(error.code, redact(error.message)))).then(() => false);
    }
    chunks++;
    return write(out.chunk(chunk));
  });
  if (ctx.signal.aborted || res.destroyed) return;
  if (!failed) {
    if (cut !== undefined || (metering && metering.status !== 'ok')) {
      const why = metering?.status && metering.status !== 'ok' ? ` (${metering.status})` : '';
      await write(out.fail('upstream_stream_cut', `the gateway "${r.gateway}" ended the stream before it finished, after ${chunks} chunk(s)${why}${cut ? `: ${cut}` : ''}`));
    } else {
      await write(out.finish(metering));
    }
  }
  endStream(res, metering);
}

