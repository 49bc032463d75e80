// What each family of terminal tools needs to reach the local proxy, as plain data and text: the
// `switchyard env` command, the editor's *Copy Proxy Environment* and its integrated terminals
// (`switchyard.proxy.terminalEnv`) all build it here. Pure (no node: or vscode imports).
//   openai    — OpenAI SDKs, aider, llm, opencode, curl: OPENAI_BASE_URL (+ OPENAI_API_BASE) and OPENAI_API_KEY
//   anthropic — Claude Code: ANTHROPIC_BASE_URL (the origin: it adds /v1/messages) and ANTHROPIC_AUTH_TOKEN
//   codex     — Codex CLI: a profile file (~/.codex/switchyard.config.toml, `codex -p switchyard`) with a
//               [model_providers.switchyard] block whose env_key names SWITCHYARD_PROXY_TOKEN (the same
//               variable `switchyard proxy` takes its token from)
import type { TerminalEnvFamily } from './settings';

export type Shell = 'posix' | 'powershell';

export interface ProxyTarget {
  /** http://127.0.0.1:PORT/v1 */
  url: string;
  token: string;
}

export const FAMILY_LABELS: Record<TerminalEnvFamily, string> = {
  openai: 'OpenAI-style tools (OpenAI SDKs, aider, llm, opencode, curl)',
  anthropic: 'Claude Code (Anthropic Messages API)',
  codex: 'Codex CLI (OpenAI Responses API)',
};

/** The variables one family reads. */
export function familyEnv(family: TerminalEnvFamily, p: ProxyTarget): Record<string, string> {
  switch (family) {
    case 'openai':
      return { OPENAI_BASE_URL: p.url, OPENAI_API_BASE: p.url, OPENAI_API_KEY: p.token };
    case 'anthropic':
      return { ANTHROPIC_BASE_URL: p.url.replace(/\/v1\/?$/, ''), ANTHROPIC_AUTH_TOKEN: p.token };
    case 'codex':
      return { SWITCHYARD_PROXY_TOKEN: p.token };
  }
}

/** The variables of several families, in the given order (later ones never overwrite earlier ones). */
export function terminalEnv(families: readonly TerminalEnvFamily[], p: ProxyTarget): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of families) for (const [k, v] of Object.entries(familyEnv(f, p))) out[k] ??= v;
  return out;
}

/** Codex's provider block; `model` is the name Codex sends (an alias or any catalog ID). */
export function codexToml(p: ProxyTarget, model = 'gpt-5-codex'): string {
  return [
    `model = ${tomlString(model)}`,
    'model_provider = "switchyard"',
    '',
    '[model_providers.switchyard]',
    'name = "Switchyard"',
    `base_url = ${tomlString(p.url)}`,
    'env_key = "SWITCHYARD_PROXY_TOKEN"',
    'wire_api = "responses"',
    '',
  ].join('\n');
}

const posixQuote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
const powershellQuote = (v: string) => `'${v.replace(/'/g, "''")}'`;
const tomlString = (v: string) => JSON.stringify(v);

/** Lines to paste into a terminal: `export` for POSIX shells, `$env:` for PowerShell. */
export function exportLines(env: Record<string, string>, shell: Shell = 'posix'): string {
  return (
    Object.entries(env)
      .map(([k, v]) => (shell === 'powershell' ? `$env:${k} = ${powershellQuote(v)}` : `export ${k}=${posixQuote(v)}`))
      .join('\n') + '\n'
  );
}

/**
 * Everything the chosen families need, as one script: comments say what each block is for, so it
 * can be pasted or `eval`ed as it is (Codex's config.toml block is shown commented out).
 */
export function environmentScript(families: readonly TerminalEnvFamily[], p: ProxyTarget, opts: { shell?: Shell; codexModel?: string } = {}): string {
  const blocks: string[] = [];
  for (const f of families) {
    const lines = [`# ${FAMILY_LABELS[f]}`];
    if (f === 'anthropic') {
      lines.push(
        '# While these are set, Claude Code uses the proxy instead of its own login. Its models (2.1:',
        '# claude-opus-5-5, background claude-haiku-5-5) resolve like any other: map them with',
        '# switchyard.aliases, or set ANTHROPIC_MODEL / ANTHROPIC_DEFAULT_HAIKU_MODEL (formerly',
        '# ANTHROPIC_SMALL_FAST_MODEL) to models your gateways serve.',
      );
    }
    if (f === 'codex') {
      lines.push('# Save as a Codex profile and run `codex -p switchyard`:  switchyard env --codex-toml > ~/.codex/switchyard.config.toml');
      lines.push('# (or put these lines at the top of ~/.codex/config.toml to make Switchyard the default):');
      lines.push(...codexToml(p, opts.codexModel).trimEnd().split('\n').map((l) => (l ? `#   ${l}` : '#')));
    }
    blocks.push(`${lines.join('\n')}\n${exportLines(familyEnv(f, p), opts.shell)}`);
  }
  return blocks.join('\n');
}
