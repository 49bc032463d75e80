// The shape of a CLI subcommand (a leaf module: the subcommands import it, server/cli/main.ts loads them).
import type { ParseArgsConfig } from 'node:util';
import type { Settings } from '../protocol/settings';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

export interface Subcommand {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  allowPositionals?: boolean;
  /**
   * Returns the exit code; undefined = keep running (lsp, proxy). `settings` is the validated
   * `--config` file (or $SWITCHYARD_CONFIG, or defaults): a bad file never reaches a command, and
   * no command loads it again.
   */
  run(
    values: Record<string, string | boolean | undefined>,
    positionals: string[],
    io: CliIo,
    settings: Settings,
  ): Promise<number | undefined>;
}
