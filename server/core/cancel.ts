// What the request path needs of a cancellation, and a light one for the proxy's hot path. An
// AbortSignal satisfies `Cancellation` (the chat panel and VS Code's Chat pass real ones); the proxy
// gives every request a `Canceller` instead, because in Node 20 an AbortController — an EventTarget —
// costs microseconds to create and more per listener, on every proxied request.

export interface Cancellation {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** A one-shot cancellation: listeners run once, in order, when abort() is first called; none after. */
export class Canceller implements Cancellation {
  aborted = false;
  reason: unknown = undefined;
  private listeners: (() => void)[] | undefined;

  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.aborted) (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const i = this.listeners?.indexOf(listener) ?? -1;
    if (i >= 0) this.listeners!.splice(i, 1);
  }

  abort(reason: unknown = new Error('This operation was aborted')): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = undefined;
    for (const l of listeners ?? []) l();
  }
}

/** Why `c` was cancelled, as an Error (what undici's `controller.abort` takes). */
export function abortReason(c: Cancellation): Error {
  return c.reason instanceof Error ? c.reason : new Error('This operation was aborted');
}
