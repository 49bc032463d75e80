// The chat panel's message protocol: ONE zod discriminated union per direction, imported by the
// extension side (client/chat/panel.ts) and by the webview (media/webview/main.ts). Whatever fails
// `safeParse` on the receiving side is dropped and logged: a stale or hostile webview cannot reach a
// handler with a shape it did not declare. Also the stored conversation format (history files).
// No `vscode` import here: the webview bundle and the unit tests load this file as it is.
import * as z from '../../server/protocol/zod';
import { CostSourceSchema } from '../../server/protocol/ledger';

const Id = z.string().check(z.minLength(1), z.maxLength(100), z.regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only'));
/** Big enough for a pasted file, small enough that a runaway message cannot exhaust memory. */
const Text = z.string().check(z.maxLength(4_000_000));
const Short = z.string().check(z.maxLength(500));

// ---------------------------------------------------------------- shared data

/** A model as the pipeline takes it: the ID to send and, when the person picked one, the gateway. */
export const ModelRefSchema = z.object({
  model: z.string().check(z.minLength(1), z.maxLength(300)),
  gateway: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  /** Display name from the catalog, when known. */
  label: z.optional(z.string().check(z.maxLength(300))),
});
export type ModelRef = z.infer<typeof ModelRefSchema>;

/** What a send uses: 1 model, or 2–4 in compare mode; empty until the person picks one. */
export const ChatOptionsSchema = z.object({
  models: z.array(ModelRefSchema).check(z.maxLength(4)),
  system: z.optional(z.string().check(z.maxLength(200_000))),
  temperature: z.optional(z.number().check(z.minimum(0), z.maximum(2))),
  maxTokens: z.optional(z.int().check(z.positive(), z.maximum(10_000_000))),
});
export type ChatOptions = z.infer<typeof ChatOptionsSchema>;

/** One model row of the picker: one gateway's offer of one catalog model. */
export const ModelOptionSchema = z.object({
  model: z.string(),
  gateway: z.optional(z.string()),
  label: z.string(),
  canonicalId: z.string(),
  contextLength: z.optional(z.number()),
  inputPerMTok: z.optional(z.number()),
  outputPerMTok: z.optional(z.number()),
  free: z.optional(z.boolean()),
  /** Prices from the embedded table rather than the gateway. */
  estimatedPrice: z.optional(z.boolean()),
  deprecated: z.optional(z.boolean()),
});
export type ModelOption = z.infer<typeof ModelOptionSchema>;

export const AttachmentSchema = z.object({
  id: Id,
  kind: z.enum(['selection', 'file']),
  /** `src/app.ts:10-24`, `README.md` — what the person sees on the chip and in the sent prompt. */
  label: z.string().check(z.maxLength(1000)),
  language: z.optional(z.string().check(z.maxLength(100))),
  content: Text,
  tokens: z.optional(z.int().check(z.nonnegative())),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

export const AnswerMetaSchema = z.object({
  servedModel: z.optional(z.string()),
  gateway: z.optional(z.string()),
  inputTokens: z.optional(z.number()),
  outputTokens: z.optional(z.number()),
  /** Part of inputTokens read from a prompt cache, when the gateway said. */
  cachedInputTokens: z.optional(z.number().check(z.nonnegative())),
  costUsd: z.optional(z.number()),
  costSource: z.optional(CostSourceSchema),
  /** What prompt caching saved on this answer (negative while cache writes cost more than reads saved). */
  cacheSavingsUsd: z.optional(z.number()),
  latencyMs: z.optional(z.number()),
  finishReason: z.optional(z.string()),
});
export type AnswerMeta = z.infer<typeof AnswerMetaSchema>;

/** What a person can do about an error, as buttons under it; each is handled by the extension. */
export const ErrorActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('retry'), label: Short }),
  z.object({ kind: z.literal('useModel'), label: Short, model: z.string().check(z.minLength(1), z.maxLength(300)), gateway: z.optional(z.string().check(z.maxLength(100))) }),
  z.object({ kind: z.literal('overrideBudget'), label: Short, scope: z.optional(z.string().check(z.maxLength(100))) }),
  z.object({ kind: z.literal('openSettings'), label: Short, query: z.string().check(z.maxLength(200)) }),
  z.object({ kind: z.literal('setApiKey'), label: Short, gateway: z.optional(z.string().check(z.maxLength(100))) }),
  z.object({ kind: z.literal('pickModel'), label: Short }),
  z.object({ kind: z.literal('editLast'), label: Short }),
  z.object({ kind: z.literal('showLogs'), label: Short }),
]);
export type ErrorAction = z.infer<typeof ErrorActionSchema>;

/** An error as the panel shows it: what happened, what it means, what to do next. */
export const ErrorViewSchema = z.object({
  code: z.string(),
  status: z.optional(z.number()),
  title: z.string(),
  detail: z.string(),
  hint: z.string(),
  gateway: z.optional(z.string()),
  actions: z.array(ErrorActionSchema),
});
export type ErrorView = z.infer<typeof ErrorViewSchema>;

const At = z.number().check(z.nonnegative());

export const UserMessageSchema = z.object({
  role: z.literal('user'),
  id: Id,
  text: Text,
  attachments: z._default(z.array(AttachmentSchema), []),
  at: At,
});
export const AssistantMessageSchema = z.object({
  role: z.literal('assistant'),
  id: Id,
  /** Answers to one prompt in compare mode share a group and render side by side. */
  group: z.optional(Id),
  model: ModelRefSchema,
  content: Text,
  status: z.enum(['streaming', 'done', 'stopped', 'error']),
  meta: z.optional(AnswerMetaSchema),
  error: z.optional(ErrorViewSchema),
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
  title: z.string().check(z.maxLength(300)),
  createdAt: At,
  updatedAt: At,
  options: ChatOptionsSchema,
  messages: z.array(ChatMessageSchema),
});
export type Conversation = z.infer<typeof ConversationSchema>;

export const EstimateViewSchema = z.object({
  inputTokens: z.optional(z.number()),
  /** Attachments alone. */
  attachmentTokens: z.optional(z.number()),
  inputCostUsd: z.optional(z.number()),
  maxCostUsd: z.optional(z.number()),
  /** Output tokens the max cost assumes. */
  assumedOutputTokens: z.optional(z.number()),
  contextLength: z.optional(z.number()),
  models: z.int().check(z.nonnegative()),
  error: z.optional(z.string()),
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
  z.object({ type: z.literal('searchModels'), query: z.string().check(z.maxLength(300)), seq: z.int() }),
  z.object({ type: z.literal('estimate'), text: Text, options: ChatOptionsSchema, seq: z.int() }),
  z.object({ type: z.literal('attach'), source: z.enum(['selection', 'file', 'pick']) }),
  z.object({ type: z.literal('detach'), id: Id }),
  z.object({ type: z.literal('copy'), text: Text }),
  z.object({ type: z.literal('insertCode'), code: Text }),
  z.object({ type: z.literal('newFile'), code: Text, language: z.optional(z.string().check(z.maxLength(100))) }),
  z.object({ type: z.literal('openLink'), href: z.string().check(z.maxLength(8000)) }),
  z.object({ type: z.literal('errorAction'), action: ErrorActionSchema }),
  z.object({ type: z.literal('newChat') }),
  z.object({ type: z.literal('history') }),
  z.object({ type: z.literal('exportMarkdown') }),
  /** A failure inside the webview, for the Switchyard log. */
  z.object({ type: z.literal('webviewError'), message: z.string().check(z.maxLength(4000)) }),
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
    seq: z.int(),
    items: z.array(ModelOptionSchema),
    total: z.int().check(z.nonnegative()),
    source: z.optional(z.string()),
    error: z.optional(z.string()),
  }),
  z.object({ type: z.literal('estimate'), seq: z.int(), estimate: EstimateViewSchema }),
  z.object({ type: z.literal('notice'), level: z.enum(['info', 'warning', 'error']), text: z.string().check(z.maxLength(4000)) }),
  /** Put text in the prompt box (Ask about Selection) and focus it. */
  z.object({ type: z.literal('focusPrompt'), text: z.optional(z.string().check(z.maxLength(100_000))) }),
]);
export type ToWebview = z.infer<typeof ToWebviewSchema>;

/** Readable reason a message was dropped (for the log), without echoing its content. */
export function describeInvalid(error: z.core.$ZodError, raw: unknown): string {
  const type = raw && typeof raw === 'object' && 'type' in raw ? String((raw as { type: unknown }).type).slice(0, 60) : typeof raw;
  return `dropped a chat message of type "${type}": ${z.prettifyError(error).replace(/\s+/g, ' ')}`;
}
