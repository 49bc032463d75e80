// A disposal scope: what a feature starts (timers, listeners, sockets, in-flight work) is pushed here
// where it is started, and the owner disposes it all at once, newest first — so a feature stops
// before the services it was built on (style.md §5: server-lifetime handlers in one scope).
import type { Disposable } from './services';

/** A Disposable, or a function that undoes something; either may finish asynchronously. */
export type Disposal = Disposable | (() => void | Promise<unknown>);

export class DisposableScope implements Disposable {
  private readonly items: Disposal[] = [];
  private done: Promise<void> | undefined;

  /** @param onError told about a disposal that threw; the others still run. */
  constructor(private readonly onError: (e: unknown) => void = () => {}) {}

  get disposed(): boolean {
    return this.done !== undefined;
  }

  /** Adds to the scope; once the scope is disposed, what is pushed is disposed at once. */
  push(...items: Disposal[]): void {
    if (this.done) for (const d of items) void this.run(d);
    else this.items.push(...items);
  }

  /** Disposes everything pushed, newest first, each after the previous one settled; idempotent. */
  dispose(): Promise<void> {
    this.done ??= (async () => {
      while (this.items.length) await this.run(this.items.pop()!);
    })();
    return this.done;
  }

  private async run(d: Disposal): Promise<void> {
    try {
      await (typeof d === 'function' ? d() : d.dispose());
    } catch (e) {
      this.onError(e);
    }
  }
}
