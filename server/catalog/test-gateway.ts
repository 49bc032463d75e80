// "Does this gateway work?": a live list call with a gateway config and an optional key that is
// tried without being stored (Add Gateway, Set API Key), then the balance where the gateway has one.
import type { Dispatcher } from 'undici';
import type { TestGatewayParams, TestGatewayResult } from '../protocol/messages';
import { GatewayConfigSchema, resolveGateways, DEFAULT_SETTINGS, type ResolvedGateway } from '../protocol/settings';
import type { KeyProvider } from '../core/keys';
import type { Logger } from '../core/log';
import { registerSecret } from '../core/log';
import { adapterFor } from '../gateways';
import { HttpError, scrub } from '../http/errors';
import { describeFailure, gatewayLabel } from './status';
import { loadPriceTable } from './table';

export interface TestGatewayDeps {
  dispatcher: Dispatcher;
  keys: KeyProvider;
  log: Logger;
}

export async function testGateway(p: TestGatewayParams, deps: TestGatewayDeps, signal: AbortSignal): Promise<TestGatewayResult> {
  const config = GatewayConfigSchema.parse({ ...p.gateway, enabled: true });
  const [gw] = resolveGateways({ ...DEFAULT_SETTINGS, gateways: [config] }) as [ResolvedGateway];
  registerSecret(p.key);
  const apiKey = p.key?.trim() || (await deps.keys.get(gw));
  const ctx = { gateway: gw, apiKey, dispatcher: deps.dispatcher, log: deps.log };
  const adapter = adapterFor(gw.kind);
  const base = { gateway: gw.id, kind: gw.kind, label: gatewayLabel(gw), hasKey: !!apiKey, updatedAt: new Date().toISOString() };
  try {
    await loadPriceTable().catch(() => undefined);
    const { models } = await adapter.listModels(ctx, signal);
    let balanceUsd: number | undefined;
    let note = '';
    if (adapter.balance && apiKey) {
      try {
        balanceUsd = (await adapter.balance(ctx, signal))?.balanceUsd;
      } catch (e) {
        if (e instanceof HttpError && e.kind === 'aborted') throw e;
        note = ` The balance could not be read (${scrub(e instanceof Error ? e.message : String(e), [apiKey])}).`;
      }
    }
    const message = `${gatewayLabel(gw)}: ${models.length} models.${balanceUsd !== undefined ? ` Balance $${balanceUsd.toFixed(2)}.` : ''}${note}`;
    return { ok: true, balanceUsd, status: { ...base, state: 'ok', message, modelCount: models.length, source: 'live' } };
  } catch (e) {
    const { state, message } = describeFailure(gw, e, !!apiKey);
    return { ok: false, status: { ...base, state, message, modelCount: 0, source: 'none' } };
  }
}
