// Budgets as pure functions of the settings and the spend totals: which limits exist, how full each
// is, and whether a request to a gateway must be refused. No I/O here, so every rule is unit-tested.
import type { BudgetState } from '../protocol/messages';
import type { Settings } from '../protocol/settings';
import type { Failure } from '../core/services';
import { formatSpend as usd } from '../protocol/present';
import { toNanos } from './usd';

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

/** The settings key a person edits to raise this limit. */
export function settingPath(s: Pick<BudgetState, 'scope' | 'period'>): string {
  return s.scope === 'global' ? `budget.${s.period}` : `budget.perGateway["${s.scope}"].${s.period}`;
}

/** USD held by requests in flight in a scope ("global" or a gateway id), and how many hold it. */
export type ReservedLookup = (scope: string) => { usd: number; requests: number };

/**
 * A request to `gateway` is refused when a global limit or that gateway's own limit (not overridden)
 * is reached, or when its worst case (`worstUsd`) on top of what is spent and what requests in
 * flight hold would pass the limit. One exception: a worst case larger than the whole limit could
 * never fit, so such a request goes when it is alone in flight and the limit is not reached —
 * otherwise a model with a large max output could never be used under a small budget (README
 * "Budgets": the overshoot this allows).
 */
export function budgetFailure(states: BudgetState[], gateway: string, reserved?: ReservedLookup, worstUsd = 0): Failure | undefined {
  for (const s of states) {
    if ((s.scope !== 'global' && s.scope !== gateway) || s.overridden) continue;
    const held = reserved?.(s.scope) ?? { usd: 0, requests: 0 };
    if (s.level === 'exceeded') return refusal(s, gateway, held);
    // In nano-dollars: a float sum must not refuse a request that fits exactly.
    const fits = toNanos(s.spentUsd) + toNanos(held.usd) + toNanos(worstUsd) <= toNanos(s.limitUsd);
    const never = toNanos(worstUsd) > toNanos(s.limitUsd);
    if (!fits && (held.requests > 0 || !never)) return refusal(s, gateway, held, worstUsd);
  }
  return undefined;
}

function refusal(s: BudgetState, gateway: string, held: { usd: number; requests: number }, worstUsd?: number): Failure {
  const p = PERIOD_TEXT[s.period];
  const where = s.scope === 'global' ? 'across all gateways' : `on gateway "${s.scope}"`;
  const inFlight = held.requests ? ` and ${usd(held.usd)} reserved by ${held.requests} request(s) in flight` : '';
  const what =
    worstUsd === undefined
      ? `${p.name} budget ${where} reached: ${usd(s.spentUsd)} spent ${p.spent}${inFlight} of a ${usd(s.limitUsd)} limit. `
      : `${p.name} budget ${where} has no room for this request: ${usd(s.spentUsd)} spent ${p.spent}${inFlight} of a ${usd(s.limitUsd)} limit, ` +
        `and this request may cost up to ${usd(worstUsd)} (its prompt plus max_tokens, or the model's max output). Retry when those finish, lower max_tokens, `;
  return {
    kind: 'budget',
    status: 402,
    code: 'budget_exceeded',
    gateway,
    retryable: false,
    message:
      what +
      `${worstUsd === undefined ? 'R' : 'or r'}aise "switchyard.${settingPath(s)}" (in a --config file: "${settingPath(s)}"), ` +
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
