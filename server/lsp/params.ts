// The one way a feature registers a handler for a custom message: with the params schema that
// server/protocol/messages.ts declares beside the message's type. The params are validated before the
// handler runs; a bad request gets InvalidParams with a readable message, a bad notification is
// logged and dropped (there is no one to answer).
import {
  ErrorCodes,
  ResponseError,
  type CancellationToken,
  type Connection,
  type Disposable,
  type HandlerResult,
  type NotificationType,
  type RequestType,
} from 'vscode-languageserver/node';
import { z } from 'zod';
import type { Logger } from '../core/log';

/** Validate params at the boundary; absent params (`undefined`/`null`) are checked as `{}`. */
export function parseParams<T extends z.core.$ZodType>(schema: T, params: unknown): z.infer<T> {
  const r = z.safeParse(schema, params ?? {});
  if (!r.success) throw new ResponseError(ErrorCodes.InvalidParams, z.prettifyError(r.error));
  return r.data;
}

/** `connection.onRequest`, with `params` checked against `schema` (whose output is the request's params type). */
export function onRequest<P, R>(
  connection: Connection,
  type: RequestType<P, R, void>,
  schema: z.core.$ZodType<P>,
  handler: (params: P, token: CancellationToken) => HandlerResult<R, void>,
): Disposable {
  return connection.onRequest(type, (p, token) => handler(parseParams(schema, p) as P, token));
}

/** `connection.onNotification`, with `params` checked against `schema`; what fails is logged and dropped. */
export function onNotification<P>(
  connection: Connection,
  type: NotificationType<P>,
  schema: z.core.$ZodType<P>,
  log: Logger,
  handler: (params: P) => void,
): Disposable {
  return connection.onNotification(type, (p) => {
    const r = z.safeParse(schema, p ?? {});
    if (!r.success) return log.warn(`ignoring an invalid ${type.method} notification: ${z.prettifyError(r.error)}`);
    handler(r.data as P);
  });
}
