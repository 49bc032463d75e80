// The model card (hover, completion documentation) and the short price/context text (completion
// detail, inlay hints), in the words of the shared presentation module (server/protocol/present.ts),
// so the editor's hover and the Models view's tooltip read the same.
import type { MergedModel } from '../protocol/model';
import { formatTokens, modelCard as card, offerPrice } from '../protocol/present';
import type { GatewayInfo } from './types';

/** One line for completion details and inlay hints: price per M in/out and context. */
export function summary(m: MergedModel): string {
  const parts = [offerPrice(m), `${formatTokens(m.contextLength)} ctx`];
  if (m.deprecated) parts.push('deprecated');
  return parts.join(' · ');
}

/** Markdown model card. `gateways` labels the per-gateway IDs; `value` is the string as written, if any. */
export function modelCard(m: MergedModel, gateways: readonly GatewayInfo[], value?: string): string {
  return card(m, { gatewayLabel: (id) => gateways.find((g) => g.id === id)?.label, highlightId: value });
}
