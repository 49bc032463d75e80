// A small two-gateway catalog for the language features' unit tests, merged and indexed by the
// catalog's own code (server/catalog/merge.ts) — only the records are hand-written.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { GatewayStatus, Model } from '../../server/protocol/model';
import { parseSettings, type Settings, type SettingsInput } from '../../server/protocol/settings';
import { buildIndex, findIn, mergeCatalog } from '../../server/catalog/merge';
import { providerPart } from '../../server/catalog/canonical';
import { gatewayInfos } from '../../server/language/target';
import { analyzeDocument } from '../../server/language/document';
import type { CatalogView, LanguageEnv } from '../../server/language/types';

type Spec = Partial<Model> & { canonicalId: string; name: string; price: [number, number] };

function model(gateway: string, id: string, s: Spec): Model {
  const { price, ...rest } = s;
  return {
    gateway,
    id,
    provider: providerPart(s.canonicalId)!,
    priceSource: 'gateway',
    pricing: { inputPerMTok: price[0], outputPerMTok: price[1] },
    modalities: { input: ['text'], output: ['text'] },
    capabilities: { tools: true, vision: false, reasoning: false, json: true },
    free: price[0] === 0 && price[1] === 0,
    contextLength: 128000,
    ...rest,
  };
}

const VISION = { input: ['text', 'image'] as Model['modalities']['input'], output: ['text'] as Model['modalities']['output'] };
const GPT4O: Spec = { canonicalId: 'openai/gpt-4o', name: 'OpenAI: GPT-4o', price: [2.5, 10], maxOutput: 16384, modalities: VISION, capabilities: { tools: true, vision: true, reasoning: false, json: true }, description: 'Flagship omni model.' };
const MINI: Spec = { canonicalId: 'openai/gpt-4o-mini', name: 'OpenAI: GPT-4o-mini', price: [0.15, 0.6], modalities: VISION, capabilities: { tools: true, vision: true, reasoning: false, json: true } };
const SONNET4: Spec = { canonicalId: 'anthropic/claude-sonnet-4', name: 'Anthropic: Claude Sonnet 4', price: [3, 15], contextLength: 200000, modalities: VISION, capabilities: { tools: true, vision: true, reasoning: true, json: true } };
const SONNET35: Spec = { canonicalId: 'anthropic/claude-3.5-sonnet', name: 'Anthropic: Claude 3.5 Sonnet', price: [3, 15], contextLength: 200000, deprecated: { since: '2025-10-22', replacement: 'anthropic/claude-sonnet-4' } };
const FLASH: Spec = { canonicalId: 'google/gemini-2.0-flash', name: 'Google: Gemini 2.0 Flash', price: [0.1, 0.4], contextLength: 1048576, modalities: { input: ['text', 'image', 'audio'], output: ['text'] }, capabilities: { tools: true, vision: true, reasoning: false, json: true } };
const LLAMA: Spec = { canonicalId: 'meta-llama/llama-3.1-70b-instruct', name: 'Meta: Llama 3.1 70B', price: [0.4, 0.4], contextLength: 131072 };

export const GATEWAY_MODELS: Record<string, Model[]> = {
  nemo: [model('nemo', 'gpt-4o', GPT4O), model('nemo', 'gpt-4o-mini', MINI), model('nemo', 'claude-4-sonnet', SONNET4)],
  or: [
    model('or', 'openai/gpt-4o', GPT4O),
    model('or', 'openai/gpt-4o-mini', MINI),
    model('or', 'anthropic/claude-sonnet-4', SONNET4),
    model('or', 'anthropic/claude-3.5-sonnet', SONNET35),
    model('or', 'google/gemini-2.0-flash-001', FLASH),
    model('or', 'meta-llama/llama-3.1-70b-instruct', LLAMA),
  ],
};

export const NEMO_URL = 'https://api.nemorouter.ai/v1';
export const OR_URL = 'https://openrouter.ai/api/v1';

export function catalogView(gatewayModels: Record<string, Model[]> = GATEWAY_MODELS, aliases: Record<string, string> = {}): CatalogView {
  const gateways = Object.entries(gatewayModels).map(([gateway, models]) => ({ gateway, models }));
  const merged = mergeCatalog({ gateways });
  const index = buildIndex(merged.models, gateways);
  const statuses: GatewayStatus[] = gateways.map((g) => ({
    gateway: g.gateway, kind: g.gateway === 'nemo' ? 'nemorouter' : 'openrouter', label: g.gateway, state: 'ok',
    modelCount: g.models.length, source: 'live', hasKey: true,
  }));
  return {
    version: 1,
    all: () => index.models,
    find: (id) => (aliases[id] ? findIn(index, aliases[id]) : undefined) ?? findIn(index, id),
    offers: (c) => merged.offers.get(c) ?? [],
    statuses: () => statuses,
  };
}

export function settingsOf(input: SettingsInput = {}): Settings {
  const r = parseSettings({ gateways: [{ id: 'nemo', kind: 'nemorouter' }, { id: 'or', kind: 'openrouter' }], ...input });
  if (!r.ok) throw new Error(r.error);
  return r.settings;
}

export function envOf(opts: { settings?: SettingsInput; favorites?: string[]; catalog?: CatalogView } = {}): LanguageEnv {
  const settings = settingsOf(opts.settings);
  const catalog = opts.catalog ?? catalogView();
  return { catalog, settings, gateways: gatewayInfos(settings, catalog.statuses()), favorites: new Set(opts.favorites ?? []) };
}

export function docOf(text: string, languageId = 'python', uri = 'file:///w/app.py'): TextDocument {
  return TextDocument.create(uri, languageId, 1, text);
}

export function analyzed(text: string, languageId = 'python', env = envOf()) {
  const doc = docOf(text, languageId);
  return { doc, a: analyzeDocument(doc, env), env };
}

/** Offset of the n-th occurrence of `needle` (0-based) in `text`, plus `delta`. */
export function offsetOf(text: string, needle: string, delta = 0, nth = 0): number {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`"${needle}" not in text`);
  return at + delta;
}
