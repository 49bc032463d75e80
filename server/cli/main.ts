// Command table for the CLI. Exit codes: 0 ok, 1 problems found (check), 2 usage or config error.
import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors';
import { VERSION } from '../core/version';
import { redact } from '../core/log';
import { loadConfigFile } from '../config/file';
import type { CliIo, Subcommand } from './command';

export const COMMON_OPTIONS = {
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const loaders: Record<string, () => Promise<Subcommand>> = {
  models: async () => (await import('./models')).modelsCommand,
  credits: async () => (await import('./credits')).creditsCommand,
  proxy: async () => (await import('./proxy')).proxyCommand,
  env: async () => (await import('./env')).envCommand,
  check: async () => (await import('./check')).checkCommand,
  lsp: async () => (await import('./lsp')).lspCommand,
};

async function help(io: CliIo): Promise<void> {
  const lines = [`switchyard ${VERSION} — LLM gateways in the terminal, in CI and in any LSP editor`, '', 'Usage:'];
  for (const name of Object.keys(loaders)) {
    const c = await loaders[name]();
    lines.push(`  switchyard ${c.usage.padEnd(64)} ${c.summary}`);
  }
  lines.push('', 'Every subcommand takes --config FILE (JSON settings without the "switchyard." prefix) and --data-dir DIR.');
  io.out(lines.join('\n') + '\n');
}

export async function runCli(argv: string[], io: CliIo = defaultIo()): Promise<number | undefined> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    await help(io);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === 'version') {
    io.out(`${VERSION}\n`);
    return 0;
  }
  const load = loaders[name];
  if (!load) {
    io.err(`switchyard: unknown command "${name}". Run "switchyard help".\n`);
    return 2;
  }
  const cmd = await load();
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...COMMON_OPTIONS, ...cmd.options },
      allowPositionals: cmd.allowPositionals ?? false,
      strict: true,
    });
    if (values.help) {
      io.out(`Usage: switchyard ${cmd.usage}\n${cmd.summary}\n`);
      return 0;
    }
    const settings = loadConfigFile(typeof values.config === 'string' ? values.config : undefined, io.env);
    return await cmd.run(values as Record<string, string | boolean | undefined>, positionals, io, settings);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`switchyard ${name}: ${redact((e as Error).message)}\nUsage: switchyard ${cmd.usage}\n`);
      return 2;
    }
    throw e;
  }
}

function defaultIo(): CliIo {
  return { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), env: process.env };
}
