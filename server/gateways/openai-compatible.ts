// Any OpenAI-compatible endpoint (LiteLLM, vLLM, Ollama, …): `GET /models` and the chat shape only.
// IDs are whatever the server uses; prices are never published (the catalog estimates them from
// the embedded table). Fields some servers add (vLLM `max_model_len`, LiteLLM `max_input_tokens`)
// are read when present.
import { z } from 'zod';
import type { GatewayAdapter, GatewayContext, ListModelsResult } from './types';
import type { Model } from '../protocol/model';
import type { CanonicalHints } from '../catalog/canonical';
import { HttpError } from '../http/errors';
import { ListEnvelope, getJson, makeModel, modelId, optPosInt, optStr, optUnix, parseItems, parseShape } from './shared';

export const OpenAiModelRecord = z.object({
  id: modelId,
  created: optUnix,
  owned_by: optStr,
  name: optStr,
  context_length: optPosInt,
  context_window: optPosInt,
  max_model_len: optPosInt,
  max_input_tokens: optPosInt,
  max_output_tokens: optPosInt,
});
export type OpenAiModelRecord = z.infer<typeof OpenAiModelRecord>;

export interface OpenAiListOptions {
  /** How the canonical ID of a bare ID is found: trust `owned_by` (NemoRouter, ARouter) or not. */
  trustOwner: boolean;
}

/** `GET {base}/models` as a list of validated OpenAI model records (304 → notModified). */
export async function listOpenAiRecords(
  ctx: GatewayContext,
  signal: AbortSignal,
  etag: string | undefined,
  what: string,
): Promise<{ records: OpenAiModelRecord[]; etag?: string; notModified: boolean; skipped: number }> {
  const res = await getJson(ctx, '/models', signal, { etag });
  if (res.status === 304) return { records: [], etag, notModified: true, skipped: 0 };
  const list = parseShape(ListEnvelope, res.body, what, res.url);
  const { items, skipped } = parseItems(OpenAiModelRecord, list, `a model in ${what}`, res.url);
  return { records: items, etag: res.headers.etag, notModified: false, skipped };
}

export function openAiRecordToModel(ctx: GatewayContext, r: OpenAiModelRecord, opts: OpenAiListOptions): Model {
  const canonical: CanonicalHints = opts.trustOwner && r.owned_by ? { owner: r.owned_by } : {};
  return makeModel(ctx, {
    id: r.id,
    canonical,
    name: r.name,
    contextLength: r.context_length ?? r.context_window ?? r.max_input_tokens ?? r.max_model_len,
    maxOutput: r.max_output_tokens,
    created: r.created,
  });
}

/** `GET {base}/models/{id}` (slashes in the ID kept as path segments); undefined on 404. */
export async function getOpenAiRecord<T extends z.ZodType>(ctx: GatewayContext, id: string, signal: AbortSignal, schema: T): Promise<z.infer<T> | undefined> {
  try {
    const res = await getJson(ctx, `/models/${id.split('/').map(encodeURIComponent).join('/')}`, signal);
    const body = res.body as { data?: unknown } | undefined;
    const rec = body && typeof body === 'object' && 'data' in body && body.data && !Array.isArray(body.data) ? body.data : body;
    return parseShape(schema, rec, 'the model record', res.url);
  } catch (e) {
    if (e instanceof HttpError && e.kind === 'not_found') return undefined;
    throw e;
  }
}

export function skippedWarning(skipped: number): string[] {
  return skipped ? [`${skipped} model record(s) with no usable id were skipped`] : [];
}

export const openAiCompatibleAdapter: GatewayAdapter = {
  kind: 'openai-compatible',
  servesAuto: false,
  idForm: 'bare',
  async listModels(ctx, signal, etag): Promise<ListModelsResult> {
    const r = await listOpenAiRecords(ctx, signal, etag, 'the model list');
    if (r.notModified) return { models: [], etag, notModified: true };
    return {
      models: r.records.map((rec) => openAiRecordToModel(ctx, rec, { trustOwner: false })),
      etag: r.etag,
      warnings: skippedWarning(r.skipped),
    };
  },
  async getModel(ctx, id, signal) {
    const rec = await getOpenAiRecord(ctx, id, signal, OpenAiModelRecord);
    return rec && openAiRecordToModel(ctx, rec, { trustOwner: false });
  },
};
