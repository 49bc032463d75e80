// The pipeline as the composition root builds it (server/core/app.ts): the real adapters, the
// app's settings, keys, logger and injected dispatcher. The work itself is in pipeline.ts.
import type { CatalogService, MoneyService, Pipeline } from '../core/services';
import type { AppOptions } from '../core/app';
import type { Dispatcher } from 'undici';
import { GATEWAY_KINDS, type GatewayKind } from '../protocol/settings';
import { adapterFor } from '../gateways/index';
import { createPipelineService } from './pipeline';

type Deps = AppOptions & { dispatcher: Dispatcher; catalog: CatalogService };

export function createPipeline(opts: Deps & { money: MoneyService }): Pipeline {
  return createPipelineService({
    getSettings: opts.getSettings,
    catalog: opts.catalog,
    money: opts.money,
    dispatcher: opts.dispatcher,
    keys: opts.keys,
    log: opts.log,
    adapterFor: (kind) => ((GATEWAY_KINDS as readonly string[]).includes(kind) ? adapterFor(kind as GatewayKind) : undefined),
  });
}
