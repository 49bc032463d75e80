// The language server: the same modules as the CLI, driven by any LSP client. Settings come from
// `workspace/configuration` (section `switchyard`), are cached, and are re-pulled on change.
import {
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type ClientCapabilities,
  DidChangeConfigurationNotification,
  TextDocuments,
  TextDocumentSyncKind,
  CodeActionKind,
} from 'vscode-languageserver/node';
import { z } from 'zod';
import { createApp, type App } from '../core/app';
import { createKeyProvider, type KeyProvider } from '../core/keys';
import { createLogger, type Logger } from '../core/log';
import { defaultDataDir } from '../core/paths';
import { VERSION } from '../core/version';
import { errorMessage } from '../core/errors';
import { DisposableScope } from '../core/dispose';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from '../protocol/settings';
import {
  GetSecretRequest,
  GetSecretResultSchema,
  SecretsChangedNotification,
  SecretsChangedParamsSchema,
  SettingsProblemNotification,
} from '../protocol/messages';
import { onNotification } from './params';
import { LineDocuments } from './document';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { registerServerFeatures } from './features';

/** What the VS Code client passes in `initializationOptions`; other editors may pass nothing. */
const InitOptionsSchema = z
  .object({
    dataDir: z.string().optional(),
    /** The client answers `switchyard/getSecret` (VS Code SecretStorage). */
    secrets: z.boolean().optional(),
    /** VS Code's `http.proxy`, forwarded because a forked server does not inherit it. */
    httpProxy: z.string().optional(),
    /** Settings for clients without `workspace/configuration`. */
    settings: z.unknown().optional(),
  })
  .loose();

export interface ServerHandle {
  app(): App | undefined;
  settings(): Settings;
}

export function startLanguageServer(connection: Connection, env: NodeJS.ProcessEnv = process.env): ServerHandle {
  const documents = new TextDocuments<TextDocument>(LineDocuments);
  const log: Logger = createLogger((level, msg) => connection.console[level === 'debug' ? 'log' : level](msg));
  let settings: Settings = DEFAULT_SETTINGS;
  let lastSettingsError: string | undefined;
  let pullConfiguration = false;
  let dynamicConfig = false;
  let app: App | undefined;
  let catalogStarted = false;
  let keys: KeyProvider | undefined;
  let initOptions: z.infer<typeof InitOptionsSchema> = {};
  let clientCapabilities: ClientCapabilities = {};
  const settingsListeners = new Set<(s: Settings) => void>();
  // Disposed on shutdown, newest first: the features, then the app they were built on.
  const disposables = new DisposableScope((e) => log.error(`shutdown: ${errorMessage(e)}`));

  function applySettings(raw: unknown): void {
    const r = parseSettings(raw);
    settings = r.settings;
    if (!r.ok) {
      // Keep running on defaults but say exactly what is wrong, once per distinct error.
      if (r.error !== lastSettingsError) {
        log.error(`invalid switchyard settings:\n${r.error}`);
        void connection.sendNotification(SettingsProblemNotification, { message: r.error });
      }
    } else if (initOptions.httpProxy && !settings.http.proxy) {
      settings = { ...settings, http: { ...settings.http, proxy: initOptions.httpProxy } };
    }
    lastSettingsError = r.ok ? undefined : r.error;
    for (const l of settingsListeners) l(settings);
  }

  async function pullSettings(): Promise<void> {
    if (!pullConfiguration) return;
    try {
      const [raw] = await connection.workspace.getConfiguration([{ section: 'switchyard' }]);
      applySettings(raw ?? {});
    } catch (e) {
      log.warn(`workspace/configuration failed: ${errorMessage(e)}`);
    }
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const parsed = InitOptionsSchema.safeParse(params.initializationOptions ?? {});
    initOptions = parsed.success ? parsed.data : {};
    if (!parsed.success) log.warn(`ignoring invalid initializationOptions: ${z.prettifyError(parsed.error)}`);
    clientCapabilities = params.capabilities;
    pullConfiguration = !!params.capabilities.workspace?.configuration;
    dynamicConfig = !!params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
    if (initOptions.settings !== undefined) applySettings(initOptions.settings);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: ['"', "'", '/', ':', '=', '-'], resolveProvider: true },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
        diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false },
        inlayHintProvider: true,
        executeCommandProvider: { commands: [] },
      },
      serverInfo: { name: 'switchyard', version: VERSION },
    };
  });

  connection.onInitialized(async () => {
    if (dynamicConfig) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'switchyard' });
    keys = createKeyProvider(
      env,
      initOptions.secrets
        ? async (gateway) => GetSecretResultSchema.parse(await connection.sendRequest(GetSecretRequest, { gateway })).key
        : undefined,
    );
    app = createApp({
      dataDir: initOptions.dataDir ?? defaultDataDir(env),
      getSettings: () => settings,
      keys,
      log,
      env,
    });
    const built = app;
    disposables.push(() => built.dispose(), () => settingsListeners.clear());
    // Handlers first: a client may send requests as soon as `initialize` answered. What needs the
    // real settings (catalog fetches, the proxy's port) waits for `settingsReady`.
    let markReady!: () => void;
    const settingsReady = new Promise<void>((r) => (markReady = r));
    registerServerFeatures({ connection, documents, app, log, onSettings: (l) => settingsListeners.add(l), clientCapabilities, settingsReady, disposables });
    await pullSettings();
    markReady();
    log.info(`Switchyard language server ${VERSION} started (data: ${app.options.dataDir})`);
    catalogStarted = true;
    // The catalog was built before the pull above: hand it the pulled settings (its gateways) before it starts.
    app.catalog.update(settings);
    void app.catalog.start().catch((e) => log.error(`catalog failed to start: ${errorMessage(e)}`));
  });

  connection.onDidChangeConfiguration(async (change) => {
    if (pullConfiguration) await pullSettings();
    else {
      const raw = (change.settings as { switchyard?: unknown } | undefined)?.switchyard;
      if (raw !== undefined) applySettings(raw);
    }
  });

  onNotification(connection, SecretsChangedNotification, SecretsChangedParamsSchema, log, ({ gateway }) => {
    keys?.invalidate(gateway);
    void app?.catalog.refresh(gateway);
  });

  connection.onShutdown(async () => {
    await disposables.dispose();
    app = undefined;
  });
  // `exit` without `shutdown` (the client died): the process ends right after this handler, so
  // only what disposes synchronously gets to run; that is all the operating system leaves to us.
  connection.onExit(() => void disposables.dispose());

  // The catalog reads the settings when it starts; later changes are applied as updates.
  settingsListeners.add((s) => catalogStarted && app?.catalog.update(s));
  documents.listen(connection);
  connection.listen();
  return { app: () => app, settings: () => settings };
}
