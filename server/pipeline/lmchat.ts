// VS Code's own Chat (the extension's Language Model Chat Provider) into the one pipeline: `switchyard/lmChat`
// carries what the chat panel's request cannot — tools, assistant tool calls, tool results, images — in the
// OpenAI chat shape every gateway speaks, with source `vscode-chat` on the ledger. Text streams back batched
// (`switchyard/lmChatDelta`); a streamed tool call is sent once its arguments are complete JSON, because
// VS Code's LanguageModelToolCallPart holds a parsed object, never a fragment. Cancellation aborts upstream.
import type { CancellationToken } from 'vscode-languageserver/node';
import type { FeatureContext } from '../lsp/context';
import type { App } from '../core/app';
import type { PipelineResponse } from '../core/services';
import { onRequest } from '../lsp/params';
import {
  LmChatDeltaNotification,
  LmChatParamsSchema,
  LmChatRequest,
  LmModelsParamsSchema,
  LmModelsRequest,
  type ChatError,
  type LmChatParams,
  type LmChatResult,
  type LmToolCall,
} from '../protocol/messages';
import { pickerModels } from '../catalog/picker';
import { resolveRoute } from './routing';
import { DeltaBatcher, cutError, failureResult, fromMetering, readChatStream, routeContext, stopAtShutdown, withAbort } from './lsp';
import { parseObject } from '../core/json';
import { ToolCallSlots } from './toolSlots';

export function registerLmChatHandlers({ connection, app, disposables }: FeatureContext): void {
  disposables.push(onRequest(connection, LmModelsRequest, LmModelsParamsSchema, (p) => {
    const ctx = routeContext(app);
    const first = (model: string) => {
      const r = resolveRoute({ model, endpoint: 'chat/completions', body: { model, messages: [] } }, ctx);
      const c = r.ok ? r.candidates[0] : undefined;
      return c && { gateway: c.gateway.id, pricing: c.pricing, estimated: c.priceSource === 'table' };
    };
    return pickerModels(app.catalog.all(), ctx.settings, p.favorites, first);
  }));
  const stoppable = stopAtShutdown(disposables);
  disposables.push(onRequest(connection, LmChatRequest, LmChatParamsSchema, (params, token) =>
    stoppable(token, (stop) => runLmChat(app, params, stop, (d) => void connection.sendNotification(LmChatDeltaNotification, { requestId: params.requestId, ...d }))),
  ));
}

type Delta = { text: string } | { toolCall: LmToolCall };

export async function runLmChat(app: App, params: LmChatParams, token: CancellationToken, onDelta: (d: Delta) => void): Promise<LmChatResult> {
  const body: Record<string, unknown> = { model: params.model, messages: params.messages, stream: true };
  if (params.tools?.length) {
    body.tools = params.tools;
    if (params.toolChoice) body.tool_choice = params.toolChoice;
  }
  if (params.maxTokens !== undefined) body.max_tokens = params.maxTokens;
  return withAbort(token, async (signal) => {
    const res = await app.pipeline.execute({ source: 'vscode-chat', endpoint: 'chat/completions', api: 'chat', body, requestId: params.requestId, signal });
    return lmResult(app, params.requestId, res, signal, onDelta);
  });
}

async function lmResult(app: App, requestId: string, res: PipelineResponse, signal: AbortSignal, onDelta: (d: Delta) => void): Promise<LmChatResult> {
  if (!res.ok) return failureResult(app, requestId, res.failure);
  if (res.kind === 'json') return jsonResult(requestId, res.body, res.metering, onDelta);
  const batch = new DeltaBatcher((text) => onDelta({ text }));
  const calls = new ToolCallAssembler((call) => {
    batch.flush(); // the text before a tool call reaches VS Code before it
    onDelta({ toolCall: call });
  });
  const read = await readChatStream(res, (c) => {
    if (typeof c?.delta?.content === 'string' && c.delta.content) batch.push(c.delta.content);
    if (Array.isArray(c?.delta?.tool_calls)) for (const d of c.delta.tool_calls as ToolCallDelta[]) calls.push(d);
  });
  batch.flush();
  const aborted = signal.aborted;
  const badCall = aborted ? undefined : calls.finish();
  const metering = await res.done;
  const bad: ChatError | undefined = badCall ? { code: 'bad_tool_call', message: badCall, gateway: res.gateway } : undefined;
  const streamError = read.streamError ?? cutError(metering, res.gateway) ?? bad;
  return {
    requestId,
    ok: !streamError,
    content: batch.text,
    toolCalls: calls.done.length ? calls.done : undefined,
    finishReason: read.finishReason,
    aborted: aborted || metering.status === 'aborted' || undefined,
    ...fromMetering(metering),
    error: streamError,
  };
}

interface ToolCallDelta {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

/**
 * OpenAI streams a tool call as pieces keyed by `index`: the id and name first, then `arguments` in fragments.
 * A call is handed on as soon as its arguments parse as a JSON object (an object's closing brace ends it, so
 * no later fragment can belong to it), or at the end of the stream.
 */
export class ToolCallAssembler {
  readonly done: LmToolCall[] = [];
  private readonly open = new Map<number, { id: string; name: string; args: string; sent: boolean }>();
  private readonly slots = new ToolCallSlots();

  constructor(private readonly emit: (call: LmToolCall) => void) {}

  push(d: ToolCallDelta): void {
    const index = this.slots.slot(d ?? {});
    let cur = this.open.get(index);
    if (!cur) this.open.set(index, (cur = { id: '', name: '', args: '', sent: false }));
    if (typeof d.id === 'string' && d.id) cur.id = d.id;
    if (typeof d.function?.name === 'string') cur.name += d.function.name;
    if (typeof d.function?.arguments === 'string') cur.args += d.function.arguments;
    if (!cur.sent && cur.id && cur.name) this.trySend(cur);
  }

  /** Sends what is left; returns a message when a call never became valid JSON. */
  finish(): string | undefined {
    for (const cur of this.open.values()) {
      if (cur.sent) continue;
      if (!cur.args.trim()) cur.args = '{}'; // a call without parameters
      if (!this.trySend(cur)) return `the model's call of tool "${cur.name || '?'}" ended with arguments that are not a JSON object: ${cur.args.slice(0, 200)}`;
    }
    return undefined;
  }

  private trySend(cur: { id: string; name: string; args: string; sent: boolean }): boolean {
    const input = parseObject(cur.args);
    if (!input) return false;
    cur.sent = true;
    const call = { id: cur.id || `call_${this.done.length}`, name: cur.name, input };
    this.done.push(call);
    this.emit(call);
    return true;
  }
}

function jsonResult(requestId: string, body: unknown, metering: Parameters<typeof fromMetering>[0], onDelta: (d: Delta) => void): LmChatResult {
  const msg = (body as { choices?: { message?: { content?: unknown; tool_calls?: unknown }; finish_reason?: unknown }[] })?.choices?.[0];
  const content = typeof msg?.message?.content === 'string' ? msg.message.content : '';
  if (content) onDelta({ text: content });
  const calls = new ToolCallAssembler((call) => onDelta({ toolCall: call }));
  const raw = Array.isArray(msg?.message?.tool_calls) ? (msg.message.tool_calls as ToolCallDelta[]) : [];
  raw.forEach((c, index) => calls.push({ ...c, index }));
  const bad = calls.finish();
  return {
    requestId,
    ok: !bad,
    content,
    toolCalls: calls.done.length ? calls.done : undefined,
    finishReason: typeof msg?.finish_reason === 'string' ? msg.finish_reason : undefined,
    ...fromMetering(metering),
    error: bad ? { code: 'bad_tool_call', message: bad, gateway: metering.gateway } : undefined,
  };
}
