// `@switchyard` in VS Code's Chat: answers from local data — the ledger and the merged catalog — without
// calling any model, so asking it costs nothing. `/spend` (today, this month, by model and source), `/models
// <query>` (the catalog's search with prices), `/compare <a> <b>`. Answers are Markdown; their command links
// open the Models explorer, a model's details and the spend report.
import * as vscode from 'vscode';
import { CatalogRequest, ModelRequest, SpendReportRequest, type SpendReport } from '../../server/protocol/messages';
import type { MergedModel } from '../../server/protocol/model';
import type { ExtensionState } from '../state';
import { callCost, formatPricePair, formatSpend, formatTokens, formatUsd, markdownCode } from '../../server/protocol/present';
import { sourceLabel } from '../status/report';

export const PARTICIPANT_ID = 'switchyard.switchyard';
/** Commands the answers' links may run (a trusted MarkdownString runs only these). */
const LINK_COMMANDS = ['switchyard.models.focus', 'switchyard.showSpendReport', 'switchyard.model.showDetails', 'switchyard.model.compare'];
const MODELS_SHOWN = 15;

type Client = Awaited<ReturnType<ExtensionState['ready']>>;

export function registerParticipant(state: ExtensionState): vscode.Disposable[] {
  const chat = (vscode as { chat?: typeof vscode.chat }).chat;
  if (typeof chat?.createChatParticipant !== 'function') return [];
  const participant = chat.createChatParticipant(PARTICIPANT_ID, async (request, _context, stream, token) => {
    const client = await state.ready();
    if (token.isCancellationRequested) return {};
    const md = await answer(client, request.command, request.prompt.trim());
    const out = new vscode.MarkdownString(md);
    out.isTrusted = { enabledCommands: LINK_COMMANDS };
    stream.markdown(out);
    return {};
  });
  participant.iconPath = vscode.Uri.joinPath(state.context.extensionUri, 'media', 'icon.png');
  return [participant];
}

export async function answer(client: Pick<Client, 'sendRequest'>, command: string | undefined, prompt: string): Promise<string> {
  switch (command) {
    case 'spend':
      return spend(client);
    case 'models':
      return models(client, prompt);
    case 'compare':
      return compare(client, prompt.split(/[\s,]+/).filter(Boolean));
    default:
      return help();
  }
}

const link = (command: string, args: unknown[] | undefined, label: string) =>
  `[${label}](command:${command}${args ? `?${encodeURIComponent(JSON.stringify(args))}` : ''})`;
/**
 * Text from gateways and the catalog, inline in a table cell or a link label: never trusted as Markdown
 * (these answers allow command links), so what could open a link, code, emphasis, HTML or a new cell is
 * escaped. Unlike escapeMarkdown, characters that mean something only at the start of a line (`-`, `.`,
 * `#`, `+`) stay as they are: a name reads "GPT-4o" in the source too.
 */
const text = (s: string) => s.replace(/[\\`*_[\]()<>|!~$&]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
/** An ID as code, safe inside a table cell. */
const code = (s: string) => markdownCode(s).replace(/\|/g, '\\|');

function help(): string {
  return [
    'I answer from Switchyard\'s own data, without calling a model (free):',
    '',
    '- `/spend` — what you spent today and this month, by model and by source (VS Code Chat, chat panel, proxy, CLI)',
    '- `/models <search>` — models of your gateways with their prices, e.g. `/models claude`',
    '- `/compare <a> <b>` — two or more models side by side, e.g. `/compare gpt-4o claude-4-sonnet`',
    '',
    `${link('switchyard.models.focus', undefined, 'Open the Models explorer')} · ${link('switchyard.showSpendReport', undefined, 'Spend report')}`,
  ].join('\n');
}

function localDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

async function spend(client: Pick<Client, 'sendRequest'>): Promise<string> {
  const now = new Date();
  const today = localDay(now);
  const monthStart = localDay(new Date(now.getFullYear(), now.getMonth(), 1));
  const [day, month] = await Promise.all([
    client.sendRequest(SpendReportRequest, { from: today, to: today }),
    client.sendRequest(SpendReportRequest, { from: monthStart, to: today }),
  ]);
  const lines = [
    `**Today:** ${formatSpend(day.totalUsd)} in ${day.requests} request(s) · **this month:** ${formatSpend(month.totalUsd)} in ${month.requests} request(s)`,
  ];
  const unknown = month.unknownCostRequests ? ` (${month.unknownCostRequests} request(s) this month have an unknown cost and are not in the totals)` : '';
  if (unknown) lines.push('', unknown.trim());
  lines.push('', ...sourceTable(day, month), '', ...modelTable(month));
  lines.push('', `${link('switchyard.showSpendReport', [{ period: 'month' }], 'Open the spend report')} · ${link('switchyard.models.focus', undefined, 'Models explorer')}`);
  return lines.join('\n');
}

function sourceTable(day: SpendReport, month: SpendReport): string[] {
  const sources = month.bySource ?? [];
  if (!sources.length) return ['No requests on the ledger this month yet.'];
  const todayOf = (s: string) => day.bySource?.find((x) => x.source === s);
  return [
    '| Source | Today | This month | Requests (month) |',
    '| --- | ---: | ---: | ---: |',
    ...sources.map((s) => `| ${sourceLabel(s.source)} | ${formatSpend(todayOf(s.source)?.usd ?? 0)} | ${formatSpend(s.usd)} | ${s.requests} |`),
  ];
}

function modelTable(month: SpendReport): string[] {
  if (!month.byModel.length) return [];
  return [
    '| Model (this month) | Gateway | Requests | Cost |',
    '| --- | --- | ---: | ---: |',
    ...month.byModel.slice(0, 10).map((m) => `| ${code(m.model)} | ${text(m.gateway)} | ${m.requests} | ${formatSpend(m.usd)} |`),
  ];
}

function priceOf(m: MergedModel): string {
  return formatPricePair(m.pricing, { free: m.free, estimated: m.priceSource === 'table' });
}

async function models(client: Pick<Client, 'sendRequest'>, query: string): Promise<string> {
  const res = await client.sendRequest(CatalogRequest, { filter: { text: query || undefined, includeDeprecated: false }, sort: 'price', limit: MODELS_SHOWN });
  if (!res.total) return `No model matches ${code(query)}. ${link('switchyard.models.focus', undefined, 'Browse the Models explorer')}`;
  const rows = res.models.map(
    (m) => `| ${link('switchyard.model.showDetails', [m.canonicalId], text(m.name))} | ${code(m.canonicalId)} | ${priceOf(m)} | ${formatTokens(m.contextLength ?? NaN)} | ${text(m.offers.map((o) => o.gateway).join(', '))} |`,
  );
  return [
    `${res.total} model(s) match${query ? ` ${code(query)}` : ''}${res.total > MODELS_SHOWN ? `; the ${MODELS_SHOWN} cheapest` : ''}:`,
    '',
    '| Model | ID | Price (in / out) | Context | Gateways |',
    '| --- | --- | --- | ---: | --- |',
    ...rows,
    '',
    link('switchyard.models.focus', undefined, 'Open the Models explorer'),
  ].join('\n');
}

async function compare(client: Pick<Client, 'sendRequest'>, ids: string[]): Promise<string> {
  if (ids.length < 2) return 'Name two to four models: `/compare gpt-4o claude-4-sonnet`.';
  const found = await Promise.all(ids.slice(0, 4).map((id) => client.sendRequest(ModelRequest, { id })));
  const missing = ids.slice(0, 4).filter((_, i) => !found[i]);
  if (missing.length) return `Unknown model(s): ${missing.map(code).join(', ')}. Try ${code(`/models ${missing[0]}`)}.`;
  const ms = found as MergedModel[];
  const row = (label: string, f: (m: MergedModel) => string) => `| ${label} | ${ms.map((m) => f(m)).join(' | ')} |`;
  const sample = (m: MergedModel) => {
    const c = callCost(m.pricing);
    return c === undefined ? '?' : formatUsd(c);
  };
  return [
    `| | ${ms.map((m) => link('switchyard.model.showDetails', [m.canonicalId], text(m.name))).join(' | ')} |`,
    `| --- | ${ms.map(() => '---').join(' | ')} |`,
    row('ID', (m) => code(m.canonicalId)),
    row('Price per M (in / out)', priceOf),
    row('1k in + 1k out', sample),
    row('Context', (m) => formatTokens(m.contextLength ?? NaN)),
    row('Max output', (m) => formatTokens(m.maxOutput ?? NaN)),
    row('Tools / vision', (m) => `${m.capabilities.tools ? 'yes' : 'no'} / ${m.capabilities.vision ? 'yes' : 'no'}`),
    row('Gateways', (m) => text(m.offers.map((o) => o.gateway).join(', '))),
    '',
    link('switchyard.models.focus', undefined, 'Open the Models explorer'),
  ].join('\n');
}
