// Every custom message between the VS Code client and the language server, declared once.
// Both sides import these objects; no `switchyard/...` method string appears anywhere else.
// Arrows say which way each flows: C→S = client to server, S→C = server to client.
// What the server receives is schema first: each params type is `z.infer` of the schema beside it,
// and the server registers its handlers with that schema (server/lsp/params.ts), which validates
// every message before a handler sees it. zod/mini (./zod), because the client bundles this file.
import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
import * as z from './zod';
import { CatalogQuerySchema, type CatalogGroup, type CatalogQuery, type CatalogResult, type GatewayStatus, type MergedModel } from './model';
import { GatewayConfigSchema } from './settings';
import type { LedgerRecord } from './ledger';

// ---------------------------------------------------------------- catalog
/** C→S: the merged catalog with server-side filter, sort and paging. */
export const CatalogRequest = new RequestType<CatalogQuery, CatalogResult, void>('switchyard/catalog');

export const CatalogGroupsParamsSchema = z.object({ groupBy: z.enum(['provider', 'gateway']), query: z.optional(CatalogQuerySchema) });
export type CatalogGroupsParams = z.infer<typeof CatalogGroupsParamsSchema>;
/** C→S: group labels and counts, so a tree computes children only when a group is expanded. */
export const CatalogGroupsRequest = new RequestType<CatalogGroupsParams, CatalogGroup[], void>('switchyard/catalogGroups');

export const ModelParamsSchema = z.object({ id: z.string() });
/** C→S: one model by any of its IDs (gateway ID, canonical, alias); null when unknown. */
export const ModelRequest = new RequestType<z.infer<typeof ModelParamsSchema>, MergedModel | null, void>('switchyard/model');

export const RefreshCatalogParamsSchema = z.object({ gateway: z.optional(z.string()) });
/** C→S: refresh one gateway's catalog (or all); resolves when done with the new statuses. */
export const RefreshCatalogRequest = new RequestType<z.infer<typeof RefreshCatalogParamsSchema>, GatewayStatus[], void>('switchyard/refreshCatalog');

export interface CatalogChangedParams {
  version: number;
  source: CatalogResult['source'];
  total: number;
  statuses: GatewayStatus[];
  refreshing: boolean;
}
/** S→C: the catalog or a gateway's status changed. */
export const CatalogChangedNotification = new NotificationType<CatalogChangedParams>('switchyard/catalogChanged');

export const FavoritesParamsSchema = z.object({ canonicalIds: z.array(z.string()).check(z.maxLength(100_000)) });
/**
 * C→S: the person's favorite models (canonical IDs, as the tree stores them), sent once the server runs
 * and on every change; the server may rank them first (completion) — the full list each time, never a delta.
 */
export const FavoritesChangedNotification = new NotificationType<z.infer<typeof FavoritesParamsSchema>>('switchyard/favoritesChanged');

// ---------------------------------------------------------------- keys and gateways
/** The answer the server accepts from a client (any LSP client may answer anything). */
export const GetSecretResultSchema = z.object({ key: z.nullable(z.string()) });
/**
 * S→C: the API key for a gateway from the client's secret store. Clients that do not implement it
 * (Neovim, Helix) answer MethodNotFound and the server uses the `apiKeyEnv` environment variable.
 */
export const GetSecretRequest = new RequestType<{ gateway: string }, z.infer<typeof GetSecretResultSchema>, void>('switchyard/getSecret');

export const SecretsChangedParamsSchema = z.object({ gateway: z.string() });
/** C→S: a key was set or removed in the secret store; the server drops its cached key and refreshes. */
export const SecretsChangedNotification = new NotificationType<z.infer<typeof SecretsChangedParamsSchema>>('switchyard/secretsChanged');

export const TestGatewayParamsSchema = z.object({
  gateway: GatewayConfigSchema,
  /** A key to try without storing it anywhere (Add Gateway / Set API Key check). */
  key: z.optional(z.string()),
});
export type TestGatewayParams = z.infer<typeof TestGatewayParamsSchema>;
export interface TestGatewayResult {
  ok: boolean;
  status: GatewayStatus;
  balanceUsd?: number;
}
/** C→S: try a gateway configuration with a live call. */
export const TestGatewayRequest = new RequestType<TestGatewayParams, TestGatewayResult, void>('switchyard/testGateway');

// ---------------------------------------------------------------- chat
export const ChatMessageSchema = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() });
export type ChatMessage = z.infer<typeof ChatMessageSchema>;
const maxTokens = z.optional(z.int().check(z.positive()));
export const ChatParamsSchema = z.object({
  /** Client-chosen id that ties `ChatDeltaNotification`s to this request. */
  requestId: z.string().check(z.minLength(1), z.maxLength(200)),
  model: z.string(),
  gateway: z.optional(z.string()),
  messages: z.array(ChatMessageSchema).check(z.minLength(1)),
  temperature: z.optional(z.number().check(z.gte(0), z.lte(2))),
  maxTokens,
});
export type ChatParams = z.infer<typeof ChatParamsSchema>;
export interface ChatError {
  /** budget_exceeded, insufficient_credits, rate_limit_exceeded, guardrail_blocked, unknown_model, unreachable, ... */
  code: string;
  status?: number;
  message: string;
  gateway?: string;
  suggestions?: string[];
  balanceUsd?: number;
}
export interface ChatResult {
  requestId: string;
  ok: boolean;
  content: string;
  finishReason?: string;
  /** True when the person pressed Stop; `content` holds what arrived. */
  aborted?: boolean;
  gateway?: string;
  servedModel?: string;
  inputTokens?: number;
  outputTokens?: number;
  /** Parts of inputTokens read from / written to a prompt cache, of outputTokens spent reasoning; when the gateway said. */
  cachedInputTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  costUsd?: number;
  costSource?: LedgerRecord['costSource'];
  /** What prompt caching saved against every input token at the input price (negative while writes cost more). */
  cacheSavingsUsd?: number;
  latencyMs?: number;
  error?: ChatError;
}
/** C→S: one chat completion through the pipeline (source `chat`). Cancel with the request's token (Stop). */
export const ChatRequest = new RequestType<ChatParams, ChatResult, void>('switchyard/chat');

/** S→C: streamed text for a running chat request, batched. */
export const ChatDeltaNotification = new NotificationType<{ requestId: string; text: string }>('switchyard/chatDelta');

export const EstimateParamsSchema = z.object({ model: z.string(), messages: z.array(ChatMessageSchema), maxTokens });
export type EstimateParams = z.infer<typeof EstimateParamsSchema>;
export interface EstimateResult {
  inputTokens: number;
  /** Cost of the input alone, and with maxTokens (or 1k) of output; absent when no price is known. */
  inputCostUsd?: number;
  maxCostUsd?: number;
  contextLength?: number;
}
/** C→S: token and cost estimate before sending (chat attachments). */
export const EstimateRequest = new RequestType<EstimateParams, EstimateResult, void>('switchyard/estimate');

// ---------------------------------------------------------------- money and status
export interface BudgetState {
  scope: string; // "global" or a gateway id
  period: 'daily' | 'monthly' | 'session';
  limitUsd: number;
  spentUsd: number;
  level: 'ok' | 'warning' | 'exceeded';
  overridden: boolean;
}
export interface GatewayBalance {
  gateway: string;
  label: string;
  balanceUsd?: number;
  /** Total spent according to the gateway, when it says (OpenRouter `total_usage`, NemoRouter `total_spent`). */
  usedUsd?: number;
  error?: string;
  updatedAt?: string;
}
export interface StatusParams {
  health: 'starting' | 'ok' | 'degraded' | 'offline';
  /** One line a person can act on when health is not ok. */
  message?: string;
  balances: GatewayBalance[];
  sessionSpendUsd: number;
  todaySpendUsd: number;
  lastRequest?: {
    costUsd?: number;
    costSource: LedgerRecord['costSource'];
    model: string;
    gateway: string;
    /** Present when the request read from a prompt cache / caching changed its cost (the ledger line's fields). */
    cachedInputTokens?: number;
    cacheSavingsUsd?: number;
  };
  budgets: BudgetState[];
  budgetLevel: 'ok' | 'warning' | 'exceeded';
  proxy?: { url: string; requests: number } | { error: string };
  catalogSource: CatalogResult['source'];
  activeGateway?: string;
}
/** S→C: everything the status bar shows; the client renders it and computes nothing. */
export const StatusNotification = new NotificationType<StatusParams>('switchyard/status');

/** C→S: ask for a fresh status notification (e.g. after the client restarts its view). */
export const StatusRequest = new RequestType0<StatusParams, void>('switchyard/getStatus');

const day = z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD')));
/** Inclusive ISO dates (local calendar). Defaults: the last 30 days. */
export const SpendReportParamsSchema = z.object({ from: day, to: day });
export type SpendReportParams = z.infer<typeof SpendReportParamsSchema>;
export interface SpendReport {
  from: string;
  to: string;
  totalUsd: number;
  requests: number;
  byDay: { day: string; usd: number; requests: number }[];
  byModel: {
    model: string;
    gateway: string;
    usd: number;
    requests: number;
    inputTokens: number;
    outputTokens: number;
    /** Input tokens read from a prompt cache, and what caching saved (ledger lines that say). */
    cachedInputTokens?: number;
    cacheSavingsUsd?: number;
    /** USD per ledger source (chat, proxy, cli, vscode-chat) for this model: the report's per-source columns. */
    bySource?: Record<string, number>;
  }[];
  /** Spend per ledger source, largest first ("what did VS Code's agent cost me today"). */
  bySource?: { source: string; usd: number; requests: number }[];
  unknownCostRequests: number;
  /** Part of totalUsd that is still Switchyard's estimate (billed tries the gateway gave no cost for). */
  estimatedUsd?: number;
  /** Part of totalUsd whose estimate was replaced by the gateway's own figure afterwards (`switchyard credits --reconcile`). */
  reconciledUsd?: number;
  /** Input tokens read from a prompt cache in the range, and what caching saved against full input prices. */
  cachedInputTokens?: number;
  cacheSavingsUsd?: number;
}
/** C→S: spend aggregated from the ledger. */
export const SpendReportRequest = new RequestType<SpendReportParams, SpendReport, void>('switchyard/spendReport');

/** C→S: ledger lines in a range, for CSV export. */
export const LedgerRequest = new RequestType<SpendReportParams, LedgerRecord[], void>('switchyard/ledger');

export const BudgetOverrideParamsSchema = z.object({ scope: z.optional(z.string().check(z.minLength(1), z.maxLength(100))) });
/** C→S: let requests through an exceeded budget until the language server restarts. */
export const BudgetOverrideRequest = new RequestType<z.infer<typeof BudgetOverrideParamsSchema>, StatusParams, void>('switchyard/budgetOverride');

// ---------------------------------------------------------------- proxy
export interface ProxyInfo {
  running: boolean;
  url?: string; // http://127.0.0.1:PORT/v1
  /** The local proxy token (not a gateway key): terminals use it as OPENAI_API_KEY. */
  token?: string;
  requests: number;
  error?: string;
}
/** C→S: where the local proxy listens and its token. */
export const ProxyInfoRequest = new RequestType0<ProxyInfo, void>('switchyard/proxyInfo');

/** S→C: the proxy started, moved or stopped. */
export const ProxyChangedNotification = new NotificationType<ProxyInfo>('switchyard/proxyChanged');

// ---------------------------------------------------------------- settings
/** S→C: the `switchyard` settings failed validation; the client shows the message (defaults are in force). */
export const SettingsProblemNotification = new NotificationType<{ message: string }>('switchyard/settingsProblem');

// ---------------------------------------------------------------- VS Code's own Chat (Language Model Chat Provider)
/** One entry of VS Code's Chat model picker, computed by the server from the merged catalog. */
export interface LmModelInfo {
  /** What is sent as `model`: a canonical ID, or an alias name. */
  id: string;
  name: string;
  family: string;
  version: string;
  maxInputTokens: number;
  maxOutputTokens: number;
  toolCalling: boolean;
  imageInput: boolean;
  /** One short line next to the name: price per million tokens and the serving gateway. */
  detail: string;
  tooltip: string;
  /** Why it is in the picker: favorite, default model, alias, or the `vscodeChat.models` setting. */
  reason: 'favorite' | 'default' | 'alias' | 'setting';
}
export const LmModelsParamsSchema = z.object({ favorites: z.array(z.string()).check(z.maxLength(10_000)) });
/** C→S: the models for VS Code's Chat picker (favorites come from the client, which keeps them). */
export const LmModelsRequest = new RequestType<z.infer<typeof LmModelsParamsSchema>, LmModelInfo[], void>('switchyard/lmModels');

const LmTextPartSchema = z.object({ type: z.literal('text'), text: z.string() });
// Images travel as data: URLs (VS Code hands the provider bytes); the proxy's body cap bounds them upstream too.
const LmImagePartSchema = z.object({ type: z.literal('image_url'), image_url: z.object({ url: z.string().check(z.maxLength(20 * 1024 * 1024)) }) });
const LmToolCallRefSchema = z.object({
  id: z.string().check(z.minLength(1)),
  type: z.literal('function'),
  function: z.object({ name: z.string().check(z.minLength(1)), arguments: z.string() }),
});
/** OpenAI chat message shape, as VS Code's Chat messages are translated (tool calls, tool results, images). */
export const LmChatMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.union([z.string(), z.array(z.discriminatedUnion('type', [LmTextPartSchema, LmImagePartSchema])), z.null()]),
  tool_calls: z.optional(z.array(LmToolCallRefSchema)),
  tool_call_id: z.optional(z.string().check(z.minLength(1))),
});
export type LmChatMessage = z.infer<typeof LmChatMessageSchema>;
export const LmToolSchema = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().check(z.minLength(1), z.maxLength(64)),
    description: z.optional(z.string()),
    parameters: z.optional(z.record(z.string(), z.unknown())),
  }),
});
export type LmTool = z.infer<typeof LmToolSchema>;
export const LmChatParamsSchema = z.object({
  requestId: z.string().check(z.minLength(1), z.maxLength(200)),
  model: z.string().check(z.minLength(1)),
  messages: z.array(LmChatMessageSchema).check(z.minLength(1)),
  tools: z.optional(z.array(LmToolSchema).check(z.maxLength(512))),
  /** VS Code's `toolMode`: Required → the model must call a tool. */
  toolChoice: z.optional(z.enum(['auto', 'required'])),
  maxTokens,
});
export type LmChatParams = z.infer<typeof LmChatParamsSchema>;
/** A tool call whose arguments arrived complete (parsed JSON object). */
export interface LmToolCall {
  id: string;
  name: string;
  input: Record<string, unknown>;
}
export interface LmChatResult extends ChatResult {
  toolCalls?: LmToolCall[];
}
/** C→S: one request of VS Code's Chat through the pipeline (source `vscode-chat`); cancel with the token. */
export const LmChatRequest = new RequestType<LmChatParams, LmChatResult, void>('switchyard/lmChat');

/** S→C: streamed text (batched) and completed tool calls of a running `switchyard/lmChat`, in order. */
export const LmChatDeltaNotification = new NotificationType<{ requestId: string; text?: string; toolCall?: LmToolCall }>('switchyard/lmChatDelta');
