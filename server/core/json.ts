// Reading untrusted JSON (gateway bodies, stream chunks, a model's tool arguments) into plain records.

/** `v` when it is a JSON object (not null, not an array), else undefined. */
export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The JSON object `text` holds, or undefined when it is not valid JSON or not an object. */
export function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    return asRecord(JSON.parse(text));
  } catch {
    return undefined;
  }
}
