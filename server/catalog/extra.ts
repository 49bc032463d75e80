// Real model IDs that the embedded price table (@pydantic/genai-prices) leaves out because they are
// not priced per token: images, speech, and the legacy base completion models. Data, kept short and
// by hand; the table stays the source of everything it covers. Each one is known (never reported
// "unknown model"), has no token price, and never enters the offline catalog.
export interface ExtraModel {
  canonicalId: string;
  name: string;
  /** Retired by its provider; `replacement` is the canonical ID to use instead. */
  deprecated?: { replacement?: string };
}

export const EXTRA_MODELS: readonly ExtraModel[] = [
  { canonicalId: 'openai/dall-e-2', name: 'DALL·E 2 (priced per image)' },
  { canonicalId: 'openai/dall-e-3', name: 'DALL·E 3 (priced per image)' },
  { canonicalId: 'openai/tts-1', name: 'TTS-1 (priced per character)' },
  { canonicalId: 'openai/tts-1-hd', name: 'TTS-1 HD (priced per character)' },
  { canonicalId: 'openai/tts-1-1106', name: 'TTS-1 (priced per character)' },
  { canonicalId: 'openai/tts-1-hd-1106', name: 'TTS-1 HD (priced per character)' },
  { canonicalId: 'openai/sora-2', name: 'Sora 2 (priced per second of video)' },
  { canonicalId: 'openai/sora-2-pro', name: 'Sora 2 Pro (priced per second of video)' },
  { canonicalId: 'openai/davinci-002', name: 'davinci-002 (base model)' },
  { canonicalId: 'openai/babbage-002', name: 'babbage-002 (base model)' },
  { canonicalId: 'mistralai/open-mixtral-8x22b', name: 'Mixtral 8x22B (Mistral API)' },
  // Retired: kept so that old code gets "deprecated, use …" rather than "unknown".
  { canonicalId: 'anthropic/claude-instant-1.2', name: 'Claude Instant 1.2', deprecated: { replacement: 'anthropic/claude-3-haiku' } },
  { canonicalId: 'anthropic/claude-instant-1', name: 'Claude Instant 1', deprecated: { replacement: 'anthropic/claude-3-haiku' } },
  { canonicalId: 'deepseek/deepseek-coder', name: 'DeepSeek Coder (merged into DeepSeek Chat)', deprecated: { replacement: 'deepseek/deepseek-chat' } },
  { canonicalId: 'openai/code-davinci-002', name: 'Codex (code-davinci-002)', deprecated: { replacement: 'openai/gpt-4o-mini' } },
];
