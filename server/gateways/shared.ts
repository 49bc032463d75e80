// What every adapter shares: the authenticated JSON call, tolerant zod field types, the envelope
// check that turns a wrong shape into a `malformed` error, and the defaults of a Model record.
import { z } from 'zod';
import type { GatewayContext } from './types';
import type { Capabilities, Modality, Model, Pricing } from '../protocol/model';
import { requestJson, type JsonResponse } from '../http/json';
import { HttpError } from '../http/errors';
import { canonicalize, type CanonicalHints } from '../catalog/canonical';
import { loadedPriceTable } from '../catalog/table';
import { VERSION } from '../core/version';

/** Catalog answers larger than this are cut (a real 5,000-model catalog is a few MB). */
export const CATALOG_MAX_BYTES = 24 * 1024 * 1024;
export const CATALOG_TIMEOUT_MS = 30_000;

export interface CallOptions {
  etag?: string;
  /** Origin-relative path (`/api/credits/balance`) instead of one under baseUrl. */
  fromOrigin?: boolean;
  query?: Record<string, string | number | undefined>;
  maxBytes?: number;
}

/** GET a gateway path with its key and headers. 304 comes back as a response with no body. */
export function getJson(ctx: GatewayContext, path: string, signal: AbortSignal, opts: CallOptions = {}): Promise<JsonResponse> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'user-agent': `switchyard/${VERSION}`,
    ...ctx.gateway.headers,
  };
  if (ctx.apiKey) headers.authorization = `Bearer ${ctx.apiKey}`;
  if (opts.etag) headers['if-none-match'] = opts.etag;
  return requestJson({
    dispatcher: ctx.dispatcher,
    url: gatewayUrl(ctx.gateway.baseUrl, path, opts),
    headers,
    signal,
    timeoutMs: ctx.timeoutMs ?? CATALOG_TIMEOUT_MS,
    maxBytes: opts.maxBytes ?? CATALOG_MAX_BYTES,
    secrets: [ctx.apiKey],
    acceptStatus: opts.etag ? [304] : undefined,
  });
}

export function gatewayUrl(baseUrl: string, path: string, opts: Pick<CallOptions, 'fromOrigin' | 'query'> = {}): string {
  if (!baseUrl) throw new HttpError('client', 'no baseUrl is configured for this gateway');
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new HttpError('client', `baseUrl "${baseUrl}" is not a valid URL`);
  }
  const url = opts.fromOrigin ? new URL(path, base.origin) : new URL(base.pathname.replace(/\/+$/, '') + path, base.origin);
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  return url.href;
}

/** Validate a response envelope; a wrong shape is a `malformed` gateway error with zod's explanation. */
export function parseShape<T extends z.ZodType>(schema: T, body: unknown, what: string, url?: string): z.infer<T> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const detail = z.prettifyError(r.error).split('\n').slice(0, 3).join('; ');
  throw new HttpError('malformed', `${what} has an unexpected shape (${detail.slice(0, 240)})`, { url });
}

/** Validate list items one by one: a few odd records are skipped, not the whole catalog. */
export function parseItems<T extends z.ZodType>(schema: T, items: unknown[], what: string, url?: string): { items: z.infer<T>[]; skipped: number } {
  const out: z.infer<T>[] = [];
  for (const it of items) {
    const r = schema.safeParse(it);
    if (r.success) out.push(r.data);
  }
  if (items.length > 0 && out.length === 0) parseShape(schema, items[0], what, url); // throws with the first item's problem
  return { items: out, skipped: items.length - out.length };
}

// ---- tolerant field types: gateways send numbers as strings, nulls, or nothing -----------------
const toNum = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};
/** A field that is read when usable and otherwise undefined, never a validation error. */
function tolerant<T>(read: (v: unknown) => T | undefined) {
  return z.unknown().transform(read).optional();
}
export const optNum = tolerant(toNum);
export const optPosInt = tolerant((v) => {
  const n = toNum(v);
  return n !== undefined && n > 0 ? Math.round(n) : undefined;
});
export const optStr = tolerant((v) => (typeof v === 'string' && v.trim() ? v.trim() : undefined));
export const optStrList = tolerant((v) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined));
export const optBool = tolerant((v) => (typeof v === 'boolean' ? v : undefined));
/** Unix seconds from seconds, milliseconds or an ISO date. */
export const optUnix = tolerant((v) => {
  if (typeof v === 'string' && v && Number.isNaN(Number(v))) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : Math.floor(t / 1000);
  }
  const n = toNum(v);
  if (n === undefined || n <= 0) return undefined;
  return n > 1e11 ? Math.floor(n / 1000) : Math.floor(n);
});
export const modelId = z.string().trim().min(1);

/** An OpenAI-style `{data: [...]}` list, or a bare array. */
export const ListEnvelope = z.union([
  z.object({ data: z.array(z.unknown()) }).transform((x) => x.data),
  z.array(z.unknown()),
]);

// ---- Model building ---------------------------------------------------------------------------
const MODALITY_NAMES: Readonly<Record<string, Modality>> = {
  text: 'text',
  image: 'image',
  audio: 'audio',
  video: 'video',
  file: 'file',
  embedding: 'embedding',
  embeddings: 'embedding',
};

export function toModalities(list: string[] | undefined, fallback: Modality[] = ['text']): Modality[] {
  const out: Modality[] = [];
  if (list) {
    for (const s of list) {
      const m = MODALITY_NAMES[s] ?? MODALITY_NAMES[s.toLowerCase()];
      if (m && !out.includes(m)) out.push(m);
    }
  }
  return out.length ? out : fallback;
}

/** OpenRouter-style `supported_parameters` → capabilities. */
const CAPABILITY_PARAMS: Readonly<Record<string, 'tools' | 'reasoning' | 'json'>> = {
  tools: 'tools',
  tool_choice: 'tools',
  functions: 'tools',
  reasoning: 'reasoning',
  include_reasoning: 'reasoning',
  reasoning_effort: 'reasoning',
  response_format: 'json',
  structured_outputs: 'json',
  json_mode: 'json',
};

export function capabilitiesFromParams(params: string[] | undefined, inputModalities: Modality[]): Capabilities {
  const caps: Capabilities = { tools: false, vision: inputModalities.includes('image'), reasoning: false, json: false };
  if (params) for (const p of params) if (p in CAPABILITY_PARAMS) caps[CAPABILITY_PARAMS[p]] = true;
  return caps;
}

export const NO_CAPABILITIES: Capabilities = { tools: false, vision: false, reasoning: false, json: false };

export interface ModelInit {
  id: string;
  /** Hints for the canonical ID; ignored when `canonicalId` is given. */
  canonical?: CanonicalHints;
  canonicalId?: string;
  name?: string;
  description?: string;
  contextLength?: number;
  maxOutput?: number;
  pricing?: Pricing;
  modalities?: Model['modalities'];
  capabilities?: Capabilities;
  deprecated?: Model['deprecated'];
  created?: number;
}

/** One normalised record; the canonical ID folds the gateway's ID form (table rules for bare IDs). */
export function makeModel(ctx: GatewayContext, init: ModelInit): Model {
  const table = loadedPriceTable();
  const hints: CanonicalHints = { infer: table?.inferProvider, fallbackProvider: ctx.gateway.id, ...init.canonical };
  const canonicalId = init.canonicalId?.toLowerCase() ?? canonicalize(init.id, hints) ?? init.id.toLowerCase();
  const replacement = init.deprecated?.replacement;
  const deprecated = replacement ? { ...init.deprecated, replacement: canonicalize(replacement, hints) } : init.deprecated;
  const slash = canonicalId.indexOf('/');
  const pricing = init.pricing && (init.pricing.inputPerMTok !== undefined || init.pricing.outputPerMTok !== undefined) ? init.pricing : undefined;
  const free = init.id.endsWith(':free') || (pricing?.inputPerMTok === 0 && pricing?.outputPerMTok === 0);
  return {
    gateway: ctx.gateway.id,
    id: init.id,
    canonicalId,
    name: init.name || init.id,
    provider: slash > 0 ? canonicalId.slice(0, slash) : ctx.gateway.id,
    description: init.description,
    contextLength: init.contextLength,
    maxOutput: init.maxOutput,
    pricing,
    priceSource: pricing ? 'gateway' : 'none',
    modalities: init.modalities ?? { input: ['text'], output: ['text'] },
    capabilities: init.capabilities ?? NO_CAPABILITIES,
    deprecated,
    created: init.created,
    free,
  };
}

/** A deprecation from the fields gateways use (`deprecated`, `deprecation_date`, `expiration_date`). */
export function deprecationOf(fields: { deprecated?: unknown; date?: string; replacement?: string }): Model['deprecated'] {
  const flagged = fields.deprecated === true || typeof fields.deprecated === 'string' || typeof fields.deprecated === 'object';
  if (!flagged && !fields.date) return undefined;
  const dep: NonNullable<Model['deprecated']> = {};
  const rec = fields.deprecated && typeof fields.deprecated === 'object' ? (fields.deprecated as Record<string, unknown>) : undefined;
  const since = fields.date ?? (typeof fields.deprecated === 'string' ? fields.deprecated : undefined) ?? (typeof rec?.date === 'string' ? rec.date : undefined);
  const replacement = fields.replacement ?? (typeof rec?.replacement === 'string' ? rec.replacement : undefined);
  if (since) dep.since = since;
  if (replacement) dep.replacement = replacement;
  return dep;
}
