import type { ResolvedGateway } from '../protocol/settings';
import { registerSecret } from './log';

/** Where a gateway's key comes from. The editor's secret store first (when the client has one), then the environment. */
export interface KeyProvider {
  get(gateway: ResolvedGateway): Promise<string | undefined>;
  /** Forget cached keys (a key was set or removed). */
  invalidate(gatewayId?: string): void;
}

export type SecretLookup = (gatewayId: string) => Promise<string | null | undefined>;

export function createKeyProvider(env: NodeJS.ProcessEnv, lookup?: SecretLookup): KeyProvider {
  const cache = new Map<string, string | undefined>();
  return {
    async get(g) {
      if (cache.has(g.id)) return cache.get(g.id);
      let key: string | undefined;
      if (lookup) {
        try {
          key = (await lookup(g.id)) ?? undefined;
        } catch {
          key = undefined; // client without a secret store: fall through to the environment
        }
      }
      if (!key && g.apiKeyEnv) key = env[g.apiKeyEnv] || undefined;
      key = key?.trim() || undefined;
      registerSecret(key);
      cache.set(g.id, key);
      return key;
    },
    invalidate(id) {
      if (id) cache.delete(id);
      else cache.clear();
    },
  };
}
