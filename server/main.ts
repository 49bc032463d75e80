// `switchyard` — the headless entry point, and the language server's entry when VS Code forks it
// (`switchyard lsp --node-ipc`). Subcommands live in server/cli/.
import './cli/engine'; // first: V8 settings for `switchyard proxy`
import { runCli } from './cli/main';

runCli(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`switchyard: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
