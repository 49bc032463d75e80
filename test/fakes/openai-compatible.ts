// Fake generic OpenAI-compatible server (LiteLLM, vLLM, Ollama's /v1): `GET /v1/models` in OpenAI's
// list shape, the OpenAI inference endpoints and OpenAI's error shape. No prices, no cost, no balance.
import { inferenceRoutes } from './inference';
import { findModel, modelsPaths, openAiRecord, sendList } from './listing';
import type { GatewayEnv, Route } from './server';

export function openAiCompatibleRoutes(env: GatewayEnv): Route[] {
  const { state } = env;
  const paths = modelsPaths('/v1');
  return [
    { method: 'GET', path: paths.list, auth: true, handler: (ctx) => sendList(ctx, { object: 'list', data: state.models.map(openAiRecord) }) },
    {
      method: 'GET', path: paths.one, auth: true,
      handler: (ctx) => {
        const m = findModel(state, ctx.params[0]);
        if (!m) return ctx.error({ status: 404, code: 'model_not_found', param: 'model', message: `The model '${ctx.params[0]}' does not exist` });
        ctx.json(200, openAiRecord(m));
      },
    },
    // LiteLLM in front of Anthropic passes Anthropic's cache counts through under their own names.
    ...inferenceRoutes('/v1', env, { resolve: (id) => findModel(state, id), unknownModelStatus: 404, charges: false, usageDialect: 'anthropic-names' }),
  ];
}
