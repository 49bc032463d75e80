// A started stream handed to the caller: events pulled one by one (backpressure reaches the
// upstream socket), everything metered on the way, and exactly one outcome whatever happens —
// the stream ended, the gateway cut it, the caller stopped pulling or aborted.
import type { Failure, SseEvent } from '../core/services';
import { readUsage, type Usage } from './metering';
import { failureFromStreamError } from './failure';
import { parseJson, type Headers } from './upstream';
import { parseObject } from '../core/json';
import type { Cancellation } from '../core/cancel';

/** After `[DONE]` a stream may still carry trailers (NemoRouter's cost): read at most this many more events for them. */
const DRAIN_AFTER_DONE = 16;

export interface StreamOutcome {
  /** "ok", "aborted" (the caller left), "stream_cut" (the gateway's side broke) or a mid-stream error code. */
  status: string;
  servedModel?: string;
  usage?: Usage;
  /** The chunk that carried `usage` (OpenRouter and NemoRouter put the cost there). */
  usageBody?: unknown;
  /** The generated text seen so far: the only measure of a stream cut before its usage chunk. */
  text: string;
  trailers: Headers;
  failure?: Failure;
}

export interface StartedStream {
  gateway: string;
  first: SseEvent;
  /** `first.data` already parsed by whoever read it (saves parsing it again), when known. */
  firstChunk?: unknown;
  rest: AsyncIterator<SseEvent>;
  trailers(): Headers;
  cancel(): void;
  signal: Cancellation;
  secrets: (string | undefined)[];
}

/** Watches chunks go by and remembers what metering needs. */
class Tracker {
  servedModel?: string;
  usage?: Usage;
  usageBody?: unknown;
  text = '';
  failure?: Failure;
  sawDone = false;

  constructor(private readonly gateway: string, private readonly secrets: (string | undefined)[]) {}

  /** `bad`: not a JSON object (the stream is broken from there on); `usage-only`: the chunk we asked for. */
  observe(ev: SseEvent, parsed?: unknown): 'ok' | 'bad' | 'usage-only' {
    if (ev.data === '[DONE]') {
      this.sawDone = true;
      return 'ok';
    }
    const chunk = (parsed ?? parseJson(ev.data)) as Record<string, unknown> | undefined;
    if (!chunk || typeof chunk !== 'object' || Array.isArray(chunk)) return 'bad';
    // Handed on with the event: whoever relays or translates it reads this instead of parsing again.
    ev.json = chunk;
    if (!this.servedModel && typeof chunk.model === 'string' && chunk.model) this.servedModel = chunk.model;
    const usage = readUsage(chunk);
    if (usage) {
      this.usage = usage;
      this.usageBody = chunk;
    }
    this.failure ??= failureFromStreamError(this.gateway, chunk, this.secrets);
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    for (const c of choices) this.text += choiceText(c);
    return usage && choices.length === 0 ? 'usage-only' : 'ok';
  }
}

function choiceText(choice: unknown): string {
  const c = choice as { delta?: Record<string, unknown>; text?: unknown } | undefined;
  let out = typeof c?.text === 'string' ? c.text : '';
  const d = c?.delta;
  if (d) {
    for (const k of ['content', 'reasoning', 'reasoning_content']) if (typeof d[k] === 'string') out += d[k];
    if (Array.isArray(d.tool_calls)) out += JSON.stringify(d.tool_calls);
  }
  return out;
}

export interface MeterOptions {
  /** The caller did not ask for usage: the usage-only chunk we asked for is metered but not passed on. */
  hideUsageChunk: boolean;
}

/**
 * `finish` is called exactly once with the outcome and must write the ledger line; `done` settles
 * with its result. The caller either pulls `events` to the end, stops early (return()), or aborts
 * its signal — possibly without ever pulling.
 */
export function meterStream<T>(s: StartedStream, opts: MeterOptions, finish: (o: StreamOutcome) => Promise<T>): { events: AsyncIterable<SseEvent>; done: Promise<T> } {
  const m = new MeteredStream(s, opts, finish);
  // One generator, so the stream can be iterated only once (a second loop sees it ended).
  return { events: m.events(), done: m.done };
}

class MeteredStream<T> {
  readonly done: Promise<T>;
  private readonly tracker: Tracker;
  private settled: Promise<T> | undefined;
  private resolveDone!: (v: T) => void;
  private rejectDone!: (e: unknown) => void;
  // The caller may leave while not pulling (a proxy client that hung up): meter it now.
  private readonly onAbort = () => {
    this.s.cancel();
    void this.settle('aborted').catch(() => {});
  };

  constructor(
    private readonly s: StartedStream,
    private readonly opts: MeterOptions,
    private readonly finish: (o: StreamOutcome) => Promise<T>,
  ) {
    this.tracker = new Tracker(s.gateway, s.secrets);
    this.tracker.observe(s.first, s.firstChunk);
    this.done = new Promise<T>((res, rej) => {
      this.resolveDone = res;
      this.rejectDone = rej;
    });
    if (s.signal.aborted) this.onAbort();
    else s.signal.addEventListener('abort', this.onAbort, { once: true });
  }

  async *events(): AsyncGenerator<SseEvent> {
    const { s, tracker } = this;
    let status: string | undefined;
    try {
      yield s.first;
      for (;;) {
        const n = await s.rest.next();
        if (n.done) break;
        const kind = tracker.observe(n.value);
        if (kind === 'bad') {
          // Garbage would crash the caller's JSON parser (an SDK, the chat panel): end with an
          // error event in OpenAI's stream shape instead, which SDKs raise as an API error.
          status = 'malformed_response';
          yield malformedEvent(s.gateway);
          return;
        }
        if (kind === 'usage-only' && this.opts.hideUsageChunk) continue;
        yield n.value;
      }
      status = 'ok';
    } catch {
      status = s.signal.aborted ? 'aborted' : tracker.sawDone ? 'ok' : 'stream_cut';
    } finally {
      if (status === undefined && tracker.sawDone) {
        // The caller stopped right after [DONE]: what is left is trailers (and maybe a late usage chunk).
        await drain(s.rest, tracker);
        status = 'ok';
      }
      s.cancel();
      await this.settle(status ?? 'aborted').catch(() => {});
    }
  }

  private settle(status: string): Promise<T> {
    if (this.settled) return this.settled;
    this.s.signal.removeEventListener('abort', this.onAbort);
    const t = this.tracker;
    this.settled = this.finish({
      status: t.failure && status === 'ok' ? t.failure.code : status,
      servedModel: t.servedModel,
      usage: t.usage,
      usageBody: t.usageBody,
      text: t.text,
      trailers: this.s.trailers(),
      failure: t.failure,
    });
    this.settled.then(this.resolveDone, this.rejectDone);
    return this.settled;
  }
}

/** A stream event's JSON object: the pipeline's parse when it made one, else `data` parsed here. */
export function chunkOf(ev: SseEvent): Record<string, unknown> | undefined {
  return ev.json ?? parseObject(ev.data);
}

function malformedEvent(gateway: string): SseEvent {
  const message = `${gateway} sent a stream chunk that is not valid JSON; the answer is incomplete`;
  return { data: JSON.stringify({ error: { message, type: 'upstream_error', code: 'malformed_response' } }) };
}

async function drain(rest: AsyncIterator<SseEvent>, tracker: Tracker): Promise<void> {
  try {
    for (let i = 0; i < DRAIN_AFTER_DONE; i++) {
      const n = await rest.next();
      if (n.done) return;
      tracker.observe(n.value);
    }
  } catch {
    // Cut after [DONE]: everything that mattered arrived.
  }
}
