// The picker's rows from the merged catalog: one row per gateway offer, so a person can pick "this
// model through that gateway"; models known only from the offline table route by canonical ID.
import type { CatalogQuery, CatalogResult } from '../../server/protocol/model';
import type { ModelOption } from './protocol';

export const PICKER_MODELS = 40;
export const PICKER_ROWS = 100;
/** The gateway id the embedded price table uses: not a gateway one can send to. */
const OFFLINE = 'offline';

export function pickerQuery(text: string): CatalogQuery {
  const t = text.trim();
  return { filter: t ? { text: t } : {}, limit: PICKER_MODELS };
}

export function toModelOptions(result: CatalogResult, text: string): ModelOption[] {
  const rows: ModelOption[] = [];
  const t = text.trim().toLowerCase();
  if (!t || 'auto'.startsWith(t)) {
    rows.push({ model: 'auto', label: 'Auto (chosen by the routing policy)', canonicalId: 'auto' });
  }
  for (const m of result.models) {
    const offers = m.offers.length ? m.offers : [{ gateway: m.gateway, id: m.id, pricing: m.pricing, priceSource: m.priceSource }];
    for (const o of offers) {
      const offline = o.gateway === OFFLINE;
      rows.push({
        model: offline ? m.canonicalId : o.id,
        gateway: offline ? undefined : o.gateway,
        label: m.name,
        canonicalId: m.canonicalId,
        contextLength: m.contextLength,
        inputPerMTok: o.pricing?.inputPerMTok,
        outputPerMTok: o.pricing?.outputPerMTok,
        free: m.free || undefined,
        estimatedPrice: o.priceSource === 'table' || undefined,
        deprecated: m.deprecated ? true : undefined,
      });
      if (rows.length >= PICKER_ROWS) return rows;
    }
  }
  return rows;
}
