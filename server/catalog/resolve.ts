// What a model string names, for every surface that explains a model to a person (diagnostics,
// hover, completion details) — one resolution, so the editor, `switchyard check` and the chat agree:
//   1. the catalog (`CatalogService.find`): a gateway's or the canonical ID, or another spelling of a
//      listed model (a dated snapshot, `-latest`, a Bedrock / Vertex AI / host form — ./spelling);
//   2. the embedded price table's own match rules (`claude-2.1` is listed under "Claude 2.0 / 2.1",
//      `gpt-5.1-codex-max` under GPT-5.1's prices): a real ID, shown with the record that prices it;
//   3. else nothing — the ID is unknown.
// Routing uses only 1 (`find`): a spelling the table merely prices like another model is not that
// model, and the proxy must not send `gpt-5.1` for `gpt-5.1-codex-max`.
import type { MergedModel } from '../protocol/model';
import { modelPart } from './canonical';
import { describeSpelling, hostForms, type SpellingKind } from './spelling';
import { loadedPriceTable } from './table';

/** What the embedded price table knows about an ID (a `TableEntry`, or a test's stand-in). */
export interface TableHit {
  canonicalId: string;
  name?: string;
  deprecated?: boolean;
}

export interface Resolution {
  /** The catalog model, when the catalog has it. */
  model?: MergedModel;
  /** The price table's record, when only the table knows the ID (or it names the catalog model). */
  entry?: TableHit;
  kind: SpellingKind;
  /** A snapshot's date or version, or the host whose spelling this is. */
  detail?: string;
}

export interface ResolveSources {
  find(id: string): MergedModel | undefined;
  tableLookup?: (id: string) => TableHit | undefined;
}

export function resolveModelId(value: string, src: ResolveSources): Resolution | undefined {
  const model = src.find(value);
  // The common case, checked first (every model string of a file goes through here): the model's own ID.
  if (model && (value === model.canonicalId || value === modelPart(model.canonicalId) || model.offers.some((o) => o.id === value))) return { model, kind: 'exact' };
  if (model) return { model, ...describeSpelling(value, [model.canonicalId, ...model.offers.map((o) => o.id)]) };
  if (!src.tableLookup) return undefined;
  for (const form of [{ id: value, kind: 'listed' as const, detail: undefined }, ...hostForms(value)]) {
    const entry = src.tableLookup(form.id);
    if (!entry) continue;
    const listed = src.find(entry.canonicalId);
    const kind = form.kind === 'host' ? 'host' : 'listed';
    return listed ? { model: listed, entry, kind, detail: form.detail } : { entry, kind, detail: form.detail };
  }
  return undefined;
}

/** One sentence on how the string spells the model, for the card; undefined for the model's own ID. */
export function spellingNote(value: string, r: Resolution, name: string): string | undefined {
  switch (r.kind) {
    case 'exact':
      return undefined;
    case 'snapshot':
      return `\`${value}\` is a dated snapshot of ${name}${r.detail ? ` (${r.detail})` : ''}.`;
    case 'latest':
      return `\`${value}\` is the moving \`-latest\` alias of ${name}.`;
    case 'version':
      return `\`${value}\` names ${name} with its \`.0\` minor version.`;
    case 'host':
      return `\`${value}\` is ${r.detail ?? 'a host'}'s spelling of ${name}.`;
    case 'listed':
      return `\`${value}\` is listed by the embedded price table under ${name}, and priced as it.`;
  }
}

/**
 * Whether an ID belongs to a model family the price table's provider rules recognise (`claude-…`,
 * `gpt-…`, `gemini-…`): such an ID in a model position is a model ID, known or not.
 */
export function looksLikeKnownFamily(value: string): boolean {
  const t = loadedPriceTable();
  return !!t && !value.includes('/') && !!t.inferProvider(value);
}
