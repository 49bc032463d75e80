// Which tool call a streamed tool-call delta belongs to. OpenAI keys every delta by `index`; some
// OpenAI-compatible endpoints leave it out (Gemini's: each call's first delta carries its `id` and
// name, later pieces of its arguments carry neither). Reading a missing index as 0 merges parallel
// calls into one; reading it as "a new call" splits one call's arguments into several. The rule here
// serves both: an explicit index wins; a delta with an id already seen goes to that call; a delta
// that starts a call (a new id, or a name while the last call already has one) opens the next slot;
// anything else continues the last call. One instance per stream (and choice).

export interface ToolCallDeltaLike {
  index?: unknown;
  id?: unknown;
  function?: { name?: unknown } | null;
}

export class ToolCallSlots {
  private readonly byId = new Map<string, number>();
  private readonly named = new Set<number>();
  private last: number | undefined;
  private next = 0;

  slot(d: ToolCallDeltaLike): number {
    const id = typeof d.id === 'string' && d.id ? d.id : undefined;
    const name = typeof d.function?.name === 'string' && d.function.name ? d.function.name : undefined;
    let index: number;
    if (typeof d.index === 'number' && Number.isInteger(d.index) && d.index >= 0) index = d.index;
    else if (id !== undefined && this.byId.has(id)) index = this.byId.get(id)!;
    else if (this.last === undefined || id !== undefined || (name !== undefined && this.named.has(this.last))) index = this.next;
    else index = this.last;
    if (id !== undefined && !this.byId.has(id)) this.byId.set(id, index);
    if (name !== undefined) this.named.add(index);
    this.last = index;
    if (index >= this.next) this.next = index + 1;
    return index;
  }
}

/**
 * A chat stream chunk with every tool-call delta's `index` filled in (per choice), for callers whose
 * parsers require it (the OpenAI SDKs do). Undefined when the chunk needs no change: it is then passed
 * on byte for byte.
 */
export function withToolIndexes(chunk: unknown, slots: Map<number, ToolCallSlots>): unknown {
  const choices = (chunk as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices)) return undefined;
  let changed = false;
  const fixed = choices.map((c: unknown) => {
    const choice = c as { index?: unknown; delta?: { tool_calls?: unknown } } | null;
    const calls = choice?.delta?.tool_calls;
    if (!Array.isArray(calls) || calls.length === 0) return c;
    const key = typeof choice!.index === 'number' ? choice!.index : 0;
    let s = slots.get(key);
    if (!s) slots.set(key, (s = new ToolCallSlots()));
    let touched = false;
    const out = calls.map((t: unknown) => {
      if (!t || typeof t !== 'object') return t;
      const delta = t as ToolCallDeltaLike;
      const index = s!.slot(delta);
      if (delta.index === index) return t;
      touched = true;
      return { ...delta, index };
    });
    if (!touched) return c;
    changed = true;
    return { ...choice, delta: { ...choice!.delta, tool_calls: out } };
  });
  return changed ? { ...(chunk as object), choices: fixed } : undefined;
}
