// The part of VS Code's Language Model Chat Provider API (final in 1.104) that Switchyard uses, declared here
// because `engines.vscode` stays at ^1.91 and vsce refuses an @types/vscode newer than the engines floor.
// `lmProviderApi()` looks the API up at run time: on 1.91–1.103 it is absent and the provider is simply not
// registered (the rest of the extension does not depend on it). Names and shapes follow vscode.d.ts 1.104.
import * as vscode from 'vscode';

export interface LmChatInformation {
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly version: string;
  readonly tooltip?: string;
  readonly detail?: string;
  readonly maxInputTokens: number;
  readonly maxOutputTokens: number;
  readonly capabilities: { readonly imageInput?: boolean; readonly toolCalling?: boolean | number };
}

export interface LmChatTool {
  readonly name: string;
  readonly description: string;
  readonly inputSchema?: object;
}

/** vscode.LanguageModelChatToolMode */
export const ToolMode = { Auto: 1, Required: 2 } as const;

export interface LmResponseOptions {
  readonly tools?: readonly LmChatTool[];
  readonly toolMode?: number;
  readonly modelOptions?: { readonly [name: string]: unknown };
}

/** vscode.LanguageModelChatRequestMessage: `content` holds parts of the classes below (and unknown others). */
export interface LmRequestMessage {
  readonly role: number; // vscode.LanguageModelChatMessageRole: User 1, Assistant 2 (System 3 where it exists)
  readonly content: readonly unknown[];
  readonly name?: string;
}

export interface LmChatProvider {
  readonly onDidChangeLanguageModelChatInformation?: vscode.Event<void>;
  provideLanguageModelChatInformation(options: { readonly silent: boolean }, token: vscode.CancellationToken): vscode.ProviderResult<LmChatInformation[]>;
  provideLanguageModelChatResponse(
    model: LmChatInformation,
    messages: readonly LmRequestMessage[],
    options: LmResponseOptions,
    progress: vscode.Progress<unknown>,
    token: vscode.CancellationToken,
  ): Thenable<void>;
  provideTokenCount(model: LmChatInformation, text: string | LmRequestMessage, token: vscode.CancellationToken): Thenable<number>;
}

/** The constructors the provider reports parts with (runtime classes of VS Code ≥ 1.104). */
export interface LmParts {
  TextPart: new (value: string) => unknown;
  ToolCallPart: new (callId: string, name: string, input: object) => unknown;
}

export interface LmProviderApi extends LmParts {
  registerLanguageModelChatProvider(vendor: string, provider: LmChatProvider): vscode.Disposable;
}

/** The provider API of the running VS Code, or undefined where it does not exist (before 1.104). */
export function lmProviderApi(): LmProviderApi | undefined {
  const api = vscode as unknown as {
    lm?: { registerLanguageModelChatProvider?: LmProviderApi['registerLanguageModelChatProvider'] };
    LanguageModelTextPart?: LmParts['TextPart'];
    LanguageModelToolCallPart?: LmParts['ToolCallPart'];
  };
  const register = api.lm?.registerLanguageModelChatProvider;
  if (typeof register !== 'function' || !api.LanguageModelTextPart || !api.LanguageModelToolCallPart) return undefined;
  return {
    registerLanguageModelChatProvider: (vendor, provider) => register.call(api.lm, vendor, provider),
    TextPart: api.LanguageModelTextPart,
    ToolCallPart: api.LanguageModelToolCallPart,
  };
}
