// The OpenAI-shaped inference surface every fake serves: /chat/completions (JSON and SSE),
// /completions, /embeddings. Gateways differ only through InferenceHooks (how `model` resolves,
// who pays, which headers and extra fields appear). Numbers follow tokens.ts.
import { z } from 'zod';
import { computeCost, contentText, countTokens, embeddingVector, float32ToBase64, inputTokens, makeReply, promptTokens, round12, toolCallsFor, type Reply, type TokenParts, type ToolCall } from './tokens';
import { peekPromptCache, reasoningTokens } from './cache';
import { ChatRequestSchema, CompletionRequestSchema, EmbeddingRequestSchema, type ChatRequest, type InferenceRequestBase } from './schemas';
import type { Ctx, GatewayEnv, Route } from './server';
import type { FakeCharge, FakeModel } from './types';

export interface RunInfo {
  endpoint: FakeCharge['endpoint'];
  /** The gateway's request ID (NemoRouter's x-nemo-request-id). */
  requestId: string;
  /** The `id` of the response object (`chatcmpl-…`, `gen-…`). */
  responseId: string;
  /** As asked in `model`. */
  requested: string;
  /** What ran (ARouter `auto` → a concrete model). */
  model: FakeModel;
  inputTokens: number;
  outputTokens: number;
  /** Prompt-cache reads and writes (parts of inputTokens) and reasoning (part of outputTokens): cache.ts. */
  cachedTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** Undefined when the gateway has no price for the model (nothing is charged or reported). */
  costUsd?: number;
  stream: boolean;
  request: InferenceRequestBase;
}

export interface InferenceHooks {
  resolve(requested: string, endpoint: RunInfo['endpoint']): FakeModel | undefined;
  /** OpenRouter answers an unknown model with 400, the others with 404. */
  unknownModelStatus: number;
  /** Response id prefix for chat and completions (OpenRouter `gen-`). Default `chatcmpl-` / `cmpl-`. */
  idPrefix?: string;
  /** Debits state.balance per request and refuses with 402 when it is short (NemoRouter, OpenRouter). */
  charges: boolean;
  /**
   * What a request debits (default its price, run.costUsd). OpenRouter with the person's own provider
   * key (BYOK): its fee only; the provider bills the key for the inference itself.
   */
  debit?(run: RunInfo): number;
  /** OpenRouter: `usage: {include: true}` also asks for the usage chunk of a stream. */
  usageSwitch?: boolean;
  /** Answer before running (NemoRouter guardrails); true when it answered. */
  precheck?(ctx: Ctx, promptText: string): boolean;
  /** Response headers: after the charge for JSON answers, at stream start for SSE (run.stream). */
  headers?(ctx: Ctx, run: RunInfo): Record<string, string>;
  /** Top-level fields added to every body and chunk (OpenRouter `provider`, Bifrost `extra_fields`). */
  extraFields?(run: RunInfo): Record<string, unknown>;
  /** Fields added to `usage` (e.g. `cost`). */
  usageExtras?(run: RunInfo): Record<string, unknown>;
  /**
   * How cache and reasoning counts appear in `usage` (only when non-zero): `openai` (default)
   * `prompt_tokens_details.cached_tokens` (+ `cache_creation_tokens`) and
   * `completion_tokens_details.reasoning_tokens`; `litellm` adds Anthropic's `cache_read_input_tokens`
   * / `cache_creation_input_tokens` beside those; `anthropic-names` has only Anthropic's names.
   */
  usageDialect?: 'openai' | 'litellm' | 'anthropic-names';
  /** SSE comment lines sent before the first chunk (OpenRouter `: OPENROUTER PROCESSING`). */
  streamComments?: string[];
  /** HTTP trailers after the last SSE event. */
  trailers?(run: RunInfo): Record<string, string>;
}

export function inferenceRoutes(prefix: string, env: GatewayEnv, hooks: InferenceHooks): Route[] {
  const at = (p: string) => new RegExp(`^${prefix.replace(/\//g, '\\/')}\\/${p}$`);
  return [
    { method: 'POST', path: at('chat\\/completions'), auth: true, handler: (ctx) => chat(ctx, env, hooks) },
    { method: 'POST', path: at('completions'), auth: true, handler: (ctx) => completion(ctx, env, hooks) },
    { method: 'POST', path: at('embeddings'), auth: true, handler: (ctx) => embeddings(ctx, env, hooks) },
  ];
}

function invalid(ctx: Ctx, error: z.ZodError): void {
  ctx.error({ status: 400, code: 'invalid_request_error', message: z.prettifyError(error) });
}

function unknownModel(ctx: Ctx, hooks: InferenceHooks, id: string): void {
  ctx.error({ status: hooks.unknownModelStatus, code: 'model_not_found', param: 'model', message: `The model '${id}' does not exist or is not available.` });
}

function newRun(ctx: Ctx, endpoint: RunInfo['endpoint'], req: InferenceRequestBase, model: FakeModel, input: number, output: number, hooks: InferenceHooks, parts: TokenParts = {}): RunInfo {
  const prefix = endpoint === 'embeddings' ? 'emb-' : hooks.idPrefix ?? (endpoint === 'completions' ? 'cmpl-' : 'chatcmpl-');
  return {
    endpoint,
    requestId: ctx.requestId,
    responseId: `${prefix}${ctx.requestId.replace(/-/g, '').slice(0, 24)}`,
    requested: req.model,
    model,
    inputTokens: input,
    outputTokens: output,
    cachedTokens: parts.cached ?? 0,
    cacheWriteTokens: parts.written ?? 0,
    reasoningTokens: parts.reasoning ?? 0,
    costUsd: computeCost(model, input, output, parts),
    stream: req.stream === true,
    request: req,
  };
}

/** What the request debits (hooks.debit), undefined when it has no price. */
function owed(hooks: InferenceHooks, run: RunInfo): number | undefined {
  return run.costUsd === undefined || !hooks.debit ? run.costUsd : hooks.debit(run);
}

/** Refuses (402) when the request would overdraw the balance: nothing is debited then. */
function affordable(ctx: Ctx, env: GatewayEnv, hooks: InferenceHooks, run: RunInfo): boolean {
  const cost = owed(hooks, run);
  if (!hooks.charges || cost === undefined || cost === 0 || env.state.balance >= cost) return true;
  ctx.error({
    status: 402,
    code: 'insufficient_credits',
    message: `Insufficient credits: this request costs $${cost}, the balance is $${round12(env.state.balance)}. No credits were debited.`,
  });
  return false;
}

function charge(env: GatewayEnv, hooks: InferenceHooks, run: RunInfo): void {
  const amount = owed(hooks, run);
  if (amount === undefined) return;
  const s = env.state;
  const entry = (): FakeCharge => ({
    requestId: run.requestId, responseId: run.responseId, endpoint: run.endpoint, model: run.model.id,
    inputTokens: run.inputTokens, outputTokens: run.outputTokens,
    ...(run.cachedTokens ? { cachedTokens: run.cachedTokens } : {}),
    ...(run.cacheWriteTokens ? { cacheWriteTokens: run.cacheWriteTokens } : {}),
    ...(run.reasoningTokens ? { reasoningTokens: run.reasoningTokens } : {}),
    costUsd: amount, ...(hooks.debit ? { inferenceCostUsd: run.costUsd! } : {}), balanceAfter: s.balance, at: new Date().toISOString(),
  });
  if (!hooks.charges) {
    s.billed.push(entry());
    return;
  }
  s.balance = round12(s.balance - amount);
  s.spent = round12(s.spent + amount);
  const e = entry();
  s.charges.push(e);
  s.billed.push(e);
}

function usageOf(run: RunInfo, hooks: InferenceHooks): Record<string, unknown> {
  const base = run.endpoint === 'embeddings'
    ? { prompt_tokens: run.inputTokens, total_tokens: run.inputTokens }
    : { prompt_tokens: run.inputTokens, completion_tokens: run.outputTokens, total_tokens: run.inputTokens + run.outputTokens };
  return { ...base, ...usageParts(run, hooks.usageDialect ?? 'openai'), ...hooks.usageExtras?.(run) };
}

function usageParts(run: RunInfo, dialect: NonNullable<InferenceHooks['usageDialect']>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const { cachedTokens: cached, cacheWriteTokens: written, reasoningTokens: reasoning } = run;
  if (dialect !== 'anthropic-names' && (cached || written)) {
    out.prompt_tokens_details = { cached_tokens: cached, ...(written && dialect === 'openai' ? { cache_creation_tokens: written } : {}) };
  }
  if (dialect !== 'openai') {
    if (cached) out.cache_read_input_tokens = cached;
    if (written) out.cache_creation_input_tokens = written;
  }
  if (reasoning) out.completion_tokens_details = { reasoning_tokens: reasoning };
  return out;
}

function wantsUsage(req: InferenceRequestBase, hooks: InferenceHooks): boolean {
  return req.stream_options?.include_usage === true || (hooks.usageSwitch === true && req.usage?.include === true);
}

async function chat(ctx: Ctx, env: GatewayEnv, hooks: InferenceHooks): Promise<void> {
  const parsed = ChatRequestSchema.safeParse(ctx.body);
  if (!parsed.success) return invalid(ctx, parsed.error);
  const req = parsed.data;
  const model = hooks.resolve(req.model, 'chat/completions');
  if (!model) return unknownModel(ctx, hooks, req.model);
  if (model.embeddingDims !== undefined) {
    return ctx.error({ status: 400, code: 'invalid_request_error', param: 'model', message: `${model.id} is an embedding model and does not support chat completions.` });
  }
  if (hooks.precheck?.(ctx, req.messages.map((m) => contentText(m.content)).join('\n'))) return;
  // Instructions after the last turn (Claude Code 2.1 ends with a `system` message) do not end it.
  const turn = withoutTrailingInstructions(req.messages);
  const last = turn[turn.length - 1];
  const calls = last.role === 'user' ? toolCallsFor(contentText(last.content), offeredTools(req.tools), ctx.requestId) : [];
  if (calls.length > 0) return toolCallAnswer(ctx, env, hooks, req, model, calls);
  const lastUser = [...req.messages].reverse().find((m) => m.role === 'user');
  const echoOf = last.role === 'tool' ? `Tool result: ${toolResultsText(turn)}` : contentText(lastUser?.content);
  const reply = makeReply(echoOf, env.state.replyChars, req.max_completion_tokens ?? req.max_tokens);
  if (last.role === 'tool') reply.text = reply.text.replace(/^Echo: /, '');
  const reasoning = reasoningTokens(model, req);
  const cache = peekPromptCache(env.state, model, req.messages);
  const parts = { cached: cache.cached, written: cache.written, reasoning };
  const run = newRun(ctx, 'chat/completions', req, model, promptTokens(req.messages), countTokens(reply.text) + reasoning, hooks, parts);
  if (!affordable(ctx, env, hooks, run)) return;
  cache.commit();
  const created = Math.floor(Date.now() / 1000);
  const { head, chunk } = chatShapes(run, model, req, hooks, created);
  if (!run.stream) {
    charge(env, hooks, run);
    if (!(await holdHeaders(ctx))) return;
    const choice = { index: 0, message: { role: 'assistant', content: reply.text, refusal: null }, logprobs: null, finish_reason: reply.finishReason };
    ctx.json(200, { ...head('chat.completion'), choices: [choice], usage: usageOf(run, hooks) }, hooks.headers?.(ctx, run));
    return;
  }
  await stream(ctx, env, hooks, run, reply, {
    first: chunk({ role: 'assistant', content: '' }, null),
    piece: (text) => chunk({ content: text }, null),
    last: chunk({}, reply.finishReason),
    usage: { ...head('chat.completion.chunk'), choices: [], usage: usageOf(run, hooks) },
  });
}

/** The object head and the stream chunk of a chat answer, as OpenAI shapes them. */
function chatShapes(run: RunInfo, model: FakeModel, req: ChatRequest, hooks: InferenceHooks, created: number) {
  const head = (object: string) => ({ id: run.responseId, object, created, model: model.id, system_fingerprint: 'fp_fake', ...hooks.extraFields?.(run) });
  const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
    ...head('chat.completion.chunk'),
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(wantsUsage(req, hooks) ? { usage: null } : {}),
  });
  return { head, chunk };
}

/** Names of the function tools a chat request offers. */
function offeredTools(tools: ChatRequest['tools']): string[] {
  return (tools ?? []).flatMap((t) => (t.type === 'function' && typeof t.function?.name === 'string' ? [t.function.name] : []));
}

/** The messages up to the last one that is not a system/developer instruction (all of them when there is none). */
function withoutTrailingInstructions(messages: ChatRequest['messages']): ChatRequest['messages'] {
  let end = messages.length;
  while (end > 1 && (messages[end - 1].role === 'system' || messages[end - 1].role === 'developer')) end--;
  return messages.slice(0, end);
}

/** The text of the tool results after the last assistant message, joined by newlines. */
function toolResultsText(messages: ChatRequest['messages']): string {
  const out: string[] = [];
  for (let i = messages.length - 1; i >= 0 && messages[i].role === 'tool'; i--) out.unshift(contentText(messages[i].content));
  return out.join('\n');
}

/** The model answers with tool calls: JSON `message.tool_calls`, or OpenAI's tool-call deltas on a stream. */
async function toolCallAnswer(ctx: Ctx, env: GatewayEnv, hooks: InferenceHooks, req: ChatRequest, model: FakeModel, calls: ToolCall[]): Promise<void> {
  const output = calls.reduce((n, c) => n + countTokens(c.name + c.arguments), 0);
  const run = newRun(ctx, 'chat/completions', req, model, promptTokens(req.messages), output, hooks);
  if (!affordable(ctx, env, hooks, run)) return;
  const created = Math.floor(Date.now() / 1000);
  const { head, chunk } = chatShapes(run, model, req, hooks, created);
  const toolCalls = calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
  if (!run.stream) {
    charge(env, hooks, run);
    if (!(await holdHeaders(ctx))) return;
    const choice = { index: 0, message: { role: 'assistant', content: null, tool_calls: toolCalls, refusal: null }, logprobs: null, finish_reason: 'tool_calls' };
    ctx.json(200, { ...head('chat.completion'), choices: [choice], usage: usageOf(run, hooks) }, hooks.headers?.(ctx, run));
    return;
  }
  // One delta opens each call (id, name, empty arguments); the arguments follow in pieces, as OpenAI
  // streams them. `indexless` (Gemini's way): no `index` anywhere, and the stream ends on "stop".
  const indexless = env.opts.toolCallDeltas === 'indexless';
  const keyed = (index: number, delta: Record<string, unknown>) => (indexless ? delta : { index, ...delta });
  const pieces: unknown[] = [];
  calls.forEach((c, index) => {
    pieces.push(chunk({ tool_calls: [keyed(index, { id: c.id, type: 'function', function: { name: c.name, arguments: '' } })] }, null));
    const size = Math.max(1, env.opts.streamChunkChars ?? 8);
    for (let i = 0; i < c.arguments.length; i += size) pieces.push(chunk({ tool_calls: [keyed(index, { function: { arguments: c.arguments.slice(i, i + size) } })] }, null));
  });
  await stream(ctx, env, hooks, run, { text: '', finishReason: 'stop' }, {
    first: chunk({ role: 'assistant', content: null }, null),
    piece: () => null,
    chunks: pieces,
    last: chunk({}, indexless ? 'stop' : 'tool_calls'),
    usage: { ...head('chat.completion.chunk'), choices: [], usage: usageOf(run, hooks) },
  });
}

interface StreamShape {
  first?: unknown;
  piece(text: string): unknown;
  /** Events sent instead of the reply text's pieces (tool-call deltas). */
  chunks?: unknown[];
  last: unknown;
  usage: unknown;
}

/** A `slowHeadersMs` fault: the work is done (and billed), the answer waits. False when the client left meanwhile. */
async function holdHeaders(ctx: Ctx): Promise<boolean> {
  return ctx.headerDelayMs === undefined || ctx.sleep(ctx.headerDelayMs);
}

/**
 * Charged just before the final (finish_reason) chunk: a stream the client abandons earlier costs
 * nothing. Under a fault that strikes after the gateway accepted the request (cut, stall, broken
 * event, slow headers) it is charged at the start: the gateway ran it whatever the client saw.
 */
async function stream(ctx: Ctx, env: GatewayEnv, hooks: InferenceHooks, run: RunInfo, reply: Reply, shape: StreamShape): Promise<void> {
  if (ctx.billUpfront) charge(env, hooks, run);
  if (!(await holdHeaders(ctx))) return;
  const sse = ctx.sse(hooks.headers?.(ctx, run));
  for (const c of hooks.streamComments ?? []) if (!(await sse.comment(c))) return;
  if (shape.first !== undefined && !(await sse.data(shape.first))) return;
  const size = Math.max(1, env.opts.streamChunkChars ?? 8);
  const delay = env.opts.streamChunkDelayMs ?? 0;
  const events = shape.chunks ?? [];
  if (shape.chunks === undefined) for (let i = 0; i < reply.text.length; i += size) events.push(shape.piece(reply.text.slice(i, i + size)));
  for (const event of events) {
    if (delay > 0 && !(await ctx.sleep(delay))) return;
    if (!(await sse.data(event))) return;
  }
  if (!sse.alive) return;
  if (!ctx.billUpfront) charge(env, hooks, run);
  if (!(await sse.data(shape.last))) return;
  if (wantsUsage(run.request, hooks) && !(await sse.data(shape.usage))) return;
  if (!(await sse.data('[DONE]'))) return;
  sse.end(hooks.trailers?.(run));
}

async function completion(ctx: Ctx, env: GatewayEnv, hooks: InferenceHooks): Promise<void> {
  const parsed = CompletionRequestSchema.safeParse(ctx.body);
  if (!parsed.success) return invalid(ctx, parsed.error);
  const req = parsed.data;
  const model = hooks.resolve(req.model, 'completions');
  if (!model) return unknownModel(ctx, hooks, req.model);
  if (model.embeddingDims !== undefined) {
    return ctx.error({ status: 400, code: 'invalid_request_error', param: 'model', message: `${model.id} is an embedding model and does not support completions.` });
  }
  const text = promptText(req.prompt);
  if (hooks.precheck?.(ctx, text)) return;
  const reply = makeReply(text, env.state.replyChars, req.max_tokens);
  const run = newRun(ctx, 'completions', req, model, inputTokens(req.prompt), countTokens(reply.text), hooks);
  if (!affordable(ctx, env, hooks, run)) return;
  const head = { id: run.responseId, object: 'text_completion', created: Math.floor(Date.now() / 1000), model: model.id, ...hooks.extraFields?.(run) };
  const choice = (t: string, finish: string | null) => ({ text: t, index: 0, logprobs: null, finish_reason: finish });
  if (!run.stream) {
    charge(env, hooks, run);
    if (!(await holdHeaders(ctx))) return;
    ctx.json(200, { ...head, choices: [choice(reply.text, reply.finishReason)], usage: usageOf(run, hooks) }, hooks.headers?.(ctx, run));
    return;
  }
  await stream(ctx, env, hooks, run, reply, {
    piece: (t) => ({ ...head, choices: [choice(t, null)] }),
    last: { ...head, choices: [choice('', reply.finishReason)] },
    usage: { ...head, choices: [], usage: usageOf(run, hooks) },
  });
}

/** One echo source for a completions prompt: strings joined by newlines, token arrays described. */
function promptText(prompt: string | string[] | number[] | number[][]): string {
  if (typeof prompt === 'string') return prompt;
  if (prompt.every((p): p is string => typeof p === 'string')) return prompt.join('\n');
  return `[${prompt.length} token items]`;
}

async function embeddings(ctx: Ctx, env: GatewayEnv, hooks: InferenceHooks): Promise<void> {
  const parsed = EmbeddingRequestSchema.safeParse(ctx.body);
  if (!parsed.success) return invalid(ctx, parsed.error);
  const req = parsed.data;
  const model = hooks.resolve(req.model, 'embeddings');
  if (!model) return unknownModel(ctx, hooks, req.model);
  if (model.embeddingDims === undefined) {
    return ctx.error({ status: 400, code: 'invalid_request_error', param: 'model', message: `${model.id} is not an embedding model.` });
  }
  const items: string[] = typeof req.input === 'string'
    ? [req.input]
    : req.input.every((x): x is string => typeof x === 'string')
      ? req.input
      : req.input.every((x): x is number => typeof x === 'number')
        ? [JSON.stringify(req.input)]
        : req.input.map((x) => JSON.stringify(x));
  if (hooks.precheck?.(ctx, items.join('\n'))) return;
  const run = newRun(ctx, 'embeddings', { model: req.model, usage: req.usage }, model, inputTokens(req.input), 0, hooks);
  if (!affordable(ctx, env, hooks, run)) return;
  charge(env, hooks, run);
  const dims = req.dimensions ?? model.embeddingDims;
  const data = items.map((text, index) => {
    const v = embeddingVector(text, dims);
    return { object: 'embedding', index, embedding: req.encoding_format === 'base64' ? float32ToBase64(v) : Array.from(v) };
  });
  ctx.json(200, { object: 'list', data, model: model.id, usage: usageOf(run, hooks), ...hooks.extraFields?.(run) }, hooks.headers?.(ctx, run));
}
