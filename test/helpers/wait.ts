// Waiting in tests: on a condition or an event, bounded, never a fixed sleep. One copy for every test file.
import type { EventEmitter } from 'node:events';

export interface WaitOptions {
  /** What is awaited, for the timeout message. */
  what?: string;
  timeoutMs?: number;
  /** Pause between two checks of a polled condition (the condition's own schedule, not a sleep). */
  intervalMs?: number;
}

/**
 * Resolves with the first truthy value of `probe` (sync or async), checked now and then every
 * `intervalMs` (0 = every turn of the event loop); rejects after `timeoutMs`.
 */
export async function until<T>(probe: () => T | Promise<T>, { what = 'condition', timeoutMs = 5000, intervalMs = 10 }: WaitOptions = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => (intervalMs > 0 ? setTimeout(r, intervalMs) : setImmediate(r)));
  }
}

/**
 * Resolves with the first value that satisfies `pred`: among `seen` (those that already happened),
 * else the next `event` emitted by `emitter`. Rejects after `timeoutMs`, with `describe()` in the message.
 */
export function waitForEvent<T>(
  emitter: EventEmitter,
  event: string,
  pred: (v: T) => boolean,
  {
    what = `a matching "${event}"`,
    timeoutMs = 5000,
    seen = [],
    describe,
    args = (first) => first as T,
  }: WaitOptions & {
    seen?: readonly T[];
    describe?: () => string;
    /** The value of an event from its arguments (default: the first). */
    args?: (...a: unknown[]) => T;
  } = {},
): Promise<T> {
  const hit = seen.find(pred);
  if (hit !== undefined) return Promise.resolve(hit);
  return new Promise((resolve, reject) => {
    const on = (...a: unknown[]) => {
      const v = args(...a);
      if (!pred(v)) return;
      clearTimeout(timer);
      emitter.off(event, on);
      resolve(v);
    };
    const timer = setTimeout(() => {
      emitter.off(event, on);
      reject(new Error(`no ${what} within ${timeoutMs} ms${describe ? `; ${describe()}` : ''}`));
    }, timeoutMs);
    emitter.on(event, on);
  });
}

/** Something that changes and says so (the services' `onDidChange`). */
export interface Changing {
  onDidChange(listener: () => void): { dispose(): void };
}

/** Resolves with `read()` once `pred` holds for it, checked now and on every change event; bounded. */
export function untilChanged<T>(source: Changing, read: () => T, pred: (v: T) => boolean, { what = 'a change', timeoutMs = 5000 }: WaitOptions = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    let done = false;
    const check = () => {
      if (done) return;
      const v = read();
      if (!pred(v)) return;
      done = true;
      clearTimeout(timer);
      sub?.dispose();
      resolve(v);
    };
    const timer = setTimeout(() => {
      done = true;
      sub?.dispose();
      reject(new Error(`timed out waiting for ${what}; last: ${JSON.stringify(read())}`));
    }, timeoutMs);
    const sub: { dispose(): void } | undefined = source.onDidChange(check);
    check();
  });
}
