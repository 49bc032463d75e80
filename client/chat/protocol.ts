// The chat panel's message protocol: ONE zod discriminated union per direction, imported by the
// extension side (client/chat/panel.ts) and by the webview (media/webview/main.ts). Whatever fails
// `safeParse` on the receiving side is dropped and logged: a stale or hostile webview cannot reach a
// handler with a shape it did not declare. Also the stored conversation format (history files).
// No `vscode` import here: the webview bundle and the unit tests load this file as it is.
// A namespace import lets esbuild tree-shake zod in the webview bundle (`{ z }` drags in every locale).
import * as z from 'zod';

const Id = z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');
/** Big enough for a pasted file, small enough that a runaway message cannot exhaust memory. */
const Text = z.string().max(4_000_000);
const Short = z.string().max(500);

// ---------------------------------------------------------------- shared data

/** A model as the pipeline takes it: the ID to send and, when the person picked one, the gateway. */
export const ModelRefSchema = z.object({
  model: z.string().min(1).max(300),
  gateway: z.string().min(1).max(100).optional(),
  /** Display name from the catalog, when known. */
  label: z.string().max(300).optional(),
});
export type ModelRef = z.infer<typeof ModelRefSchema>;

/** What a send uses: 1 model, or 2–4 in compare mode; empty until the person picks one. */
export const ChatOptionsSchema = z.object({
  models: z.array(ModelRefSchema).max(4),
  system: z.string().max(200_000).optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().max(10_000_000).optional(),
});
export type ChatOptions = z.infer<typeof ChatOptionsSchema>;

/** One model row of the picker: one gateway's offer of one catalog model. */
export const ModelOptionSchema = z.object({
  model: z.string(),
  gateway: z.string().optional(),
  label: z.string(),
  canonicalId: z.string(),
  contextLength: z.number().optional(),
  inputPerMTok: z.number().optional(),
  outputPerMTok: z.number().optional(),
  free: z.boolean().optional(),
  /** Prices from the embedded table rather than the gateway. */
  estimatedPrice: z.boolean().optional(),
  deprecated: z.boolean().optional(),
});
export type ModelOption = z.infer<typeof ModelOptionSchema>;

export const AttachmentSchema = z.object({
  id: Id,
  kind: z.enum(['selection', 'file']),
  /** `src/app.ts:10-24`, `README.md` — what the person sees on the chip and in the sent prompt. */
  label: z.string().max(1000),
  language: z.string().max(100).optional(),
  content: Text,
  tokens: z.number().int().nonnegative().optional(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

export const CostSourceSchema = z.enum(['gateway', 'computed', 'estimated', 'unknown']);

export const AnswerMetaSchema = z.object({
  servedModel: z.string().optional(),
  gateway: z.string().optional(),
  inputTokens: z.number().optional(),
  outputTokens: z.number().optional(),
  costUsd: z.number().optional(),
  costSource: CostSourceSchema.optional(),
  latencyMs: z.number().optional(),
  finishReason: z.string().optional(),
});
export type AnswerMeta = z.infer<typeof AnswerMetaSchema>;

/** What a person can do about an error, as buttons under it; each is handled by the extension. */
export const ErrorActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('retry'), label: Short }),
  z.object({ kind: z.literal('useModel'), label: Short, model: z.string().min(1).max(300), gateway: z.string().max(100).optional() }),
  z.object({ kind: z.literal('overrideBudget'), label: Short, scope: z.string().max(100).optional() }),
  z.object({ kind: z.literal('openSettings'), label: Short, query: z.string().max(200) }),
  z.object({ kind: z.literal('setApiKey'), label: Short, gateway: z.string().max(100).optional() }),
  z.object({ kind: z.literal('pickModel'), label: Short }),
  z.object({ kind: z.literal('editLast'), label: Short }),
  z.object({ kind: z.literal('showLogs'), label: Short }),
]);
export type ErrorAction = z.infer<typeof ErrorActionSchema>;

/** An error as the panel shows it: what happened, what it means, what to do next. */
export const ErrorViewSchema = z.object({
  code: z.string(),
  status: z.number().optional(),
  title: z.string(),
  detail: z.string(),
  hint: z.string(),
  gateway: z.string().optional(),
  actions: z.array(ErrorActionSchema),
});
export type ErrorView = z.infer<typeof ErrorViewSchema>;

const At = z.number().nonnegative();

export const UserMessageSchema = z.object({
  role: z.literal('user'),
  id: Id,
  text: Text,
  attachments: z.array(AttachmentSchema).default([]),
  at: At,
});
export const AssistantMessageSchema = z.object({
  role: z.literal('assistant'),
  id: Id,
  /** Answers to one prompt in compare mode share a group and render side by side. */
  group: Id.optional(),
  model: ModelRefSchema,
  content: Text,
  status: z.enum(['streaming', 'done', 'stopped', 'error']),
  meta: AnswerMetaSchema.optional(),
  error: ErrorViewSchema.optional(),
  at: At,
});
export const ChatMessageSchema = z.discriminatedUnion('role', [UserMessageSchema, AssistantMessageSchema]);
export type UserMessage = z.infer<typeof UserMessageSchema>;
export type AssistantMessage = z.infer<typeof AssistantMessageSchema>;
export type ChatMessageView = z.infer<typeof ChatMessageSchema>;

export const CONVERSATION_VERSION = 1;
export const ConversationSchema = z.object({
  version: z.literal(CONVERSATION_VERSION),
  id: Id,
  title: z.string().max(300),
  createdAt: At,
  updatedAt: At,
  options: ChatOptionsSchema,
  messages: z.array(ChatMessageSchema),
});
export type Conversation = z.infer<typeof ConversationSchema>;

export const EstimateViewSchema = z.object({
  inputTokens: z.number().optional(),
  /** Attachments alone. */
  attachmentTokens: z.number().optional(),
  inputCostUsd: z.number().optional(),
  maxCostUsd: z.number().optional(),
  /** Output tokens the max cost assumes. */
  assumedOutputTokens: z.number().optional(),
  contextLength: z.number().optional(),
  models: z.number().int().nonnegative(),
  error: z.string().optional(),
});
export type EstimateView = z.infer<typeof EstimateViewSchema>;

// ---------------------------------------------------------------- webview → extension

export const FromWebviewSchema = z.discriminatedUnion('type', [
  /** The webview (re)loaded and wants the whole state. */
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('send'), text: Text, options: ChatOptionsSchema }),
  z.object({ type: z.literal('stop') }),
  /** Ask the last prompt again (same models). */
  z.object({ type: z.literal('retry') }),
  /** Replace the last prompt's text and ask again. */
  z.object({ type: z.literal('editLast'), text: Text, options: ChatOptionsSchema }),
  /** Options changed without sending (kept with the conversation). */
  z.object({ type: z.literal('setOptions'), options: ChatOptionsSchema }),
  z.object({ type: z.literal('searchModels'), query: z.string().max(300), seq: z.number().int() }),
  z.object({ type: z.literal('estimate'), text: Text, options: ChatOptionsSchema, seq: z.number().int() }),
  z.object({ type: z.literal('attach'), source: z.enum(['selection', 'file', 'pick']) }),
  z.object({ type: z.literal('detach'), id: Id }),
  z.object({ type: z.literal('copy'), text: Text }),
  z.object({ type: z.literal('insertCode'), code: Text }),
  z.object({ type: z.literal('newFile'), code: Text, language: z.string().max(100).optional() }),
  z.object({ type: z.literal('openLink'), href: z.string().max(8000) }),
  z.object({ type: z.literal('errorAction'), action: ErrorActionSchema }),
  z.object({ type: z.literal('newChat') }),
  z.object({ type: z.literal('history') }),
  z.object({ type: z.literal('exportMarkdown') }),
  /** A failure inside the webview, for the Switchyard log. */
  z.object({ type: z.literal('webviewError'), message: z.string().max(4000) }),
]);
export type FromWebview = z.infer<typeof FromWebviewSchema>;

// ---------------------------------------------------------------- extension → webview

export const ToWebviewSchema = z.discriminatedUnion('type', [
  /** The whole state: sent on `ready` and whenever the conversation's structure changes. */
  z.object({
    type: z.literal('state'),
    conversation: ConversationSchema,
    busy: z.boolean(),
    attachments: z.array(AttachmentSchema),
  }),
  /** Streamed text for an assistant message (append). */
  z.object({ type: z.literal('delta'), messageId: Id, text: Text }),
  z.object({
    type: z.literal('models'),
    seq: z.number().int(),
    items: z.array(ModelOptionSchema),
    total: z.number().int().nonnegative(),
    source: z.string().optional(),
    error: z.string().optional(),
  }),
  z.object({ type: z.literal('estimate'), seq: z.number().int(), estimate: EstimateViewSchema }),
  z.object({ type: z.literal('notice'), level: z.enum(['info', 'warning', 'error']), text: z.string().max(4000) }),
  /** Put text in the prompt box (Ask about Selection) and focus it. */
  z.object({ type: z.literal('focusPrompt'), text: z.string().max(100_000).optional() }),
]);
export type ToWebview = z.infer<typeof ToWebviewSchema>;

/** Readable reason a message was dropped (for the log), without echoing its content. */
export function describeInvalid(error: z.ZodError, raw: unknown): string {
  const type = raw && typeof raw === 'object' && 'type' in raw ? String((raw as { type: unknown }).type).slice(0, 60) : typeof raw;
  return `dropped a chat message of type "${type}": ${z.prettifyError(error).replace(/\s+/g, ' ')}`;
}
