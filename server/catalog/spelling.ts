// The spellings a model ID takes on its way through SDKs, clouds and configs, undone one layer at a
// time so that the catalog can find the model behind them (issue 21):
//   gpt-4o-2024-08-06                              dated snapshot      → gpt-4o
//   claude-3-5-haiku-latest                        moving alias        → claude-3-5-haiku
//   claude-sonnet-4-0                              `.0` minor version  → claude-sonnet-4
//   claude-sonnet-4@20250514                       Vertex AI snapshot  → claude-sonnet-4
//   us.anthropic.claude-3-7-sonnet-20250219-v1:0   Amazon Bedrock      → anthropic/claude-3-7-sonnet-20250219 → …
//   bedrock/… vertex_ai/… azure/… models/…         a host's routing prefix, dropped
// Only the shape of an ID is read here: which model a base spelling names is the catalog's data.
// A stripped spelling counts only when the catalog knows its base, so `gpt-4o-2024-08-06` is a
// snapshot of GPT-4o while `gpt-4o-2099-13-45` (no such date) is not a spelling of anything.

export type SpellingKind = 'exact' | 'snapshot' | 'latest' | 'version' | 'host' | 'listed';

export interface Spelling {
  /** The ID with one or more layers undone. */
  id: string;
  kind: Exclude<SpellingKind, 'exact' | 'listed'>;
  /** The date or version of a snapshot (`2024-08-06`), or the host (`Amazon Bedrock`). */
  detail?: string;
}

/** Routing prefixes of hosts and SDKs (LiteLLM's `bedrock/`, Google AI's `models/`), with the host's name. */
const HOST_PREFIXES: readonly [string, string][] = [
  ['bedrock/', 'Amazon Bedrock'],
  ['bedrock/converse/', 'Amazon Bedrock'],
  ['vertex_ai/', 'Vertex AI'],
  ['vertex_ai_beta/', 'Vertex AI'],
  ['azure/', 'Azure OpenAI'],
  ['azure_ai/', 'Azure AI'],
  ['models/', 'Google AI'],
  ['publishers/google/models/', 'Vertex AI'],
  ['publishers/anthropic/models/', 'Vertex AI'],
];

/** Bedrock: `[region.]vendor.model[-vN[:M]]`, the vendor a single word (`anthropic`, `meta`, `amazon`). */
const BEDROCK = /^(?:(?:us|eu|apac|us-gov|global|ca|jp|au|in|sa)\.)?([a-z][a-z0-9]*)\.([a-z][a-z0-9.-]*?)(?:-v\d+(?::\d+)?|:\d+)?$/;
/** Vertex AI's snapshot suffix: `claude-3-5-sonnet-v2@20241022`. */
const VERTEX = /^(.+?)(?:-v\d+)?@(\d{8})$/;

const MONTH = '(?:0[1-9]|1[0-2])';
const DAY = '(?:0[1-9]|[12]\\d|3[01])';
/** Snapshot suffixes, each with the date it names: `-2024-08-06`, `-20240806`, `-08-2024`, `-0613`, `-2411`, `-002`. */
const SNAPSHOTS: readonly RegExp[] = [
  new RegExp(`^(.+)-(20\\d\\d-${MONTH}-${DAY})$`),
  new RegExp(`^(.+)-(20\\d\\d${MONTH}${DAY})$`),
  new RegExp(`^(.+)-(${MONTH}-20\\d\\d)$`),
  new RegExp(`^(.+)-(${MONTH}-${DAY})$`),
  new RegExp(`^(.+)-(${MONTH}${DAY})$`),
  new RegExp(`^(.+)-(2[3-9]${MONTH})$`),
  /^(.+)-(00\d)$/,
];
/**
 * A zero minor version after a version number: Anthropic's `claude-sonnet-4-0` / `claude-opus-4-0`
 * (what Claude Code sends) are Claude Sonnet 4 / Opus 4, which gateways list as `claude-sonnet-4`.
 * Only `-0` / `.0` right after a number, so `claude-opus-4-1` (another model) is never touched.
 */
const ZERO_MINOR = /^(.*[a-z].*[-.]\d+)[-.]0$/;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** A host's routing prefix dropped, or a Bedrock / Vertex AI ID turned into the provider's own spelling. */
export function hostForms(id: string): Spelling[] {
  const out: Spelling[] = [];
  const lower = id.trim().toLowerCase();
  for (const [prefix, host] of HOST_PREFIXES) {
    if (lower.startsWith(prefix) && lower.length > prefix.length) {
      const rest = lower.slice(prefix.length);
      out.push({ id: rest, kind: 'host', detail: host });
      for (const f of hostForms(rest)) out.push({ ...f, detail: host });
      return out;
    }
  }
  if (lower.includes('/')) return out;
  const vertex = VERTEX.exec(lower);
  if (vertex) out.push({ id: `${vertex[1]}-${vertex[2]}`, kind: 'host', detail: 'Vertex AI' }, { id: vertex[1], kind: 'host', detail: 'Vertex AI' });
  const bedrock = BEDROCK.exec(lower);
  if (bedrock && !/\d/.test(bedrock[1])) out.push({ id: `${bedrock[1]}/${bedrock[2]}`, kind: 'host', detail: 'Amazon Bedrock' });
  return out;
}

/** One snapshot, `-latest` or `.0` layer undone, or nothing. */
export function undecorate(id: string): Spelling | undefined {
  const lower = id.trim().toLowerCase();
  if (lower.endsWith('-latest') && lower.length > 7) return { id: lower.slice(0, -7), kind: 'latest' };
  const colon = lower.indexOf(':');
  // A `:variant` (`:free`, `:thinking`) is another offer, not a snapshot: never stripped through.
  // Every snapshot suffix ends in a digit: most IDs are done with here, before any regex.
  if (colon >= 0 || !isDigit(lower.charCodeAt(lower.length - 1))) return undefined;
  for (const re of SNAPSHOTS) {
    const m = re.exec(lower);
    if (m && /[a-z]/.test(m[1])) return { id: m[1], kind: 'snapshot', detail: m[2] };
  }
  const zero = ZERO_MINOR.exec(lower);
  if (zero) return { id: zero[1], kind: 'version' };
  return undefined;
}

/**
 * Every spelling behind an ID, nearest first: its host forms, then each of those (and the ID itself)
 * with snapshot and `-latest` layers undone, at most three deep.
 */
export function spellingsOf(id: string): Spelling[] {
  const out: Spelling[] = [];
  const seen = new Set<string>([id.trim().toLowerCase()]);
  const push = (s: Spelling) => {
    if (seen.has(s.id)) return;
    seen.add(s.id);
    out.push(s);
  };
  const starts: Spelling[] = [{ id: id.trim().toLowerCase(), kind: 'snapshot' }, ...hostForms(id)];
  for (const start of starts) {
    if (start !== starts[0]) push(start);
    let cur: Spelling | undefined = start;
    for (let depth = 0; depth < 3 && cur; depth++) {
      const next = undecorate(cur.id);
      if (!next) break;
      // A host form undone further is still the host's spelling; name the snapshot's date all the same.
      const kind = start === starts[0] ? next.kind : 'host';
      push({ id: next.id, kind, detail: kind === 'host' ? (start.detail ?? next.detail) : next.detail });
      cur = next;
    }
  }
  return out;
}

/** How `value` spells `model` (`modelIds` = the model's canonical ID and every gateway ID of it). */
export function describeSpelling(value: string, modelIds: readonly string[]): { kind: SpellingKind; detail?: string } {
  const lower = value.trim().toLowerCase();
  const tails = new Set(modelIds.map((x) => x.toLowerCase().slice(x.lastIndexOf('/') + 1)));
  const ids = new Set(modelIds.map((x) => x.toLowerCase()));
  if (ids.has(lower) || tails.has(lower.slice(lower.lastIndexOf('/') + 1))) return { kind: 'exact' };
  for (const s of spellingsOf(value)) {
    const tail = s.id.slice(s.id.lastIndexOf('/') + 1);
    if (ids.has(s.id) || tails.has(tail) || [...tails].some((t) => loose(t) === loose(tail))) return { kind: s.kind, detail: s.detail };
  }
  return { kind: 'listed' };
}

function loose(s: string): string {
  return s.replace(/(\d)\.(?=\d)/g, '$1-');
}
