// ARouter (seed 004): OpenAI-shaped `GET /v1/models` with `provider/model` IDs and bearer
// `lr_live_…` keys; `auto` is served natively (the response's `model` names what ran). It publishes
// no prices: the catalog fills them from the embedded table, marked `table`.
import type { GatewayAdapter } from './types';
import { OpenAiModelRecord, getOpenAiRecord, listOpenAiRecords, openAiRecordToModel, skippedWarning } from './openai-compatible';

export const arouterAdapter: GatewayAdapter = {
  kind: 'arouter',
  servesAuto: true,
  idForm: 'provider/model',
  async listModels(ctx, signal, etag) {
    const r = await listOpenAiRecords(ctx, signal, etag, 'the model list');
    if (r.notModified) return { models: [], etag, notModified: true };
    return {
      // `auto` is a router, not a model: it is not listed as one (routing knows servesAuto).
      models: r.records.filter((rec) => rec.id !== 'auto').map((rec) => openAiRecordToModel(ctx, rec, { trustOwner: true })),
      etag: r.etag,
      warnings: skippedWarning(r.skipped),
    };
  },
  async getModel(ctx, id, signal) {
    const rec = await getOpenAiRecord(ctx, id, signal, OpenAiModelRecord);
    return rec && openAiRecordToModel(ctx, rec, { trustOwner: true });
  },
};
