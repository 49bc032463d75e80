// What terminals get for the local proxy, as plain data (no `vscode` import: unit-testable). The
// families and their variables are shared with `switchyard env` (server/protocol/proxyEnv.ts).
import type { ProxyInfo } from '../../server/protocol/messages';
import { TERMINAL_ENV_FAMILIES, terminalEnvFromBoolean, type TerminalEnvFamily } from '../../server/protocol/settings';
import { terminalEnv, type ProxyTarget } from '../../server/protocol/proxyEnv';

export { exportLines, environmentScript, FAMILY_LABELS } from '../../server/protocol/proxyEnv';

export function proxyTarget(info: ProxyInfo): ProxyTarget | undefined {
  return info.running && info.url && info.token ? { url: info.url, token: info.token } : undefined;
}

/** The variables the chosen families read (default OpenAI's: OPENAI_API_BASE too, for older Python tools). */
export function proxyEnvironment(info: ProxyInfo, families: readonly TerminalEnvFamily[] = ['openai']): Record<string, string> | undefined {
  const target = proxyTarget(info);
  return target ? terminalEnv(families, target) : undefined;
}

/**
 * `switchyard.proxy.terminalEnv` as read from VS Code: a list of families; the boolean it used to be
 * still works (true = OpenAI's variables, false = none); unknown entries are ignored.
 */
export function terminalFamilies(value: unknown): TerminalEnvFamily[] {
  if (value === undefined || value === null) return ['openai'];
  if (typeof value === 'boolean') return terminalEnvFromBoolean(value);
  if (!Array.isArray(value)) return [];
  return TERMINAL_ENV_FAMILIES.filter((f) => value.includes(f));
}
