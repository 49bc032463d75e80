// Shapes shared by the model-ID features. Everything here is plain data so the features are pure
// functions of (text, catalog view, settings) and can be tested without a connection.
import type { CatalogService } from '../core/services';
import type { Settings, GatewayKind } from '../protocol/settings';
import type { GatewayAdapter } from '../gateways/types';

/** How a file is scanned: which separators, comment tokens and unquoted values apply. */
export type LanguageFamily = 'python' | 'js' | 'json' | 'jsonc' | 'yaml' | 'toml' | 'dotenv' | 'go' | 'generic';

/** A string literal (or unquoted YAML/dotenv value) in a model position. Offsets are UTF-16 code units. */
export interface ModelString {
  /** Offset of the first character of the content (after the opening quote). */
  start: number;
  /** Offset just past the content (the closing quote's offset when terminated). */
  end: number;
  value: string;
  quote: '"' | "'" | '`' | '';
  /** False for a string still being typed (no closing quote on its line). */
  terminated: boolean;
  /** What made this a model position: the key name, the factory call, or `pattern`. */
  anchor: string;
}

export const RULES = {
  unknown: { id: 'unknown-model', name: 'UnknownModel', text: 'Model ID not found in the catalog' },
  deprecated: { id: 'deprecated-model', name: 'DeprecatedModel', text: 'Model is deprecated' },
  notServed: { id: 'model-not-served', name: 'ModelNotServed', text: 'Model not served by any configured gateway' },
  wrongForm: { id: 'wrong-id-form', name: 'WrongIdForm', text: 'Model ID in the wrong form for the gateway the code targets' },
} as const;
export type RuleKey = keyof typeof RULES;
export type RuleId = (typeof RULES)[RuleKey]['id'];
export const RULE_KEYS = Object.keys(RULES) as RuleKey[];

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** One model-ID problem, before it becomes an LSP Diagnostic or a CLI/SARIF result. */
export interface Problem {
  rule: RuleKey;
  severity: Severity;
  start: number;
  end: number;
  value: string;
  message: string;
  /** Replacements, best first (the quick fixes). */
  suggestions: string[];
}

/** The part of the catalog the language features read. */
export type CatalogView = Pick<CatalogService, 'find' | 'all' | 'offers' | 'statuses' | 'version'>;

export type IdForm = GatewayAdapter['idForm'];

/** A configured gateway as the language features see it. */
export interface GatewayInfo {
  id: string;
  kind: GatewayKind;
  label: string;
  baseUrl: string;
  idForm?: IdForm;
  /** Its catalog is loaded (live or cached): what it does not list, it does not serve. */
  loaded?: boolean;
}

/** The gateway a model string is sent to: a configured gateway, the local proxy (any form), or unknown. */
export type Target = { kind: 'gateway'; gateway: GatewayInfo; inferred: boolean } | { kind: 'proxy' } | { kind: 'none' };

/** Everything a pure feature function needs besides the document. */
export interface LanguageEnv {
  catalog: CatalogView;
  settings: Settings;
  gateways: GatewayInfo[];
  favorites: ReadonlySet<string>;
  /** IDs ignored for this session (the "ignore" quick fix in editors that cannot write settings). */
  sessionIgnore?: ReadonlySet<string>;
}
