// Budgets as pure functions of the settings and the spend totals: which limits exist, how full each
// is, and whether a request to a gateway must be refused. No I/O here, so every rule is unit-tested.
import type { BudgetState } from '../protocol/messages';
import type { Settings } from '../protocol/settings';
import type { Failure } from '../core/services';
import { formatSpend as usd } from '../protocol/present';

export type Period = BudgetState['period'];
export const PERIODS: readonly Period[] = ['daily', 'monthly', 'session'];
/** Override key meaning "every budget". */
export const ALL_SCOPES = '*';

/** Spent USD in a scope ("global" or a gateway id) over a period. */
export type SpendLookup = (scope: string, period: Period) => number;

/** One state per configured limit: global first, then per gateway in settings order. */
export function evaluateBudgets(budget: Settings['budget'], spent: SpendLookup, overrides: ReadonlySet<string>): BudgetState[] {
  const warnAt = budget.warnAt.length ? Math.min(...budget.warnAt) : Infinity;
  const out: BudgetState[] = [];
  const scopes: [string, Partial<Record<Period, number>>][] = [['global', budget], ...Object.entries(budget.perGateway)];
  for (const [scope, limits] of scopes) {
    for (const period of PERIODS) {
      const limitUsd = limits[period];
      if (limitUsd === undefined) continue;
      const spentUsd = spent(scope, period);
      const level = spentUsd >= limitUsd ? 'exceeded' : spentUsd >= limitUsd * warnAt ? 'warning' : 'ok';
      out.push({ scope, period, limitUsd, spentUsd, level, overridden: overrides.has(ALL_SCOPES) || overrides.has(scope) });
    }
  }
  return out;
}

/** The state bar's colour: an exceeded budget someone overrode is still worth a warning colour. */
export function overallLevel(states: BudgetState[]): BudgetState['level'] {
  if (states.some((s) => s.level === 'exceeded' && !s.overridden)) return 'exceeded';
  if (states.some((s) => s.level !== 'ok')) return 'warning';
  return 'ok';
}

const PERIOD_TEXT: Record<Period, { name: string; spent: string }> = {
  daily: { name: 'Daily', spent: 'today' },
  monthly: { name: 'Monthly', spent: 'this month' },
  session: { name: 'Session', spent: 'this editor session' },
};

/** Amounts read the same in budget messages, the CLI and the status bar (server/protocol/present.ts). */
export { usd };

/** The settings key a person edits to raise this limit. */
export function settingPath(s: Pick<BudgetState, 'scope' | 'period'>): string {
  return s.scope === 'global' ? `budget.${s.period}` : `budget.perGateway["${s.scope}"].${s.period}`;
}

/** A request to `gateway` is refused when a global limit or that gateway's own limit is reached and not overridden. */
export function budgetFailure(states: BudgetState[], gateway: string): Failure | undefined {
  const hit = states.find((s) => (s.scope === 'global' || s.scope === gateway) && s.level === 'exceeded' && !s.overridden);
  if (!hit) return undefined;
  const p = PERIOD_TEXT[hit.period];
  const where = hit.scope === 'global' ? 'across all gateways' : `on gateway "${hit.scope}"`;
  return {
    kind: 'budget',
    status: 402,
    code: 'budget_exceeded',
    gateway,
    retryable: false,
    message:
      `${p.name} budget ${where} reached: ${usd(hit.spentUsd)} spent ${p.spent} of a ${usd(hit.limitUsd)} limit. ` +
      `Raise "switchyard.${settingPath(hit)}" (in a --config file: "${settingPath(hit)}"), ` +
      `or run "Switchyard: Override Budget" to allow requests until the editor restarts.`,
  };
}

/**
 * Announces each warning threshold (and 100%) once as spending crosses it. A period that starts
 * over (a new day, month or session) lowers the fraction and re-arms the thresholds below it.
 */
export class ThresholdTracker {
  private readonly seen = new Map<string, number>();

  /** Lines to show for thresholds crossed since the last call. */
  update(states: BudgetState[], warnAt: number[]): { exceeded: boolean; text: string }[] {
    const marks = [...new Set([...warnAt, 1])].sort((a, b) => a - b);
    const out: { exceeded: boolean; text: string }[] = [];
    for (const s of states) {
      const key = `${s.scope}/${s.period}`;
      const fraction = s.limitUsd > 0 ? s.spentUsd / s.limitUsd : s.level === 'exceeded' ? 1 : 0;
      const reached = marks.filter((m) => fraction >= m).pop() ?? 0;
      const before = this.seen.get(key);
      this.seen.set(key, reached);
      if (before === undefined ? reached === 0 : reached <= before) continue;
      const p = PERIOD_TEXT[s.period];
      const where = s.scope === 'global' ? '' : ` for gateway "${s.scope}"`;
      const text =
        reached >= 1
          ? `${p.name} budget${where} reached: ${usd(s.spentUsd)} of ${usd(s.limitUsd)}. ` +
              (s.overridden
                ? 'Requests still go through: the budget is overridden until the editor restarts.'
                : 'New requests are refused until you raise the limit or run "Switchyard: Override Budget".')
          : `${p.name} budget${where} at ${Math.round(reached * 100)}%: ${usd(s.spentUsd)} of ${usd(s.limitUsd)} spent ${p.spent}.`;
      out.push({ exceeded: reached >= 1, text });
    }
    return out;
  }
}
