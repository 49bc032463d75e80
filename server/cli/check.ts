// PLACEHOLDER until its issue lands.
import type { Subcommand } from './main';
import { UsageError } from '../core/errors';

export const checkCommand: Subcommand = {
  summary: '(not available yet)',
  usage: 'check',
  options: {},
  allowPositionals: true,
  async run() {
    throw new UsageError('"check" is not available in this build yet');
  },
};
