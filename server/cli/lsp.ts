import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import type { Subcommand } from './main';
import { startLanguageServer } from '../lsp/server';
import { UsageError } from '../core/errors';

export const lspCommand: Subcommand = {
  summary: 'run the language server (for Neovim, Helix, Emacs, VS Code)',
  usage: 'lsp --stdio',
  options: { stdio: { type: 'boolean' }, 'node-ipc': { type: 'boolean' }, 'clientProcessId': { type: 'string' } },
  async run(values, _pos, io) {
    if (!values.stdio && !values['node-ipc']) throw new UsageError('choose a transport: --stdio (or --node-ipc when forked by VS Code)');
    // createConnection reads the transport from process.argv (--stdio / --node-ipc).
    const connection = createConnection(ProposedFeatures.all);
    startLanguageServer(connection, io.env);
    return undefined;
  },
};
