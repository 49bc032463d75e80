// Money as integers: every cost is held and summed as nano-dollars (1e-9 USD), so a ledger's totals
// are exact however many lines they add up (binary floats are not: 0.1 + 0.2 ≠ 0.3, and a price ×
// tokens leaves noise such as 0.0000031499999999999995). A ledger line stores the rounded number
// (`costUsd`, plain JSON, readable by every older reader); readers turn it back into nanos before
// adding. 2^53 nanos is about $9 million: far beyond any ledger month.

const NANOS_PER_USD = 1e9;

/** USD → whole nano-dollars. A positive cost below half a nano stays 1 nano: never a silent 0. */
export function toNanos(usd: number): number {
  if (!Number.isFinite(usd)) return 0;
  const n = Math.round(usd * NANOS_PER_USD);
  return n === 0 && usd > 0 ? 1 : n;
}

export function fromNanos(nanos: number): number {
  return nanos / NANOS_PER_USD;
}

/** A cost rounded to the nano-dollar, as stored in a ledger line. */
export function roundUsd(usd: number): number {
  return fromNanos(toNanos(usd));
}

/** Exact sum of USD amounts (each rounded to the nano-dollar first). */
export function sumUsd(amounts: Iterable<number>): number {
  let n = 0;
  for (const a of amounts) n += toNanos(a);
  return fromNanos(n);
}
