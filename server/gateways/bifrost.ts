// Bifrost (seed 003): a self-hosted gateway, usually local and keyless. IDs are provider-prefixed
// (`openai/gpt-4o`, `openrouter/openai/gpt-4o`), records are OpenRouter-like with string prices per
// token, and the list is paginated with `page_size` / `page_token` → `next_page_token`.
import { z } from 'zod';
import type { GatewayAdapter, ListModelsResult } from './types';
import type { Model } from '../protocol/model';
import { HttpError } from '../http/errors';
import { canonicalize } from '../catalog/canonical';
import { getJson, optStr, parseShape } from './shared';
import { RichModelRecord, parseRichList, richRecordToModel } from './openrouter';
import { getOpenAiRecord, skippedWarning } from './openai-compatible';

const PAGE_SIZE = 500;
/** A gateway that keeps handing out tokens is broken, not large: 200 × 500 = 100,000 models. */
const MAX_PAGES = 200;

const PageBody = z.object({ next_page_token: optStr });

/** Bifrost states the canonical model (`canonical_slug`); the ID's variant suffix stays distinct. */
function canonicalOf(r: RichModelRecord): string | undefined {
  if (!r.canonical_slug) return undefined;
  const slug = canonicalize(r.canonical_slug);
  const variant = /:[^/:]+$/.exec(r.id)?.[0] ?? '';
  return slug && !slug.endsWith(variant) ? slug + variant : slug;
}

export const bifrostAdapter: GatewayAdapter = {
  kind: 'bifrost',
  servesAuto: false,
  idForm: 'prefixed',

  async listModels(ctx, signal, etag): Promise<ListModelsResult> {
    const models: Model[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    let firstEtag: string | undefined;
    let skippedTotal = 0;
    for (let page = 0; ; page++) {
      // Conditional only on the first page; a stored ETag exists only for single-page catalogs.
      const res = await getJson(ctx, '/models', signal, { etag: page === 0 ? etag : undefined, query: { page_size: PAGE_SIZE, page_token: token } });
      if (res.status === 304) return { models: [], etag, notModified: true };
      if (page === 0) firstEtag = res.headers.etag;
      const { items, skipped } = parseRichList(res.body, res.url);
      skippedTotal += skipped;
      for (const r of items) models.push(richRecordToModel(ctx, r, { owner: r.owned_by, canonicalId: canonicalOf(r) }));
      const next = parseShape(PageBody, res.body, 'the model list', res.url).next_page_token;
      if (!next) return { models, etag: page === 0 ? firstEtag : undefined, warnings: skippedWarning(skippedTotal) };
      if (seen.has(next) || page + 1 >= MAX_PAGES) {
        throw new HttpError('malformed', `the model list never ends (page token ${seen.has(next) ? 'repeated' : `still present after ${MAX_PAGES} pages`})`, { url: res.url });
      }
      seen.add(next);
      token = next;
    }
  },

  async getModel(ctx, id, signal) {
    const rec = await getOpenAiRecord(ctx, id, signal, RichModelRecord);
    return rec && richRecordToModel(ctx, rec, { owner: rec.owned_by, canonicalId: canonicalOf(rec) });
  },
};
