// `POST /v1/messages` and `POST /v1/messages/count_tokens` (the Anthropic Messages API, what Claude
// Code and the Anthropic SDKs speak). The request is translated to Chat Completions and goes through
// the one pipeline (source `proxy`, api `messages`): routed, retried, failed over, budgeted, metered,
// with the same `x-switchyard-*` headers and trailers as the chat endpoint. The answer comes back
// translated, a stream event by event with backpressure; errors leave in Anthropic's shape.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Metering, PipelineResponse } from '../../core/services';
import { estimateTokens, requestText, requestTokens } from '../../pipeline/needs';
import { chunkOf } from '../../pipeline/stream';
import { failureToError, type ProxyError } from '../errors';
import { parseJson, readBody } from '../body';
import {
  addMeteringHeaders,
  baseHeaders,
  endStream,
  pump,
  runPipeline,
  safeHeaders,
  send,
  withSuggestions,
  writeStreamHead,
  type InferenceContext,
} from '../inference';
import { sendAnthropicError, sseEvent } from './errors';
import { CountTokensRequest, MessagesRequest, parseWith } from './schema';
import { toChatMessages, toChatRequest, translateTools } from './request';
import { messageId, toAnthropicMessage } from './response';
import { StreamTranslator, type AnthropicEvent } from './stream';

/** Where a server tool was left out of the request, the caller can see which (not an error: the rest works). */
const DROPPED_HEADER = 'x-switchyard-dropped-tools';

async function readJson(req: IncomingMessage, res: ServerResponse, ctx: InferenceContext): Promise<unknown> {
  const raw = await readBody(req, ctx.maxBodyBytes);
  if (!raw.ok) return sendAnthropicError(res, raw.error, baseHeaders(ctx.requestId));
  const json = parseJson(raw.value);
  if (!json.ok) return sendAnthropicError(res, json.error, baseHeaders(ctx.requestId));
  return json.value;
}

const invalid = (message: string): ProxyError => ({ status: 400, code: 'invalid_request', message });

export async function handleMessages(req: IncomingMessage, res: ServerResponse, ctx: InferenceContext): Promise<void> {
  const value = await readJson(req, res, ctx);
  if (value === undefined) return;
  const parsed = parseWith(MessagesRequest, 'messages', value);
  if (!parsed.ok) return sendAnthropicError(res, invalid(parsed.message), baseHeaders(ctx.requestId));
  const request = parsed.value;
  const chat = toChatRequest(request);
  if (!chat.ok) return sendAnthropicError(res, invalid(chat.message), baseHeaders(ctx.requestId));
  // Anthropic clients ask for their own models' limits (Claude Code: up to 128000); a gateway refuses
  // more than the model it runs can write, so the request is capped at the catalog's limit.
  const limit = ctx.maxOutputTokens?.(request.model);
  const capped = limit !== undefined && limit < request.max_tokens;
  if (capped) chat.body.max_tokens = limit;
  const r = await runPipeline(req, res, ctx, { endpoint: 'chat/completions', api: 'messages', body: chat.body }, sendAnthropicError, baseHeaders(ctx.requestId));
  if (!r) return;
  // `request-id` is Anthropic's own header name: the SDK exposes it as `_request_id` / `request_id`.
  const extra = baseHeaders(ctx.requestId, { 'request-id': ctx.requestId });
  if (capped) extra['x-switchyard-max-tokens'] = String(limit);
  if (chat.dropped.length) extra[DROPPED_HEADER] = chat.dropped.join(', ').replace(/[^\x20-\x7e]/g, '?').slice(0, 512);
  // Never a retry loop on a name the gateways do not know: a 404 naming the nearest served IDs.
  if (!r.ok) return sendAnthropicError(res, failureToError(withSuggestions(r.failure, request.model, ctx), request.model), extra);
  const stopSequences = request.stop_sequences ?? [];
  if (r.kind === 'json') {
    const message = toAnthropicMessage(r.body, { model: r.servedModel || request.model, stopSequences });
    const text = JSON.stringify(message);
    res.writeHead(r.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      ...baseHeaders(ctx.requestId, addMeteringHeaders(safeHeaders(r.headers), r.metering)),
      ...extra,
    });
    res.end(text);
    return;
  }
  const translator = new StreamTranslator({
    id: messageId(),
    model: request.model,
    inputTokens: requestTokens('chat/completions', chat.body),
    stopSequences,
  });
  await relay(res, r, translator, { ...extra, ...baseHeaders(ctx.requestId, safeHeaders(r.headers)) }, ctx);
}

type StreamResponse = Extract<PipelineResponse, { kind: 'stream' }>;

async function relay(res: ServerResponse, r: StreamResponse, t: StreamTranslator, headers: Record<string, string>, ctx: InferenceContext): Promise<void> {
  headers['x-switchyard-gateway'] = r.gateway;
  writeStreamHead(res, r.status, headers);
  const write = (events: AnthropicEvent[]) => (events.length === 0 || res.destroyed ? undefined : send(res, events.map((e) => sseEvent(e.type, e)).join(''), ctx));
  let chunks = 0;
  // An error event ends the answer: pump then stops pulling, which lets the pipeline abort upstream.
  const { cut, metering } = await pump(r, ctx, (ev) => {
    if (ev.data === '[DONE]') return;
    chunks++;
    const chunk = chunkOf(ev);
    const written = write(chunk === undefined ? t.fail(502, `the gateway "${r.gateway}" sent a stream chunk that is not valid JSON`) : t.chunk(chunk));
    if (!t.hasFailed) return written;
    return Promise.resolve(written).then(() => false);
  });
  if (ctx.signal.aborted || res.destroyed) return;
  if (!t.hasFailed) {
    if (t.finished && cut === undefined) await write(t.end(usageOf(metering)));
    else {
      const status = metering?.status && metering.status !== 'ok' ? ` (${metering.status})` : '';
      await write(t.fail(502, `the gateway "${r.gateway}" ended the stream before it finished, after ${chunks} chunk(s)${status}${cut ? `: ${cut}` : ''}`));
    }
  }
  endStream(res, metering);
}

/** The ledger's counts, for a stream whose gateway sent no usage chunk. */
function usageOf(m: Metering | undefined): { input_tokens: number; output_tokens: number } | undefined {
  return m ? { input_tokens: m.inputTokens, output_tokens: m.outputTokens } : undefined;
}

/**
 * `count_tokens`: the pipeline's own estimate (~4 characters per token over the prompt as the gateway
 * would receive it, tool definitions and tool calls included), marked as such in
 * `x-switchyard-token-count: estimate`. Nothing is sent upstream and nothing is metered.
 */
export async function handleCountTokens(req: IncomingMessage, res: ServerResponse, ctx: InferenceContext): Promise<void> {
  const value = await readJson(req, res, ctx);
  if (value === undefined) return;
  const parsed = parseWith(CountTokensRequest, 'count_tokens', value);
  if (!parsed.ok) return sendAnthropicError(res, invalid(parsed.message), baseHeaders(ctx.requestId));
  const translated = toChatMessages(parsed.value.system, parsed.value.messages);
  if (!translated.ok) return sendAnthropicError(res, invalid(translated.message), baseHeaders(ctx.requestId));
  const messages = translated.messages;
  const { tools } = translateTools(parsed.value.tools);
  const calls = messages.flatMap((m) => (Array.isArray(m.tool_calls) ? [JSON.stringify(m.tool_calls)] : []));
  const text = requestText('chat/completions', { messages }) + calls.join('') + (tools.length ? JSON.stringify(tools) : '');
  const body = JSON.stringify({ input_tokens: estimateTokens(text) });
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-switchyard-token-count': 'estimate',
    ...baseHeaders(ctx.requestId),
  });
  res.end(body);
}
