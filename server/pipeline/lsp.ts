// The chat panel's way into the pipeline: `switchyard/chat` streams through the same pipeline as the
// proxy (source `chat`), its text batched into `switchyard/chatDelta` notifications; Stop is the
// request's cancellation token, which aborts the upstream request. `switchyard/estimate` prices a
// prompt before it is sent.
import { CancellationTokenSource, type CancellationToken } from 'vscode-languageserver/node';
import type { FeatureContext } from '../lsp/context';
import type { App } from '../core/app';
import type { Failure, Metering, PipelineResponse } from '../core/services';
import { onRequest } from '../lsp/params';
import {
  ChatDeltaNotification,
  ChatParamsSchema,
  ChatRequest,
  EstimateParamsSchema,
  EstimateRequest,
  type ChatError,
  type ChatParams,
  type ChatResult,
  type EstimateParams,
  type EstimateResult,
} from '../protocol/messages';
import { GATEWAY_KINDS, type GatewayKind } from '../protocol/settings';
import { adapterFor } from '../gateways/index';
import { costUsd, estimatePricing } from '../catalog/price';
import { resolveRoute } from './routing';
import type { RouteContext } from './candidates';
import { estimateTokens } from './needs';
import { chunkOf } from './stream';

/** How often streamed text is sent to the client: smooth to read, few enough messages. */
export const DELTA_INTERVAL_MS = 30;
/** Output assumed by the estimate when the person set no max tokens. */
const DEFAULT_ESTIMATE_OUTPUT = 1000;

export function registerPipelineHandlers({ connection, app, disposables }: FeatureContext): void {
  const stoppable = stopAtShutdown(disposables);
  onRequest(connection, ChatRequest, ChatParamsSchema, (params, token) =>
    stoppable(token, (stop) => runChat(app, params, stop, (text) => void connection.sendNotification(ChatDeltaNotification, { requestId: params.requestId, text }))),
  );
  onRequest(connection, EstimateRequest, EstimateParamsSchema, (p) => estimate(app, p));
}

/**
 * Requests still streaming at shutdown (the chat panel's, VS Code Chat's) are stopped like the Stop
 * button does — upstream aborted, the ledger line written — so that shutdown never waits on an answer
 * nobody will read. The returned function runs one request with a token that also fires then.
 */
export function stopAtShutdown(disposables: FeatureContext['disposables']): <T>(token: CancellationToken, run: (token: CancellationToken) => Promise<T>) => Promise<T> {
  const running = new Set<CancellationTokenSource>();
  disposables.push(() => {
    for (const r of running) r.cancel();
  });
  return async (token, run) => {
    const stop = new CancellationTokenSource();
    const sub = token.onCancellationRequested(() => stop.cancel());
    if (token.isCancellationRequested) stop.cancel();
    running.add(stop);
    try {
      return await run(stop.token);
    } finally {
      running.delete(stop);
      sub.dispose();
      stop.dispose();
    }
  };
}

export async function runChat(app: App, params: ChatParams, token: CancellationToken, onDelta: (text: string) => void): Promise<ChatResult> {
  const body: Record<string, unknown> = { model: params.model, messages: params.messages, stream: true };
  if (params.temperature !== undefined) body.temperature = params.temperature;
  if (params.maxTokens !== undefined) body.max_tokens = params.maxTokens;
  return withAbort(token, async (signal) => {
    const res = await app.pipeline.execute({
      source: 'chat',
      endpoint: 'chat/completions',
      body,
      gateway: params.gateway || undefined,
      requestId: params.requestId,
      signal,
    });
    return chatResult(app, params.requestId, res, signal, onDelta);
  });
}

/** Runs `fn` with a signal that aborts (upstream too) when the LSP request is cancelled (Stop). */
export async function withAbort<T>(token: CancellationToken, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ctrl = new AbortController();
  const sub = token.onCancellationRequested(() => ctrl.abort(new Error('stopped')));
  if (token.isCancellationRequested) ctrl.abort(new Error('stopped'));
  try {
    return await fn(ctrl.signal);
  } finally {
    sub.dispose();
  }
}

/** The answer to a request the pipeline refused or could not send; a Stop before sending is no error. */
export function failureResult(app: App, requestId: string, f: Failure): ChatResult {
  const aborted = f.kind === 'aborted';
  return { requestId, ok: aborted, aborted, content: '', gateway: f.gateway, error: aborted ? undefined : chatError(app, f) };
}

/** An `error` object inside a stream chunk (gateways report failures after the 200 this way). */
function streamErrorOf(chunk: Record<string, unknown> | undefined, gateway: string): ChatError | undefined {
  const err = chunk?.error as { message?: unknown; code?: unknown } | undefined;
  if (!err) return undefined;
  return { code: typeof err.code === 'string' ? err.code : 'stream_error', message: String(err.message ?? 'the gateway reported an error mid-stream'), gateway };
}

async function chatResult(app: App, requestId: string, res: PipelineResponse, signal: AbortSignal, onDelta: (t: string) => void): Promise<ChatResult> {
  if (!res.ok) return failureResult(app, requestId, res.failure);
  if (res.kind === 'json') {
    const content = jsonContent(res.body);
    if (content) onDelta(content);
    return { requestId, ok: true, content, ...fromMetering(res.metering) };
  }
  const batch = new DeltaBatcher(onDelta);
  const read = await readChatStream(res, (c) => {
    if (typeof c?.delta?.content === 'string' && c.delta.content) batch.push(c.delta.content);
  });
  batch.flush();
  const metering = await res.done;
  const aborted = signal.aborted || metering.status === 'aborted';
  const streamError = read.streamError ?? cutError(metering, res.gateway);
  return { requestId, ok: !streamError, content: batch.text, finishReason: read.finishReason, aborted: aborted || undefined, ...fromMetering(metering), error: streamError };
}

/** One choice of a streamed chat chunk, as far as the chat clients read it. */
export interface StreamChoice {
  delta?: { content?: unknown; tool_calls?: unknown };
  finish_reason?: unknown;
}

/**
 * Reads an OpenAI chat stream to its end, handing each choice to `onChoice`; says the last finish
 * reason and the first error the gateway reported inside the stream (after its 200).
 */
export async function readChatStream(
  res: Extract<PipelineResponse, { kind: 'stream' }>,
  onChoice: (c: StreamChoice | undefined) => void,
): Promise<{ finishReason?: string; streamError?: ChatError }> {
  let finishReason: string | undefined;
  let streamError: ChatError | undefined;
  try {
    for await (const ev of res.events) {
      if (ev.data === '[DONE]') continue;
      const chunk = chunkOf(ev);
      streamError ??= streamErrorOf(chunk, res.gateway);
      for (const c of Array.isArray(chunk?.choices) ? (chunk.choices as (StreamChoice | undefined)[]) : []) {
        onChoice(c);
        if (typeof c?.finish_reason === 'string') finishReason = c.finish_reason;
      }
    }
  } catch {
    // The stream broke: `done` says how (stream_cut / aborted) and what it cost.
  }
  return { finishReason, streamError };
}

/** The error of a stream the connection cut before the answer was complete. */
export function cutError(metering: Metering, gateway: string): ChatError | undefined {
  return metering.status === 'stream_cut' ? { code: 'stream_cut', message: `the connection to ${gateway} broke before the answer was complete`, gateway } : undefined;
}

/** Collects streamed text and hands it on at most every DELTA_INTERVAL_MS. */
export class DeltaBatcher {
  text = '';
  private pending = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly send: (t: string) => void) {}

  push(t: string): void {
    this.text += t;
    this.pending += t;
    this.timer ??= setTimeout(() => this.flush(), DELTA_INTERVAL_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    const out = this.pending;
    this.pending = '';
    this.send(out);
  }
}

function chatError(app: App, f: Failure): ChatError {
  const money = f.code === 'insufficient_credits' || f.kind === 'budget' || f.status === 402;
  const balanceUsd = money ? app.money.balances().find((b) => b.gateway === f.gateway)?.balanceUsd : undefined;
  return { code: f.code, status: f.status, message: f.message, gateway: f.gateway, suggestions: f.suggestions, balanceUsd };
}

export function fromMetering(m: Metering): Partial<ChatResult> {
  return {
    gateway: m.gateway,
    servedModel: m.servedModel,
    inputTokens: m.inputTokens,
    outputTokens: m.outputTokens,
    cachedInputTokens: m.cachedInputTokens,
    cacheWriteTokens: m.cacheWriteTokens,
    reasoningTokens: m.reasoningTokens,
    costUsd: m.costUsd ?? undefined,
    costSource: m.costSource,
    cacheSavingsUsd: m.cacheSavingsUsd,
    latencyMs: m.latencyMs,
  };
}

/** What routing needs to say where a request would go, outside a running request (estimates, VS Code's picker). */
export function routeContext(app: App): RouteContext {
  return {
    settings: app.options.getSettings(),
    catalog: app.catalog,
    servesAuto: (g) => (GATEWAY_KINDS as readonly string[]).includes(g.kind) && adapterFor(g.kind as GatewayKind).servesAuto,
  };
}

export async function estimate(app: App, p: EstimateParams): Promise<EstimateResult> {
  const inputTokens = p.messages.reduce((n, m) => n + estimateTokens(m.content), 0);
  const body: Record<string, unknown> = { model: p.model, messages: p.messages, ...(p.maxTokens ? { max_tokens: p.maxTokens } : {}) };
  const route = resolveRoute({ model: p.model, endpoint: 'chat/completions', body }, routeContext(app));
  const first = route.ok ? route.candidates[0] : undefined;
  const merged = app.catalog.find(first?.canonicalId ?? first?.id ?? p.model);
  const pricing = first?.pricing ?? merged?.pricing ?? (await estimatePricing(first?.canonicalId ?? p.model).catch(() => undefined));
  return {
    inputTokens,
    inputCostUsd: costUsd(pricing, inputTokens, 0),
    maxCostUsd: costUsd(pricing, inputTokens, p.maxTokens ?? DEFAULT_ESTIMATE_OUTPUT),
    contextLength: merged?.contextLength,
  };
}

function jsonContent(body: unknown): string {
  const choices = (body as { choices?: { message?: { content?: unknown } }[] })?.choices;
  const c = Array.isArray(choices) ? choices[0]?.message?.content : undefined;
  return typeof c === 'string' ? c : '';
}

