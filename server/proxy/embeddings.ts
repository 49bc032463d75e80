// Embeddings come back in the encoding the caller asked for, whatever the gateway did with
// `encoding_format`: the official SDKs ask for base64 by default and decode it blindly, so a gateway
// that ignores the field and answers floats would otherwise hand them garbage.

/** Little-endian float32, as OpenAI encodes base64 embeddings. */
export function floatsToBase64(v: readonly number[]): string {
  const buf = Buffer.allocUnsafe(v.length * 4);
  for (let i = 0; i < v.length; i++) buf.writeFloatLE(v[i], i * 4);
  return buf.toString('base64');
}

export function base64ToFloats(b64: string): number[] {
  const buf = Buffer.from(b64, 'base64');
  const out = new Array<number>(Math.floor(buf.length / 4));
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

export function normalizeEmbeddings(body: unknown, requested: unknown): unknown {
  const want = requested === 'base64' ? 'base64' : 'float';
  if (!body || typeof body !== 'object' || !Array.isArray((body as { data?: unknown }).data)) return body;
  const data = (body as { data: unknown[] }).data;
  let changed = false;
  const next = data.map((item) => {
    if (!item || typeof item !== 'object') return item;
    const emb = (item as { embedding?: unknown }).embedding;
    if (want === 'base64' && Array.isArray(emb) && emb.every((x) => typeof x === 'number')) {
      changed = true;
      return { ...item, embedding: floatsToBase64(emb) };
    }
    if (want === 'float' && typeof emb === 'string') {
      changed = true;
      return { ...item, embedding: base64ToFloats(emb) };
    }
    return item;
  });
  return changed ? { ...(body as object), data: next } : body;
}
