// Command IDs shared by the server (code actions) and the VS Code client (which runs them). No imports:
// the client bundle includes this file.

/**
 * Add a model ID to `switchyard.language.ignore`. VS Code runs it client-side (client/language.ts writes
 * the setting); other editors send it to the server as `workspace/executeCommand`, which ignores the ID
 * for the session and says how to keep it ignored.
 */
export const IGNORE_MODEL_COMMAND = 'switchyard.language.ignoreModel';
