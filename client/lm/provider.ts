// Switchyard as a Language Model Chat Provider: VS Code's own Chat (ask, edit, agent) picks Switchyard's models
// and its requests run through the language server's one pipeline — routing, failover, budgets, the ledger
// (source `vscode-chat`) and the status bar — never through a second HTTP client here.
import * as vscode from 'vscode';
import { LmChatRequest, LmModelsRequest, type LmTool, type LmToolCall } from '../../server/protocol/messages';
import type { ExtensionState } from '../state';
import { describeChatError } from '../chat/errors';
import { ToolMode, type LmChatInformation, type LmChatProvider, type LmParts } from './api';
import { countTokens, toOpenAiMessages } from './convert';


/** Routes `switchyard/lmChatDelta` notifications to the running request they belong to. */
export class LmDeltaRouter {
  private readonly routes = new Map<string, (d: { text?: string; toolCall?: LmToolCall }) => void>();
  route(id: string, fn: (d: { text?: string; toolCall?: LmToolCall }) => void): vscode.Disposable {
    this.routes.set(id, fn);
    return { dispose: () => this.routes.delete(id) };
  }
  dispatch(p: { requestId: string; text?: string; toolCall?: LmToolCall }): void {
    this.routes.get(p.requestId)?.(p);
  }
}

export interface ProviderDeps {
  state: ExtensionState;
  parts: LmParts;
  router: LmDeltaRouter;
  favorites: () => string[];
  onDidChange: vscode.Event<void>;
}

let seq = 0;

export function createProvider({ state, parts, router, favorites, onDidChange }: ProviderDeps): LmChatProvider {
  return {
    onDidChangeLanguageModelChatInformation: onDidChange,

    async provideLanguageModelChatInformation(options) {
      // A silent call (VS Code warming its list) must not wait for a server that is still starting.
      const client = options.silent ? state.client() : await state.ready().catch(() => undefined);
      if (!client?.isRunning()) return [];
      const models = await client.sendRequest(LmModelsRequest, { favorites: favorites() });
      return models.map(
        (m): LmChatInformation => ({
          id: m.id,
          name: m.name,
          family: m.family,
          version: m.version,
          detail: m.detail,
          tooltip: m.tooltip,
          maxInputTokens: m.maxInputTokens,
          maxOutputTokens: m.maxOutputTokens,
          capabilities: { toolCalling: m.toolCalling, imageInput: m.imageInput },
        }),
      );
    },

    async provideLanguageModelChatResponse(model, messages, options, progress, token) {
      const client = await state.ready();
      const requestId = `vscode-chat-${Date.now().toString(36)}-${++seq}`;
      const tools: LmTool[] | undefined = options.tools?.length
        ? options.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: (t.inputSchema as Record<string, unknown>) ?? { type: 'object', properties: {} } } }))
        : undefined;
      const sub = router.route(requestId, (d) => {
        if (d.text) progress.report(new parts.TextPart(d.text));
        if (d.toolCall) progress.report(new parts.ToolCallPart(d.toolCall.id, d.toolCall.name, d.toolCall.input));
      });
      try {
        const res = await client.sendRequest(
          LmChatRequest,
          {
            requestId,
            model: model.id,
            messages: toOpenAiMessages(messages, { imageInput: !!model.capabilities.imageInput }),
            tools,
            toolChoice: tools && options.toolMode === ToolMode.Required ? 'required' : undefined,
            maxTokens: positiveInt(options.modelOptions?.max_tokens ?? options.modelOptions?.maxTokens),
          },
          token,
        );
        if (res.aborted || token.isCancellationRequested) return;
        if (!res.ok || res.error) {
          const e = res.error ?? { code: 'unknown', message: 'the request failed' };
          const view = describeChatError(e);
          // VS Code shows the thrown message in the Chat view: what happened, the gateway's words, what to do.
          throw new Error(`Switchyard — ${view.title}${e.gateway ? ` on "${e.gateway}"` : ''}: ${e.message} ${view.hint ?? ''}`.trim());
        }
        if (!res.content && !res.toolCalls?.length) throw new Error(`Switchyard — ${res.gateway ?? 'the gateway'} returned an empty answer (finish reason: ${res.finishReason ?? 'none'}).`);
      } finally {
        sub.dispose();
      }
    },

    provideTokenCount: async (_model, text) => countTokens(text),
  };
}

function positiveInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}
