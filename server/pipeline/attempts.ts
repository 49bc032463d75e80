// The retry and failover loop: candidates in order, each retried with backoff while its failure is
// retryable, skipped while its circuit breaker is open or its budget is spent. Returns the first
// success (for a stream: once its first event has arrived) or the failure the caller should see.
import type { CatalogService, Failure, MoneyService, PipelineRequest } from '../core/services';
import type { GatewayAdapter, InferenceEndpoint } from '../gateways/types';
import type { Settings } from '../protocol/settings';
import type { Logger } from '../core/log';
import type { KeyProvider } from '../core/keys';
import type { Dispatcher } from 'undici';
import type { Candidate } from './candidates';
import type { Breakers } from './breaker';
import { attempt, type AttemptResult, type Billed } from './upstream';
import { worstCase, type Holds, type WorstCase } from './reserve';
import { planRetry, sleep } from './backoff';
import { spliceJson, topLevelSpans, type Spans } from '../core/jsonSplice';
import { abortedFailure, canFailOver, canRetry, countsAgainstGateway, failureFromStreamError, malformedFailure } from './failure';

export interface AttemptDeps {
  dispatcher: Dispatcher;
  catalog: CatalogService;
  money: MoneyService;
  keys: KeyProvider;
  log: Logger;
  breakers: Breakers;
  adapterFor(kind: string): GatewayAdapter | undefined;
  random: () => number;
}

export interface Call {
  req: PipelineRequest;
  endpoint: InferenceEndpoint;
  stream: boolean;
  routing: Settings['routing'];
  /** The request's budget holds, one per try, released when its ledger line is written. */
  holds: Holds;
  /** Failed tries the gateway may have billed, in order: their costs go on the request's ledger line. */
  billed: BilledTry[];
  /** The top-level spans of `req.bodyText`, once looked for (null: none usable; see outgoingText). */
  spans?: Spans | null;
}

export interface BilledTry {
  candidate: Candidate;
  failure: Failure;
  billed: Billed;
  /** What was held for that try: the estimate when the gateway states no cost. */
  worst: WorstCase;
}

/** `worst`: what was held for the try that answered (the estimate if its stream breaks before its usage). */
export type Success = Extract<AttemptResult, { ok: true }> & { candidate: Candidate; apiKey?: string; worst?: WorstCase };
export type Outcome = Success | { ok: false; failure: Failure };

export async function tryCandidates(d: AttemptDeps, call: Call, candidates: Candidate[]): Promise<Outcome> {
  let upstream: Failure | undefined;
  let skipped: Failure | undefined;
  const tried: string[] = [];
  for (const c of candidates) {
    const r = await tryCandidate(d, call, c);
    if (r.ok) return r;
    const f = r.failure;
    if (f.kind === 'aborted') return r;
    if (f.kind === 'budget' || f.code === 'circuit_open') {
      skipped ??= f;
      continue;
    }
    tried.push(`${c.gateway.id} ${f.status} ${f.code}`);
    upstream = f;
    if (!canFailOver(f)) break;
    d.log.info(`request ${call.req.requestId}: ${c.gateway.id}/${c.id} failed (${f.code}); failing over`);
  }
  const failure = upstream ?? skipped ?? { kind: 'no_gateway', status: 503, code: 'no_gateway', message: 'no gateway could take the request', retryable: false };
  if (tried.length > 1) return { ok: false, failure: { ...failure, message: `${failure.message} (tried: ${tried.join('; ')})` } };
  return { ok: false, failure };
}

async function tryCandidate(d: AttemptDeps, call: Call, c: Candidate): Promise<Outcome> {
  const gw = c.gateway.id;
  const worst = await worstCase(d.catalog, call, c);
  const apiKey = await d.keys.get(c.gateway).catch(() => undefined);
  const adapter = d.adapterFor(c.gateway.kind);
  let last: Failure | undefined;
  for (let retry = 0; ; retry++) {
    // Every try holds its worst case: a retry after a billed failure may cost as much again.
    const hold = d.money.reserve(gw, worst.usd);
    if (!hold.ok) return { ok: false, failure: { ...hold.failure, gateway: hold.failure.gateway ?? gw } };
    call.holds.add(hold.reservation);
    const admission = d.breakers.admit(gw);
    if (!admission.allowed) hold.reservation.release();
    // The breaker opened during this request's own retries: what the gateway said is the better answer.
    if (!admission.allowed && last) return { ok: false, failure: last };
    if (!admission.allowed) {
      const secs = Math.ceil(admission.retryInMs / 1000);
      const message = `${gw} is skipped for ${secs} s after repeated failures (circuit breaker)`;
      return { ok: false, failure: { kind: 'no_gateway', status: 503, code: 'circuit_open', message, gateway: gw, retryable: true, retryAfterMs: admission.retryInMs } };
    }
    const r = await once(d, call, c, adapter, apiKey);
    if (r.ok) {
      d.breakers.success(gw);
      // The try's own result, completed in place (it is this try's alone): no copy of it per request.
      return Object.assign(r, { candidate: c, apiKey, worst });
    }
    const f = r.failure;
    // Billed (or maybe billed): the hold stays until the ledger line carries that try's cost.
    if (r.billed) call.billed.push({ candidate: c, failure: f, billed: r.billed, worst });
    else hold.reservation.release();
    if (f.kind === 'aborted') {
      d.breakers.release(gw);
      return r;
    }
    // A gateway that answers sensibly (even 4xx) is healthy; only its own trouble counts.
    if (countsAgainstGateway(f)) d.breakers.failure(gw);
    else d.breakers.success(gw);
    const plan = canRetry(f) ? planRetry(f, retry, call.routing, d.random) : undefined;
    if (!plan?.retry) return { ok: false, failure: withKeyHint(f, c, apiKey) };
    last = f;
    d.log.debug(`request ${call.req.requestId}: ${gw} ${f.status} ${f.code}; retry ${retry + 1} in ${plan.delayMs} ms`);
    try {
      await sleep(plan.delayMs, call.req.signal);
    } catch {
      return { ok: false, failure: abortedFailure(gw) };
    }
  }
}

async function once(d: AttemptDeps, call: Call, c: Candidate, adapter: GatewayAdapter | undefined, apiKey: string | undefined): Promise<AttemptResult> {
  let body: Record<string, unknown>;
  try {
    body = outgoingBody(call, c, adapter);
  } catch (e) {
    return { ok: false, failure: malformedFailure(c.gateway.id, `no request could be built (${String(e)})`) };
  }
  const r = await attempt({
    dispatcher: d.dispatcher,
    gateway: c.gateway,
    apiKey,
    endpoint: call.endpoint,
    body,
    bodyText: outgoingText(call, body),
    stream: call.stream,
    signal: call.req.signal,
    startTimeoutMs: call.routing.requestTimeoutMs,
  });
  if (r.ok && r.kind === 'json') {
    const problem = checkJson(c.gateway.id, call.endpoint, r.body, apiKey);
    // A 200 that is not an answer was still run (and billed) unless it is the gateway's error object.
    if (problem) return { ok: false, failure: problem, ...(problem.code === 'malformed_response' ? { billed: { headers: r.headers, body: r.body } } : {}) };
  }
  return r;
}

/** The caller's body with the gateway's model ID, usage always asked for, and the adapter's additions. */
export function outgoingBody(call: Call, c: Candidate, adapter: GatewayAdapter | undefined): Record<string, unknown> {
  let body: Record<string, unknown> = { ...call.req.body, model: c.id };
  if (call.stream) {
    const prior = call.req.body.stream_options;
    const opts = prior && typeof prior === 'object' && !Array.isArray(prior) ? prior : {};
    body.stream_options = { ...opts, include_usage: true };
  }
  if (adapter?.prepareRequest) body = adapter.prepareRequest(call.endpoint, body);
  return body;
}

/**
 * The outgoing body's JSON built from the caller's own text where the caller gave it (the proxy):
 * the fields it has in common with the caller's body — usually all but `model` and
 * `stream_options`, and the bulk of an agent's request — are copied from that text rather than
 * serialised again. Undefined: serialise `body` whole.
 */
export function outgoingText(call: Call, body: Record<string, unknown>): string | undefined {
  const text = call.req.bodyText;
  if (text === undefined) return undefined;
  if (call.spans === undefined) call.spans = topLevelSpans(text) ?? null;
  return call.spans ? spliceJson(call.req.body, text, call.spans, body) : undefined;
}

/** A 200 that is not an answer (an `error` object, the wrong shape) is the gateway's failure. */
function checkJson(gateway: string, endpoint: InferenceEndpoint, body: unknown, apiKey?: string): Failure | undefined {
  const inBody = failureFromStreamError(gateway, body, [apiKey]);
  if (inBody) return inBody;
  const rec = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const list = endpoint === 'embeddings' ? rec?.data : rec?.choices;
  if (!Array.isArray(list)) return malformedFailure(gateway, `an answer without ${endpoint === 'embeddings' ? '`data`' : '`choices`'}`);
  return undefined;
}

function withKeyHint(f: Failure, c: Candidate, apiKey: string | undefined): Failure {
  if (f.status !== 401 || apiKey) return f;
  const env = c.gateway.apiKeyEnv ? ` or set $${c.gateway.apiKeyEnv}` : '';
  return { ...f, message: `${f.message} — no API key is set for ${c.gateway.id}: run "Switchyard: Set API Key"${env}` };
}
