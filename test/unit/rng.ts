// A small deterministic generator for the property tests, so a failure names a reproducible case.
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
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
