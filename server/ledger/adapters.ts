// Which adapter reports a gateway kind's balance: the gateways' own registry.
import type { GatewayAdapter } from '../gateways/types';
import type { GatewayKind } from '../protocol/settings';
import { ADAPTERS } from '../gateways/index';

export function adapterForKind(kind: GatewayKind): GatewayAdapter | undefined {
  return ADAPTERS[kind];
}
