// Model-ID problems in one document: unknown, deprecated, not served by any configured gateway, and
// the wrong ID form for the gateway the code targets. Pure: (document, analysis, env) → problems;
// the LSP layer turns them into Diagnostics, the CLI into text, JSON or SARIF.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { MergedModel } from '../protocol/model';
import { splitId } from '../catalog/canonical';
import { looksLikeKnownFamily, resolveModelId, type Resolution, type TableHit } from '../catalog/resolve';
import { targetOf, type Analysis } from './document';
import { distinctIds, hasIdShape, hasKnownProvider, idFor, isExactForm, modelIndex, printed, suggestModels, type ModelIndex } from './lookup';
import { suppressedRules } from './suppress';
import { firstCatalogPending, loadedGateways } from './target';
import { RULES, type LanguageEnv, type ModelString, type Problem, type RuleKey, type Target } from './types';


export interface ProblemContext {
  env: LanguageEnv;
  idx: ModelIndex;
  /** Gateways whose catalog is loaded (live or cached): only these can say "not served". */
  live: Set<string>;
  /**
   * A configured gateway's first catalog is still on its way (nothing cached): an ID missing from
   * what is known so far may well be on it, so "unknown" and "not served" wait for its answer
   * instead of flashing up and vanishing.
   */
  pending: boolean;
  ignored: (value: string) => boolean;
  tableLookup?: (id: string) => TableHit | undefined;
}

export function problemContext(env: LanguageEnv, tableLookup?: (id: string) => TableHit | undefined): ProblemContext {
  const statuses = env.catalog.statuses();
  const live = new Set(loadedGateways(statuses));
  return { env, idx: modelIndex(env.catalog), live, pending: firstCatalogPending(statuses), ignored: ignoreMatcher(env), tableLookup };
}

export function computeProblems(doc: TextDocument, a: Analysis, pc: ProblemContext): Problem[] {
  const suppressed = suppressedRules(doc, a.family);
  const out: Problem[] = [];
  for (const s of a.strings) {
    if (!s.terminated || !hasIdShape(s.value) || pc.ignored(s.value)) continue;
    const found = checkString(s, targetOf(a, s), pc, a.azureDeployments);
    if (found.length === 0) continue;
    const rules = suppressed?.get(doc.positionAt(s.start).line);
    for (const p of found) if (!rules || (rules !== 'all' && !rules.has(RULES[p.rule].id))) out.push(p);
  }
  return out;
}

/** The problems of one model string (usually none). */
export function checkString(s: ModelString, target: Target, pc: ProblemContext, azureDeployments = false): Problem[] {
  const value = s.value;
  // `auto` and the user's aliases are Switchyard's own names, resolved by routing, not catalog IDs.
  if (value === 'auto' || pc.env.settings.aliases[value] !== undefined) return [];
  const r = resolveModelId(value, { find: (id) => pc.env.catalog.find(id), tableLookup: pc.tableLookup });
  // A spelling the price table only prices like a catalog model (`gpt-5.1-codex-max` under GPT-5.1) is
  // a real ID, but no gateway listing GPT-5.1 is thereby known to serve it.
  if (r?.model && !(r.kind === 'listed' && pc.live.size > 0)) return knownProblems(s, r.model, target, pc, r);
  if (r) return tableOnlyProblems(s, r, target, pc);
  return azureDeployments ? [] : unknownProblems(s, target, pc);
}

/** Known to the embedded table (or as a spelling it lists), but not a model of the loaded catalog. */
function tableOnlyProblems(s: ModelString, r: Resolution, target: Target, pc: ProblemContext): Problem[] {
  const { env } = pc;
  const value = s.value;
  const out: Problem[] = [];
  const name = r.entry?.name ?? r.model?.name;
  if (r.entry?.deprecated) addProblem(out, env, s, 'deprecated', `"${value}"${name ? ` (${name})` : ''} is deprecated (embedded price table).`, []);
  if (pc.pending || pc.live.size === 0) return out;
  const served = servedSuggestions(pc, value, target);
  addProblem(out, env, s, 'notServed', `"${value}"${name ? ` (${name})` : ''} is a known model, but none of your gateways (${[...pc.live].join(', ')}) serves it.`, served);
  return out;
}

function unknownProblems(s: ModelString, target: Target, pc: ProblemContext): Problem[] {
  const { env } = pc;
  const value = s.value;
  const out: Problem[] = [];
  if (pc.pending) return out;
  const suggestions = printed(suggestModels(pc.idx, value), target, value);
  // A string that resembles no ID, names no known provider and belongs to no model family the price
  // table knows is probably not a model ID (`model_name="book"`). One that does (`claude-unknown-model`:
  // Anthropic's family, no such model) is unknown even with nothing close to suggest.
  if (suggestions.length === 0 && !hasKnownProvider(pc.idx, value) && !looksLikeKnownFamily(value)) return out;
  addProblem(out, env, s, 'unknown', `Unknown model "${value}".${didYouMean(suggestions)}`, suggestions);
  return out;
}

function knownProblems(s: ModelString, model: MergedModel, target: Target, pc: ProblemContext, r: Resolution): Problem[] {
  const { env } = pc;
  const value = s.value;
  const out: Problem[] = [];
  if (model.deprecated) {
    const repl = model.deprecated.replacement ? env.catalog.find(model.deprecated.replacement) : undefined;
    const replId = repl ? idFor(repl, target, value) : model.deprecated.replacement;
    const since = model.deprecated.since ? ` since ${model.deprecated.since}` : '';
    addProblem(out, env, s, 'deprecated', `"${value}" (${model.name}) is deprecated${since}.${replId ? ` Use "${replId}" instead.` : ''}`, replId ? [replId] : []);
  }
  // A snapshot or `-latest` spelling names a version the gateway's catalog may not list; the ID the
  // gateway lists is another version, so it is not offered as "the right form" of this one.
  const expected = r.kind === 'exact' || r.kind === 'host' ? expectedForm(model, value, target, pc) : undefined;
  if (expected && target.kind === 'gateway') {
    const why = target.inferred ? 'the base URL in this file points at it' : 'it is the default gateway';
    addProblem(out, env, s, 'wrongForm', `${target.gateway.label} names this model "${expected}", not "${value}" (${why}).`, [expected]);
  }
  // "Not served" waits, like "unknown", for every gateway's first catalog.
  if (!pc.pending) notServedProblems(out, s, model, target, pc);
  return out;
}

function notServedProblems(out: Problem[], s: ModelString, model: MergedModel, target: Target, pc: ProblemContext): void {
  const { env } = pc;
  const value = s.value;
  if (pc.live.size > 0 && !model.offers.some((o) => pc.live.has(o.gateway))) {
    addProblem(out, env, s, 'notServed', `"${value}" (${model.name}) is not served by any configured gateway (${[...pc.live].join(', ')}).`, servedSuggestions(pc, value, target));
  } else if (target.kind === 'gateway' && target.inferred && target.gateway.loaded && !model.offers.some((o) => o.gateway === target.gateway.id)) {
    // Served, but not where this code sends it (its base URL names another gateway).
    const gw = target.gateway;
    const where = model.offers.filter((o) => pc.live.has(o.gateway)).map((o) => `${env.gateways.find((g) => g.id === o.gateway)?.label ?? o.gateway} as "${o.id}"`);
    const accept = (m: MergedModel) => m.offers.some((o) => o.gateway === gw.id);
    const similar = printed(suggestModels(pc.idx, value, { accept, acceptKey: `gw:${gw.id}` }), target, value);
    addProblem(out, env, s, 'notServed', `${gw.label}, which the base URL in this file points at, does not serve "${value}" (${model.name}); ${where.join(', ')} does.`, similar);
  }
}

function addProblem(out: Problem[], env: LanguageEnv, s: ModelString, rule: RuleKey, message: string, suggestions: string[]): void {
  const severity = env.settings.language.severity[rule];
  if (severity !== 'off') out.push({ rule, severity, start: s.start, end: s.end, value: s.value, message, suggestions: distinctIds(suggestions, s.value) });
}

/** The ID the target gateway expects when `value` is not it; undefined when the form is right or unknown. */
function expectedForm(model: MergedModel, value: string, target: Target, pc: ProblemContext): string | undefined {
  if (target.kind !== 'gateway') return undefined;
  const gw = target.gateway;
  const offer = model.offers.find((o) => o.gateway === gw.id);
  // Prefixed gateways (Bifrost) accept several prefixes for one model (`openai/…`, `openrouter/openai/…`);
  // only the offer is in the catalog, so any prefixed spelling that resolves to the model is fine.
  if (gw.idForm === 'prefixed' && value.includes('/')) return undefined;
  if (offer) return offer.id === value ? undefined : offer.id;
  if (pc.live.has(gw.id)) return undefined; // its catalog is known and lacks the model: "not served" territory
  // The gateway's catalog is not loaded (no key yet, unreachable): fall back on its ID convention.
  if (gw.idForm === 'bare' && value.includes('/')) return splitId(value).model;
  if (gw.idForm === 'provider/model' && !value.includes('/')) return model.canonicalId;
  if (!isExactForm(model, value) && gw.idForm === 'provider/model') return model.canonicalId;
  return undefined;
}

function servedSuggestions(pc: ProblemContext, value: string, target: Target): string[] {
  const accept = (m: MergedModel) => m.offers.some((o) => pc.live.has(o.gateway));
  return printed(suggestModels(pc.idx, value, { accept, acceptKey: `served:${[...pc.live].join(',')}` }), target, value);
}

function didYouMean(suggestions: string[]): string {
  if (suggestions.length === 0) return '';
  const quoted = suggestions.slice(0, 3).map((s) => `"${s}"`);
  return ` Did you mean ${quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : quoted[0]}?`;
}


/** `language.ignore` entries (exact IDs or `*` wildcards) plus the session's ignores. */
export function ignoreMatcher(env: LanguageEnv): (value: string) => boolean {
  const exact = new Set<string>(env.sessionIgnore ?? []);
  const globs: RegExp[] = [];
  for (const entry of env.settings.language.ignore) {
    if (!entry.includes('*')) exact.add(entry);
    else globs.push(new RegExp(`^${entry.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`));
  }
  return (v) => exact.has(v) || globs.some((g) => g.test(v));
}
