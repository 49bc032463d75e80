// PLACEHOLDER until its issue lands.
import type { Subcommand } from './main';
import { UsageError } from '../core/errors';

export const modelsCommand: Subcommand = {
  summary: '(not available yet)',
  usage: 'models',
  options: {},
  allowPositionals: true,
  async run() {
    throw new UsageError('"models" is not available in this build yet');
  },
};
