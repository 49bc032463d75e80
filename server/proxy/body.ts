// Request bodies: read up to the size cap (Content-Length checked before reading), parsed as JSON
// and validated per endpoint with zod. Only what the proxy itself relies on is checked; every other
// field passes through to the gateway untouched.
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { InferenceEndpoint } from '../gateways/types';
import type { ProxyError } from './errors';

export type Result<T> = { ok: true; value: T } | { ok: false; error: ProxyError };

export function readBody(req: IncomingMessage, maxBytes: number): Promise<Result<Buffer>> {
  const tooLarge = (): Result<Buffer> => ({
    ok: false,
    error: {
      status: 413,
      code: 'request_too_large',
      message: `the request body is larger than the proxy accepts (${maxBytes} bytes; setting switchyard.proxy.maxBodyBytes)`,
      close: true,
    },
  });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve(tooLarge());
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        cleanup();
        req.pause();
        resolve(tooLarge());
        return;
      }
      chunks.push(c);
      // Every declared byte is in (the parser enforces Content-Length): done, without waiting a
      // turn of the stream machinery for 'end'.
      if (size === declared) onEnd();
    };
    const onEnd = () => {
      cleanup();
      resolve({ ok: true, value: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size) });
    };
    const onError = () => {
      cleanup();
      resolve({ ok: false, error: { status: 400, code: 'bad_request', message: 'the request body could not be read', close: true } });
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    // Closed before 'end': the caller left mid-body.
    req.on('close', onError);
  });
}

export function parseJson(buf: Buffer): Result<unknown> {
  if (buf.length === 0) {
    return { ok: false, error: { status: 400, code: 'invalid_json', message: 'the request body is empty; send a JSON object' } };
  }
  try {
    return { ok: true, value: JSON.parse(buf.toString('utf8')) };
  } catch (e) {
    return {
      ok: false,
      error: {
        status: 400,
        code: 'invalid_json',
        message: `the request body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
      },
    };
  }
}

// Optional: without one the pipeline uses switchyard.defaultModel (or `auto`).
const model = z.string().trim().min(1, 'model must name a model (e.g. "openai/gpt-4o-mini")').max(512).optional();
const stream = z.boolean().optional();
const stream_options = z.record(z.string(), z.unknown()).nullish();
const nonEmpty = (what: string) => z.unknown().refine((v) => v !== undefined && v !== null && v !== '', `${what} is required`);

const SCHEMAS: Record<InferenceEndpoint, z.ZodType<Record<string, unknown>>> = {
  // Implies the pipeline's own chat schema (server/pipeline/pipeline.ts), so a body that passes here
  // is not parsed again there (PipelineRequest.bodyChecked).
  'chat/completions': z
    .object({
      model,
      stream,
      stream_options,
      messages: z.array(z.looseObject({ role: z.string() }), 'messages must be an array of { role, content }').min(1, 'messages must not be empty'),
    })
    .loose(),
  completions: z.object({ model, stream, stream_options, prompt: nonEmpty('prompt') }).loose(),
  embeddings: z
    .object({
      model,
      input: nonEmpty('input'),
      encoding_format: z.enum(['float', 'base64']).optional(),
    })
    .loose(),
};

export function validateRequest(endpoint: InferenceEndpoint, value: unknown): Result<Record<string, unknown>> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: { status: 400, code: 'invalid_request', message: 'the request body must be a JSON object' } };
  }
  const r = SCHEMAS[endpoint].safeParse(value);
  if (r.success) return { ok: true, value: value as Record<string, unknown> }; // the caller's own object: unknown fields pass through
  const first = r.error.issues[0];
  return {
    ok: false,
    error: {
      status: 400,
      code: 'invalid_request',
      message: `invalid ${endpoint} request: ${z.prettifyError(r.error).replace(/\n\s*/g, ' ')}`,
      param: first?.path.length ? first.path.join('.') : undefined,
    },
  };
}
