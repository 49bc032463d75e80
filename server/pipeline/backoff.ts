// How long to wait before the next try on the same gateway. Pure, with the randomness injected so
// tests can pin it.
import type { Failure } from '../core/services';
import type { Settings } from '../protocol/settings';
import type { Cancellation } from '../core/cancel';

export type RetryPlan = { retry: true; delayMs: number } | { retry: false; reason: 'exhausted' | 'retry_after_too_long' };

/**
 * `retry` is the number of retries already made on this gateway (0 before the first retry).
 * Full jitter: uniform in [0, min(cap, base × 2^retry)] — spreads a burst of clients apart.
 * A `Retry-After` is a promise from the gateway: we wait exactly that long when it fits under the
 * cap; when it does not, asking again sooner is pointless, so this gateway is done (fail over).
 */
export function planRetry(f: Failure, retry: number, routing: Settings['routing'], random: () => number = Math.random): RetryPlan {
  if (retry >= routing.maxRetries) return { retry: false, reason: 'exhausted' };
  const cap = routing.retryMaxDelayMs;
  if (f.retryAfterMs !== undefined) {
    if (f.retryAfterMs > cap) return { retry: false, reason: 'retry_after_too_long' };
    return { retry: true, delayMs: f.retryAfterMs };
  }
  const ceiling = Math.min(cap, routing.retryBaseDelayMs * 2 ** retry);
  return { retry: true, delayMs: Math.floor(random() * ceiling) };
}

/** A pause that ends early (rejecting with the signal's reason) when the caller gives up. */
export function sleep(ms: number, signal: Cancellation): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
