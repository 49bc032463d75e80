// The request bodies the pipeline accepts, one schema per endpoint, for every caller (proxy, chat).
// Only what Switchyard itself relies on is checked; every other field passes through to the gateway
// untouched, and the caller's own object is what goes on (transforms here never rewrite it).
import { z } from 'zod';
import type { InferenceEndpoint } from '../gateways/types';

// Optional: without one the pipeline uses switchyard.defaultModel (or `auto`).
const model = z.string().trim().min(1, 'model must name a model (e.g. "openai/gpt-4o-mini")').max(512).optional();
const stream = z.boolean().optional();
const stream_options = z.record(z.string(), z.unknown()).nullish();
const nonEmpty = (what: string) => z.unknown().refine((v) => v !== undefined && v !== null && v !== '', `${what} is required`);

// Plain (stripping) objects, not loose ones: the parsed copy is thrown away (checkBody hands on the
// caller's object), and a loose object copies every field of every message — an agent's long
// conversation cost several times the check itself.
export const BODY_SCHEMAS: Record<InferenceEndpoint, z.ZodType<Record<string, unknown>>> = {
  'chat/completions': z.object({
    model,
    stream,
    stream_options,
    messages: z.array(z.object({ role: z.string() }), 'messages must be an array of { role, content }').min(1, 'messages must not be empty'),
  }),
  completions: z.object({ model, stream, stream_options, prompt: nonEmpty('prompt') }),
  embeddings: z.object({
    model,
    input: nonEmpty('input'),
    encoding_format: z.enum(['float', 'base64']).optional(),
  }),
};

export type BodyCheck = { ok: true; body: Record<string, unknown> } | { ok: false; message: string; param?: string };

/** Checks a parsed JSON body for `endpoint`; the message reads on one line, `param` names the first bad field. */
export function checkBody(endpoint: InferenceEndpoint, value: unknown): BodyCheck {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: 'the request body must be a JSON object' };
  if (endpoint === 'chat/completions' && isPlainChatBody(value as Record<string, unknown>)) return { ok: true, body: value as Record<string, unknown> };
  const r = BODY_SCHEMAS[endpoint].safeParse(value);
  if (r.success) return { ok: true, body: value as Record<string, unknown> };
  const first = r.error.issues[0];
  return {
    ok: false,
    message: `invalid ${endpoint} request: ${z.prettifyError(r.error).replace(/\n\s*/g, ' ')}`,
    param: first?.path.length ? first.path.join('.') : undefined,
  };
}

/** An object as JSON.parse makes them (anything else is left to the schema). */
function isPlain(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * The usual chat request, vouched for without the schema (its safeParse was a tenth of a proxied
 * request's own cost here): true only when every field the schema looks at is plainly right.
 * Anything else — false here — goes through the schema, which accepts it or says what is wrong.
 * Held to the schema by a property test (test/unit/proxy-fastpath.test.ts): it never vouches for a
 * body the schema refuses.
 */
export function isPlainChatBody(b: Record<string, unknown>): boolean {
  const model = b.model;
  if (model !== undefined) {
    if (typeof model !== 'string') return false;
    const n = model.trim().length;
    if (n < 1 || n > 512) return false;
  }
  if (b.stream !== undefined && typeof b.stream !== 'boolean') return false;
  if (b.stream_options != null && !isPlain(b.stream_options)) return false;
  const messages = b.messages;
  if (!Array.isArray(messages) || messages.length === 0) return false;
  for (const m of messages) if (!isPlain(m) || typeof m.role !== 'string') return false;
  return true;
}
