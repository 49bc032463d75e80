// Add Gateway, Set API Key, Remove API Key. Keys go to SecretStorage only (never settings, never the
// log); every key is checked with a live call through the server (TestGatewayRequest) before it is
// stored, and the person sees a clear result either way.
import * as vscode from 'vscode';
import { ErrorCodes, ResponseError } from 'vscode-jsonrpc';
import * as z from '../../server/protocol/zod';
import { SecretsChangedNotification, TestGatewayRequest, type TestGatewayResult } from '../../server/protocol/messages';
import { GATEWAY_KINDS, GATEWAY_PRESETS, GatewayConfigSchema, type GatewayConfig, type GatewayKind } from '../../server/protocol/settings';
import { secretKeyName } from '../secrets';
import type { ExtensionState } from '../state';
import { appendGateway, readGateways } from './gatewayConfig';
import { VIEW_ID } from './catalogState';

type Check = { kind: 'ok'; result: TestGatewayResult } | { kind: 'failed'; message: string } | { kind: 'unchecked'; reason: string };

/** A live call with this config and key (the key is not stored anywhere by the server). Cancellable. */
async function checkGateway(state: ExtensionState, gateway: GatewayConfig, key: string | undefined): Promise<Check> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Switchyard: checking ${gateway.id}…`, cancellable: true },
    async (_progress, token) => {
      try {
        const client = await state.ready();
        const result = await client.sendRequest(TestGatewayRequest, { gateway, ...(key ? { key } : {}) }, token);
        if (result.ok) return { kind: 'ok', result };
        return { kind: 'failed', message: result.status.message ?? `${gateway.id}: ${result.status.state}` };
      } catch (e) {
        if (token.isCancellationRequested) return { kind: 'unchecked', reason: 'the check was cancelled' };
        if (e instanceof ResponseError && e.code === ErrorCodes.MethodNotFound) {
          return { kind: 'unchecked', reason: 'this language server cannot test gateways' };
        }
        return { kind: 'unchecked', reason: e instanceof Error ? e.message : String(e) };
      }
    },
  );
}

function okText(id: string, r: TestGatewayResult): string {
  const n = r.status.modelCount;
  const bal = r.balanceUsd !== undefined ? `, balance $${r.balanceUsd.toFixed(2)}` : '';
  return `${id} answered: ${n.toLocaleString('en-US')} model${n === 1 ? '' : 's'}${bal}.`;
}

/** Shows the check's result; resolves true when the caller should go ahead (saving or adding). */
async function confirmAfterCheck(check: Check, id: string, what: 'key' | 'gateway'): Promise<boolean | 'retry'> {
  if (check.kind === 'ok') return true;
  const go = what === 'key' ? 'Save Anyway' : 'Add Anyway';
  const text =
    check.kind === 'failed'
      ? `${id} did not accept the ${what === 'key' ? 'key' : 'connection'}: ${check.message}`
      : `Could not check ${id} (${check.reason}).`;
  const a = await vscode.window.showWarningMessage(`Switchyard: ${text}`, { modal: false }, go, 'Try Again');
  return a === go ? true : a === 'Try Again' ? 'retry' : false;
}

async function storeKey(state: ExtensionState, id: string, key: string | undefined): Promise<void> {
  if (key) await state.context.secrets.store(secretKeyName(id), key);
  else await state.context.secrets.delete(secretKeyName(id));
  // The server drops its cached key and refreshes that gateway; if it is not running it reads the key at start.
  await state.client()?.sendNotification(SecretsChangedNotification, { gateway: id }).catch(() => undefined);
}

function askKey(id: string, optional: boolean, title = `API key for ${id}`): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt: optional
      ? 'Paste the API key, or leave empty if this gateway needs none. It is kept in VS Code\'s secret storage, never in settings.'
      : 'Paste the API key. It is kept in VS Code\'s secret storage, never in settings.',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v && /\s/.test(v.trim()) ? 'An API key has no spaces inside.' : !optional && !v.trim() ? 'Paste a key, or press Escape to cancel.' : undefined),
  });
}

interface GatewayPick extends vscode.QuickPickItem {
  gateway: GatewayConfig;
}

/** The gateway a command acts on: its argument (an id or a tree node with a status), else a quick pick. */
async function resolveGateway(state: ExtensionState, arg: unknown, placeHolder: string, onlyWithKey = false): Promise<GatewayConfig | undefined> {
  const { valid, invalid } = readGateways();
  const argId = z.union([z.string(), z.pipe(z.object({ status: z.object({ gateway: z.string() }) }), z.transform((n) => n.status.gateway)), z.pipe(z.object({ gateway: z.string() }), z.transform((n) => n.gateway))]).safeParse(arg);
  if (argId.success) {
    const found = valid.find((g) => g.id === argId.data);
    if (found) return found;
  }
  const items: GatewayPick[] = [];
  for (const g of valid) {
    const hasKey = !!(await state.context.secrets.get(secretKeyName(g.id)));
    if (onlyWithKey && !hasKey) continue;
    const env = g.apiKeyEnv ?? GATEWAY_PRESETS[g.kind].apiKeyEnv;
    items.push({
      label: g.id,
      description: `${GATEWAY_PRESETS[g.kind].label} · ${g.baseUrl ?? GATEWAY_PRESETS[g.kind].baseUrl ?? ''}`,
      detail: hasKey ? '$(key) key stored' : env ? `no key stored (the CLI reads $${env})` : 'no key stored',
      gateway: g,
    });
  }
  if (!items.length) {
    const msg = onlyWithKey ? 'No gateway has a stored API key.' : `No gateway is configured${invalid ? ` (${invalid} invalid entr${invalid === 1 ? 'y' : 'ies'} in settings)` : ''}.`;
    const a = await vscode.window.showInformationMessage(`Switchyard: ${msg}`, ...(onlyWithKey ? [] : ['Add Gateway']));
    if (a === 'Add Gateway') await vscode.commands.executeCommand('switchyard.addGateway');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true }))?.gateway;
}

export async function setApiKey(state: ExtensionState, arg?: unknown): Promise<void> {
  const g = await resolveGateway(state, arg, 'Set the API key of which gateway?');
  if (!g) return;
  for (;;) {
    const key = (await askKey(g.id, false))?.trim();
    if (!key) return;
    const check = await checkGateway(state, g, key);
    const go = await confirmAfterCheck(check, g.id, 'key');
    if (go === 'retry') continue;
    if (!go) return;
    await storeKey(state, g.id, key);
    const detail = check.kind === 'ok' ? okText(g.id, check.result) : 'Saved without a successful check.';
    void vscode.window.showInformationMessage(`Switchyard: API key for ${g.id} saved. ${detail}`);
    return;
  }
}

export async function removeApiKey(state: ExtensionState, arg?: unknown): Promise<void> {
  const g = await resolveGateway(state, arg, 'Remove the API key of which gateway?', true);
  if (!g) return;
  const a = await vscode.window.showWarningMessage(
    `Remove the API key for ${g.id} from VS Code's secret storage?`,
    { modal: true },
    'Remove',
  );
  if (a !== 'Remove') return;
  await storeKey(state, g.id, undefined);
  void vscode.window.showInformationMessage(`Switchyard: API key for ${g.id} removed.`);
}

// ---------------------------------------------------------------- Add Gateway

function suggestId(kind: GatewayKind, taken: Set<string>): string {
  const base = kind === 'openai-compatible' ? 'local' : kind;
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

async function pickKind(): Promise<GatewayKind | undefined> {
  const items = GATEWAY_KINDS.map((kind) => {
    const p = GATEWAY_PRESETS[kind];
    return {
      label: p.label,
      description: p.baseUrl ?? 'any OpenAI-compatible endpoint (LiteLLM, vLLM, Ollama, …)',
      detail: p.apiKeyEnv ? `Needs an API key (the CLI reads $${p.apiKeyEnv})` : kind === 'bifrost' ? 'Self-hosted, usually without a key' : 'Key optional',
      gatewayKind: kind,
    };
  });
  return (await vscode.window.showQuickPick(items, { title: 'Add Gateway (1/4): kind', placeHolder: 'Which gateway?' }))?.gatewayKind;
}

async function askIdAndUrl(kind: GatewayKind): Promise<GatewayConfig | undefined> {
  const taken = new Set(readGateways().valid.map((g) => g.id));
  const id = await vscode.window.showInputBox({
    title: 'Add Gateway (2/4): name',
    prompt: 'Your name for this gateway: it appears in the tree, the ledger and `gateway` fields.',
    value: suggestId(kind, taken),
    ignoreFocusOut: true,
    validateInput: (v) => {
      if (taken.has(v.trim())) return `"${v.trim()}" is already configured.`;
      const r = GatewayConfigSchema.safeParse({ id: v.trim(), kind, baseUrl: 'http://x' });
      return r.success ? undefined : r.error.issues[0]?.message;
    },
  });
  if (!id) return undefined;
  const preset = GATEWAY_PRESETS[kind].baseUrl;
  const baseUrl = await vscode.window.showInputBox({
    title: 'Add Gateway (3/4): base URL',
    prompt: preset ? `API base URL including /v1 (the ${GATEWAY_PRESETS[kind].label} default is filled in).` : 'API base URL including /v1, e.g. http://localhost:4000/v1',
    value: preset ?? 'http://localhost:4000/v1',
    ignoreFocusOut: true,
    validateInput: (v) => {
      const r = GatewayConfigSchema.safeParse({ id: id.trim(), kind, baseUrl: v.trim() });
      return r.success ? undefined : 'Type an http:// or https:// URL.';
    },
  });
  if (baseUrl === undefined) return undefined;
  const url = baseUrl.trim().replace(/\/+$/, '');
  // Presets stay implicit so a later change of the default reaches this entry too.
  return GatewayConfigSchema.parse({ id: id.trim(), kind, ...(url && url !== preset ? { baseUrl: url } : {}) });
}

export async function addGateway(state: ExtensionState): Promise<void> {
  const kind = await pickKind();
  if (!kind) return;
  const gateway = await askIdAndUrl(kind);
  if (!gateway) return;
  let key: string | undefined;
  for (;;) {
    const typed = await askKey(gateway.id, true, `Add Gateway (4/4): API key for ${gateway.id}`);
    if (typed === undefined) return;
    key = typed.trim() || undefined;
    const check = await checkGateway(state, gateway, key);
    const go = await confirmAfterCheck(check, gateway.id, 'gateway');
    if (go === 'retry') continue;
    if (!go) return;
    // The key first: the settings change makes the server refresh, and it should find the key then.
    if (key) await storeKey(state, gateway.id, key);
    const where = await appendGateway(gateway);
    const detail = check.kind === 'ok' ? okText(gateway.id, check.result) : '';
    const a = await vscode.window.showInformationMessage(`Switchyard: gateway ${gateway.id} added to ${where}. ${detail}`, 'Show Models');
    if (a === 'Show Models') await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    return;
  }
}
