// Extension-host test entry of the code-server 4.139.1 route (VS Code 1.139, which has the Language Model
// Chat Provider API): activation, then VS Code's own Chat on Switchyard. run.sh (E2E_ROUTE=vscode-1.139)
// passes this file with --tests and the profile fakes-vscode-chat.
const { runTests } = require('./harness.cjs');

const FILES = ['./activation.test.cjs', './vscode-chat.test.cjs'];

exports.run = () => runTests(FILES.flatMap((f) => require(f)));
