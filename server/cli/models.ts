// `switchyard models`: the merged catalog of every configured gateway, fresh from the gateways
// (falling back to the disk cache per gateway, then to the embedded price table), as an aligned
// table or as JSON (design.md "CLI"). Works with no config at all: the embedded table.
import type { Subcommand } from './command';
import { UsageError } from '../core/errors';
import { createLogger } from '../core/log';
import { createKeyProvider } from '../core/keys';
import { defaultDataDir } from '../core/paths';
import { resolveGateways } from '../protocol/settings';
import { SortKeySchema, type GatewayStatus, type MergedModel } from '../protocol/model';
import { createCatalogService } from '../catalog/service';
import { OFFLINE_GATEWAY } from '../catalog/table';
import { formatPerMTok } from '../catalog/price';

export const modelsCommand: Subcommand = {
  summary: 'list the merged model catalog (prices in USD per million tokens)',
  usage: 'models [--json] [--gateway ID] [--search TEXT] [--sort price|context|name|newest] [--offline]',
  options: {
    json: { type: 'boolean' },
    gateway: { type: 'string' },
    search: { type: 'string' },
    sort: { type: 'string' },
    offline: { type: 'boolean' },
  },
  async run(values, _positionals, io, settings) {
    const sort = values.sort === undefined ? undefined : SortKeySchema.safeParse(values.sort);
    if (sort && !sort.success) throw new UsageError(`--sort must be one of price, context, name, newest (got "${String(values.sort)}")`);
    const offline = !!values.offline;
    const gateway = values.gateway as string | undefined;
    if (gateway !== undefined) {
      const known = offline ? [OFFLINE_GATEWAY] : resolveGateways(settings).map((g) => g.id);
      if (!known.includes(gateway)) {
        throw new UsageError(`no enabled gateway "${gateway}"${known.length ? `; configured: ${known.join(', ')}` : ' (no gateway is configured)'}`);
      }
    }
    const debug = !!io.env.SWITCHYARD_DEBUG;
    const log = createLogger((level, msg) => {
      if (debug || level === 'error') io.err(`[${level}] ${msg}\n`);
    });
    // undici is loaded only when a gateway will be called: the offline listing starts faster.
    const needsNetwork = !offline && resolveGateways(settings).length > 0;
    const dispatcher = needsNetwork ? (await import('../core/app')).createDispatcher(settings, io.env) : undefined;
    const catalog = createCatalogService({
      dataDir: (values['data-dir'] as string | undefined) ?? defaultDataDir(io.env),
      getSettings: () => settings,
      keys: createKeyProvider(io.env),
      log,
      dispatcher,
      offline,
    });
    try {
      await catalog.start();
      if (!offline) await catalog.refresh();
      const result = catalog.query({ filter: { text: values.search as string | undefined, gateway }, sort: sort?.data });
      const statuses = catalog.statuses();
      if (values.json) {
        io.out(JSON.stringify(result.models, null, 2) + '\n');
        for (const line of problemLines(statuses)) io.err(`switchyard models: ${line}\n`);
      } else {
        io.out(renderTable(result.models));
        io.out(`\n${result.total} model${result.total === 1 ? '' : 's'} · ${sourceLine(result.source, statuses)}\n`);
        for (const line of problemLines(statuses)) io.out(`! ${line}\n`);
      }
      return 0;
    } finally {
      catalog.dispose();
      await dispatcher?.close().catch(() => {});
    }
  },
};

function sourceLine(source: string, statuses: GatewayStatus[]): string {
  if (source === 'offline') {
    return statuses.length
      ? 'no gateway answered: prices from the embedded table (@pydantic/genai-prices)'
      : 'offline: the embedded price table (@pydantic/genai-prices); configure gateways with --config';
  }
  return statuses.map((s) => `${s.gateway}: ${s.modelCount} (${s.source === 'cache' ? `cached ${s.updatedAt?.slice(0, 16).replace('T', ' ') ?? ''}` : s.source})`).join(', ');
}

function problemLines(statuses: GatewayStatus[]): string[] {
  return statuses.filter((s) => s.message && s.state !== 'ok').map((s) => s.message!);
}

export function formatContext(n: number | undefined): string {
  if (!n) return '—';
  if (n >= 1_000_000) return `${+(n / 1_000_000).toFixed(1)}M`;
  if (n >= 1000) return `${Math.round(n / 1000)}K`;
  return String(n);
}

function servedBy(m: MergedModel): string {
  return m.offers.map((o) => (o.id.toLowerCase() === m.canonicalId ? o.gateway : `${o.gateway}:${o.id}`)).join(' ');
}

function price(n: number | undefined, source: string): string {
  return n === undefined ? '—' : `${formatPerMTok(n)}${source === 'table' ? '*' : ''}`;
}

export function renderTable(models: readonly MergedModel[]): string {
  const head = ['MODEL', 'CONTEXT', 'IN $/M', 'OUT $/M', 'SERVED BY'];
  const rows = models.map((m) => [
    m.canonicalId + (m.deprecated ? ' (deprecated)' : '') + (m.free && !m.canonicalId.endsWith(':free') ? ' (free)' : ''),
    formatContext(m.contextLength),
    price(m.pricing?.inputPerMTok, m.priceSource),
    price(m.pricing?.outputPerMTok, m.priceSource),
    servedBy(m),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const right = new Set([1, 2, 3]);
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [line(head), ...rows.map(line)];
  if (models.some((m) => m.priceSource === 'table')) out.push('', '* from the embedded price table (@pydantic/genai-prices): an estimate, not the gateway\'s own price');
  return out.join('\n') + '\n';
}
