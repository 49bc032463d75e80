// Model-ID spellings as they appear in public SDKs, provider docs, examples and config files, each
// labelled: `known` (a real ID, or a real host/gateway spelling of one) or `typo` (a slip a person
// makes: a dropped or doubled letter, a swapped pair, a malformed date, a family member that does not
// exist). Written by hand for the precision benchmark (issue 21); not copied from any file.
// `switchyard check` must report no `known` ID as unknown and catch at least 95 % of the typos.

export interface CorpusEntry {
  id: string;
  label: 'known' | 'typo';
  /** Where the spelling comes from, or what is wrong with it. */
  kind: string;
}

const known = (kind: string, ids: string[]): CorpusEntry[] => ids.map((id) => ({ id, label: 'known' as const, kind }));
const typo = (kind: string, ids: string[]): CorpusEntry[] => ids.map((id) => ({ id, label: 'typo' as const, kind }));

export const CORPUS: readonly CorpusEntry[] = [
  // ---- OpenAI: current, dated snapshots, aliases, retired, embeddings, audio, image, realtime --------
  ...known('openai', [
    'gpt-4o', 'gpt-4o-2024-05-13', 'gpt-4o-2024-08-06', 'gpt-4o-2024-11-20', 'gpt-4o-mini', 'gpt-4o-mini-2024-07-18',
    'chatgpt-4o-latest', 'gpt-4-turbo', 'gpt-4-turbo-2024-04-09', 'gpt-4-turbo-preview', 'gpt-4-0125-preview',
    'gpt-4-1106-preview', 'gpt-4', 'gpt-4-0613', 'gpt-4-0314', 'gpt-4-32k', 'gpt-4-vision-preview', 'gpt-3.5-turbo',
    'gpt-3.5-turbo-0125', 'gpt-3.5-turbo-1106', 'gpt-3.5-turbo-0613', 'gpt-3.5-turbo-0301', 'gpt-3.5-turbo-16k',
    'gpt-3.5-turbo-instruct', 'gpt-4.1', 'gpt-4.1-2025-04-14', 'gpt-4.1-mini', 'gpt-4.1-mini-2025-04-14', 'gpt-4.1-nano',
    'gpt-4.1-nano-2025-04-14', 'gpt-4.5-preview', 'gpt-4.5-preview-2025-02-27', 'gpt-5', 'gpt-5-2025-08-07', 'gpt-5-mini',
    'gpt-5-mini-2025-08-07', 'gpt-5-nano', 'gpt-5-nano-2025-08-07', 'gpt-5-chat-latest', 'gpt-5-codex', 'gpt-5-pro',
    'gpt-5.1', 'gpt-5.1-codex', 'gpt-5.1-codex-max', 'gpt-5.1-codex-mini', 'gpt-5.1-chat-latest', 'gpt-5.2',
    'o1', 'o1-2024-12-17', 'o1-mini', 'o1-mini-2024-09-12', 'o1-preview', 'o1-preview-2024-09-12', 'o1-pro', 'o3',
    'o3-2025-04-16', 'o3-mini', 'o3-mini-2025-01-31', 'o3-pro', 'o3-deep-research', 'o4-mini', 'o4-mini-2025-04-16',
    'o4-mini-deep-research', 'codex-mini-latest', 'computer-use-preview', 'gpt-oss-120b', 'gpt-oss-20b',
  ]),
  ...known('openai-audio', [
    'whisper-1', 'tts-1', 'tts-1-hd', 'gpt-4o-mini-tts', 'gpt-4o-transcribe', 'gpt-4o-mini-transcribe',
    'gpt-4o-audio-preview', 'gpt-4o-audio-preview-2024-12-17', 'gpt-4o-mini-audio-preview', 'gpt-audio', 'gpt-audio-mini',
  ]),
  ...known('openai-realtime', ['gpt-4o-realtime-preview', 'gpt-4o-realtime-preview-2024-12-17', 'gpt-4o-mini-realtime-preview', 'gpt-realtime', 'gpt-realtime-mini']),
  ...known('openai-image', ['dall-e-2', 'dall-e-3', 'gpt-image-1', 'gpt-image-1-mini']),
  ...known('openai-embedding', ['text-embedding-3-small', 'text-embedding-3-large', 'text-embedding-ada-002']),
  ...known('openai-moderation', ['omni-moderation-latest', 'text-moderation-latest']),
  ...known('openai-retired', ['text-davinci-003', 'text-davinci-002', 'davinci-002', 'babbage-002', 'gpt-4-32k-0613', 'gpt-3.5-turbo-16k-0613']),
  ...known('openai-search', ['gpt-4o-search-preview', 'gpt-4o-mini-search-preview']),

  // ---- Anthropic: dated snapshots, -latest aliases, short aliases, retired ------------------------------
  ...known('anthropic', [
    'claude-3-5-sonnet-20241022', 'claude-3-5-sonnet-20240620', 'claude-3-5-sonnet-latest', 'claude-3-5-haiku-20241022',
    'claude-3-5-haiku-latest', 'claude-3-7-sonnet-20250219', 'claude-3-7-sonnet-latest', 'claude-3-opus-20240229',
    'claude-3-opus-latest', 'claude-3-sonnet-20240229', 'claude-3-haiku-20240307', 'claude-sonnet-4-20250514',
    'claude-sonnet-4-0', 'claude-opus-4-20250514', 'claude-opus-4-0', 'claude-opus-4-1-20250805', 'claude-opus-4-1',
    'claude-sonnet-4-5-20250929', 'claude-sonnet-4-5', 'claude-haiku-4-5-20251001', 'claude-haiku-4-5', 'claude-opus-4-5',
    'claude-opus-4-5-20251101',
  ]),
  ...known('anthropic-retired', ['claude-2.1', 'claude-2.0', 'claude-2', 'claude-instant-1.2', 'claude-v1']),

  // ---- Google -----------------------------------------------------------------------------------------------
  ...known('google', [
    'gemini-1.5-pro', 'gemini-1.5-pro-002', 'gemini-1.5-pro-001', 'gemini-1.5-pro-latest', 'gemini-1.5-flash',
    'gemini-1.5-flash-002', 'gemini-1.5-flash-latest', 'gemini-1.5-flash-8b', 'gemini-2.0-flash', 'gemini-2.0-flash-001',
    'gemini-2.0-flash-lite', 'gemini-2.0-flash-exp', 'gemini-2.5-pro', 'gemini-2.5-pro-preview-05-06',
    'gemini-2.5-pro-preview-03-25', 'gemini-2.5-flash', 'gemini-2.5-flash-preview-04-17', 'gemini-2.5-flash-preview-05-20',
    'gemini-2.5-flash-lite', 'gemini-2.5-flash-image-preview', 'gemini-1.0-pro', 'gemini-pro', 'gemini-1.0-pro-vision-001',
    'gemma-2-27b-it', 'gemma-3-27b-it', 'models/gemini-1.5-flash', 'models/gemini-2.0-flash',
  ]),
  ...known('google-embedding-audio', ['gemini-embedding-001', 'gemini-2.5-flash-preview-tts']),

  // ---- Mistral ----------------------------------------------------------------------------------------------
  ...known('mistral', [
    'mistral-large-latest', 'mistral-large-2411', 'mistral-large-2407', 'mistral-medium-latest', 'mistral-small-latest',
    'mistral-small-2503', 'mistral-small-2501', 'open-mistral-7b', 'open-mixtral-8x7b', 'open-mixtral-8x22b', 'open-mistral-nemo',
    'codestral-latest', 'codestral-2501', 'pixtral-12b-2409', 'pixtral-large-latest', 'ministral-8b-latest', 'ministral-3b-latest',
    'mistral-embed', 'mistral-saba-latest', 'magistral-medium-latest', 'magistral-small-latest', 'devstral-small-2505',
    'mistral-tiny',
  ]),

  // ---- DeepSeek, xAI, Cohere, Qwen, Meta, Moonshot, Zhipu, Voyage, Perplexity --------------------------------
  ...known('deepseek', ['deepseek-chat', 'deepseek-reasoner', 'deepseek/deepseek-r1', 'deepseek/deepseek-chat-v3-0324', 'deepseek/deepseek-r1-0528', 'deepseek/deepseek-chat']),
  ...known('xai', ['grok-2-1212', 'grok-2-vision-1212', 'grok-2', 'grok-2-latest', 'grok-3', 'grok-3-mini', 'grok-3-fast', 'grok-4-0709', 'grok-code-fast-1', 'grok-4-fast-reasoning', 'x-ai/grok-4', 'xai/grok-3']),
  ...known('cohere', ['command-r', 'command-r-plus', 'command-r-08-2024', 'command-r-plus-08-2024', 'command-r7b-12-2024', 'command-a-03-2025', 'command-light', 'command', 'embed-v4.0']),
  ...known('qwen', ['qwen/qwen-2.5-72b-instruct', 'qwen/qwen3-235b-a22b', 'qwen/qwen3-coder', 'qwen/qwq-32b', 'qwen/qwen-max', 'qwen-max', 'qwen-turbo', 'qwen/qwen3-32b']),
  ...known('meta', [
    'meta-llama/llama-3.1-70b-instruct', 'meta-llama/llama-3.1-8b-instruct', 'meta-llama/llama-3.3-70b-instruct',
    'meta-llama/llama-3.1-405b-instruct', 'meta-llama/llama-3.2-3b-instruct', 'meta-llama/llama-4-maverick', 'meta-llama/llama-4-scout',
    'meta-llama/llama-3-70b-instruct', 'meta-llama/llama-3.3-70b-instruct:free',
  ]),
  ...known('groq', ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant', 'llama3-70b-8192', 'llama3-8b-8192', 'mixtral-8x7b-32768', 'gemma2-9b-it', 'whisper-large-v3']),
  ...known('moonshot', ['kimi-k2-0711-preview', 'kimi-k2-turbo-preview', 'moonshot-v1-8k', 'moonshot-v1-32k', 'moonshot-v1-128k', 'moonshotai/kimi-k2']),
  ...known('zhipu', ['glm-4-plus', 'glm-4.5-air', 'GLM-4-Air', 'z-ai/glm-4.5']),
  ...known('voyage', ['voyage-3', 'voyage-3-large', 'voyage-3-lite', 'voyage-code-3', 'voyage-2', 'voyage-large-2', 'voyage-multilingual-2']),
  ...known('perplexity', ['sonar', 'sonar-pro', 'sonar-reasoning', 'sonar-reasoning-pro', 'sonar-deep-research', 'llama-3.1-sonar-large-128k-online']),
  ...known('minimax', ['MiniMax-M1', 'minimax/minimax-m1']),

  // ---- OpenRouter / provider-prefixed forms --------------------------------------------------------------
  ...known('openrouter', [
    'openai/gpt-4o', 'openai/gpt-4o-mini', 'openai/o3-mini', 'openai/gpt-4o-2024-08-06', 'anthropic/claude-3.7-sonnet',
    'anthropic/claude-3.5-sonnet', 'anthropic/claude-sonnet-4', 'anthropic/claude-sonnet-4.5', 'anthropic/claude-3-haiku',
    'google/gemini-2.0-flash-001', 'google/gemini-2.5-pro', 'mistralai/mistral-large', 'mistralai/mixtral-8x7b-instruct',
    'mistralai/mistral-7b-instruct', 'x-ai/grok-3', 'cohere/command-r-plus', 'openai/text-embedding-3-small',
  ]),
  ...known('litellm-prefixed', ['gemini/gemini-1.5-pro', 'anthropic/claude-3-5-sonnet-20240620', 'openai/gpt-3.5-turbo', 'mistral/mistral-large-latest', 'deepseek/deepseek-coder']),

  // ---- Amazon Bedrock ---------------------------------------------------------------------------------------
  ...known('bedrock', [
    'anthropic.claude-3-5-sonnet-20240620-v1:0', 'anthropic.claude-3-5-sonnet-20241022-v2:0', 'us.anthropic.claude-3-5-sonnet-20241022-v2:0',
    'us.anthropic.claude-3-7-sonnet-20250219-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0', 'anthropic.claude-3-opus-20240229-v1:0',
    'us.anthropic.claude-sonnet-4-20250514-v1:0', 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0', 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    'anthropic.claude-3-5-haiku-20241022-v1:0', 'us.anthropic.claude-opus-4-1-20250805-v1:0', 'apac.anthropic.claude-3-5-sonnet-20240620-v1:0',
    'anthropic.claude-v2:1', 'anthropic.claude-v2', 'meta.llama3-1-70b-instruct-v1:0', 'meta.llama3-70b-instruct-v1:0',
    'us.meta.llama3-2-90b-instruct-v1:0', 'amazon.titan-text-express-v1', 'amazon.titan-embed-text-v1', 'amazon.titan-embed-text-v2:0',
    'amazon.nova-pro-v1:0', 'us.amazon.nova-lite-v1:0', 'amazon.nova-micro-v1:0', 'mistral.mistral-large-2402-v1:0',
    'mistral.mixtral-8x7b-instruct-v0:1', 'deepseek.r1-v1:0', 'bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0',
  ]),

  // ---- Google Vertex AI -------------------------------------------------------------------------------------
  ...known('vertex', [
    'claude-3-5-sonnet-v2@20241022', 'claude-3-5-sonnet@20240620', 'claude-3-7-sonnet@20250219', 'claude-sonnet-4@20250514',
    'claude-opus-4@20250514', 'claude-3-haiku@20240307', 'claude-3-opus@20240229', 'claude-3-5-haiku@20241022',
    'claude-sonnet-4-5@20250929', 'claude-opus-4-1@20250805', 'vertex_ai/claude-3-5-sonnet@20240620', 'vertex_ai/gemini-1.5-pro',
  ]),

  // ---- Azure OpenAI model names ------------------------------------------------------------------------------
  ...known('azure', ['gpt-35-turbo', 'gpt-35-turbo-16k', 'azure/gpt-4o', 'azure/gpt-4o-mini', 'azure/gpt-35-turbo', 'phi-4', 'phi-3.5-mini-128k-instruct']),

  // ---- Typos ------------------------------------------------------------------------------------------------
  ...typo('openai', [
    'gpt-4o-mnii', 'gtp-4o', 'gpt4o', 'gpt-4o-mini-2024-0718', 'gpt-3.5-trubo', 'gpt-35turbo', 'gpt-4-turbo-previw', 'gpt-4.1-mimi',
    'gpt-5-nanno', 'o3-mimi', 'o4mini', 'o1-preveiw', 'chatgpt-4o-lastest', 'text-embeding-3-small', 'text-embedding-3-smal',
    'text-embedding-4-small', 'whsiper-1', 'dall-e-4', 'gpt-imgae-1', 'gpt-4o-2024-08-6', 'gpt-4-turbo-2024-04-9', 'o1-mimi',
    'gpt-4-omni', 'gpt-5-turbo', 'gpt-4o-maxi', 'openai/gpt-4o-mnii', 'openai/gpt4o', 'tts-2-hd', 'text-davinci-004', 'gpt-o4-mini',
  ]),
  ...typo('anthropic', [
    'claude-3-5-sonet-20241022', 'claude-sonet-4-20250514', 'cluade-3-opus-20240229', 'claude-opus-4-1-2025080', 'claude-unknown-model',
    'claude-3-haiku-2024037', 'claude-3-5-sonnett', 'claude-haiku-4-6-20251001x', 'anthropic/claude-3.5-sonet', 'claude-4-5-sonnet-new',
    'claude-3-opus-2024022', 'claude-3-7-sonet-latest',
  ]),
  ...typo('google', ['gemini-1.5-prro', 'gemini-2.0-flsh', 'gemni-pro', 'gemini-1.5-flash-8bb', 'google/gemini-2.0-flsh-001', 'gemini-ultra-2', 'gemini-2.5-pro-max']),
  ...typo('mistral', ['mistral-larg-latest', 'mistral-smal-latest', 'codestrall-latest', 'open-mistral-7bb', 'mistralai/mistral-larg', 'mixtral-8x7b-instuct']),
  ...typo('meta', ['meta-llama/lama-3.1-70b-instruct', 'meta-llama/llama-3.1-70b-instrct', 'meta-llama/llama-3.3-70b-intruct', 'meta-llama/llama-3.1-71b-instruct']),
  ...typo('others', [
    'deepseek-chatt', 'deepseek-reasonr', 'deepseek/deepseek-chatt', 'grok-3-mni', 'grok-betta', 'x-ai/grok-3-bta', 'comand-r-plus',
    'command-r-pls', 'qwen/qwen-2.5-72b-instrukt', 'qwen-maxx', 'voyage-3-larg', 'sonar-proo', 'kimi-k2-0711-previw', 'moonshot-v1-9k',
  ]),
  ...typo('bedrock', [
    'anthropic.claude-3-5-sonet-20240620-v1:0', 'us.anthropic.claude-3-7-sonet-20250219-v1:0', 'amazon.titan-text-exprss-v1',
    'amazon.nova-pr-v1:0', 'meta.llama3-1-70b-instrct-v1:0',
  ]),
  ...typo('vertex', ['claude-3-5-sonet@20240620', 'claude-sonet-4@20250514', 'vertex_ai/gemini-1.5-prro']),
  ...typo('azure', ['gpt-35-trubo', 'azure/gpt-4oo']),
];
