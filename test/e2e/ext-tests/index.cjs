// Extension-host test entry, loaded by VS Code when started with extensionTestsPath (code-server through
// run-ext-tests.mjs, or desktop VS Code through electron/run.mjs). Contract: exports run(): Promise<void>.
// Add a file to FILES when a feature brings its own tests.
const { runTests } = require('./harness.cjs');

const FILES = [
  './activation.test.cjs',
  './commands.test.cjs',
  './settings.test.cjs',
  './terminal-env.test.cjs',
  './vscode-chat-absent.test.cjs',
  './language-client.test.cjs', // last: it restarts the server
];

exports.run = () => runTests(FILES.flatMap((f) => require(f)));
