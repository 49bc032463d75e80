// The jsonrpc values the protocol and the extension's activation code use: message types, and the
// error class the client's requests reject with.
//
// The VS Code extension is two bundles (esbuild.mjs): dist/client.js, which VS Code loads on
// activation, and dist/lsp-client.js (vscode-languageclient and the rest of the LSP libraries,
// ≈ 440 KB), loaded right after activation returns. jsonrpc recognises a message's parameter
// structure and its errors by object identity, so both bundles must use ONE instance of jsonrpc's
// messages module: the client build resolves this file's import to that module alone, the
// language-client build takes it from dist/client.js (`jsonrpcMessages`, exported by
// client/extension.ts). In the server bundle this is plain vscode-languageserver-protocol.
export { ErrorCodes, NotificationType, RequestType, RequestType0, ResponseError } from 'vscode-languageserver-protocol';
export * as jsonrpcMessages from 'vscode-languageserver-protocol';
