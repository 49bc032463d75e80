// Which gateway a model string is sent to. Code rarely says so next to the model; it says it with a
// base URL (`base_url="https://openrouter.ai/api/v1"`, `OPENAI_BASE_URL=http://127.0.0.1:4141/v1`).
// The nearest URL in the file that matches a configured gateway (or the local proxy) decides; with
// none, the default gateway (`defaultGateway`, else the first configured one).
import { resolveGateways, type Settings } from '../protocol/settings';
import type { GatewayStatus } from '../protocol/model';
import { adapterFor } from '../gateways';
import { gatewayLabel } from '../catalog/status';
import type { GatewayInfo, Target } from './types';

const URL_RE = /https?:\/\/[^\s"'`<>()[\]{},;\\]+/gi;
const MAX_URLS = 1_000;

/** The configured gateways; `loaded` from the catalog's statuses when given. */
/** Gateways whose catalog is loaded (live or cached): what they do not list, they do not serve. */
export function loadedGateways(statuses: readonly GatewayStatus[]): string[] {
  return statuses.filter((s) => s.modelCount > 0 && s.source !== 'none').map((s) => s.gateway);
}

/** True while some gateway has neither answered nor a cached catalog to stand in (see ProblemContext.pending). */
export function firstCatalogPending(statuses: readonly GatewayStatus[]): boolean {
  return statuses.some((s) => s.state === 'loading' && s.source === 'none');
}

export function gatewayInfos(settings: Settings, statuses: readonly GatewayStatus[] = []): GatewayInfo[] {
  const loaded = new Set(loadedGateways(statuses));
  return resolveGateways(settings).map((g) => ({
    id: g.id,
    kind: g.kind,
    label: gatewayLabel(g),
    baseUrl: g.baseUrl,
    idForm: adapterFor(g.kind)?.idForm,
    loaded: loaded.has(g.id),
  }));
}

export function defaultTarget(gateways: readonly GatewayInfo[], settings: Settings): Target {
  const gw = gateways.find((g) => g.id === settings.defaultGateway) ?? gateways[0];
  return gw ? { kind: 'gateway', gateway: gw, inferred: false } : { kind: 'none' };
}

interface Endpoint {
  origin: string;
  path: string;
}

function endpoint(url: string): Endpoint | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  // Every loopback spelling is the same machine.
  const host = ['localhost', '127.0.0.1', '[::1]', '0.0.0.0'].includes(u.hostname) ? 'loopback' : u.hostname.toLowerCase();
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return { origin: `${u.protocol}//${host}:${port}`, path: u.pathname.replace(/\/+$/, '').toLowerCase() };
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

export interface Mention {
  offset: number;
  target: Target;
}

/** URLs in the text that point at a configured gateway or at the local proxy, in document order. */
export function findMentions(text: string, gateways: readonly GatewayInfo[], proxyPort: number): Mention[] {
  const eps = gateways.map((g) => ({ g, ep: endpoint(g.baseUrl) })).filter((x) => x.ep);
  const out: Mention[] = [];
  const re = new RegExp(URL_RE.source, 'gi');
  for (let m = re.exec(text); m && out.length < MAX_URLS; m = re.exec(text)) {
    const ep = endpoint(m[0]);
    if (!ep) continue;
    let best: GatewayInfo | undefined;
    let bestLen = -1;
    for (const { g, ep: gep } of eps) {
      if (gep!.origin !== ep.origin) continue;
      const len = commonPrefix(gep!.path, ep.path);
      if (len > bestLen) [best, bestLen] = [g, len];
    }
    if (best) out.push({ offset: m.index, target: { kind: 'gateway', gateway: best, inferred: true } });
    else if (ep.origin === `http://loopback:${proxyPort}`) out.push({ offset: m.index, target: { kind: 'proxy' } });
  }
  return out;
}

/**
 * The target of the string at `offset`: the nearest URL before it (code configures its client before
 * it names a model), else the first one after it, else the fallback.
 */
export function targetAt(mentions: readonly Mention[], offset: number, fallback: Target): Target {
  if (mentions.length === 0) return fallback;
  let lo = 0;
  let hi = mentions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (mentions[mid].offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return (lo > 0 ? mentions[lo - 1] : mentions[0]).target;
}
