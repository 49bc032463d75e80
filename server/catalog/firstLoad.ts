// Waiting for gateways' first catalogs: right after start (fresh install, nothing cached) a
// configured gateway has no models yet, and an answer computed then ("unknown model", an empty
// /v1/models) would be wrong a moment later. Routing and the proxy's model listing wait here.
import type { CatalogService, Disposable } from '../core/services';
import type { Cancellation } from '../core/cancel';

/** A merge lags a load by moments; should it never come (a catalog bug), a caller must not hang long. */
const MERGE_WAIT_MS = 5000;

/**
 * Resolves once every relevant gateway (one, or all) that is still on its first load has loaded and
 * been merged in — or when `timeoutMs` passes or `signal` aborts. Resolves false at once when there
 * was nothing to wait for.
 */
export async function waitForFirstCatalogs(catalog: CatalogService, opts: { gateway?: string; timeoutMs: number; signal?: Cancellation }): Promise<boolean> {
  const relevant = catalog.statuses().filter((s) => !opts.gateway || s.gateway === opts.gateway);
  const loading = relevant.filter((s) => s.state === 'loading' && s.modelCount === 0);
  const unmerged = relevant.filter((s) => s.modelCount > 0 && !catalog.all().some((m) => m.offers.some((o) => o.gateway === s.gateway)));
  if (loading.length === 0 && unmerged.length === 0) return false;
  const waits: Promise<unknown>[] = loading.map((s) => catalog.refresh(s.gateway));
  let sub: Disposable | undefined;
  if (unmerged.length > 0) waits.push(new Promise<void>((r) => (sub = catalog.onDidChange(() => r()))));
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  const limit = loading.length > 0 ? opts.timeoutMs : Math.min(opts.timeoutMs, MERGE_WAIT_MS);
  const timer = setTimeout(stop, limit);
  opts.signal?.addEventListener('abort', stop, { once: true });
  try {
    await Promise.race([Promise.all(waits), stopped]);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', stop);
    sub?.dispose();
  }
  return true;
}
