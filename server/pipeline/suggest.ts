// "Did you mean": the catalog IDs closest to an unknown model string, for the 404 the caller sees.
import type { MergedModel } from '../protocol/model';

const MAX_SUGGESTIONS = 5;

export function suggestModels(requested: string, models: readonly MergedModel[], aliases: readonly string[] = []): string[] {
  const q = requested.toLowerCase();
  const tail = q.slice(q.lastIndexOf('/') + 1);
  const scored: { id: string; score: number }[] = [];
  const consider = (id: string) => {
    const lower = id.toLowerCase();
    const idTail = lower.slice(lower.lastIndexOf('/') + 1);
    // Edit distance on the part after the provider, so `gpt4o` finds `openai/gpt-4o`; a containment
    // bonus so `sonnet` finds `anthropic/claude-sonnet-4`.
    let score = Math.min(distance(q, lower), distance(tail, idTail));
    if (tail.length >= 3 && idTail.includes(tail)) score = Math.min(score, 1 + (idTail.length - tail.length) / 10);
    if (score <= Math.max(2, Math.floor(tail.length / 3))) scored.push({ id, score });
  };
  const seen = new Set<string>();
  for (const m of models) {
    for (const id of [m.canonicalId, ...m.offers.filter((o) => o.gateway !== 'offline').map((o) => o.id)]) {
      if (seen.has(id)) continue;
      seen.add(id);
      consider(id);
    }
  }
  for (const a of aliases) consider(a);
  scored.sort((a, b) => a.score - b.score || a.id.length - b.id.length || a.id.localeCompare(b.id));
  return scored.slice(0, MAX_SUGGESTIONS).map((s) => s.id);
}

/** Levenshtein distance, two rows. */
function distance(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}
