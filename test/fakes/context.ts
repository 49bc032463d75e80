// What a route handler gets for one request. A leaf module (the server, the faults and the SSE writer
// all need it), so that none of them imports another back.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorSpec } from './errors';
import type { SseWriter } from './sse';
import type { LoggedRequest } from './types';

export interface Ctx {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly path: string;
  /** Capture groups of the matched route, URL-decoded. */
  params: string[];
  /** Parsed JSON body (undefined when empty or not JSON: see bodyText). */
  readonly body: unknown;
  readonly bodyText: string;
  readonly requestId: string;
  readonly started: number;
  readonly log: LoggedRequest;
  /** Aborted when the client goes away before the answer is finished. */
  readonly signal: AbortSignal;
  /** Set by a `cutStreamAfterChunks` fault. */
  cutAfterChunks?: number;
  /** Set by a `stallStreamAfterChunks` fault. */
  stallAfterChunks?: number;
  /** A `malformed` fault on inference: the 200 answer's body (or the stream's 2nd event) is broken. */
  corrupt?: boolean;
  /** A `slowHeadersMs` fault: the answer's headers wait this long after the request was billed. */
  headerDelayMs?: number;
  /** The fault happens after the gateway accepted the request: a stream is billed when it starts, not at its end. */
  billUpfront?: boolean;
  send(status: number, body: string | Buffer | undefined, headers?: Record<string, string>): void;
  json(status: number, body: unknown, headers?: Record<string, string>): void;
  error(spec: Partial<ErrorSpec>, headers?: Record<string, string>): void;
  sse(headers?: Record<string, string>): SseWriter;
  /** Resolves true after `ms`, false if the server closed or the client left first. */
  sleep(ms: number): Promise<boolean>;
  /** Headers every response of this gateway carries (NemoRouter's x-nemo-request-id, latency). */
  commonHeaders(): Record<string, string>;
}
