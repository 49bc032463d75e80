// The status bar's health, from the catalog's per-gateway states: ok when every gateway answers,
// degraded when some fail, offline when only the embedded price table is left.
import type { CatalogService } from '../core/services';
import type { StatusParams } from '../protocol/messages';

export function computeHealth(
  catalog: Pick<CatalogService, 'statuses' | 'source'>,
  hasGateways: boolean,
): { health: StatusParams['health']; message?: string } {
  const statuses = catalog.statuses();
  if (!hasGateways || !statuses.length) {
    return hasGateways
      ? { health: 'starting' }
      : { health: 'offline', message: 'No gateway configured: models and prices come from the embedded table. Run "Switchyard: Add Gateway".' };
  }
  const failed = statuses.filter((s) => s.state !== 'ok' && s.state !== 'loading');
  const loading = statuses.filter((s) => s.state === 'loading');
  const first = failed[0];
  const why = first && `${first.label}: ${first.message ?? first.state}` + (failed.length > 1 ? ` (and ${failed.length - 1} more)` : '');
  if (!failed.length) return loading.length === statuses.length ? { health: 'starting' } : { health: 'ok' };
  if (failed.length === statuses.length && catalog.source === 'offline') return { health: 'offline', message: why };
  return { health: 'degraded', message: why };
}
