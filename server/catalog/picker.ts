// The models Switchyard offers in VS Code's own Chat model picker. The picker is for choosing, not browsing:
// favorites, the default model and the aliases, plus what `vscodeChat.models` adds (ID globs, providers, `*`).
// Only chat models (text out). Limits, capabilities and prices come from the merged catalog; the price per
// million tokens and the serving gateway go into `detail`, where the picker shows them next to the name.
import type { MergedModel, Pricing } from '../protocol/model';
import type { LmModelInfo } from '../protocol/messages';
import type { Settings } from '../protocol/settings';
import { formatPricePair, formatTokens } from '../protocol/present';

/** Used when the catalog knows no context window / max output: small enough not to over-promise. */
const FALLBACK_CONTEXT = 8192;
const FALLBACK_OUTPUT = 4096;

/** Where the pipeline would send a model string first (routing), so the picker names the gateway that serves it. */
export type FirstRoute = (model: string) => { gateway: string; pricing?: Pricing; estimated: boolean } | undefined;

export function pickerModels(all: readonly MergedModel[], settings: Settings, favorites: readonly string[], route: FirstRoute = () => undefined): LmModelInfo[] {
  const chat = all.filter(isChatModel);
  const byId = new Map<string, MergedModel>();
  for (const m of chat) {
    byId.set(m.canonicalId, m);
    for (const o of m.offers) if (!byId.has(o.id)) byId.set(o.id, m);
  }
  const find = (id: string) => byId.get(id) ?? byId.get(id.toLowerCase());
  const out: LmModelInfo[] = [];
  const seen = new Set<string>();
  const add = (id: string, m: MergedModel, reason: LmModelInfo['reason'], alias?: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    out.push(info(id, m, reason, route(id), alias));
  };
  for (const f of favorites) {
    const m = find(f);
    if (m) add(m.canonicalId, m, 'favorite');
  }
  const def = settings.defaultModel.trim();
  const defModel = def ? (find(def) ?? find(settings.aliases[def] ?? '')) : undefined;
  if (defModel) add(defModel.canonicalId, defModel, 'default');
  for (const [alias, target] of Object.entries(settings.aliases)) {
    const m = find(target);
    if (m) add(alias, m, 'alias', alias);
  }
  const extra = (settings.vscodeChat?.models ?? []).map(matcher);
  if (extra.length) {
    const sorted = [...chat].sort((a, b) => a.canonicalId.localeCompare(b.canonicalId));
    for (const m of sorted) if (extra.some((x) => x(m))) add(m.canonicalId, m, 'setting');
  }
  return out;
}

function isChatModel(m: MergedModel): boolean {
  return m.modalities.output.includes('text') && !m.modalities.output.includes('embedding');
}

/** `*` = every chat model; a word without `/` or `*` = a provider; otherwise a glob on the model's IDs. */
function matcher(pattern: string): (m: MergedModel) => boolean {
  const p = pattern.trim().toLowerCase();
  if (!p) return () => false;
  if (p === '*') return () => true;
  if (!p.includes('/') && !p.includes('*')) return (m) => m.provider === p;
  const re = new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (m) => re.test(m.canonicalId) || m.offers.some((o) => re.test(o.id.toLowerCase()) || re.test(`${o.gateway}/${o.id}`.toLowerCase()));
}

function info(id: string, m: MergedModel, reason: LmModelInfo['reason'], first: ReturnType<FirstRoute>, alias?: string): LmModelInfo {
  const context = m.contextLength ?? FALLBACK_CONTEXT;
  const maxOutputTokens = Math.min(m.maxOutput ?? FALLBACK_OUTPUT, context);
  // VS Code counts the prompt against maxInputTokens; what the answer needs comes off the window.
  const maxInputTokens = Math.max(1, context - (m.maxOutput && m.maxOutput < context ? m.maxOutput : 0));
  // The offer routing picks (the gateway order decides between several), else the catalog's preferred one.
  const pricing = first ? first.pricing : m.pricing;
  const estimated = first ? first.estimated : m.priceSource === 'table';
  const servedBy = first?.gateway ?? m.gateway;
  const priceText = formatPricePair(pricing, { estimated });
  const gateways = m.offers.map((o) => o.gateway).filter((g) => g !== 'offline');
  const served = servedBy === 'offline' ? 'offline price table' : servedBy;
  const why = { favorite: 'favorite', default: 'default model', alias: `alias "${alias}"`, setting: 'switchyard.vscodeChat.models' }[reason];
  const tooltip = [
    `${m.name} (${m.canonicalId}) via Switchyard`,
    `Price: ${priceText}${pricing ? ' (input/output)' : ''}`,
    `Gateway: ${served}${gateways.length > 1 ? ` (failover: ${gateways.filter((g) => g !== servedBy).join(', ')})` : ''}`,
    `Context: ${formatTokens(m.contextLength)} · max output: ${formatTokens(m.maxOutput)}`,
    `In the picker as: ${why}`,
    ...(m.deprecated ? [`Deprecated${m.deprecated.replacement ? `: use ${m.deprecated.replacement}` : ''}`] : []),
  ].join('\n');
  return {
    id,
    name: alias ? `${alias} → ${m.name}` : m.name,
    family: m.canonicalId.split('/').pop() ?? m.canonicalId,
    version: m.canonicalId,
    maxInputTokens,
    maxOutputTokens,
    toolCalling: m.capabilities.tools,
    imageInput: m.capabilities.vision || m.modalities.input.includes('image'),
    detail: `${priceText} · ${served}`,
    tooltip,
    reason,
  };
}
