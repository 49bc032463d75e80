import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import type { Subcommand } from './command';
import { startLanguageServer } from '../lsp/server';
import { UsageError, errorMessage } from '../core/errors';
import { redact } from '../core/log';

export const lspCommand: Subcommand = {
  summary: 'run the language server (for Neovim, Helix, Emacs, VS Code)',
  usage: 'lsp --stdio',
  options: { stdio: { type: 'boolean' }, 'node-ipc': { type: 'boolean' }, 'clientProcessId': { type: 'string' } },
  async run(values, _pos, io) {
    if (!values.stdio && !values['node-ipc']) throw new UsageError('choose a transport: --stdio (or --node-ipc when forked by VS Code)');
    // createConnection reads the transport from process.argv (--stdio / --node-ipc).
    const connection = createConnection(ProposedFeatures.all);
    // A promise one handler forgot to catch must not take the whole server down (with it the proxy and
    // every open chat): log it, redacted, and keep serving; Node would exit. A thrown exception leaves
    // state unknown: log it redacted and exit, and the client's bounded restart policy brings a fresh one.
    const describe = (e: unknown) => redact(e instanceof Error && e.stack ? e.stack : errorMessage(e));
    process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${describe(e)}`));
    process.on('uncaughtException', (e) => {
      process.stderr.write(`switchyard: uncaught exception: ${describe(e)}\n`);
      process.exit(1);
    });
    startLanguageServer(connection, io.env);
    return undefined;
  },
};
