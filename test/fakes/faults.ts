// Fault injection: a FIFO of specs, each applied to the next `times` requests it matches, checked
// before routing and auth (like a proxy or CDN in front of the gateway would fail). The bad answers
// here are what the product's robustness tests need: broken JSON, wrong shapes, HTML error pages,
// hangs, redirect loops, huge bodies and cut streams.
import { completeError, renderError, NEMO_TYPED_ERRORS } from './errors';
import type { Ctx } from './context';
import type { FakeGatewayKind, FaultHandle, FaultSpec } from './types';

interface Entry {
  spec: FaultSpec;
  remaining: number;
  hits: number;
}

export class FaultQueue {
  private entries: Entry[] = [];

  add(spec: FaultSpec): FaultHandle {
    const times = spec.times ?? 1;
    if (!(times > 0)) throw new Error(`fault "times" must be > 0, got ${times}`);
    const entry: Entry = { spec, remaining: times, hits: 0 };
    this.entries.push(entry);
    const queue = this;
    return {
      get hits() {
        return entry.hits;
      },
      get remaining() {
        return entry.remaining;
      },
      cancel() {
        entry.remaining = 0;
        queue.entries = queue.entries.filter((e) => e !== entry);
      },
    };
  }

  clear(): void {
    for (const e of this.entries) e.remaining = 0;
    this.entries = [];
  }

  /** The first live fault matching this request, consumed once. */
  take(method: string, path: string): FaultSpec | undefined {
    const entry = this.entries.find((e) => e.remaining > 0 && matches(e.spec, method, path));
    if (!entry) return undefined;
    entry.remaining--;
    entry.hits++;
    if (entry.remaining <= 0) this.entries = this.entries.filter((e) => e !== entry);
    return entry.spec;
  }
}

function matches(spec: FaultSpec, method: string, path: string): boolean {
  if (spec.method && spec.method.toUpperCase() !== method.toUpperCase()) return false;
  if (spec.path === undefined) return true;
  return typeof spec.path === 'string' ? path.includes(spec.path) : spec.path.test(path);
}

function wantsStream(ctx: Ctx): boolean {
  const b = ctx.body;
  return typeof b === 'object' && b !== null && 'stream' in b && b.stream === true;
}

/** 'handled': the fault answered (or killed) the request; 'continue': serve it normally. */
export async function applyFault(ctx: Ctx, f: FaultSpec, kind: FakeGatewayKind): Promise<'handled' | 'continue'> {
  if (f.delayMs !== undefined && !(await ctx.sleep(f.delayMs))) return 'handled';
  const headers: Record<string, string> = {};
  const code = typeof f.error === 'string' ? f.error : f.error?.code;
  if (f.retryAfter !== undefined) headers['retry-after'] = String(f.retryAfter);
  else if (kind === 'nemorouter' && code && NEMO_TYPED_ERRORS[code]?.status === 429) headers['retry-after'] = '1';
  Object.assign(headers, f.headers);

  if (f.hangMs !== undefined) {
    await ctx.sleep(f.hangMs);
    ctx.res.socket?.destroy();
    return 'handled';
  }
  if (f.redirectLoop) {
    ctx.send(f.status ?? 302, '', { ...headers, location: '/__fake/loop/a' });
    return 'handled';
  }
  if (f.html) {
    const status = f.status ?? 502;
    ctx.send(status, htmlPage(status), { 'content-type': 'text/html; charset=utf-8', ...headers });
    return 'handled';
  }
  if (f.malformed && isInference(ctx) && f.status === undefined) {
    // A gateway that ran the request and broke its answer has billed it.
    ctx.corrupt = true;
    ctx.billUpfront = true;
    return 'continue';
  }
  if (f.malformed) {
    await sendMalformed(ctx, f.status ?? 200, headers);
    return 'handled';
  }
  if (f.wrongShape) {
    const body = { object: 'list', data: { unexpected: true }, choices: 'none', usage: [], model: 42, balance: 'lots' };
    ctx.json(f.status ?? 200, body, headers);
    return 'handled';
  }
  if (f.hugeBodyMB !== undefined) {
    await sendHuge(ctx, f.hugeBodyMB, headers);
    return 'handled';
  }
  if (f.status !== undefined || f.error !== undefined || f.body !== undefined) {
    const err = typeof f.error === 'object' ? f.error : undefined;
    const spec = completeError(kind, { status: f.status, code, message: err?.message, type: err?.type });
    if (f.body === undefined) ctx.json(spec.status, renderError(kind, spec), headers);
    else if (typeof f.body === 'string' || Buffer.isBuffer(f.body)) ctx.send(spec.status, f.body, { 'content-type': 'application/json', ...headers });
    else ctx.json(spec.status, f.body, headers);
    return 'handled';
  }
  // The gateway got the request and ran it; the trouble is on the way back: billed.
  if (f.cutStreamAfterChunks !== undefined) ctx.cutAfterChunks = f.cutStreamAfterChunks;
  if (f.stallStreamAfterChunks !== undefined) ctx.stallAfterChunks = f.stallStreamAfterChunks;
  if (f.slowHeadersMs !== undefined) ctx.headerDelayMs = f.slowHeadersMs;
  if (f.cutStreamAfterChunks !== undefined || f.stallStreamAfterChunks !== undefined || f.slowHeadersMs !== undefined) ctx.billUpfront = true;
  return 'continue';
}

function isInference(ctx: Ctx): boolean {
  return ctx.req.method === 'POST' && /\/(chat\/)?completions$/.test(ctx.path);
}

function htmlPage(status: number): string {
  return (
    `<!DOCTYPE html>\n<html><head><title>${status} Bad Gateway</title></head>\n` +
    `<body><center><h1>${status} Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body></html>\n`
  );
}

async function sendMalformed(ctx: Ctx, status: number, headers: Record<string, string>): Promise<void> {
  if (!wantsStream(ctx)) {
    ctx.send(status, '{"object":"list","data":[{"id":"gpt-4o","object":"mod', { 'content-type': 'application/json', ...headers });
    return;
  }
  // A stream whose second event is not JSON, then a normal end: parsers must fail loudly, not hang.
  const sse = ctx.sse(headers);
  const ok = await sse.data({
    id: 'chatcmpl-malformed', object: 'chat.completion.chunk', created: 0, model: 'unknown',
    choices: [{ index: 0, delta: { role: 'assistant', content: 'par' }, finish_reason: null }],
  });
  if (ok && (await sse.raw('data: {"id":"chatcmpl-malformed","choices":[{"delta":{"content":"tial\n\n'))) await sse.data('[DONE]');
  sse.end();
}

/** Valid JSON of `mb` MiB (a model list of identical filler records), written with backpressure. */
async function sendHuge(ctx: Ctx, mb: number, headers: Record<string, string>): Promise<void> {
  const { res } = ctx;
  const pad = 'x'.repeat(900);
  const item = `{"id":"filler","object":"model","created":0,"owned_by":"filler","padding":"${pad}"}`;
  const block = `${item},`.repeat(64);
  const head = '{"object":"list","data":[';
  const tail = `${item}]}`;
  const blocks = Math.max(1, Math.ceil((mb * 1024 * 1024) / block.length));
  const total = head.length + blocks * block.length + tail.length;
  res.writeHead(200, { ...ctx.commonHeaders(), 'content-type': 'application/json', 'content-length': String(total), ...headers });
  res.write(head);
  for (let i = 0; i < blocks; i++) {
    if (res.destroyed) return;
    if (!res.write(block)) await drainOrClose(ctx);
  }
  if (!res.destroyed) res.end(tail);
}

function drainOrClose(ctx: Ctx): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      ctx.res.off('drain', done);
      ctx.res.off('close', done);
      resolve();
    };
    ctx.res.once('drain', done);
    ctx.res.once('close', done);
  });
}
