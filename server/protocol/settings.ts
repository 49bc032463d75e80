// The one schema for every `switchyard.*` setting. It yields the defaults, the validation of what
// any LSP client (or the headless `--config` file) sends, the `contributes.configuration` block of
// package.json (scripts/gen-settings.ts; a test fails on drift) and the JSON Schema of `switchyard.json`.
// Every leaf carries a `.describe()`: that text is what VS Code shows in the Settings UI.
import { z } from 'zod';

export const GATEWAY_KINDS = ['nemorouter', 'openrouter', 'arouter', 'bifrost', 'openai-compatible'] as const;
export const GatewayKindSchema = z.enum(GATEWAY_KINDS);
export type GatewayKind = z.infer<typeof GatewayKindSchema>;

/** Presets per kind (design.md): a gateway entry may omit baseUrl/apiKeyEnv and gets these. */
export const GATEWAY_PRESETS: Record<GatewayKind, { baseUrl?: string; apiKeyEnv?: string; label: string }> = {
  nemorouter: { baseUrl: 'https://api.nemorouter.ai/v1', apiKeyEnv: 'NEMOROUTER_API_KEY', label: 'NemoRouter' },
  openrouter: { baseUrl: 'https://openrouter.ai/api/v1', apiKeyEnv: 'OPENROUTER_API_KEY', label: 'OpenRouter' },
  arouter: { baseUrl: 'https://api.arouter.ai/v1', apiKeyEnv: 'AROUTER_API_KEY', label: 'ARouter' },
  bifrost: { baseUrl: 'http://localhost:8080/v1', label: 'Bifrost' },
  'openai-compatible': { label: 'OpenAI-compatible' },
};

const gatewayId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'a gateway id is 1-64 letters, digits, "_", "." or "-"');

export const GatewayConfigSchema = z
  .object({
    id: gatewayId.describe('Your name for this gateway; it appears in the tree, the ledger and `gateway` fields.'),
    kind: GatewayKindSchema.describe('Which API this gateway speaks.'),
    baseUrl: z.url({ protocol: /^https?$/ }).optional().describe('API base URL including /v1; defaults per kind.'),
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
      .optional()
      .describe('Environment variable holding the key (headless/CLI). In VS Code use "Switchyard: Set API Key".'),
    headers: z.record(z.string(), z.string()).optional().describe('Extra HTTP headers sent to this gateway.'),
    enabled: z.boolean().optional().describe('Set false to keep the entry but not use it.'),
  })
  .superRefine((g, ctx) => {
    if (g.kind === 'openai-compatible' && !g.baseUrl) {
      ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'an openai-compatible gateway needs a baseUrl' });
    }
  });
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;

const usd = z.number().nonnegative();
const LimitsSchema = z.object({
  daily: usd.optional().describe('USD limit per calendar day (local time).'),
  monthly: usd.optional().describe('USD limit per calendar month.'),
  session: usd.optional().describe('USD limit per editor session (since the language server started).'),
});
export type BudgetLimits = z.infer<typeof LimitsSchema>;

const severity = z.enum(['error', 'warning', 'information', 'hint', 'off']);

export const SettingsSchema = z.object({
  gateways: z
    .array(GatewayConfigSchema)
    .default([])
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((g, i) => {
        if (seen.has(g.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate gateway id "${g.id}"` });
        seen.add(g.id);
      });
    })
    .describe('The LLM gateways Switchyard uses, in order of preference.'),
  defaultModel: z.string().default('').describe('Model used by the chat panel and by `auto` when nothing else is asked for.'),
  defaultGateway: z.string().default('').describe('Gateway id preferred when a model is served by several gateways.'),
  aliases: z
    .record(z.string(), z.string())
    .default({})
    .describe('Short names for models, e.g. { "fast": "openai/gpt-4o-mini" }. Usable in chat, proxy and code.'),
  fallbacks: z
    .array(z.string())
    .default([])
    .describe('Models tried, in order, when the requested model fails on every gateway that serves it.'),
  routing: z
    .object({
      autoPolicy: z
        .enum(['cheapest', 'gateway'])
        .default('cheapest')
        .describe('What `auto` means: the cheapest model that fits the request, or hand off to a gateway that serves `auto`.'),
      maxRetries: z.number().int().min(0).max(10).default(2).describe('Retries per gateway for 429/5xx/timeouts.'),
      retryBaseDelayMs: z.number().int().min(0).max(60000).default(250).describe('First backoff delay; doubles with jitter.'),
      retryMaxDelayMs: z.number().int().min(0).max(120000).default(8000).describe('Upper bound for one backoff delay, Retry-After included.'),
      requestTimeoutMs: z.number().int().min(1000).max(3600000).default(120000).describe('Time allowed for an upstream answer to start.'),
      breakerFailures: z.number().int().min(1).max(100).default(5).describe('Consecutive failures that open the circuit breaker for a gateway.'),
      breakerCooldownSeconds: z.number().int().min(1).max(3600).default(30).describe('How long a gateway with an open breaker is skipped.'),
    })
    .prefault({}),
  catalog: z
    .object({
      refreshIntervalMinutes: z.number().min(0).max(1440).default(60).describe('Catalog refresh period; 0 turns the timer off.'),
    })
    .prefault({}),
  budget: z
    .object({
      daily: usd.optional().describe('Global USD limit per calendar day.'),
      monthly: usd.optional().describe('Global USD limit per calendar month.'),
      session: usd.optional().describe('Global USD limit per editor session.'),
      warnAt: z
        .array(z.number().gt(0).max(1))
        .default([0.8])
        .describe('Fractions of a limit at which a warning is shown, e.g. [0.5, 0.8].'),
      perGateway: z
        .record(z.string(), LimitsSchema)
        .default({})
        .describe('Limits per gateway id, e.g. { "nemo": { "daily": 5 } }.'),
    })
    .prefault({}),
  proxy: z
    .object({
      enabled: z.boolean().default(true).describe('Run the local OpenAI-compatible proxy inside the language server.'),
      port: z.number().int().min(0).max(65535).default(4141).describe('Port on 127.0.0.1; a free one is used if taken (0 = any).'),
      maxBodyBytes: z.number().int().min(1024).max(104857600).default(10485760).describe('Largest request body accepted.'),
      maxConcurrency: z.number().int().min(1).max(1024).default(64).describe('Requests served at once; more wait in line.'),
      headersTimeoutMs: z.number().int().min(1000).max(120000).default(10000).describe('Time a client has to send its headers.'),
      maxHeaderBytes: z.number().int().min(1024).max(1048576).default(16384).describe('Largest total size of a request\'s headers.'),
      terminalEnv: z.boolean().default(true).describe('Give integrated terminals OPENAI_BASE_URL / OPENAI_API_KEY for the proxy.'),
    })
    .prefault({}),
  language: z
    .object({
      enabled: z.boolean().default(true).describe('Model-ID completion, diagnostics, hovers and fixes in source files.'),
      patterns: z
        .array(z.string())
        .default([])
        .describe('Extra regular expressions whose first capture group is a model ID (e.g. "myModel\\\\(\\"([^\\"]+)\\"").'),
      ignore: z.array(z.string()).default([]).describe('Model IDs never reported as problems.'),
      inlayHints: z.boolean().default(false).describe('Show the price after model-ID strings.'),
      severity: z
        .object({
          unknown: severity.default('warning').describe('Severity of "unknown model".'),
          deprecated: severity.default('warning').describe('Severity of "deprecated model".'),
          notServed: severity.default('information').describe('Severity of "not served by any configured gateway".'),
          wrongForm: severity.default('warning').describe('Severity of "wrong ID form for this gateway".'),
        })
        .prefault({}),
    })
    .prefault({}),
  http: z
    .object({
      proxy: z.string().default('').describe('HTTP(S) proxy for gateway traffic (VS Code\'s http.proxy is forwarded when empty).'),
    })
    .prefault({}),
});

export type Settings = z.infer<typeof SettingsSchema>;
export type SettingsInput = z.input<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

export type SettingsResult = { ok: true; settings: Settings } | { ok: false; error: string; settings: Settings };

/**
 * Parse settings from any source. On failure the defaults are NOT silently used for the broken part:
 * the caller gets the error text to show and the defaults to keep running with.
 */
export function parseSettings(raw: unknown): SettingsResult {
  const r = SettingsSchema.safeParse(dropNulls(raw ?? {}));
  if (r.success) return { ok: true, settings: r.data };
  return { ok: false, error: z.prettifyError(r.error), settings: DEFAULT_SETTINGS };
}

/** VS Code reports an unset nullable setting as null; the schema treats it as absent. */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNulls(v);
    return out;
  }
  return value;
}

/** A gateway with presets applied; what adapters receive (key resolved separately, never stored here). */
export interface ResolvedGateway {
  id: string;
  kind: GatewayKind;
  baseUrl: string;
  apiKeyEnv?: string;
  headers: Record<string, string>;
}

export function resolveGateways(settings: Settings): ResolvedGateway[] {
  return settings.gateways
    .filter((g) => g.enabled !== false)
    .map((g) => {
      const preset = GATEWAY_PRESETS[g.kind];
      return {
        id: g.id,
        kind: g.kind,
        baseUrl: (g.baseUrl ?? preset.baseUrl ?? '').replace(/\/+$/, ''),
        apiKeyEnv: g.apiKeyEnv ?? preset.apiKeyEnv,
        headers: g.headers ?? {},
      };
    });
}
