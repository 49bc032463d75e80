// PLACEHOLDER until its issue lands.
import type { Subcommand } from './main';
import { UsageError } from '../core/errors';

export const creditsCommand: Subcommand = {
  summary: '(not available yet)',
  usage: 'credits',
  options: {},
  allowPositionals: true,
  async run() {
    throw new UsageError('"credits" is not available in this build yet');
  },
};
