// `GET /v1/models` and `GET /v1/models/{id}` from the merged catalog, in OpenAI's list shape with
// the catalog's extra facts (name, context, prices, which gateways serve it) alongside. Only models
// a configured gateway serves are listed: an offline-table row is something the proxy cannot run.
import type { CatalogService } from '../core/services';
import type { MergedModel } from '../protocol/model';
import type { ProxyError } from './errors';
import { suggestModelIds } from '../catalog/suggest';

export interface OpenAiModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  name: string;
  context_length?: number;
  max_output_tokens?: number;
  pricing?: MergedModel['pricing'];
  deprecated: boolean;
  /** Every configured gateway that serves it, with the ID to use there. */
  offers: { gateway: string; id: string; pricing?: MergedModel['pricing'] }[];
}

function toOpenAi(m: MergedModel, gateways: ReadonlySet<string>): OpenAiModel {
  return {
    id: m.canonicalId,
    object: 'model',
    created: m.created ?? 0,
    owned_by: m.provider,
    name: m.name,
    ...(m.contextLength ? { context_length: m.contextLength } : {}),
    ...(m.maxOutput ? { max_output_tokens: m.maxOutput } : {}),
    ...(m.pricing ? { pricing: m.pricing } : {}),
    deprecated: !!m.deprecated,
    offers: m.offers.filter((o) => gateways.has(o.gateway)).map((o) => ({ gateway: o.gateway, id: o.id, ...(o.pricing ? { pricing: o.pricing } : {}) })),
  };
}

const served = (m: MergedModel, gateways: ReadonlySet<string>) => m.offers.some((o) => gateways.has(o.gateway));

export function listModels(catalog: CatalogService, gateways: ReadonlySet<string>): { object: 'list'; data: OpenAiModel[] } {
  const data: OpenAiModel[] = [];
  for (const m of catalog.all()) if (served(m, gateways)) data.push(toOpenAi(m, gateways));
  return { object: 'list', data };
}

export function getModel(
  catalog: CatalogService,
  gateways: ReadonlySet<string>,
  id: string,
  aliases: readonly string[],
): { ok: true; model: OpenAiModel } | { ok: false; error: ProxyError } {
  const m = catalog.find(id);
  if (m && served(m, gateways)) return { ok: true, model: toOpenAi(m, gateways) };
  const close = suggestServed(catalog, gateways, id, aliases);
  const why = m ? 'is known but no configured gateway serves it' : 'is not in the catalog of any configured gateway';
  const hint = close.length ? ` Did you mean: ${close.join(', ')}?` : gateways.size === 0 ? ' No gateway is configured (setting switchyard.gateways).' : '';
  return { ok: false, error: { status: 404, code: 'model_not_found', param: 'model', message: `the model "${id}" ${why}.${hint}` } };
}

/** One "did you mean" for the whole server (the pipeline's), over the models this proxy can run. */
export function suggestServed(catalog: CatalogService, gateways: ReadonlySet<string>, id: string, aliases: readonly string[]): string[] {
  return suggestModelIds(id, catalog.all().filter((x) => served(x, gateways)), aliases);
}
