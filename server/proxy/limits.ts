// Request admission: at most `max` requests are served at once, the next ones wait in line (FIFO),
// and a line that grows past `maxQueue` is refused at once rather than holding sockets forever.
// A caller that leaves while waiting gives its place up.
import type { Cancellation } from '../core/cancel';

export interface Gate {
  /** A release function when a slot is free right now and nobody waits; undefined otherwise (then acquire). */
  tryAcquire(): (() => void) | undefined;
  /** Resolves with a release function, or with undefined when the line is full or `signal` aborted. */
  acquire(signal: Cancellation): Promise<(() => void) | undefined>;
  readonly active: number;
  readonly waiting: number;
}

export function createGate(getMax: () => number, maxQueue: (max: number) => number = (m) => m * 4 + 64): Gate {
  let active = 0;
  const queue: { grant: () => void; signal: Cancellation }[] = [];

  const release = (): void => {
    active--;
    pump();
  };

  function pump(): void {
    while (queue.length > 0 && active < getMax()) {
      const next = queue.shift()!;
      if (next.signal.aborted) continue;
      active++;
      next.grant();
    }
  }

  function tryAcquire(): (() => void) | undefined {
    if (active >= getMax() || queue.length > 0) return undefined;
    active++;
    return once(release);
  }

  function once(fn: () => void): () => void {
    let done = false;
    return () => {
      if (!done) {
        done = true;
        fn();
      }
    };
  }

  return {
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    tryAcquire,
    acquire(signal) {
      if (signal.aborted) return Promise.resolve(undefined);
      const now = tryAcquire();
      if (now) return Promise.resolve(now);
      const max = getMax();
      if (queue.length >= maxQueue(max)) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        const entry = {
          signal,
          grant: () => {
            signal.removeEventListener('abort', onAbort);
            resolve(once(release));
          },
        };
        const onAbort = () => {
          const i = queue.indexOf(entry);
          if (i !== -1) queue.splice(i, 1);
          resolve(undefined);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        queue.push(entry);
      });
    },
  };
}
