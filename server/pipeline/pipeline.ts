// The one pipeline every LLM request goes through (chat panel, proxy, CLI): validate, resolve,
// try candidates with retries and failover, meter, and write exactly one ledger line.
import type { Dispatcher } from 'undici';
import type { CatalogService, Failure, Metering, MoneyService, Pipeline, PipelineRequest, PipelineResponse } from '../core/services';
import type { GatewayAdapter } from '../gateways/types';
import type { ResolvedGateway, Settings } from '../protocol/settings';
import type { LedgerAttempt, LedgerRecord } from '../protocol/ledger';
import type { Logger } from '../core/log';
import type { KeyProvider } from '../core/keys';
import { errorMessage } from '../core/errors';
import { RouteCache, type RouteResult } from './routing';
import { createBreakers, type Breakers } from './breaker';
import { tryCandidates, type AttemptDeps, type BilledTry, type Success } from './attempts';
import { meterStream, type StreamOutcome } from './stream';
import { readUsage, resolveCost, switchyardHeaders, type Usage } from './metering';
import { estimateTokens, requestTokens } from './needs';
import { badRequest } from './failure';
import { checkBody } from './body';
import { Holds } from './reserve';
import { billedAttempt, sumAttempts, upstreamIdOf } from './billing';
import { roundUsd } from '../ledger/usd';
import { scrub } from '../http/errors';
import { waitForFirstCatalogs } from '../catalog/firstLoad';

export interface PipelineDeps {
  getSettings(): Settings;
  catalog: CatalogService;
  money: MoneyService;
  dispatcher: Dispatcher;
  keys: KeyProvider;
  log: Logger;
  adapterFor(kind: string): GatewayAdapter | undefined;
  /** Injected for tests (breaker cooldowns, jitter); default the real clock and Math.random. */
  now?: () => number;
  random?: () => number;
}

export function createPipelineService(deps: PipelineDeps): Pipeline & { breakers: Breakers } {
  const now = deps.now ?? Date.now;
  const breakers = createBreakers(() => deps.getSettings().routing, now);
  const attemptDeps: AttemptDeps = { ...deps, breakers, random: deps.random ?? Math.random };
  const routes = new RouteCache();
  return {
    breakers,
    async execute(req) {
      const settings = deps.getSettings();
      const model = req.body && typeof req.body === 'object' && typeof req.body.model === 'string' ? req.body.model.trim() : '';
      const requested = model || settings.defaultModel || 'auto';
      const ledger = new LedgerLine(deps, req, requested, now(), now);
      try {
        return await run(req, settings, requested, ledger);
      } catch (e) {
        // A bug of ours must still give the caller an answer and the ledger its one line.
        deps.log.error(`request ${req.requestId}: pipeline error: ${errorMessage(e)}`);
        return ledger.refuse({ kind: 'upstream', status: 500, code: 'internal_error', message: `Switchyard failed on this request: ${errorMessage(e)}`, retryable: false });
      }
    },
  };

  async function run(req: PipelineRequest, settings: Settings, requested: string, ledger: LedgerLine): Promise<PipelineResponse> {
    const invalid = validate(req);
    if (invalid) return ledger.refuse(invalid);
    const route = await resolveWhenLoaded(deps, routes, req, requested, settings);
    if (!route.ok) return ledger.refuse({ ...route.failure, gateway: route.failure.gateway ?? req.gateway });
    const stream = req.body.stream === true && req.endpoint !== 'embeddings';
    const call = { req, endpoint: req.endpoint, stream, routing: settings.routing, holds: ledger.holds, billed: ledger.billed };
    const outcome = await tryCandidates(attemptDeps, call, route.candidates);
    if (!outcome.ok) return ledger.refuse(outcome.failure);
    return outcome.kind === 'json' ? ledger.json(outcome) : ledger.stream(outcome);
  }
}

/** Failures that a catalog still on its first load could turn into a success. */
const CATALOG_MISSES = new Set(['unknown_model', 'model_not_served', 'no_model_fits']);

/**
 * Resolve; if that fails only because a gateway's catalog is still on its first load (fresh install,
 * nothing cached) or has just loaded but is not merged in yet, wait for it — bounded by the request
 * timeout and the caller — and resolve again.
 */
async function resolveWhenLoaded(deps: PipelineDeps, routes: RouteCache, req: PipelineRequest, model: string, settings: Settings): Promise<RouteResult> {
  const input = { model, gateway: req.gateway, endpoint: req.endpoint, body: req.body };
  const ctx = {
    settings,
    catalog: deps.catalog,
    servesAuto: (g: ResolvedGateway) => deps.adapterFor(g.kind)?.servesAuto === true,
    idForm: (g: ResolvedGateway) => deps.adapterFor(g.kind)?.idForm,
  };
  const resolve = () => routes.resolve(input, ctx, deps.catalog.version);
  const first = resolve();
  if (first.ok || !CATALOG_MISSES.has(first.failure.code)) return first;
  const waited = await waitForFirstCatalogs(deps.catalog, { gateway: req.gateway, timeoutMs: settings.routing.requestTimeoutMs, signal: req.signal });
  return waited ? resolve() : first;
}

function validate(req: PipelineRequest): Failure | undefined {
  if (req.bodyChecked) return undefined;
  const r = checkBody(req.endpoint, req.body);
  return r.ok ? undefined : badRequest(r.message);
}

/**
 * Builds and writes the request's single ledger line, whichever way the request ends: the try that
 * answered plus every failed try the gateway may have billed (billing.ts), and then gives back the
 * request's budget holds (reserve.ts) — once, as the line that replaces them is counted.
 */
class LedgerLine {
  private written = false;
  readonly holds = new Holds();
  readonly billed: BilledTry[] = [];

  constructor(
    private readonly deps: PipelineDeps,
    private readonly req: PipelineRequest,
    private readonly model: string,
    private readonly started: number,
    private readonly now: () => number,
  ) {}

  /** Nothing was produced: only the failed tries the gateway may have billed cost anything. */
  async refuse(failure: Failure): Promise<PipelineResponse> {
    const gateway = failure.gateway ?? this.req.gateway ?? '';
    const attempts = this.billedAttempts();
    const cost = attempts.length ? sumAttempts(attempts) : ({ costUsd: 0, costSource: 'computed' } as const);
    await this.write({ gateway, servedModel: '', inputTokens: 0, outputTokens: 0, ...cost, latencyMs: this.now() - this.started, status: failure.code }, attempts);
    this.deps.log.info(`request ${this.req.requestId} (${this.req.source}) ${this.model}: ${failure.status} ${failure.code} — ${failure.message}`);
    return { ok: false, failure };
  }

  async json(s: Extract<Success, { kind: 'json' }>): Promise<PipelineResponse> {
    const body = s.body as Record<string, unknown>;
    // What the gateway names is the gateway's text: it reaches headers and the ledger only scrubbed.
    const servedModel = typeof body.model === 'string' && body.model ? scrub(body.model, [s.apiKey]) : s.candidate.id;
    const usage = readUsage(body);
    const metering = await this.meter(s, servedModel, usage, '', s.headers, body, 'ok', upstreamIdOf(s.headers, body));
    const headers = switchyardHeaders({ gateway: s.candidate.gateway.id, servedModel, requestId: this.req.requestId, cost: metering, upstream: s.headers });
    return { ok: true, kind: 'json', status: s.status, gateway: s.candidate.gateway.id, servedModel, body, raw: s.raw, headers, metering };
  }

  stream(s: Extract<Success, { kind: 'stream' }>): PipelineResponse {
    const gateway = s.candidate.gateway.id;
    const asked = this.req.body.stream_options as { include_usage?: unknown } | null | undefined;
    const { events, done } = meterStream(
      { gateway, first: s.first, firstChunk: s.firstChunk, rest: s.rest, trailers: s.trailers, cancel: s.cancel, signal: this.req.signal, secrets: [s.apiKey] },
      { hideUsageChunk: asked?.include_usage !== true },
      (o: StreamOutcome) => this.meter(s, o.servedModel ? scrub(o.servedModel, [s.apiKey]) : s.candidate.id, o.usage, o.text, { ...s.headers, ...o.trailers }, o.usageBody, o.status, upstreamIdOf(s.headers, s.firstChunk)),
    );
    const firstModel = scrub(modelOf(s.firstChunk) ?? s.candidate.id, [s.apiKey]);
    const headers = switchyardHeaders({ gateway, servedModel: firstModel, requestId: this.req.requestId, upstream: s.headers });
    return { ok: true, kind: 'stream', status: s.status, gateway, headers, events, done };
  }

  private async meter(
    s: Success,
    servedModel: string,
    usage: Usage | undefined,
    outText: string,
    headers: Record<string, string>,
    body: unknown,
    status: string,
    upstreamId: string | undefined,
  ): Promise<Metering> {
    const tokens = usage ?? {
      inputTokens: requestTokens(this.req.endpoint, this.req.body),
      outputTokens: estimateTokens(outText || responseText(body)),
    };
    let cost = await resolveCost({
      catalog: this.deps.catalog,
      adapter: this.deps.adapterFor(s.candidate.gateway.kind),
      candidate: s.candidate,
      servedModel,
      usage: tokens,
      tokensEstimated: !usage,
      headers,
      body,
    });
    // A stream the gateway broke (cut, stalled, garbage) before its usage came was run and billed in
    // full as far as we can tell: the worst case held for it, not the text seen, is the honest estimate.
    const broken = status !== 'ok' && status !== 'aborted' && !usage && cost.costSource !== 'gateway';
    if (broken && s.worst && s.worst.usd > (cost.costUsd ?? 0)) cost = { costUsd: s.worst.usd, costSource: 'estimated' };
    const final = { costUsd: cost.costUsd === null ? null : roundUsd(cost.costUsd), costSource: cost.costSource };
    // What caching saved belongs to the try that answered (reported with its cost).
    const saved = 'cacheSavingsUsd' in cost && typeof cost.cacheSavingsUsd === 'number' ? { cacheSavingsUsd: roundUsd(cost.cacheSavingsUsd) } : {};
    // Earlier tries the gateway billed are part of what this request cost (and of what the caller is told).
    const attempts = this.billedAttempts();
    if (attempts.length) attempts.push({ gateway: s.candidate.gateway.id, status, ...final, ...(upstreamId ? { upstreamId } : {}) });
    const m: Metering = { gateway: s.candidate.gateway.id, servedModel, ...tokens, ...(attempts.length ? sumAttempts(attempts) : final), ...saved, latencyMs: this.now() - this.started, status };
    await this.write(m, attempts, upstreamId);
    return m;
  }

  private billedAttempts(): LedgerAttempt[] {
    return this.billed.map((t) => billedAttempt(t, this.deps.adapterFor(t.candidate.gateway.kind)));
  }

  private async write(m: Metering, attempts: LedgerAttempt[] = [], upstreamId?: string): Promise<void> {
    try {
      await this.writeOnce(m, attempts, upstreamId);
    } finally {
      this.holds.releaseAll();
    }
  }

  private async writeOnce(m: Metering, attempts: LedgerAttempt[], upstreamId: string | undefined): Promise<void> {
    if (this.written) {
      this.deps.log.error(`ledger: request ${this.req.requestId} was about to be recorded twice; the second line was dropped`);
      return;
    }
    this.written = true;
    const line: LedgerRecord = {
      ts: new Date().toISOString(),
      source: this.req.source,
      api: this.req.api ?? (this.req.endpoint === 'chat/completions' ? 'chat' : this.req.endpoint),
      gateway: m.gateway,
      model: this.model,
      servedModel: m.servedModel,
      inputTokens: m.inputTokens,
      outputTokens: m.outputTokens,
      costUsd: m.costUsd,
      costSource: m.costSource,
      status: m.status,
      requestId: this.req.requestId,
    };
    if (upstreamId) line.upstreamId = upstreamId;
    if (attempts.length) line.attempts = attempts;
    if (m.cachedInputTokens) line.cachedInputTokens = m.cachedInputTokens;
    if (m.cacheWriteTokens) line.cacheWriteTokens = m.cacheWriteTokens;
    if (m.reasoningTokens) line.reasoningTokens = m.reasoningTokens;
    if (m.cacheSavingsUsd) line.cacheSavingsUsd = m.cacheSavingsUsd;
    try {
      await this.deps.money.record(line);
    } catch (e) {
      // The answer already reached (or is reaching) the caller; losing the line is logged loudly.
      this.deps.log.error(`ledger: could not record request ${this.req.requestId}: ${errorMessage(e)}`);
    }
  }
}

function modelOf(chunk: unknown): string | undefined {
  const m = chunk && typeof chunk === 'object' ? (chunk as { model?: unknown }).model : undefined;
  return typeof m === 'string' && m ? m : undefined;
}

/** The generated text of a JSON answer, for a token estimate when it carries no usage. */
function responseText(body: unknown): string {
  const choices = (body as { choices?: unknown })?.choices;
  if (!Array.isArray(choices)) return '';
  return choices
    .map((c) => {
      const msg = (c as { message?: { content?: unknown }; text?: unknown })?.message?.content ?? (c as { text?: unknown })?.text;
      return typeof msg === 'string' ? msg : '';
    })
    .join('');
}
