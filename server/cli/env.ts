// `switchyard env [--family openai,anthropic,codex] [--shell posix|powershell] [--codex-toml]`: what
// each family of terminal tools needs to use the local proxy (server/protocol/proxyEnv.ts), for the proxy
// `switchyard proxy` runs with the same --config / --data-dir / --port / --token. The output can be
// pasted or `eval`ed; `--codex-toml` prints only Codex's profile (`> ~/.codex/switchyard.config.toml`,
// then `codex -p switchyard`).
import type { Subcommand } from './command';
import { UsageError } from '../core/errors';
import { defaultDataDir } from '../core/paths';
import { TERMINAL_ENV_FAMILIES, type TerminalEnvFamily } from '../protocol/settings';
import { resolveProxyToken } from '../proxy/token';
import { codexToml, environmentScript, type Shell } from '../protocol/proxyEnv';
import { hostFlag, portFlag } from './flags';

function parseFamilies(v: string | boolean | undefined): TerminalEnvFamily[] {
  if (v === undefined || v === 'all') return [...TERMINAL_ENV_FAMILIES];
  const asked = String(v).split(',').map((s) => s.trim()).filter(Boolean);
  const bad = asked.filter((f) => !(TERMINAL_ENV_FAMILIES as readonly string[]).includes(f));
  if (bad.length || asked.length === 0) throw new UsageError(`--family takes ${TERMINAL_ENV_FAMILIES.join(', ')} or all (comma-separated), got "${String(v)}"`);
  return TERMINAL_ENV_FAMILIES.filter((f) => asked.includes(f));
}

export const envCommand: Subcommand = {
  summary: 'print the environment (and Codex config.toml block) terminal tools need for the proxy',
  usage: 'env [--family openai,anthropic,codex] [--shell posix|powershell] [--codex-toml] [--port N] [--token T]',
  options: {
    family: { type: 'string' },
    shell: { type: 'string' },
    'codex-toml': { type: 'boolean' },
    model: { type: 'string' },
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    token: { type: 'string' },
  },
  async run(values, _positionals, io, settings) {
    const families = parseFamilies(values.family);
    const shell = (values.shell ?? 'posix') as Shell;
    if (shell !== 'posix' && shell !== 'powershell') throw new UsageError(`--shell takes posix or powershell, got "${String(values.shell)}"`);
    const host = hostFlag(values.host);
    const port = portFlag(values.port, settings.proxy.port);
    // A proxy started on port 0 took any free port: only the port it printed can be written here.
    if (port === 0) throw new UsageError('--port must be the port the proxy listens on (1 to 65535); with port 0 it picked one: use the one `switchyard proxy` printed');
    const dataDir = (values['data-dir'] as string | undefined) ?? defaultDataDir(io.env);
    // The token `switchyard proxy` uses with the same flags: --token, $SWITCHYARD_PROXY_TOKEN, or the data dir's file.
    const { token } = resolveProxyToken({ flag: values.token as string | undefined, env: io.env, dataDir });
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/v1`;
    const model = (values.model as string | undefined) || settings.defaultModel || undefined;
    if (values['codex-toml']) {
      io.out(codexToml({ url, token }, model));
      return 0;
    }
    io.out(environmentScript(families, { url, token }, { shell, codexModel: model }));
    return 0;
  },
};
