// The pipeline as the composition root builds it (server/core/app.ts): the real adapters, the
// app's settings, keys, logger and injected dispatcher. The work itself is in pipeline.ts.
import type { Pipeline } from '../core/services';
import { GATEWAY_KINDS, type GatewayKind } from '../protocol/settings';
import { adapterFor } from '../gateways/index';
import { createPipelineService, type PipelineDeps } from './pipeline';

/** What the pipeline needs from its process; the gateway adapters are the real ones. */
export type PipelineServiceDeps = Pick<PipelineDeps, 'getSettings' | 'catalog' | 'money' | 'dispatcher' | 'keys' | 'log'>;

export function createPipeline(deps: PipelineServiceDeps): Pipeline {
  return createPipelineService({
    getSettings: deps.getSettings,
    catalog: deps.catalog,
    money: deps.money,
    dispatcher: deps.dispatcher,
    keys: deps.keys,
    log: deps.log,
    adapterFor: (kind) => ((GATEWAY_KINDS as readonly string[]).includes(kind) ? adapterFor(kind as GatewayKind) : undefined),
  });
}
