// Edit distances for "did you mean" (./suggest): Myers' bit-parallel algorithm (one machine word holds a
// column of the DP matrix), so comparing an unknown ID with thousands of catalog IDs stays well under
// a millisecond. Strings longer than 32 code units fall back to the two-row DP.
const peq = new Uint32Array(0x10000);

function myers32(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  const last = 1 << (n - 1);
  let pv = -1;
  let mv = 0;
  let score = n;
  for (let i = n; i--; ) peq[a.charCodeAt(i)] |= 1 << i;
  for (let i = 0; i < m; i++) {
    let eq = peq[b.charCodeAt(i)];
    const xv = eq | mv;
    eq |= ((eq & pv) + pv) ^ pv;
    mv |= ~(eq | pv);
    pv &= eq;
    if (mv & last) score++;
    if (pv & last) score--;
    mv = (mv << 1) | 1;
    pv = (pv << 1) | ~(xv | mv);
    mv &= xv;
  }
  for (let i = n; i--; ) peq[a.charCodeAt(i)] = 0;
  return score;
}

function dp(a: string, b: string): number {
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

export function editDistance(a: string, b: string): number {
  if (a.length < b.length) [a, b] = [b, a];
  if (b.length === 0) return a.length;
  return a.length <= 32 ? myers32(a, b) : dp(a, b);
}

/**
 * Optimal-string-alignment distance: Levenshtein plus adjacent transpositions as one edit (`fsat` →
 * `fast`, `gtp` → `gpt`), the commonest typing slip. Plain DP: only run on the few near misses that
 * `editDistance` let through.
 */
export function typoDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (!n || !m) return n + m;
  const d: number[][] = Array.from({ length: n + 1 }, (_, i) => [i, ...new Array<number>(m).fill(0)]);
  for (let j = 0; j <= m; j++) d[0][j] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
    }
  }
  return d[n][m];
}
