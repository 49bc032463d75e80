// Server-sent events as the OpenAI-shaped gateways send them: `data: <json>\n\n` per chunk,
// `data: [DONE]` at the end, optional `: comment` lines (OpenRouter's keep-alives). Each write waits
// for the socket to take it, so a fault that cuts the stream after N chunks cuts exactly there.
import type { ServerResponse } from 'node:http';

/** The part of a request's context a stream writes to (structural: the context module imports this one). */
interface SseTarget {
  readonly res: ServerResponse;
  /** Set by a `cutStreamAfterChunks` fault. */
  readonly cutAfterChunks?: number;
  /** Set by a `stallStreamAfterChunks` fault. */
  readonly stallAfterChunks?: number;
  /** A `malformed` fault: the stream's 2nd event is broken. */
  readonly corrupt?: boolean;
  /** Resolves true after `ms`, false if the server closed or the client left first. */
  sleep(ms: number): Promise<boolean>;
}

export class SseWriter {
  private dataEvents = 0;
  private dead = false;

  constructor(private readonly ctx: SseTarget, headers: Record<string, string>) {
    const { res } = ctx;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...headers,
    });
    // Headers go out now, before the first chunk, as a real streaming gateway does.
    res.flushHeaders();
    if (ctx.cutAfterChunks === 0) {
      // Cut before the first event: an SSE comment makes the headers leave, then the socket dies.
      this.dead = true;
      res.write(':\n\n', () => res.socket?.destroy());
    }
  }

  /** False once the client left or a fault cut the stream: stop producing. */
  get alive(): boolean {
    return !this.dead && !this.ctx.res.destroyed;
  }

  comment(text: string): Promise<boolean> {
    return this.write(`: ${text}\n\n`, false);
  }

  /** One `data:` event: an object is JSON-encoded, a string (e.g. `[DONE]`) sent as is. */
  data(payload: unknown): Promise<boolean> {
    // A `malformed` fault breaks the second event: the stream started fine, then garbage.
    if (this.ctx.corrupt && this.dataEvents === 1) return this.write('data: {"id":"broken","choices":[{"delta":{"content":"tial\n\n', true);
    return this.write(`data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`, true);
  }

  /** Raw bytes, for malformed-stream faults. */
  raw(text: string): Promise<boolean> {
    return this.write(text, true);
  }

  end(trailers?: Record<string, string>): void {
    if (!this.alive) return;
    if (trailers && Object.keys(trailers).length > 0) this.ctx.res.addTrailers(trailers);
    this.ctx.res.end();
  }

  private async write(text: string, counts: boolean): Promise<boolean> {
    if (!this.alive) return false;
    const { res } = this.ctx;
    const ok = await new Promise<boolean>((resolve) => res.write(text, (err) => resolve(!err)));
    if (!ok) {
      this.dead = true;
      return false;
    }
    if (counts) this.dataEvents++;
    const stall = this.ctx.stallAfterChunks;
    if (stall !== undefined && counts && this.dataEvents >= stall) {
      // The fault: the gateway goes quiet mid-stream and keeps the connection open until the client leaves.
      await this.ctx.sleep(Infinity);
      this.dead = true;
      return false;
    }
    const cut = this.ctx.cutAfterChunks;
    if (cut !== undefined && counts && this.dataEvents >= cut) {
      // The fault: the connection dies mid-stream with no [DONE] and no final chunk.
      this.dead = true;
      res.socket?.destroy();
      return false;
    }
    return true;
  }
}
