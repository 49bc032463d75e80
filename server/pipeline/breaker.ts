// One circuit breaker per gateway, shared by every request of the process. After `breakerFailures`
// consecutive failures that are the gateway's fault (5xx, 429, timeouts, refused connections) the
// gateway is skipped for `breakerCooldownSeconds`; then one request is let through as a probe
// (half-open): success closes the breaker, failure opens it for another cooldown.
import type { Settings } from '../protocol/settings';

type State = { failures: number; openUntil: number; probing: boolean };

export type Admission = { allowed: true; probe: boolean } | { allowed: false; retryInMs: number };

export interface Breakers {
  /** May a request go to this gateway now? A probe admission must be followed by success() or failure(). */
  admit(gateway: string): Admission;
  /** Peek without taking the half-open probe slot (routing order). */
  isOpen(gateway: string): boolean;
  success(gateway: string): void;
  failure(gateway: string): void;
  /** A probe that ended without a verdict (caller aborted, request refused locally). */
  release(gateway: string): void;
}

export function createBreakers(getRouting: () => Settings['routing'], now: () => number = Date.now): Breakers {
  const states = new Map<string, State>();
  const get = (g: string): State => {
    let s = states.get(g);
    if (!s) states.set(g, (s = { failures: 0, openUntil: 0, probing: false }));
    return s;
  };
  return {
    admit(g) {
      const s = get(g);
      if (s.failures < getRouting().breakerFailures) return { allowed: true, probe: false };
      const t = now();
      if (t < s.openUntil) return { allowed: false, retryInMs: s.openUntil - t };
      if (s.probing) return { allowed: false, retryInMs: 1000 };
      s.probing = true;
      return { allowed: true, probe: true };
    },
    isOpen(g) {
      const s = states.get(g);
      if (!s || s.failures < getRouting().breakerFailures) return false;
      return now() < s.openUntil || s.probing;
    },
    success(g) {
      const s = states.get(g);
      if (!s) return; // never failed: nothing to reset
      s.failures = 0;
      s.openUntil = 0;
      s.probing = false;
    },
    failure(g) {
      const s = get(g);
      s.failures++;
      s.probing = false;
      if (s.failures >= getRouting().breakerFailures) s.openUntil = now() + getRouting().breakerCooldownSeconds * 1000;
    },
    release(g) {
      get(g).probing = false;
    },
  };
}
