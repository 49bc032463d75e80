// Seed catalogs of the fake gateways, plus a generator for scale tests.
// One neutral table of real models (prices and limits as the vendors published them, USD per token),
// then per gateway the ID each one goes by there — the ID forms are the point of these fakes:
// NemoRouter bare (`gpt-4o`, `claude-4-sonnet` as its seed spells it), OpenRouter and ARouter
// `provider/model` (OpenRouter with a `:free` variant), Bifrost provider-prefixed (`openrouter/openai/gpt-4o`).
// ARouter and openai-compatible publish no prices, so their models carry none.
import type { FakeGatewayKind, FakeModel } from './types';

type Base = Omit<FakeModel, 'id' | 'deprecated'>;

const CHAT_PARAMS = ['max_tokens', 'temperature', 'top_p', 'stop', 'frequency_penalty', 'presence_penalty', 'seed'];
const TOOL_PARAMS = [...CHAT_PARAMS, 'tools', 'tool_choice', 'response_format', 'structured_outputs'];

const BASE: Record<string, Base> = {
  'gpt-4o': {
    name: 'OpenAI: GPT-4o', ownedBy: 'openai', canonicalSlug: 'openai/gpt-4o', created: 1715558400,
    contextLength: 128000, maxOutput: 16384, price: { input: 0.0000025, output: 0.00001, cacheRead: 0.00000125 },
    inputModalities: ['text', 'image', 'file'], outputModalities: ['text'], supportedParameters: TOOL_PARAMS,
    tokenizer: 'GPT', categories: ['programming', 'technology'], hosts: ['OpenAI', 'Azure'],
    description: 'GPT-4o ("o" for "omni") is OpenAI\'s flagship model, supporting both text and image inputs with text outputs.',
  },
  'gpt-4o-mini': {
    name: 'OpenAI: GPT-4o-mini', ownedBy: 'openai', canonicalSlug: 'openai/gpt-4o-mini', created: 1721260800,
    contextLength: 128000, maxOutput: 16384, price: { input: 0.00000015, output: 0.0000006, cacheRead: 0.000000075 },
    inputModalities: ['text', 'image', 'file'], outputModalities: ['text'], supportedParameters: TOOL_PARAMS,
    tokenizer: 'GPT', categories: ['programming'], hosts: ['OpenAI', 'Azure'],
    description: 'GPT-4o mini is OpenAI\'s small, affordable multimodal model.',
  },
  'o3-mini': {
    name: 'OpenAI: o3 Mini', ownedBy: 'openai', canonicalSlug: 'openai/o3-mini', created: 1738281600,
    contextLength: 200000, maxOutput: 100000, price: { input: 0.0000011, output: 0.0000044, cacheRead: 0.00000055 },
    inputModalities: ['text', 'file'], outputModalities: ['text'],
    supportedParameters: ['max_tokens', 'seed', 'tools', 'tool_choice', 'response_format', 'structured_outputs', 'reasoning', 'include_reasoning'],
    tokenizer: 'GPT', categories: ['programming', 'science'], hosts: ['OpenAI'],
    description: 'OpenAI o3-mini is a cost-efficient reasoning model for STEM and coding.',
  },
  'claude-sonnet-4': {
    name: 'Anthropic: Claude Sonnet 4', ownedBy: 'anthropic', canonicalSlug: 'anthropic/claude-sonnet-4', created: 1747872000,
    contextLength: 200000, maxOutput: 64000, price: { input: 0.000003, output: 0.000015, cacheRead: 0.0000003, cacheWrite: 0.00000375 },
    inputModalities: ['text', 'image', 'file'], outputModalities: ['text'],
    supportedParameters: [...TOOL_PARAMS, 'reasoning', 'include_reasoning'],
    tokenizer: 'Claude', categories: ['programming', 'technology'], hosts: ['Anthropic', 'Google', 'Amazon Bedrock'],
    description: 'Claude Sonnet 4 balances capability and speed for coding and agentic work.',
  },
  'claude-3.5-sonnet': {
    name: 'Anthropic: Claude 3.5 Sonnet', ownedBy: 'anthropic', canonicalSlug: 'anthropic/claude-3.5-sonnet', created: 1718841600,
    contextLength: 200000, maxOutput: 8192, price: { input: 0.000003, output: 0.000015, cacheRead: 0.0000003, cacheWrite: 0.00000375 },
    inputModalities: ['text', 'image', 'file'], outputModalities: ['text'], supportedParameters: TOOL_PARAMS,
    tokenizer: 'Claude', categories: ['programming'], hosts: ['Anthropic', 'Amazon Bedrock'],
    description: 'Claude 3.5 Sonnet, Anthropic\'s mid-2024 mid-size model.',
  },
  'gemini-2.0-flash': {
    name: 'Google: Gemini 2.0 Flash', ownedBy: 'google', canonicalSlug: 'google/gemini-2.0-flash', created: 1738713600,
    contextLength: 1048576, maxOutput: 8192, price: { input: 0.0000001, output: 0.0000004, cacheRead: 0.000000025 },
    inputModalities: ['text', 'image', 'file', 'audio'], outputModalities: ['text'], supportedParameters: TOOL_PARAMS,
    tokenizer: 'Gemini', categories: ['technology', 'translation'], hosts: ['Google', 'Google AI Studio'],
    description: 'Gemini 2.0 Flash: fast multimodal model with a 1M-token context window.',
  },
  'llama-3.1-70b': {
    name: 'Meta: Llama 3.1 70B Instruct', ownedBy: 'meta-llama', canonicalSlug: 'meta-llama/llama-3.1-70b-instruct', created: 1721692800,
    contextLength: 131072, maxOutput: 8192, price: { input: 0.0000004, output: 0.0000004 },
    inputModalities: ['text'], outputModalities: ['text'], supportedParameters: [...CHAT_PARAMS, 'tools', 'tool_choice'],
    tokenizer: 'Llama3', categories: ['roleplay'], hosts: ['Groq', 'DeepInfra', 'Together'],
    description: 'Meta\'s Llama 3.1 70B instruction-tuned model.',
  },
  'mistral-large': {
    name: 'Mistral: Mistral Large', ownedBy: 'mistralai', canonicalSlug: 'mistralai/mistral-large', created: 1708905600,
    contextLength: 128000, maxOutput: 8192, price: { input: 0.000002, output: 0.000006 },
    inputModalities: ['text'], outputModalities: ['text'], supportedParameters: TOOL_PARAMS,
    tokenizer: 'Mistral', categories: ['programming', 'translation'], hosts: ['Mistral'],
    description: 'Mistral Large: Mistral AI\'s flagship model.',
  },
  'deepseek-chat': {
    name: 'DeepSeek: DeepSeek V3', ownedBy: 'deepseek', canonicalSlug: 'deepseek/deepseek-chat', created: 1735171200,
    contextLength: 163840, maxOutput: 8192, price: { input: 0.00000027, output: 0.0000011, cacheRead: 0.00000007 },
    inputModalities: ['text'], outputModalities: ['text'], supportedParameters: [...CHAT_PARAMS, 'tools', 'tool_choice', 'response_format'],
    tokenizer: 'DeepSeek', categories: ['programming'], hosts: ['DeepSeek', 'Fireworks'],
    description: 'DeepSeek-V3, a strong open mixture-of-experts chat model.',
  },
  'text-embedding-3-small': {
    name: 'OpenAI: Text Embedding 3 Small', ownedBy: 'openai', canonicalSlug: 'openai/text-embedding-3-small', created: 1705968000,
    contextLength: 8191, price: { input: 0.00000002, output: 0 },
    inputModalities: ['text'], outputModalities: ['embeddings'], supportedParameters: ['dimensions', 'encoding_format'],
    tokenizer: 'GPT', hosts: ['OpenAI'], embeddingDims: 1536,
    description: 'text-embedding-3-small: small, efficient text embeddings (1536 dimensions).',
  },
  'llama3.1-8b-local': {
    name: 'Ollama: Llama 3.1 8B', ownedBy: 'meta-llama', canonicalSlug: 'meta-llama/llama-3.1-8b-instruct', created: 1721692800,
    contextLength: 131072, inputModalities: ['text'], outputModalities: ['text'], supportedParameters: CHAT_PARAMS,
    tokenizer: 'Llama3', hosts: ['Ollama'], description: 'Llama 3.1 8B served by a local Ollama.',
  },
};

/** The model Claude 3.5 Sonnet is replaced by, and when it goes (Anthropic retired it on 2025-10-22). */
const DEPRECATIONS: Record<string, { date: string; replacement: string }> = {
  'claude-3.5-sonnet': { date: '2025-10-22', replacement: 'claude-sonnet-4' },
};

/** Per gateway: base key → ID there. Order is the listing order. */
const IDS: Record<FakeGatewayKind, [string, string][]> = {
  nemorouter: [
    ['gpt-4o', 'gpt-4o'], ['gpt-4o-mini', 'gpt-4o-mini'], ['o3-mini', 'o3-mini'],
    ['claude-sonnet-4', 'claude-4-sonnet'], ['claude-3.5-sonnet', 'claude-3-5-sonnet'],
    ['gemini-2.0-flash', 'gemini-2.0-flash'], ['llama-3.1-70b', 'llama-3.1-70b'], ['mistral-large', 'mistral-large'],
    ['deepseek-chat', 'deepseek-chat'], ['text-embedding-3-small', 'text-embedding-3-small'],
  ],
  openrouter: [
    ['gpt-4o', 'openai/gpt-4o'], ['gpt-4o-mini', 'openai/gpt-4o-mini'], ['o3-mini', 'openai/o3-mini'],
    ['claude-sonnet-4', 'anthropic/claude-sonnet-4'], ['claude-3.5-sonnet', 'anthropic/claude-3.5-sonnet'],
    ['gemini-2.0-flash', 'google/gemini-2.0-flash-001'], ['llama-3.1-70b', 'meta-llama/llama-3.1-70b-instruct'],
    ['mistral-large', 'mistralai/mistral-large'], ['deepseek-chat', 'deepseek/deepseek-chat'],
    ['text-embedding-3-small', 'openai/text-embedding-3-small'],
  ],
  arouter: [
    ['gpt-4o', 'openai/gpt-4o'], ['gpt-4o-mini', 'openai/gpt-4o-mini'], ['o3-mini', 'openai/o3-mini'],
    ['claude-sonnet-4', 'anthropic/claude-sonnet-4'], ['gemini-2.0-flash', 'google/gemini-2.0-flash'],
    ['llama-3.1-70b', 'meta-llama/llama-3.1-70b-instruct'], ['mistral-large', 'mistralai/mistral-large'],
    ['deepseek-chat', 'deepseek/deepseek-chat'], ['text-embedding-3-small', 'openai/text-embedding-3-small'],
  ],
  bifrost: [
    ['gpt-4o', 'openai/gpt-4o'], ['gpt-4o-mini', 'openai/gpt-4o-mini'], ['o3-mini', 'openai/o3-mini'],
    ['text-embedding-3-small', 'openai/text-embedding-3-small'],
    ['claude-sonnet-4', 'anthropic/claude-sonnet-4-20250514'], ['claude-3.5-sonnet', 'anthropic/claude-3-5-sonnet-20241022'],
    ['gemini-2.0-flash', 'gemini/gemini-2.0-flash'], ['llama-3.1-70b', 'groq/llama-3.1-70b-versatile'],
    ['mistral-large', 'mistral/mistral-large-latest'], ['gpt-4o', 'openrouter/openai/gpt-4o'],
    ['deepseek-chat', 'openrouter/deepseek/deepseek-chat'], ['llama3.1-8b-local', 'ollama/llama3.1:8b'],
  ],
  'openai-compatible': [
    ['gpt-4o', 'gpt-4o'], ['gpt-4o-mini', 'gpt-4o-mini'], ['llama-3.1-70b', 'meta-llama/Llama-3.1-70B-Instruct'],
    ['text-embedding-3-small', 'text-embedding-3-small'],
  ],
};

const PUBLISHES_PRICES: Record<FakeGatewayKind, boolean> = {
  nemorouter: true, openrouter: true, bifrost: true, arouter: false, 'openai-compatible': false,
};

function clone<T>(v: T): T {
  return structuredClone(v);
}

/** A fresh copy of a gateway's seed catalog (safe to mutate). */
export function seedModels(kind: FakeGatewayKind): FakeModel[] {
  const ids = IDS[kind];
  const idOf = (key: string) => ids.find(([k]) => k === key)?.[1];
  const out: FakeModel[] = ids.map(([key, id]) => {
    const base = clone(BASE[key]);
    const m: FakeModel = { ...base, id };
    if (!PUBLISHES_PRICES[kind]) delete m.price;
    const dep = DEPRECATIONS[key];
    if (dep) m.deprecated = { date: dep.date, replacement: idOf(dep.replacement) };
    return m;
  });
  if (kind === 'openrouter') {
    // OpenRouter's `:free` variants are separate catalog entries with zero prices and the same canonical slug.
    const base = clone(BASE['llama-3.1-70b']);
    const at = out.findIndex((m) => m.id === 'meta-llama/llama-3.1-70b-instruct') + 1;
    out.splice(at, 0, {
      ...base,
      id: 'meta-llama/llama-3.1-70b-instruct:free',
      name: 'Meta: Llama 3.1 70B Instruct (free)',
      price: { input: 0, output: 0 },
      hosts: ['Chutes'],
    });
  }
  return out;
}

/** What ARouter's `auto` runs unless a test says otherwise. */
export const DEFAULT_AUTO_MODEL = 'openai/gpt-4o-mini';

const GEN_AUTHORS = ['openai', 'anthropic', 'google', 'meta-llama', 'mistralai', 'deepseek', 'qwen', 'cohere', 'x-ai', 'microsoft'];
const GEN_BIFROST = ['openai', 'anthropic', 'gemini', 'groq', 'mistral', 'openrouter', 'cohere', 'bedrock', 'vertex', 'ollama'];
const GEN_CONTEXTS = [8192, 32768, 65536, 128000, 200000, 1048576];
const GEN_TOKENIZERS = ['GPT', 'Claude', 'Gemini', 'Llama3', 'Mistral', 'DeepSeek', 'Qwen', 'Cohere', 'Grok', 'Other'];

/**
 * `n` synthetic models in `kind`'s ID form, deterministic (same n → same list). Every 10th is
 * image-capable, every 50th an embedding model, every 100th deprecated (replaced by the next one),
 * every 25th free on OpenRouter (a `:free` ID). Prices only where the gateway publishes them.
 */
export function generateModels(n: number, kind: FakeGatewayKind = 'openrouter'): FakeModel[] {
  const out: FakeModel[] = [];
  for (let i = 0; i < n; i++) {
    const a = i % GEN_AUTHORS.length;
    const author = GEN_AUTHORS[a];
    const slug = `model-${String(i).padStart(5, '0')}`;
    const embedding = i % 50 === 49;
    const free = kind === 'openrouter' && i % 25 === 24 && !embedding;
    const id = genId(kind, a, author, slug) + (free ? ':free' : '');
    // Cheap arithmetic spread: prices from $0.01 to ~$30 per million tokens, reproducible.
    const input = ((i * 7919) % 3000 + 1) / 100 / 1e6;
    const m: FakeModel = {
      id,
      name: `${author}: Model ${i}`,
      ownedBy: author,
      canonicalSlug: `${author}/${slug}`,
      created: 1700000000 + i * 3600,
      contextLength: GEN_CONTEXTS[i % GEN_CONTEXTS.length],
      maxOutput: embedding ? undefined : 4096 * (1 + (i % 4)),
      price: free ? { input: 0, output: 0 } : { input, output: embedding ? 0 : input * 4 },
      inputModalities: i % 10 === 0 ? ['text', 'image'] : ['text'],
      outputModalities: embedding ? ['embeddings'] : ['text'],
      supportedParameters: embedding ? ['dimensions', 'encoding_format'] : i % 3 === 0 ? TOOL_PARAMS : CHAT_PARAMS,
      tokenizer: GEN_TOKENIZERS[a],
      description: `Synthetic model number ${i} for scale tests.`,
    };
    if (embedding) m.embeddingDims = 256;
    if (!PUBLISHES_PRICES[kind]) delete m.price;
    if (i % 100 === 99 && i + 1 < n) {
      m.deprecated = { date: '2025-01-01', replacement: genId(kind, (i + 1) % GEN_AUTHORS.length, GEN_AUTHORS[(i + 1) % GEN_AUTHORS.length], `model-${String(i + 1).padStart(5, '0')}`) };
    }
    if (m.maxOutput === undefined) delete m.maxOutput;
    out.push(m);
  }
  return out;
}

function genId(kind: FakeGatewayKind, a: number, author: string, slug: string): string {
  switch (kind) {
    case 'nemorouter':
    case 'openai-compatible':
      return `${author}-${slug}`;
    case 'bifrost':
      return `${GEN_BIFROST[a]}/${author}-${slug}`;
    default:
      return `${author}/${slug}`;
  }
}
