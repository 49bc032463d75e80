// What the status bar item shows, as a pure function of the server's one status notification (no
// `vscode` import, so it is unit-tested). The client computes nothing: it picks and formats fields.
import type { BudgetState, GatewayBalance, StatusParams } from '../../server/protocol/messages';
import { escapeMarkdown as md, formatCacheSavings, formatSpend as usd } from '../../server/protocol/present';

/** Amounts and escaping are the shared presentation module's (the spend report and the server's budget messages use them too). */
export { md, usd };

export interface StatusBarView {
  text: string;
  /** Markdown (trusted only for the command links listed in STATUS_COMMANDS). */
  tooltip: string;
  /** Which theme background: statusBarItem.warningBackground / errorBackground. */
  background: 'none' | 'warning' | 'error';
  accessibility: string;
}

export const STATUS_COMMANDS = ['switchyard.showSpendReport', 'switchyard.overrideBudget', 'switchyard.showLogs'] as const;

export const COST_SOURCE_TEXT: Record<NonNullable<StatusParams['lastRequest']>['costSource'], string> = {
  gateway: 'reported by the gateway',
  computed: 'tokens × catalog price',
  estimated: 'estimated from the embedded price table',
  unknown: 'unknown: the gateway reported no cost and no price is known',
};

const HEALTH_ICON: Record<StatusParams['health'], string> = {
  starting: '$(sync~spin)',
  ok: '$(credit-card)',
  degraded: '$(warning)',
  offline: '$(debug-disconnect)',
};

/** The balance shown in the bar: the active gateway's, else the first one known. */
function headline(s: StatusParams): GatewayBalance | undefined {
  const known = s.balances.filter((b) => b.balanceUsd !== undefined);
  return known.find((b) => b.gateway === s.activeGateway) ?? known[0];
}

export function renderStatusBar(s: StatusParams): StatusBarView {
  const parts: string[] = [];
  const main = headline(s);
  if (main?.balanceUsd !== undefined) parts.push(usd(main.balanceUsd));
  parts.push(`session ${usd(s.sessionSpendUsd)}`);
  if (s.lastRequest) parts.push(`last ${s.lastRequest.costUsd !== undefined ? usd(s.lastRequest.costUsd) : '?'}`);
  const text = `${HEALTH_ICON[s.health]} ${parts.join(' · ')}`;
  const background = s.budgetLevel === 'exceeded' ? 'error' : s.budgetLevel === 'warning' ? 'warning' : 'none';
  const accessibility =
    `Switchyard ${s.health}. ` +
    (main?.balanceUsd !== undefined ? `Balance ${usd(main.balanceUsd)} on ${main.gateway}. ` : '') +
    `Spent ${usd(s.sessionSpendUsd)} this session, ${usd(s.todaySpendUsd)} today. Budget ${s.budgetLevel}.`;
  return { text, tooltip: tooltip(s), background, accessibility };
}

function tooltip(s: StatusParams): string {
  const out: string[] = [`**Switchyard** — ${s.health}${s.message ? `: ${md(s.message)}` : ''}`, ''];
  out.push(...balanceLines(s.balances));
  out.push('', `**Spend** — today ${usd(s.todaySpendUsd)} · this session ${usd(s.sessionSpendUsd)}`);
  if (s.lastRequest) {
    const l = s.lastRequest;
    const cost = l.costUsd !== undefined ? usd(l.costUsd) : 'unknown cost';
    out.push('', `**Last request** — ${cost} (${COST_SOURCE_TEXT[l.costSource]}) · ${md(l.model)} via ${md(l.gateway)}`);
    const cache = cacheLine(l);
    if (cache) out.push('', cache);
  }
  if (s.budgets.length) out.push('', '**Budgets**', '', ...s.budgets.map(budgetLine));
  if (s.proxy) {
    out.push('', 'url' in s.proxy ? `**Proxy** — ${md(s.proxy.url)} · ${s.proxy.requests} request(s)` : `**Proxy** — not running: ${md(s.proxy.error)}`);
  }
  out.push('', `Catalog: ${s.catalogSource}`);
  const links = ['[$(graph) Spend report](command:switchyard.showSpendReport)'];
  if (s.budgets.some((b) => b.level === 'exceeded' && !b.overridden)) links.push('[$(unlock) Override budget](command:switchyard.overrideBudget)');
  if (s.health !== 'ok') links.push('[$(output) Logs](command:switchyard.showLogs)');
  out.push('', links.join(' · '));
  return out.join('\n');
}

/** `12,000 cached input tokens · caching saved $0.0300`; nothing when the request touched no cache. */
function cacheLine(l: NonNullable<StatusParams['lastRequest']>): string | undefined {
  const parts: string[] = [];
  if (l.cachedInputTokens) parts.push(`${l.cachedInputTokens.toLocaleString('en-US')} cached input tokens`);
  if (l.cacheSavingsUsd) parts.push(formatCacheSavings(l.cacheSavingsUsd, usd));
  return parts.length ? `$(database) ${parts.join(' · ')}` : undefined;
}

function balanceLines(balances: GatewayBalance[]): string[] {
  if (!balances.length) return ['No configured gateway reports a balance.'];
  const rows = balances.map((b) => {
    const value = b.balanceUsd !== undefined ? usd(b.balanceUsd) : b.usedUsd !== undefined ? `no limit (used ${usd(b.usedUsd)})` : b.error ? '—' : 'checking…';
    const when = b.updatedAt ? new Date(b.updatedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '';
    const note = b.error ? `$(warning) ${md(b.error)}` : when ? `updated ${when}` : '';
    return `| ${md(b.label)} | ${value} | ${note} |`;
  });
  return ['| Gateway | Balance | |', '|:--|--:|:--|', ...rows];
}

const PERIOD: Record<BudgetState['period'], string> = { daily: 'Daily', monthly: 'Monthly', session: 'Session' };

function budgetLine(b: BudgetState): string {
  const icon = b.level === 'exceeded' ? '$(error)' : b.level === 'warning' ? '$(warning)' : '$(pass)';
  const pct = b.limitUsd > 0 ? ` (${Math.round((b.spentUsd / b.limitUsd) * 100)}%)` : '';
  const scope = b.scope === 'global' ? 'all gateways' : md(b.scope);
  const over = b.overridden ? ' — overridden until restart' : b.level === 'exceeded' ? ' — requests refused' : '';
  return `- ${icon} ${PERIOD[b.period]}, ${scope}: ${usd(b.spentUsd)} of ${usd(b.limitUsd)}${pct}${over}`;
}
