// PLACEHOLDER until the pipeline lands (issue 9): refuses every request with a clear failure.
import type { CatalogService, MoneyService, Pipeline } from '../core/services';
import type { AppOptions } from '../core/app';
import type { Dispatcher } from 'undici';

type Deps = AppOptions & { dispatcher: Dispatcher; catalog: CatalogService };

export function createMoneyService(_opts: Deps): MoneyService {
  return {
    checkBudget: () => undefined,
    async record() {},
    status: () => ({ health: 'starting', balances: [], sessionSpendUsd: 0, todaySpendUsd: 0, budgets: [], budgetLevel: 'ok', catalogSource: 'offline' }),
    balances: () => [],
    async refreshBalances() {},
    async spendReport() { return { from: '', to: '', totalUsd: 0, requests: 0, byDay: [], byModel: [], unknownCostRequests: 0 }; },
    async ledger() { return []; },
    override() {},
    onDidChange() { return { dispose() {} }; },
    dispose() {},
  };
}

export function createPipeline(_opts: Deps & { money: MoneyService }): Pipeline {
  return {
    async execute() {
      return { ok: false, failure: { kind: 'no_gateway', status: 503, code: 'not_ready', message: 'the request pipeline is not available yet', retryable: false } };
    },
  };
}
