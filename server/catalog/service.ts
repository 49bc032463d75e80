// PLACEHOLDER until the catalog lands (issue 3): an empty catalog with the real interface.
import type { CatalogService } from '../core/services';
import type { AppOptions } from '../core/app';
import type { Dispatcher } from 'undici';

export function createCatalogService(_opts: AppOptions & { dispatcher: Dispatcher }): CatalogService {
  const listeners = new Set<() => void>();
  return {
    async start() {},
    async refresh() { return []; },
    query() { return { models: [], total: 0, source: 'offline', version: 0 }; },
    groups() { return []; },
    find() { return undefined; },
    offers() { return []; },
    all() { return []; },
    statuses() { return []; },
    version: 0,
    source: 'offline',
    onDidChange(l) { listeners.add(l); return { dispose: () => listeners.delete(l) }; },
    update() {},
    dispose() { listeners.clear(); },
  };
}
