// Lookups over one merged catalog. Only the canonical-ID map is built up front; the other maps and
// the search text are built on first use, so a catalog that is replaced before anyone searches it
// (every refresh replaces it) costs little.
import type { MergedModel, Model } from '../protocol/model';
import { canonicalize, foldKey, modelPart } from './canonical';
import { spellingsOf } from './spelling';

/** One gateway's models as it listed them (what ./merge merges, and what the index looks gateway IDs up in). */
export interface GatewayModels {
  gateway: string;
  models: readonly Model[];
}

export class CatalogIndex {
  readonly byCanonical = new Map<string, MergedModel>();
  readonly gatewayIds: ReadonlySet<string>;
  private byGatewayId_?: Map<string, MergedModel>;
  private byModelPart_?: Map<string, MergedModel>;
  private byFold_?: Map<string, MergedModel>;
  private byFoldPart_?: Map<string, MergedModel>;
  private haystacks_?: string[];

  constructor(
    readonly models: readonly MergedModel[],
    private readonly sources: readonly GatewayModels[],
  ) {
    for (const m of models) this.byCanonical.set(m.canonicalId, m);
    this.gatewayIds = new Set(sources.map((g) => g.gateway));
  }

  /** Lower-case text searched by `filter.text`, parallel to `models`: IDs, name, provider. */
  get haystacks(): readonly string[] {
    if (!this.haystacks_) {
      const out: string[] = new Array(this.models.length);
      for (let i = 0; i < this.models.length; i++) {
        const m = this.models[i];
        let hay = `${m.canonicalId}\n${m.name.toLowerCase()}\n${m.provider}`;
        for (const o of m.offers) if (o.id !== m.canonicalId) hay += `\n${o.id.toLowerCase()}`;
        out[i] = hay;
      }
      this.haystacks_ = out;
    }
    return this.haystacks_;
  }

  /** Every gateway ID (lower-case), including second IDs of a model on one gateway (Bifrost's
   * `openrouter/openai/gpt-4o` beside `openai/gpt-4o`), which are not offers. */
  private get byGatewayId(): Map<string, MergedModel> {
    if (!this.byGatewayId_) {
      const map = new Map<string, MergedModel>();
      for (const m of this.models) for (const o of m.offers) if (!map.has(o.id.toLowerCase())) map.set(o.id.toLowerCase(), m);
      for (const g of this.sources) {
        for (const raw of g.models) {
          const id = raw.id.toLowerCase();
          const m = map.has(id) ? undefined : this.byCanonical.get(raw.canonicalId);
          if (m) map.set(id, m);
        }
      }
      this.byGatewayId_ = map;
    }
    return this.byGatewayId_;
  }

  /** `gpt-4o` → `openai/gpt-4o`: the model part of canonical IDs; the first by ID order wins. */
  private get byModelPart(): Map<string, MergedModel> {
    return (this.byModelPart_ ??= this.firstByKey(modelPart));
  }

  /** Another spelling of a canonical ID (`anthropic/claude-4-sonnet` → `anthropic/claude-sonnet-4`). */
  private get byFold(): Map<string, MergedModel> {
    return (this.byFold_ ??= this.firstByKey(foldKey));
  }

  /** The same fold on the model part alone, for bare IDs whose provider is not known (`claude-3-5-sonnet`). */
  private get byFoldPart(): Map<string, MergedModel> {
    return (this.byFoldPart_ ??= this.firstByKey((c) => foldKey(modelPart(c))));
  }

  private firstByKey(key: (canonicalId: string) => string): Map<string, MergedModel> {
    const map = new Map<string, MergedModel>();
    for (const m of this.models) {
      const k = key(m.canonicalId);
      if (!map.has(k)) map.set(k, m);
    }
    return map;
  }

  /**
   * Any ID form: a gateway's own ID, canonical `provider/model`, `gateway-id/<id>`, a routing-prefixed
   * `openrouter/openai/gpt-4o`, or a bare `gpt-4o`. Aliases are resolved by the caller.
   */
  find(id: string, infer?: (bareId: string) => string | undefined): MergedModel | undefined {
    const trimmed = id.trim();
    const lower = trimmed.toLowerCase();
    if (!lower) return undefined;
    const hit = this.findForm(trimmed, lower, infer);
    if (hit) return hit;
    // Another spelling of a listed model: a dated snapshot, `-latest`, a Bedrock / Vertex AI / host form
    // (./spelling). The same model, so routing may send it the listed ID.
    for (const s of spellingsOf(trimmed)) {
      const m = this.findForm(s.id, s.id, infer);
      if (m) return m;
    }
    return undefined;
  }

  private findForm(trimmed: string, lower: string, infer?: (bareId: string) => string | undefined): MergedModel | undefined {
    const hit = this.lookup(lower, infer);
    if (hit) return hit;
    const slash = lower.indexOf('/');
    return slash > 0 && this.gatewayIds.has(trimmed.slice(0, slash)) ? this.lookup(lower.slice(slash + 1), infer) : undefined;
  }

  private lookup(lower: string, infer?: (bareId: string) => string | undefined): MergedModel | undefined {
    const direct = this.byCanonical.get(lower) ?? this.byGatewayId.get(lower);
    if (direct) return direct;
    const canonicalId = canonicalize(lower, { infer });
    const folded = canonicalId ? (this.byCanonical.get(canonicalId) ?? (canonicalId.includes('/') ? this.byFold.get(foldKey(canonicalId)) : undefined)) : undefined;
    if (folded) return folded;
    return lower.includes('/') ? undefined : (this.byModelPart.get(lower) ?? this.byFoldPart.get(foldKey(lower)));
  }
}

export function buildIndex(models: readonly MergedModel[], sources: readonly GatewayModels[]): CatalogIndex {
  return new CatalogIndex(models, sources);
}

export function findIn(index: CatalogIndex, id: string, infer?: (bareId: string) => string | undefined): MergedModel | undefined {
  return index.find(id, infer);
}
