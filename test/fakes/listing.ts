// Catalog plumbing shared by the gateways: ETag / If-None-Match on model lists, lookups by the ID in
// the path, and the plain OpenAI model record that NemoRouter, ARouter and openai-compatible list.
import { createHash } from 'node:crypto';
import type { Ctx } from './server';
import type { FakeModel, FakeState } from './types';

export function etagOf(text: string): string {
  return `"${createHash('sha1').update(text).digest('base64url').slice(0, 27)}"`;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}

/**
 * A JSON list with a content-derived ETag, 304 (no body) when the client already has it.
 * `extra(etag)` adds headers that depend on it (NemoRouter's x-nemo-cache). `etagBasis` is hashed
 * instead of the body when the body holds per-request noise (Bifrost's `extra_fields.latency`).
 */
export function sendList(
  ctx: Ctx,
  body: unknown,
  extra?: (etag: string, notModified: boolean) => Record<string, string>,
  etagBasis?: unknown,
): void {
  const text = JSON.stringify(body);
  const etag = etagOf(etagBasis === undefined ? text : JSON.stringify(etagBasis));
  const notModified = etagMatches(ctx.req.headers['if-none-match'], etag);
  const headers = { etag, 'cache-control': 'private, max-age=0, must-revalidate', ...extra?.(etag, notModified) };
  if (notModified) return ctx.send(304, undefined, headers);
  ctx.send(200, text, { 'content-type': 'application/json', ...headers });
}

export function findModel(state: FakeState, id: string): FakeModel | undefined {
  return state.models.find((m) => m.id === id);
}

/**
 * The description a catalog shows, with the deprecation spelled out: none of the seeds has a
 * replacement field, so the gateways that carry descriptions (OpenRouter, Bifrost) name it there.
 */
export function describeModel(m: FakeModel): string {
  const base = m.description ?? '';
  if (!m.deprecated) return base;
  const repl = m.deprecated.replacement ? ` Use ${m.deprecated.replacement} instead.` : '';
  return `${base}${base ? ' ' : ''}Deprecated: removed after ${m.deprecated.date}.${repl}`;
}

/** `{id, object, created, owned_by}`: NemoRouter's and ARouter's documented record (seeds 000 and 004). */
export function openAiRecord(m: FakeModel): Record<string, unknown> {
  return { id: m.id, object: 'model', created: m.created, owned_by: m.ownedBy, ...m.extra };
}

/** Regex for `<prefix>/models` and `<prefix>/models/<id with slashes>`. */
export function modelsPaths(prefix: string): { list: RegExp; one: RegExp } {
  const p = prefix.replace(/\//g, '\\/');
  return { list: new RegExp(`^${p}\\/models\\/?$`), one: new RegExp(`^${p}\\/models\\/(.+)$`) };
}
