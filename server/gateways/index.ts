// The adapter for each gateway kind.
import type { GatewayKind } from '../protocol/settings';
import type { GatewayAdapter } from './types';
import { nemorouterAdapter } from './nemorouter';
import { openrouterAdapter } from './openrouter';
import { arouterAdapter } from './arouter';
import { bifrostAdapter } from './bifrost';
import { openAiCompatibleAdapter } from './openai-compatible';

export const ADAPTERS: Readonly<Record<GatewayKind, GatewayAdapter>> = {
  nemorouter: nemorouterAdapter,
  openrouter: openrouterAdapter,
  arouter: arouterAdapter,
  bifrost: bifrostAdapter,
  'openai-compatible': openAiCompatibleAdapter,
};

export function adapterFor(kind: GatewayKind): GatewayAdapter {
  return ADAPTERS[kind];
}
