import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { z } from 'zod';

/** Validate a request's params at the boundary; a bad request gets InvalidParams with a readable message. */
export function parseParams<T extends z.core.$ZodType>(schema: T, params: unknown): z.infer<T> {
  const r = z.safeParse(schema, params);
  if (!r.success) throw new ResponseError(ErrorCodes.InvalidParams, z.prettifyError(r.error));
  return r.data;
}
