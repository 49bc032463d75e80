// What terminals get for the local proxy, as plain data (no `vscode` import: unit-testable).
import type { ProxyInfo } from '../../server/protocol/messages';

/** The variables OpenAI SDKs and most tools read (OPENAI_API_BASE for older Python tools). */
export function proxyEnvironment(info: ProxyInfo): Record<string, string> | undefined {
  if (!info.running || !info.url || !info.token) return undefined;
  return { OPENAI_BASE_URL: info.url, OPENAI_API_BASE: info.url, OPENAI_API_KEY: info.token };
}

const posixQuote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
const powershellQuote = (v: string) => `'${v.replace(/'/g, "''")}'`;

/** Lines to paste into an outside terminal: `export` for POSIX shells, `$env:` for PowerShell. */
export function exportLines(env: Record<string, string>, shell: 'posix' | 'powershell' = 'posix'): string {
  return (
    Object.entries(env)
      .map(([k, v]) => (shell === 'powershell' ? `$env:${k} = ${powershellQuote(v)}` : `export ${k}=${posixQuote(v)}`))
      .join('\n') + '\n'
  );
}
