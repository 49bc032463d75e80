// @ts-check
// Test profiles: the user settings and environment one code-server instance runs with. Scenarios name
// the profile they need; the runner starts one code-server per profile in use.
//
// The fake gateways (test/fakes/serve.ts) print one JSON line when all five listen:
//   { "<kind>": { "baseUrl": "...", "key": "..." | null }, ... }   kinds: nemorouter openrouter arouter bifrost openai-compatible
// run.sh saves that line to a file and passes it with --fakes.
import fs from 'node:fs';

export const FAKE_KINDS = ['nemorouter', 'openrouter', 'arouter', 'bifrost', 'openai-compatible'];

/** The gateway id used in settings for the fake of `kind` (what the tree, ledger and status bar show). */
export const fakeGatewayId = (kind) => `fake-${kind}`;
/** The env var that carries the fake's key into the extension host and the language server. */
export const fakeKeyEnv = (kind) => `SWITCHYARD_E2E_${kind.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_KEY`;

/** Key variables of the real gateways' presets: never let a developer's own keys leak into a run. */
const REAL_KEY_VARS = ['NEMOROUTER_API_KEY', 'OPENROUTER_API_KEY', 'AROUTER_API_KEY', 'OPENAI_API_KEY', 'OPENAI_BASE_URL'];
const scrubbed = () => Object.fromEntries(REAL_KEY_VARS.map((k) => [k, undefined])); // undefined = removed

export function readFakes(file) {
  if (!file || !fs.existsSync(file)) return undefined;
  const fakes = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const kind of FAKE_KINDS) {
    if (!fakes[kind]?.baseUrl) throw new Error(`fake gateways file ${file} has no baseUrl for "${kind}"`);
  }
  return fakes;
}

function gatewaySettings(fakes, { withKeyEnv }) {
  return FAKE_KINDS.map((kind) => ({
    id: fakeGatewayId(kind),
    kind,
    baseUrl: fakes[kind].baseUrl,
    // Bifrost's fake is keyless (key null), like the real one usually is.
    ...(withKeyEnv && fakes[kind].key ? { apiKeyEnv: fakeKeyEnv(kind) } : {}),
  }));
}

function keyEnv(fakes) {
  return Object.fromEntries(FAKE_KINDS.filter((k) => fakes[k].key).map((k) => [fakeKeyEnv(k), fakes[k].key]));
}

// Proxy on any free port: a developer's own Switchyard may hold the default one.
const common = { 'switchyard.proxy.port': 0 };

export const PROFILES = {
  /** First install: nothing configured, no key anywhere. */
  'no-gateway': {
    needsFakes: false,
    build: () => ({ settings: { ...common, 'switchyard.gateways': [] }, env: scrubbed() }),
  },
  /** All five fakes configured; keys reach the extension host and the server through apiKeyEnv variables. */
  fakes: {
    needsFakes: true,
    build: (fakes) => ({
      settings: { ...common, 'switchyard.gateways': gatewaySettings(fakes, { withKeyEnv: true }) },
      env: { ...scrubbed(), ...keyEnv(fakes) },
    }),
  },
  /**
   * VS Code's own Chat on Switchyard (code-server 4.139.1 route): the fakes, a default model and an alias for
   * the picker, the Chat view's AI features on and anonymous access (no GitHub sign-in dialog).
   */
  'fakes-vscode-chat': {
    needsFakes: true,
    build: (fakes) => ({
      settings: {
        ...common,
        'switchyard.gateways': gatewaySettings(fakes, { withKeyEnv: true }),
        'switchyard.defaultModel': 'gpt-4o',
        'switchyard.aliases': { fast: 'openai/gpt-4o-mini' },
        'chat.disableAIFeatures': false,
        'chat.allowAnonymousAccess': true,
      },
      env: { ...scrubbed(), ...keyEnv(fakes) },
    }),
  },
  /** All five fakes configured but no key anywhere: a scenario sets one with "Switchyard: Set API Key". */
  'fakes-no-key': {
    needsFakes: true,
    build: (fakes) => ({
      settings: { ...common, 'switchyard.gateways': gatewaySettings(fakes, { withKeyEnv: false }) },
      env: scrubbed(),
    }),
  },
};

export function buildProfile(name, fakes) {
  const p = PROFILES[name];
  if (!p) throw new Error(`unknown profile "${name}" (known: ${Object.keys(PROFILES).join(', ')})`);
  if (p.needsFakes && !fakes) {
    throw new Error(`profile "${name}" needs the fake gateways (test/fakes/serve.ts), which are not running`);
  }
  return p.build(fakes);
}
