// The view's filter, sort and grouping as data: parsing what a person types, the one-line summary shown
// in the view's description, and the CatalogQuery sent for a group. Pure (no `vscode`); the filtering
// itself happens in the server's catalog.
import * as z from '../../server/protocol/zod';
import {
  CatalogFilterSchema,
  ModalitySchema,
  SortKeySchema,
  type CatalogFilter,
  type CatalogQuery,
  type Modality,
  type SortKey,
} from '../../server/protocol/model';
import { formatTokens, formatUsd } from '../../server/protocol/present';
import type { GroupBy, GroupScope } from './treeModel';

export type Capability = 'tools' | 'vision' | 'reasoning' | 'json';

/** The part of CatalogFilter the view sets; scope fields (provider, gateway, canonicalIds) are added per group. */
export type ViewFilter = Pick<
  CatalogFilter,
  | 'text'
  | 'maxInputPerMTok'
  | 'maxOutputPerMTok'
  | 'minContext'
  | 'inputModalities'
  | 'outputModalities'
  | 'capabilities'
  | 'freeOnly'
>;

export interface ViewSettings {
  groupBy: GroupBy;
  sort: SortKey;
  filter: ViewFilter;
}

export const DEFAULT_VIEW: ViewSettings = { groupBy: 'provider', sort: 'name', filter: {} };

const ViewSettingsSchema = z.object({
  groupBy: z.catch(z.enum(['provider', 'gateway']), 'provider'),
  sort: z.catch(SortKeySchema, 'name'),
  filter: z.catch(
    z.pick(CatalogFilterSchema, {
      text: true,
      maxInputPerMTok: true,
      maxOutputPerMTok: true,
      minContext: true,
      inputModalities: true,
      outputModalities: true,
      capabilities: true,
      freeOnly: true,
    }),
    {},
  ),
});

/** What workspaceState returns may be from an older version or hand-edited: keep what is valid. */
export function parseViewSettings(raw: unknown): ViewSettings {
  const r = ViewSettingsSchema.safeParse(raw ?? {});
  return r.success ? { ...r.data, filter: clean(r.data.filter) } : DEFAULT_VIEW;
}

/** Drops empty values so "no filter" has exactly one shape. */
export function clean(f: ViewFilter): ViewFilter {
  const out: ViewFilter = {};
  if (f.text?.trim()) out.text = f.text.trim();
  if (f.maxInputPerMTok !== undefined) out.maxInputPerMTok = f.maxInputPerMTok;
  if (f.maxOutputPerMTok !== undefined) out.maxOutputPerMTok = f.maxOutputPerMTok;
  if (f.minContext) out.minContext = f.minContext;
  if (f.inputModalities?.length) out.inputModalities = [...f.inputModalities];
  if (f.outputModalities?.length) out.outputModalities = [...f.outputModalities];
  if (f.capabilities?.length) out.capabilities = [...f.capabilities];
  if (f.freeOnly) out.freeOnly = true;
  return out;
}

export function isFilterActive(f: ViewFilter): boolean {
  return Object.keys(clean(f)).length > 0;
}

function priceSummary(f: ViewFilter): string | undefined {
  const i = f.maxInputPerMTok;
  const o = f.maxOutputPerMTok;
  if (i === undefined && o === undefined) return undefined;
  if (i === o) return `≤ ${formatUsd(i!)}/M`;
  return [i !== undefined ? `in ≤ ${formatUsd(i)}/M` : '', o !== undefined ? `out ≤ ${formatUsd(o)}/M` : ''].filter(Boolean).join(', ');
}

/** `"gpt" · ≤ $5/M · ≥ 128k ctx · in: image · tools + vision · free` — empty when nothing is filtered. */
export function filterSummary(f: ViewFilter): string {
  const c = clean(f);
  const parts = [
    c.text ? `"${c.text}"` : undefined,
    priceSummary(c),
    c.minContext ? `≥ ${formatTokens(c.minContext)} ctx` : undefined,
    c.inputModalities ? `in: ${c.inputModalities.join('+')}` : undefined,
    c.outputModalities ? `out: ${c.outputModalities.join('+')}` : undefined,
    c.capabilities ? c.capabilities.join(' + ') : undefined,
    c.freeOnly ? 'free' : undefined,
  ];
  return parts.filter(Boolean).join(' · ');
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** `5` (both sides ≤ $5/M), `3/15` (input ≤ 3, output ≤ 15), `$0.5 / $2`, empty = no price limit. */
export function parseMaxPrice(text: string): Parsed<Pick<ViewFilter, 'maxInputPerMTok' | 'maxOutputPerMTok'>> {
  const t = text.trim();
  if (!t) return { ok: true, value: {} };
  const m = /^\$?\s*(\d+(?:\.\d+)?)\s*(?:\/\s*\$?\s*(\d+(?:\.\d+)?))?$/.exec(t);
  if (!m) return { ok: false, error: 'Type a price in USD per million tokens, e.g. 5 or 3/15 (input/output).' };
  const i = Number(m[1]);
  const o = m[2] !== undefined ? Number(m[2]) : i;
  return { ok: true, value: { maxInputPerMTok: i, maxOutputPerMTok: o } };
}

/** `128k`, `1M`, `1.5m`, `32000`, `32,000` → tokens; empty = no minimum. */
export function parseTokenCount(text: string): Parsed<number | undefined> {
  const t = text.trim().replace(/[,_\s]/g, '');
  if (!t) return { ok: true, value: undefined };
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(t);
  if (!m) return { ok: false, error: 'Type a token count, e.g. 32000, 128k or 1M.' };
  const mult = m[2].toLowerCase() === 'k' ? 1_000 : m[2].toLowerCase() === 'm' ? 1_000_000 : 1;
  const n = Math.round(Number(m[1]) * mult);
  return n > 0 ? { ok: true, value: n } : { ok: true, value: undefined };
}

export const MODALITIES: readonly Modality[] = ModalitySchema.options;

export function toggle<T>(list: readonly T[] | undefined, item: T): T[] {
  const cur = list ?? [];
  return cur.includes(item) ? cur.filter((x) => x !== item) : [...cur, item];
}

export const SORTS: { key: SortKey; label: string; detail: string }[] = [
  { key: 'name', label: 'Name', detail: 'A to Z' },
  { key: 'price', label: 'Price', detail: 'cheapest first (input + output per million tokens)' },
  { key: 'context', label: 'Context window', detail: 'largest first' },
  { key: 'newest', label: 'Newest', detail: 'most recently released first' },
];

/** The query for one group's page (or the whole view when `scope` is undefined). */
export function buildQuery(view: ViewSettings, scope: GroupScope | undefined, limit?: number): CatalogQuery {
  const filter: CatalogFilter = { ...clean(view.filter), includeDeprecated: true };
  if (scope?.type === 'favorites') filter.canonicalIds = scope.canonicalIds;
  if (scope?.type === 'provider') filter.provider = scope.key;
  if (scope?.type === 'gateway') filter.gateway = scope.key;
  return { filter, sort: view.sort, offset: 0, ...(limit ? { limit } : {}) };
}
