// Fake ARouter (seed 004): `provider/model` IDs, bearer `lr_live_…`, the OpenAI list shape, and the
// special model `auto`, whose answers name the concrete model that ran in `model`.
//
// Our choices where the seed is silent: `auto` is not in /v1/models (the seed's example list does not
// show it) but GET /v1/models/auto answers a record owned by `arouter`; `auto` runs state.autoModel
// (default openai/gpt-4o-mini) for chat/completions and the first embedding model for embeddings;
// ARouter publishes no prices and reports no cost, so nothing is charged; errors use OpenAI's shape.
import { inferenceRoutes } from './inference';
import { findModel, modelsPaths, openAiRecord, sendList } from './listing';
import { DEFAULT_AUTO_MODEL } from './models';
import type { GatewayEnv, Route } from './server';

export function arouterRoutes(env: GatewayEnv): Route[] {
  const { state } = env;
  const paths = modelsPaths('/v1');
  return [
    { method: 'GET', path: paths.list, auth: true, handler: (ctx) => sendList(ctx, { object: 'list', data: state.models.map(openAiRecord) }) },
    {
      method: 'GET', path: paths.one, auth: true,
      handler: (ctx) => {
        const id = ctx.params[0];
        if (id === 'auto') return ctx.json(200, { id: 'auto', object: 'model', created: 1748000000, owned_by: 'arouter' });
        const m = findModel(state, id);
        if (!m) return ctx.error({ status: 404, code: 'model_not_found', param: 'model', message: `The model '${id}' does not exist.` });
        ctx.json(200, openAiRecord(m));
      },
    },
    ...inferenceRoutes('/v1', env, {
      resolve(id, endpoint) {
        if (id !== 'auto') return findModel(state, id);
        if (endpoint === 'embeddings') return state.models.find((m) => m.embeddingDims !== undefined);
        return findModel(state, state.autoModel ?? DEFAULT_AUTO_MODEL);
      },
      unknownModelStatus: 404,
      charges: false,
    }),
  ];
}
