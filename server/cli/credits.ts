// `switchyard credits [--json] [--reconcile]`: the balance of every gateway that reports one, and what
// the ledger says was spent today and this month (every writer's lines, local time), with how much
// of it is still an estimate. `--reconcile` first asks the gateways' books about the estimates of
// this month and last (ledger/reconcile.ts) and appends corrections. Exit 0, or 1 when a balance
// (or, with --reconcile, a gateway's books) could not be read, 2 on usage errors.
import type { Subcommand, CliIo } from './command';
import { createApp } from '../core/app';
import { createKeyProvider } from '../core/keys';
import { stderrLogger } from '../core/log';
import { defaultDataDir } from '../core/paths';
import { resolveGateways, GATEWAY_PRESETS } from '../protocol/settings';
import type { BudgetState, GatewayBalance, SpendReport } from '../protocol/messages';
import type { ReconcileResult } from '../core/services';
import { ledgerDir, localDay, localMonth, previousMonth } from '../ledger/files';
import { adapterForKind } from '../ledger/adapters';
import { settingPath } from '../ledger/budget';
import { formatSpend as usd } from '../protocol/present';

export interface CreditsJson {
  balances: GatewayBalance[];
  /** Configured gateways whose API has no balance (Bifrost, plain OpenAI-compatible servers). */
  noBalance: string[];
  spend: {
    today: { day: string } & SpendTotals;
    month: { month: string } & SpendTotals;
  };
  /** With --reconcile: what the gateways' books changed. */
  reconcile?: ReconcileResult;
  /** Daily and monthly budgets (a session budget means nothing to a one-shot command). */
  budgets: BudgetState[];
  ledgerDir: string;
}

export const creditsCommand: Subcommand = {
  summary: 'Balance per gateway and ledger spend today / this month; --reconcile replaces estimates with the gateways\' figures (exit 1 when a balance could not be read)',
  usage: 'credits [--json] [--reconcile]',
  options: { json: { type: 'boolean' }, reconcile: { type: 'boolean' } },
  async run(values, _positionals, io, settings) {
    const dataDir = (values['data-dir'] as string | undefined) ?? defaultDataDir(io.env);
    const app = createApp({ dataDir, getSettings: () => settings, keys: createKeyProvider(io.env), log: stderrLogger(), env: io.env });
    try {
      const now = new Date();
      const today = localDay(now);
      const [reconcile] = await Promise.all([
        values.reconcile ? app.money.reconcile({ from: `${previousMonth(localMonth(now))}-01`, to: today }) : undefined,
        app.money.refreshBalances(),
      ]);
      const [day, month] = await Promise.all([
        app.money.spendReport({ from: today, to: today }),
        app.money.spendReport({ from: `${localMonth(now)}-01`, to: today }),
      ]);
      const result: CreditsJson = {
        balances: app.money.balances(),
        noBalance: resolveGateways(settings)
          .filter((g) => !adapterForKind(g.kind)?.balance)
          .map((g) => g.id),
        spend: { today: { day: today, ...totals(day) }, month: { month: localMonth(now), ...totals(month) } },
        budgets: app.money.status().budgets.filter((b) => b.period !== 'session'),
        ledgerDir: ledgerDir(dataDir),
        ...(reconcile ? { reconcile } : {}),
      };
      if (values.json) io.out(JSON.stringify(result, null, 2) + '\n');
      else printText(result, settings, io);
      return result.balances.some((b) => b.error) || reconcile?.errors.length ? 1 : 0;
    } finally {
      await app.dispose();
    }
  },
};

interface SpendTotals {
  usd: number;
  requests: number;
  unknownCostRequests: number;
  /** Part of usd that is still Switchyard's estimate, and part the gateways' books confirmed afterwards. */
  estimatedUsd: number;
  reconciledUsd: number;
}

function totals(r: SpendReport): SpendTotals {
  return { usd: r.totalUsd, requests: r.requests, unknownCostRequests: r.unknownCostRequests, estimatedUsd: r.estimatedUsd ?? 0, reconciledUsd: r.reconciledUsd ?? 0 };
}

function printText(r: CreditsJson, settings: Parameters<typeof resolveGateways>[0], io: CliIo): void {
  const lines: string[] = ['Balances'];
  if (!r.balances.length && !r.noBalance.length) lines.push('  no gateway configured (see "gateways" in the --config file)');
  for (const b of r.balances) {
    lines.push(`  ${b.label.padEnd(30)} ${b.balanceUsd !== undefined ? usd(b.balanceUsd) : '—'}${b.error ? `  (error: ${b.error})` : ''}`);
  }
  for (const id of r.noBalance) {
    const kind = settings.gateways.find((g) => g.id === id)?.kind;
    lines.push(`  ${`${id} (${kind ? GATEWAY_PRESETS[kind].label : '?'})`.padEnd(30)} —  (this gateway reports no balance)`);
  }
  const unknown = (t: SpendTotals) =>
    (t.unknownCostRequests ? `, ${t.unknownCostRequests} with unknown cost` : '') +
    (t.estimatedUsd ? `, ${usd(t.estimatedUsd)} estimated` : '') +
    (t.reconciledUsd ? `, ${usd(t.reconciledUsd)} reconciled` : '');
  const { today, month } = r.spend;
  if (r.reconcile) {
    const rc = r.reconcile;
    lines.push('', 'Reconciled with the gateways\' books (this month and last)');
    lines.push(`  ${rc.corrected} of ${rc.checked} estimated request(s) corrected (${rc.deltaUsd >= 0 ? '+' : '-'}${usd(Math.abs(rc.deltaUsd))}); ${usd(rc.stillEstimatedUsd)} still estimated`);
    for (const e of rc.errors) lines.push(`  ${e.gateway}: could not read its books (${e.error})`);
  }
  lines.push('', `Spend (ledger ${r.ledgerDir}, local time)`);
  lines.push(`  today ${today.day.padEnd(19)} ${usd(today.usd).padEnd(10)} ${today.requests} request(s)${unknown(today)}`);
  lines.push(`  month ${month.month.padEnd(19)} ${usd(month.usd).padEnd(10)} ${month.requests} request(s)${unknown(month)}`);
  if (r.budgets.length) {
    lines.push('', 'Budgets');
    for (const b of r.budgets) {
      const pct = b.limitUsd > 0 ? ` (${Math.round((b.spentUsd / b.limitUsd) * 100)}%)` : '';
      lines.push(`  ${settingPath(b).padEnd(30)} ${usd(b.spentUsd)} of ${usd(b.limitUsd)}${pct}${b.level === 'ok' ? '' : `  ${b.level.toUpperCase()}`}`);
    }
  }
  io.out(lines.join('\n') + '\n');
}
