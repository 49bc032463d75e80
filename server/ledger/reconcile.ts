// Reconciliation against the gateways' own books (issue 16 item 3): where a line's cost (or one of
// its billed tries) is our estimate and the gateway can say afterwards what it charged, append a
// correction line (`corrects`, the difference as `costUsd`, same `ts` so it counts on the same day)
// — a line is never rewritten. NemoRouter lists every debit with its request id in
// `GET /api/credits/history` (seed 001); OpenRouter reports a generation's `total_cost` at
// `GET /api/v1/generation?id=` (a few seconds after it finished). The books readers live here, next
// to the only code that uses them, rather than on the gateway adapters.
import { z } from 'zod';
import type { Dispatcher } from 'undici';
import type { KeyProvider } from '../core/keys';
import type { ReconcileResult } from '../core/services';
import type { Logger } from '../core/log';
import type { LedgerAttempt, LedgerRecord } from '../protocol/ledger';
import type { GatewayKind, ResolvedGateway } from '../protocol/settings';
import { getJson } from '../gateways/shared';
import { openRouterCost } from '../gateways/openrouter';
import { errorMessage } from '../core/errors';
import { fromNanos, toNanos } from './usd';

/** The gateway's charge per upstream id: a number (USD), or null when its books show that no charge was made. */
type Books = Map<string, number | null>;
type BooksReader = (ctx: BooksContext, ids: string[], since: Date, signal: AbortSignal) => Promise<Books>;

interface BooksContext {
  gateway: ResolvedGateway;
  apiKey?: string;
  dispatcher: Dispatcher;
  log: Logger;
}

const HISTORY_PAGE = 500;
const HISTORY_MAX_PAGES = 40;
/** Generations looked up one by one: bounded per run (run it again for more). */
const GENERATIONS_PER_RUN = 200;

const HistoryBody = z.object({
  data: z.array(
    z.object({
      type: z.string().optional().catch(undefined),
      amount: z.number().optional().catch(undefined),
      request_id: z.string().optional().catch(undefined),
      created_at: z.string().optional().catch(undefined),
    }),
  ),
  has_more: z.boolean().optional().catch(undefined),
});

/** NemoRouter: page through the history (newest first) until it reaches back past the oldest line. */
const nemoBooks: BooksReader = async (ctx, ids, since, signal) => {
  const wanted = new Set(ids);
  const charged = new Map<string, number>();
  let reachedSince = false;
  for (let page = 0; page < HISTORY_MAX_PAGES; page++) {
    const res = await getJson(ctx, '/api/credits/history', signal, { fromOrigin: true, query: { limit: HISTORY_PAGE, offset: page * HISTORY_PAGE } });
    const body = HistoryBody.parse(res.body);
    for (const e of body.data) {
      if (e.created_at && Date.parse(e.created_at) < since.getTime()) reachedSince = true;
      if (e.type !== 'usage' || !e.request_id || !wanted.has(e.request_id) || e.amount === undefined) continue;
      charged.set(e.request_id, fromNanos((charged.get(e.request_id) === undefined ? 0 : toNanos(charged.get(e.request_id)!)) + toNanos(-e.amount)));
    }
    if (!body.has_more) {
      reachedSince = true;
      break;
    }
    if (reachedSince) break;
  }
  const out: Books = new Map(charged);
  // The whole period was read: an id the books do not list was not charged.
  if (reachedSince) for (const id of ids) if (!out.has(id)) out.set(id, null);
  return out;
};

const GenerationBody = z.object({
  data: z.object({
    id: z.string().optional(),
    total_cost: z.number().nonnegative(),
    is_byok: z.boolean().optional().catch(undefined),
    upstream_inference_cost: z.number().nonnegative().nullish().catch(undefined),
  }),
});

/** OpenRouter: one generation at a time; a 404 means "not (yet) known", never "free". */
const openRouterBooks: BooksReader = async (ctx, ids, _since, signal) => {
  const out: Books = new Map();
  for (const id of ids.slice(0, GENERATIONS_PER_RUN)) {
    try {
      const res = await getJson(ctx, '/generation', signal, { query: { id } });
      // The same figure the answer's usage gives (BYOK: OpenRouter's fee and the provider's inference).
      const g = GenerationBody.parse(res.body).data;
      out.set(id, openRouterCost(g.total_cost, g.is_byok, g.upstream_inference_cost));
    } catch (e) {
      if ((e as { status?: number }).status !== 404) throw e;
    }
  }
  return out;
};

const READERS: Partial<Record<GatewayKind, BooksReader>> = { nemorouter: nemoBooks, openrouter: openRouterBooks };

export interface ReconcileDeps {
  gateways: ResolvedGateway[];
  keys: KeyProvider;
  dispatcher: Dispatcher;
  log: Logger;
  signal: AbortSignal;
}


/** The parts of a line that are estimates: its estimated tries, or the line itself. */
function estimatedParts(r: LedgerRecord): LedgerAttempt[] {
  if (r.attempts?.length) return r.attempts;
  return [{ gateway: r.gateway, status: r.status, costUsd: r.costUsd, costSource: r.costSource, ...(r.upstreamId ? { upstreamId: r.upstreamId } : {}) }];
}

const isEstimate = (a: LedgerAttempt) => a.costSource === 'estimated' || a.costSource === 'unknown';

/** The correction lines for `records` (one per line whose estimate the books replace). Pure except for the books. */
export async function reconcileLines(records: LedgerRecord[], deps: ReconcileDeps): Promise<{ corrections: LedgerRecord[]; result: ReconcileResult }> {
  const corrected = new Set(records.filter((r) => r.corrects !== undefined).map((r) => r.corrects));
  const open = records.filter((r) => r.corrects === undefined && !corrected.has(r.requestId) && estimatedParts(r).some(isEstimate));
  const result: ReconcileResult = { checked: 0, corrected: 0, deltaUsd: 0, stillEstimatedUsd: 0, errors: [] };
  // Ask each gateway once about every id it may know.
  const asks = new Map<string, { ids: Set<string>; since: Date }>();
  for (const r of open) {
    for (const a of estimatedParts(r).filter((p) => isEstimate(p) && p.upstreamId)) {
      const ask = asks.get(a.gateway) ?? { ids: new Set(), since: new Date(r.ts) };
      ask.ids.add(a.upstreamId!);
      if (Date.parse(r.ts) < ask.since.getTime()) ask.since = new Date(r.ts);
      asks.set(a.gateway, ask);
    }
  }
  const books = new Map<string, Books>();
  for (const [id, ask] of asks) {
    const gateway = deps.gateways.find((g) => g.id === id);
    const reader = gateway && READERS[gateway.kind];
    if (!gateway || !reader) continue;
    try {
      const apiKey = await deps.keys.get(gateway).catch(() => undefined);
      // A minute of slack: our line's ts is written after the gateway's debit.
      const since = new Date(ask.since.getTime() - 60_000);
      books.set(id, await reader({ gateway, apiKey, dispatcher: deps.dispatcher, log: deps.log }, [...ask.ids], since, deps.signal));
    } catch (e) {
      result.errors.push({ gateway: id, error: errorMessage(e) });
    }
  }
  const corrections: LedgerRecord[] = [];
  let delta = 0;
  let still = 0;
  for (const r of open) {
    const parts = estimatedParts(r);
    let changed = false;
    const now = parts.map((a) => {
      const figure = isEstimate(a) && a.upstreamId ? books.get(a.gateway)?.get(a.upstreamId) : undefined;
      if (figure === undefined) {
        if (isEstimate(a) && a.costUsd !== null) still += toNanos(a.costUsd);
        return a;
      }
      changed = true;
      return { ...a, costUsd: figure ?? 0, costSource: 'gateway' as const };
    });
    if (parts.some((a) => isEstimate(a) && a.upstreamId && books.has(a.gateway))) result.checked++;
    if (!changed) continue;
    const before = parts.reduce((n, a) => n + toNanos(a.costUsd ?? 0), 0);
    const after = now.reduce((n, a) => n + toNanos(a.costUsd ?? 0), 0);
    delta += after - before;
    corrections.push({
      ts: r.ts,
      source: r.source,
      ...(r.api ? { api: r.api } : {}),
      gateway: r.gateway,
      model: r.model,
      servedModel: r.servedModel,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: fromNanos(after - before),
      costSource: now.some(isEstimate) ? 'estimated' : 'gateway',
      status: 'reconciled',
      requestId: r.requestId,
      ...(r.attempts?.length ? { attempts: now } : {}),
      corrects: r.requestId,
    });
  }
  result.corrected = corrections.length;
  result.deltaUsd = fromNanos(delta);
  result.stillEstimatedUsd = fromNanos(still);
  return { corrections, result };
}
