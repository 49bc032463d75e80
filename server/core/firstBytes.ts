// Requests waiting for their upstream's first byte, counted process-wide, so that background work
// which disturbs them can step aside for a moment: the ledger's group-committed `fdatasync` waits
// for a moment when none is waiting (at most until its own deadline; server/ledger/writer.ts). On
// this kind of VM a sync is a journal commit and a flush on the virtio disk, whose doorbell and
// completion interrupt land on the same vCPUs as the requests; started while a first byte was on
// its way, it delayed that byte: paced streams got their first byte 0.3–0.5 ms sooner once syncs
// stepped aside (README "Proxy benchmark").

export class Waiting {
  private count = 0;
  private wakers: (() => void)[] = [];

  /** One more request waits; the function returned ends its wait (only its first call counts). */
  begin(): () => void {
    this.count++;
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      if (--this.count === 0) this.wake();
    };
  }

  get pending(): number {
    return this.count;
  }

  /** Resolves once nothing waits, or after `maxMs` at most. */
  none(maxMs: number): Promise<void> {
    if (this.count === 0 || maxMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        const i = this.wakers.indexOf(done);
        if (i >= 0) this.wakers.splice(i, 1);
        resolve();
      };
      const timer = setTimeout(done, maxMs);
      this.wakers.push(done);
    });
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = [];
    for (const w of wakers) w();
  }
}

/** This process's requests between their upstream write and the upstream's first byte. */
export const firstBytes = new Waiting();
