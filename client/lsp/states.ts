// vscode-languageclient's State values for code in the activation bundle, which must not load the
// library itself to read three numbers (see client/extension.ts). The annotation makes each value
// the library's own enum member: a value that drifts from the library fails `npm run typecheck`.
import type { State } from 'vscode-languageclient/node';

export const ServerState: { readonly [K in keyof typeof State]: (typeof State)[K] } = {
  Stopped: 1,
  Starting: 3,
  StartFailed: 4,
  Running: 2,
};
