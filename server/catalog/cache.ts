// Each gateway's last good catalog on disk: <dataDir>/catalog/<gateway id>.json, written atomically,
// read at start before the first refresh, with the ETag for a conditional refresh.
// Layout: one header line (JSON: version, gateway, kind, baseUrl, ETag, time, SHA-1 of the rest),
// then the models as one JSON array. The models were validated when the gateway answered; on read,
// the header is validated with zod and the digest proves the rest is exactly what was written, so
// start does not pay for validating 5,000 records again. A file that fails either check is ignored.
import { createHash } from 'node:crypto';
import { withoutUserinfo } from '../core/log';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { Model } from '../protocol/model';
import type { ResolvedGateway } from '../protocol/settings';

const CACHE_VERSION = 2;

const HeaderSchema = z.object({
  v: z.literal(CACHE_VERSION),
  gateway: z.string(),
  kind: z.string(),
  baseUrl: z.string(),
  etag: z.string().optional(),
  fetchedAt: z.string(),
  count: z.number().int().nonnegative(),
  sha1: z.string(),
});

export interface CachedCatalog {
  etag?: string;
  fetchedAt: string;
  models: Model[];
}

export function cacheDir(dataDir: string): string {
  return path.join(dataDir, 'catalog');
}

function cacheFile(dataDir: string, gatewayId: string): string {
  return path.join(cacheDir(dataDir), `${gatewayId}.json`);
}

const digest = (text: string) => createHash('sha1').update(text).digest('hex');

/** The cached catalog of this gateway, if one was written for the same kind and baseUrl; never throws. */
export async function readCache(dataDir: string, g: ResolvedGateway): Promise<CachedCatalog | undefined> {
  let text: string;
  try {
    text = await fs.readFile(cacheFile(dataDir, g.id), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const nl = text.indexOf('\n');
    if (nl < 0) return undefined;
    const header = HeaderSchema.safeParse(JSON.parse(text.slice(0, nl)));
    if (!header.success) return undefined;
    const h = header.data;
    if (h.kind !== g.kind || h.baseUrl !== withoutUserinfo(g.baseUrl) || h.gateway !== g.id) return undefined;
    const body = text.slice(nl + 1);
    if (digest(body) !== h.sha1) return undefined;
    const models = JSON.parse(body) as unknown;
    if (!Array.isArray(models) || models.length !== h.count) return undefined;
    return { etag: h.etag, fetchedAt: h.fetchedAt, models: models as Model[] };
  } catch {
    return undefined;
  }
}

export async function writeCache(dataDir: string, g: ResolvedGateway, models: Model[], etag: string | undefined): Promise<void> {
  const file = cacheFile(dataDir, g.id);
  // Private: the data directory and everything in it are the user's alone (0700 / 0600).
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const body = JSON.stringify(models);
  // A password in the baseUrl is never stored: the header keeps the URL without its userinfo.
  const header = { v: CACHE_VERSION, gateway: g.id, kind: g.kind, baseUrl: withoutUserinfo(g.baseUrl), etag, fetchedAt: new Date().toISOString(), count: models.length, sha1: digest(body) };
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(header)}\n${body}`, { mode: 0o600 });
  await fs.rename(tmp, file);
}
