// What a request's failed-but-billed tries cost (issue 16 item 2), and how they add up with the try
// that answered into the request's one ledger line. A gateway that answered 200 with a broken body,
// or that got the request and then timed out or dropped the connection, may have billed it: its
// stated cost where it gave one (NemoRouter's header arrives even with a broken body), else the
// worst case held for that try, marked `estimated` — never 0 unless the gateway said 0.
import type { GatewayAdapter } from '../gateways/types';
import type { CostSource, LedgerAttempt } from '../protocol/ledger';
import type { BilledTry } from './attempts';
import { safeReported, type Cost } from './metering';
import { fromNanos, toNanos } from '../ledger/usd';

/** The ledger's view of one billed failed try. */
export function billedAttempt(t: BilledTry, adapter: GatewayAdapter | undefined): LedgerAttempt {
  const { headers, body } = t.billed;
  const reported = safeReported(adapter, headers, body);
  const cost: Cost = reported
    ? { costUsd: reported.costUsd, costSource: 'gateway' }
    : t.worst.usd > 0
      ? { costUsd: t.worst.usd, costSource: 'estimated' }
      : { costUsd: null, costSource: 'unknown' };
  const upstreamId = upstreamIdOf(headers, body);
  return { gateway: t.candidate.gateway.id, status: t.failure.code, ...cost, ...(upstreamId ? { upstreamId } : {}) };
}

/** The gateway's id of a try: NemoRouter's request id header, else the answer's own `id` (OpenRouter's `gen-…`). */
export function upstreamIdOf(headers: Record<string, string>, body: unknown): string | undefined {
  const h = headers['x-nemo-request-id'] ?? headers['x-request-id'] ?? headers['x-generation-id'];
  if (h) return h;
  const id = body && typeof body === 'object' ? (body as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id ? id : undefined;
}

const WEAKEST: CostSource[] = ['unknown', 'estimated', 'computed', 'gateway'];

/**
 * One line's cost from its tries: the exact sum of the known costs. Its source is the weakest of
 * theirs, except that a sum with unknown parts next to known ones is an estimate (a lower bound).
 */
export function sumAttempts(attempts: LedgerAttempt[]): Cost {
  const known = attempts.filter((a) => a.costUsd !== null);
  if (known.length === 0) return { costUsd: null, costSource: 'unknown' };
  const nanos = known.reduce((n, a) => n + toNanos(a.costUsd ?? 0), 0);
  const weakest = WEAKEST.find((s) => attempts.some((a) => a.costSource === s)) ?? 'gateway';
  return { costUsd: fromNanos(nanos), costSource: weakest === 'unknown' ? 'estimated' : weakest };
}
