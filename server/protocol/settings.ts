// The one schema for every `switchyard.*` setting. It yields the defaults, the validation of what
// any LSP client (or the headless `--config` file) sends, the `contributes.configuration` block of
// package.json (scripts/gen-settings.ts; a test fails on drift) and the JSON Schema of `switchyard.json`.
// Every leaf carries a `z.describe()`: that text is what VS Code shows in the Settings UI.
import * as z from './zod';

export const GATEWAY_KINDS = ['nemorouter', 'openrouter', 'arouter', 'bifrost', 'openai-compatible'] as const;
export const GatewayKindSchema = z.enum(GATEWAY_KINDS);

/** Families of terminal tools the proxy's environment is written for (server/protocol/proxyEnv.ts). */
export const TERMINAL_ENV_FAMILIES = ['openai', 'anthropic', 'codex'] as const;
export type TerminalEnvFamily = (typeof TERMINAL_ENV_FAMILIES)[number];
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
  .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'a gateway id is 1-64 letters, digits, "_", "." or "-"'));

export const GatewayConfigSchema = z
  .object({
    id: gatewayId.check(z.describe('Your name for this gateway; it appears in the tree, the ledger and `gateway` fields.')),
    kind: GatewayKindSchema.check(z.describe('Which API this gateway speaks.')),
    baseUrl: z.optional(z.url({ protocol: /^https?$/ })).check(z.describe('API base URL including /v1; defaults per kind.')),
    apiKeyEnv: z
      .optional(z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/)))
      .check(z.describe('Environment variable holding the key (headless/CLI). In VS Code use "Switchyard: Set API Key".')),
    headers: z.optional(z.record(z.string(), z.string())).check(z.describe('Extra HTTP headers sent to this gateway.')),
    enabled: z.optional(z.boolean()).check(z.describe('Set false to keep the entry but not use it.')),
  })
  .check(
    z.superRefine((g, ctx) => {
      if (g.kind === 'openai-compatible' && !g.baseUrl) {
        ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'an openai-compatible gateway needs a baseUrl' });
      }
    }),
  );
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;

const usd = z.number().check(z.nonnegative());
const LimitsSchema = z.object({
  daily: z.optional(usd).check(z.describe('USD limit per calendar day (local time).')),
  monthly: z.optional(usd).check(z.describe('USD limit per calendar month.')),
  session: z.optional(usd).check(z.describe('USD limit per editor session (since the language server started).')),
});
export type BudgetLimits = z.infer<typeof LimitsSchema>;

const severity = z.enum(['error', 'warning', 'information', 'hint', 'off']);

export const SettingsSchema = z.object({
  gateways: z._default(z.array(GatewayConfigSchema), []).check(
    z.superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((g, i) => {
        if (seen.has(g.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate gateway id "${g.id}"` });
        seen.add(g.id);
      });
    }),
    z.describe('The LLM gateways Switchyard uses, in order of preference.'),
  ),
  defaultModel: z._default(z.string(), '').check(z.describe('Model used by the chat panel and by `auto` when nothing else is asked for.')),
  defaultGateway: z._default(z.string(), '').check(z.describe('Gateway id preferred when a model is served by several gateways.')),
  aliases: z
    ._default(z.record(z.string(), z.string()), {})
    .check(z.describe('Short names for models, e.g. { "fast": "openai/gpt-4o-mini" }. Usable in chat, proxy and code.')),
  fallbacks: z
    ._default(z.array(z.string()), [])
    .check(z.describe('Models tried, in order, when the requested model fails on every gateway that serves it.')),
  routing: z.prefault(
    z.object({
      autoPolicy: z
        ._default(z.enum(['cheapest', 'gateway']), 'cheapest')
        .check(z.describe('What `auto` means: the cheapest model that fits the request, or hand off to a gateway that serves `auto`.')),
      maxRetries: z._default(z.int().check(z.minimum(0), z.maximum(10)), 2).check(z.describe('Retries per gateway for 429/5xx/timeouts.')),
      retryBaseDelayMs: z._default(z.int().check(z.minimum(0), z.maximum(60000)), 250).check(z.describe('First backoff delay; doubles with jitter.')),
      retryMaxDelayMs: z._default(z.int().check(z.minimum(0), z.maximum(120000)), 8000).check(z.describe('Upper bound for one backoff delay, Retry-After included.')),
      requestTimeoutMs: z._default(z.int().check(z.minimum(1000), z.maximum(3600000)), 120000).check(z.describe('Time allowed for an upstream answer to start.')),
      breakerFailures: z._default(z.int().check(z.minimum(1), z.maximum(100)), 5).check(z.describe('Consecutive failures that open the circuit breaker for a gateway.')),
      breakerCooldownSeconds: z._default(z.int().check(z.minimum(1), z.maximum(3600)), 30).check(z.describe('How long a gateway with an open breaker is skipped.')),
    }),
    {},
  ),
  catalog: z.prefault(
    z.object({
      refreshIntervalMinutes: z._default(z.number().check(z.minimum(0), z.maximum(1440)), 60).check(z.describe('Catalog refresh period; 0 turns the timer off.')),
    }),
    {},
  ),
  budget: z.prefault(
    z.object({
      daily: z.optional(usd).check(z.describe('Global USD limit per calendar day.')),
      monthly: z.optional(usd).check(z.describe('Global USD limit per calendar month.')),
      session: z.optional(usd).check(z.describe('Global USD limit per editor session.')),
      warnAt: z
        ._default(z.array(z.number().check(z.gt(0), z.maximum(1))), [0.8])
        .check(z.describe('Fractions of a limit at which a warning is shown, e.g. [0.5, 0.8].')),
      perGateway: z
        ._default(z.record(z.string(), LimitsSchema), {})
        .check(z.describe('Limits per gateway id, e.g. { "nemo": { "daily": 5 } }.')),
    }),
    {},
  ),
  proxy: z.prefault(
    z.object({
      enabled: z._default(z.boolean(), true).check(z.describe('Run the local OpenAI-compatible proxy inside the language server.')),
      port: z._default(z.int().check(z.minimum(0), z.maximum(65535)), 4141).check(z.describe('Port on 127.0.0.1; a free one is used if taken (0 = any).')),
      maxBodyBytes: z._default(z.int().check(z.minimum(1024), z.maximum(104857600)), 10485760).check(z.describe('Largest request body accepted.')),
      maxConcurrency: z._default(z.int().check(z.minimum(1), z.maximum(1024)), 64).check(z.describe('Requests served at once; more wait in line (up to 4 × this + 64; past that 503 proxy_busy).')),
      headersTimeoutMs: z._default(z.int().check(z.minimum(1000), z.maximum(120000)), 10000).check(z.describe('Time a client has to send its headers.')),
      bodyTimeoutMs: z._default(z.int().check(z.minimum(1000), z.maximum(600000)), 30000).check(z.describe('Time a client has to send its request body, once its headers are in; read before the request takes a concurrency slot.')),
      maxHeaderBytes: z._default(z.int().check(z.minimum(1024), z.maximum(1048576)), 16384).check(z.describe('Largest total size of a request\'s headers.')),
      terminalEnv: z
        ._default(z.array(z.enum(TERMINAL_ENV_FAMILIES)), ['openai'])
        .check(
          z.describe(
            'Families of tools whose variables integrated terminals get for the proxy: `openai` (OPENAI_BASE_URL, OPENAI_API_BASE, OPENAI_API_KEY), `anthropic` (ANTHROPIC_BASE_URL, ANTHROPIC_AUTH_TOKEN for Claude Code; they override Claude Code\'s own login, so they are opt-in), `codex` (SWITCHYARD_PROXY_TOKEN, the env_key of the Codex config.toml block `switchyard env --codex-toml` prints). [] turns it off.',
          ),
        ),
    }),
    {},
  ),
  language: z.prefault(
    z.object({
      enabled: z._default(z.boolean(), true).check(z.describe('Model-ID completion, diagnostics, hovers and fixes in source files.')),
      patterns: z
        ._default(z.array(z.string()), [])
        .check(z.describe('Extra regular expressions whose first capture group is a model ID (e.g. "myModel\\\\(\\"([^\\"]+)\\"").')),
      ignore: z._default(z.array(z.string()), []).check(z.describe('Model IDs never reported as problems.')),
      inlayHints: z._default(z.boolean(), false).check(z.describe('Show the price after model-ID strings.')),
      severity: z.prefault(
        z.object({
          unknown: z._default(severity, 'warning').check(z.describe('Severity of "unknown model".')),
          deprecated: z._default(severity, 'warning').check(z.describe('Severity of "deprecated model".')),
          notServed: z._default(severity, 'information').check(z.describe('Severity of "not served by any configured gateway".')),
          wrongForm: z._default(severity, 'warning').check(z.describe('Severity of "wrong ID form for this gateway".')),
        }),
        {},
      ),
    }),
    {},
  ),
  vscodeChat: z.prefault(
    z.object({
      models: z
        ._default(z.array(z.string()), [])
        .check(
          z.describe(
            "Models added to VS Code's Chat model picker besides favorites, the default model and aliases: ID globs (\"anthropic/*\", \"*mini*\"), provider names (\"openai\"), or \"*\" for every chat model.",
          ),
        ),
    }),
    {},
  ),
  http: z.prefault(
    z.object({
      proxy: z._default(z.string(), '').check(z.describe('HTTP(S) proxy for gateway traffic (VS Code\'s http.proxy is forwarded when empty).')),
    }),
    {},
  ),
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
  const r = SettingsSchema.safeParse(migrate(dropNulls(raw ?? {})));
  if (r.success) return { ok: true, settings: r.data };
  return { ok: false, error: z.prettifyError(r.error), settings: DEFAULT_SETTINGS };
}

/**
 * `proxy.terminalEnv` was a boolean before it became a list of families: `true` meant OpenAI's
 * variables, `false` none. The old value keeps its meaning instead of failing the whole section.
 */
export function terminalEnvFromBoolean(value: boolean): TerminalEnvFamily[] {
  return value ? ['openai'] : [];
}

/** Settings written for an earlier version, in today's shape. */
function migrate(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  const section = value as { proxy?: unknown };
  const proxy = section.proxy as { terminalEnv?: unknown } | undefined;
  if (!proxy || typeof proxy !== 'object' || typeof proxy.terminalEnv !== 'boolean') return value;
  return { ...section, proxy: { ...proxy, terminalEnv: terminalEnvFromBoolean(proxy.terminalEnv) } };
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
