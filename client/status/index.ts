// The cost status bar item and the spend report. Everything shown comes from the server's one
// StatusNotification (render.ts) and its SpendReport (report.ts); this file only wires VS Code.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import * as z from '../../server/protocol/zod';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ServerState } from '../lsp/states';
import {
  BudgetOverrideRequest,
  LedgerRequest,
  SpendReportRequest,
  StatusNotification,
  StatusRequest,
  type SpendReportParams,
  type StatusParams,
} from '../../server/protocol/messages';
import { registerCommandTable, type CommandTable } from '../commands';
import type { ExtensionState, Feature } from '../state';
import { renderStatusBar, STATUS_COMMANDS, usd } from './render';
import { REPORT_COMMANDS, renderReportHtml } from './report';
import { ledgerCsv } from './csv';

/** Arguments of the report command, as they arrive from a `command:` link or another extension: untrusted. */
const Day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));
const ReportArgs = z.strictObject({
  days: z.optional(z.int().check(z.minimum(1), z.maximum(3700))),
  period: z.optional(z.literal('month')),
  from: z.optional(Day),
  to: z.optional(Day),
});
const ExportArgs = z.strictObject({ from: z.optional(Day), to: z.optional(Day) });

const pad = (n: number) => String(n).padStart(2, '0');
const day = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** The range a button asks for, in local calendar days. */
function rangeOf(args: z.infer<typeof ReportArgs>): SpendReportParams {
  const now = new Date();
  if (args.period === 'month') return { from: day(new Date(now.getFullYear(), now.getMonth(), 1)), to: day(now) };
  if (args.days) return { from: day(new Date(now.getFullYear(), now.getMonth(), now.getDate() - (args.days - 1))), to: day(now) };
  return { from: args.from, to: args.to };
}

function parseArg<T extends z.ZodMiniType>(schema: T, arg: unknown): z.infer<T> {
  const r = schema.safeParse(arg ?? {});
  if (!r.success) throw new Error(`invalid command arguments: ${z.prettifyError(r.error)}`);
  return r.data;
}

export const statusFeature: Feature = (state) => {
  const item = vscode.window.createStatusBarItem('switchyard.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Switchyard Cost';
  item.command = 'switchyard.showSpendReport';
  item.text = '$(sync~spin) Switchyard';
  item.tooltip = 'Switchyard: starting the language server…';
  item.show();
  let last: StatusParams | undefined;
  const report = new ReportPanel(state);

  const apply = (s: StatusParams) => {
    const spendChanged = !last || last.todaySpendUsd !== s.todaySpendUsd || last.sessionSpendUsd !== s.sessionSpendUsd;
    last = s;
    const view = renderStatusBar(s);
    item.text = view.text;
    const tip = new vscode.MarkdownString(view.tooltip, true);
    tip.isTrusted = { enabledCommands: [...STATUS_COMMANDS] };
    item.tooltip = tip;
    item.accessibilityInformation = { label: view.accessibility };
    item.backgroundColor =
      view.background === 'none' ? undefined : new vscode.ThemeColor(`statusBarItem.${view.background}Background`);
    if (spendChanged) report.refreshIfOpen();
  };

  state.onClient((client) => {
    const sub = client.onNotification(StatusNotification, apply);
    const states = client.onDidChangeState((e) => {
      if (e.newState === ServerState.Running) {
        client.sendRequest(StatusRequest).then(apply, (err) => state.log.warn(`status unavailable: ${String(err?.message ?? err)}`));
      } else if (e.newState === ServerState.Stopped) {
        last = undefined;
        item.text = '$(debug-disconnect) Switchyard';
        item.tooltip = 'The Switchyard language server is not running. Run "Switchyard: Restart Language Server" or see the logs.';
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      }
    });
    return [sub, states];
  });

  const commands: CommandTable = {
    'switchyard.showSpendReport': async (_s, arg) => report.show(rangeOf(parseArg(ReportArgs, arg))),
    'switchyard.exportSpendCsv': async (_s, arg) => exportCsv(state, arg === undefined ? report.range : parseArg(ExportArgs, arg)),
    'switchyard.overrideBudget': async () => {
      const next = await overrideBudget(state, last);
      if (next) apply(next);
    },
  };
  return [item, report, ...registerCommandTable(state, commands)];
};

class ReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  range: SpendReportParams = {};
  private refreshing: Promise<void> | undefined;

  constructor(private readonly state: ExtensionState) {}

  async show(range: SpendReportParams): Promise<void> {
    this.range = range;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('switchyard.spendReport', 'Switchyard: Spend Report', vscode.ViewColumn.Active, {
        enableScripts: false,
        enableCommandUris: [...REPORT_COMMANDS],
        localResourceRoots: [],
      });
      this.panel.onDidDispose(() => (this.panel = undefined));
    } else {
      this.panel.reveal();
    }
    await this.render();
  }

  /** New spend arrived (this window or another): redraw an open report, at most one request at a time. */
  refreshIfOpen(): void {
    if (!this.panel || this.refreshing) return;
    this.refreshing = this.render().finally(() => (this.refreshing = undefined));
  }

  private async render(): Promise<void> {
    const panel = this.panel;
    if (!panel) return;
    const nonce = randomBytes(16).toString('base64');
    try {
      const client: LanguageClient = await this.state.ready();
      const r = await client.sendRequest(SpendReportRequest, this.range);
      if (this.panel === panel) panel.webview.html = renderReportHtml(r, { nonce });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      if (this.panel === panel) panel.webview.html = renderReportHtml(undefined, { nonce, error });
    }
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

async function exportCsv(state: ExtensionState, range: SpendReportParams): Promise<void> {
  const client = await state.ready();
  const label = `${range.from ?? 'last-30-days'}${range.to ? `_${range.to}` : ''}`;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
  const target = await vscode.window.showSaveDialog({
    title: 'Export Switchyard cost ledger',
    defaultUri: vscode.Uri.joinPath(folder, `switchyard-ledger-${label}.csv`),
    filters: { CSV: ['csv'] },
    saveLabel: 'Export',
  });
  if (!target) return;
  const rows = await client.sendRequest(LedgerRequest, range);
  await vscode.workspace.fs.writeFile(target, Buffer.from(ledgerCsv(rows), 'utf8'));
  const open = await vscode.window.showInformationMessage(`Exported ${rows.length} ledger row(s) to ${target.fsPath}.`, 'Open');
  if (open) await vscode.window.showTextDocument(target);
}

async function overrideBudget(state: ExtensionState, last: StatusParams | undefined): Promise<StatusParams | undefined> {
  const client = await state.ready();
  const status = last ?? (await client.sendRequest(StatusRequest));
  if (!status.budgets.length) {
    void vscode.window.showInformationMessage('No budget is configured (switchyard.budget.daily / monthly / session / perGateway).');
    return undefined;
  }
  const scopes = [...new Set(status.budgets.map((b) => b.scope))];
  const items: (vscode.QuickPickItem & { scope?: string })[] = [
    { label: '$(unlock) All budgets', description: 'every limit, global and per gateway', scope: undefined },
    ...scopes.map((scope) => {
      const mine = status.budgets.filter((b) => b.scope === scope);
      return {
        label: scope === 'global' ? 'Global budgets' : `Gateway ${scope}`,
        description: mine.map((b) => `${b.period} ${usd(b.spentUsd)}/${usd(b.limitUsd)}${b.overridden ? ' (overridden)' : ''}`).join(' · '),
        scope,
      };
    }),
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Override budget until the editor restarts',
    placeHolder: 'Requests over the limit will go through; raising the limit in settings is the lasting fix.',
  });
  if (!pick) return undefined;
  const next = await client.sendRequest(BudgetOverrideRequest, pick.scope ? { scope: pick.scope } : {});
  void vscode.window.showInformationMessage(`Switchyard: ${pick.label.replace('$(unlock) ', '')} overridden until the editor restarts.`);
  return next;
}
