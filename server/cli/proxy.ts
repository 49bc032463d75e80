// PLACEHOLDER until its issue lands.
import type { Subcommand } from './main';
import { UsageError } from '../core/errors';

export const proxyCommand: Subcommand = {
  summary: '(not available yet)',
  usage: 'proxy',
  options: {},
  allowPositionals: true,
  async run() {
    throw new UsageError('"proxy" is not available in this build yet');
  },
};
