// A small seeded PRNG (mulberry32) for the property tests: the same cases on every run, so a failure
// names a reproducible one.
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One to three random edits of `o`: a key of `keys` set to a value of `values` (undefined: deleted half the time). */
export function scramble(o: Record<string, unknown>, keys: readonly string[], values: readonly unknown[], next: () => number): void {
  const edits = 1 + Math.floor(next() * 3);
  for (let e = 0; e < edits; e++) {
    const key = keys[Math.floor(next() * keys.length)];
    const value = values[Math.floor(next() * values.length)];
    if (value === undefined && next() < 0.5) delete o[key];
    else o[key] = value;
  }
}
