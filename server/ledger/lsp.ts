// Money on the wire: the one status notification (pushed on every change, at most every ~200 ms),
// the status/spend-report/ledger requests and the budget override.
import { ErrorCodes, MessageType, ResponseError, ShowMessageNotification } from 'vscode-languageserver/node';
import type { FeatureContext } from '../lsp/context';
import type { Logger } from '../core/log';
import type { Disposable, ProxyHandle } from '../core/services';
import { onRequest } from '../lsp/params';
import {
  BudgetOverrideParamsSchema,
  BudgetOverrideRequest,
  LedgerRequest,
  SpendReportParamsSchema,
  SpendReportRequest,
  StatusNotification,
  StatusRequest,
  type StatusParams,
} from '../protocol/messages';
import { errorMessage } from '../core/errors';
import { ThresholdTracker } from './budget';
import { ReportRangeError } from './report';

const PUSH_DELAY_MS = 200;

export function registerMoneyHandlers(ctx: FeatureContext): void {
  const { connection, app, onSettings, disposables } = ctx;
  const { money } = app;
  const { build, schedule, followProxy, dispose } = createStatusPusher(ctx);

  connection.onRequest(StatusRequest, () => build());
  onRequest(connection, SpendReportRequest, SpendReportParamsSchema, (p) => withRangeErrors(() => money.spendReport(p)));
  onRequest(connection, LedgerRequest, SpendReportParamsSchema, (p) => withRangeErrors(() => money.ledger(p)));
  onRequest(connection, BudgetOverrideRequest, BudgetOverrideParamsSchema, ({ scope }) => {
    money.override(scope);
    schedule();
    return build();
  });

  disposables.push(money.onDidChange(schedule), app.catalog.onDidChange(schedule), dispose);
  onSettings(schedule);
  // The proxy feature publishes `app.proxy` while the features register, all before the settings are
  // ready: following it then (and on every build) sees it without polling for it.
  void ctx.settingsReady.then(followProxy);
  schedule();
}

/** Builds the status (money + proxy) and pushes it when it changed, at most every PUSH_DELAY_MS. */
function createStatusPusher({ connection, app, log }: FeatureContext) {
  const { money } = app;
  const tracker = new ThresholdTracker();
  let proxy: ProxyHandle | undefined;
  let proxySub: Disposable | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastSent = '';
  let disposed = false;

  const followProxy = () => {
    if (disposed || app.proxy === proxy) return;
    proxySub?.dispose();
    proxy = app.proxy;
    proxySub = proxy?.onDidChange(schedule);
    schedule();
  };

  const build = (): StatusParams => {
    followProxy();
    const status = money.status();
    const info = proxy?.info();
    if (info) {
      const off = app.options.getSettings().proxy.enabled ? 'the local proxy is not running' : 'turned off (switchyard.proxy.enabled)';
      status.proxy = info.running && info.url ? { url: info.url, requests: info.requests } : { error: info.error ?? off };
    }
    return status;
  };

  const push = () => {
    timer = undefined;
    try {
      const status = build();
      for (const m of tracker.update(status.budgets, app.options.getSettings().budget.warnAt)) {
        // A notification, not window/showMessageRequest: nothing to answer, and no client is kept waiting.
        const type = m.exceeded ? MessageType.Error : MessageType.Warning;
        send(() => connection.sendNotification(ShowMessageNotification.type, { type, message: `Switchyard: ${m.text}` }));
      }
      const json = JSON.stringify(status);
      if (json === lastSent) return;
      lastSent = json;
      send(() => connection.sendNotification(StatusNotification, status));
    } catch (e) {
      quiet(log, e);
    }
  };
  const send = (notify: () => Promise<void>) => void notify().catch((e: unknown) => quiet(log, e));

  // Throttle rather than reset-on-each-event: a burst of proxy traffic still updates the bar every 200 ms.
  function schedule(): void {
    if (timer || disposed) return;
    timer = setTimeout(push, PUSH_DELAY_MS);
    timer.unref?.();
  }

  const dispose = () => {
    disposed = true;
    clearTimeout(timer);
    timer = undefined;
    proxySub?.dispose();
    proxySub = undefined;
  };

  return { build, schedule, followProxy, dispose };
}

/** Typically the connection closed while a push was pending (shutdown): nothing left to tell, and
 * the log itself goes over that connection, so it may throw too. */
function quiet(log: Logger, e: unknown): void {
  try {
    log.debug(`status not sent: ${errorMessage(e)}`);
  } catch {
    /* connection gone */
  }
}

async function withRangeErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof ReportRangeError) throw new ResponseError(ErrorCodes.InvalidParams, e.message);
    throw e;
  }
}
