// Search / Filter: one quick pick whose typed text filters the tree live (ID, name, provider — matched by
// the server), with toggles for free / tools / vision / reasoning and sub-dialogs for price, context and
// modalities. The number of matching models is shown as the pick's title while typing.
import * as vscode from 'vscode';
import type { Modality } from '../../server/protocol/model';
import { formatTokens } from '../../server/protocol/present';
import {
  MODALITIES,
  clean,
  filterSummary,
  isFilterActive,
  parseMaxPrice,
  parseTokenCount,
  toggle,
  type Capability,
  type ViewFilter,
} from './filterModel';
import type { ViewStateStore } from './viewState';

type Action =
  | { type: 'done' }
  | { type: 'clear' }
  | { type: 'free' }
  | { type: 'cap'; cap: Capability }
  | { type: 'price' | 'context' | 'inModality' | 'outModality' };

interface ActionItem extends vscode.QuickPickItem {
  action: Action;
}

const TEXT_DEBOUNCE_MS = 200;

const check = (on: boolean | undefined) => (on ? '$(pass-filled)' : '$(circle-large-outline)');

function items(f: ViewFilter, text: string): (ActionItem | vscode.QuickPickItem)[] {
  const sep = (label: string): vscode.QuickPickItem => ({ label, kind: vscode.QuickPickItemKind.Separator });
  const price = f.maxInputPerMTok !== undefined || f.maxOutputPerMTok !== undefined;
  const list: (ActionItem | vscode.QuickPickItem)[] = [
    // Its label holds the typed text, so the quick pick's own matching keeps it first: Enter = done.
    { label: text ? `$(search) Show models matching "${text}"` : '$(check) Done', action: { type: 'done' }, alwaysShow: true },
    sep('toggle'),
    { label: `${check(f.freeOnly)} Free only`, action: { type: 'free' }, alwaysShow: true },
    ...(['tools', 'vision', 'reasoning'] as const).map((cap) => ({
      label: `${check(f.capabilities?.includes(cap))} ${cap[0].toUpperCase()}${cap.slice(1)}`,
      description: cap === 'tools' ? 'function calling' : cap === 'vision' ? 'image input' : 'thinking models',
      action: { type: 'cap', cap } as Action,
      alwaysShow: true,
    })),
    sep('limits'),
    { label: '$(tag) Max price…', description: price ? filterSummary({ maxInputPerMTok: f.maxInputPerMTok, maxOutputPerMTok: f.maxOutputPerMTok }) : 'any', action: { type: 'price' }, alwaysShow: true },
    { label: '$(fold) Min context…', description: f.minContext ? `≥ ${formatTokens(f.minContext)} tokens` : 'any', action: { type: 'context' }, alwaysShow: true },
    { label: '$(arrow-right) Input modalities…', description: f.inputModalities?.join(', ') || 'any', action: { type: 'inModality' }, alwaysShow: true },
    { label: '$(arrow-left) Output modalities…', description: f.outputModalities?.join(', ') || 'any', action: { type: 'outModality' }, alwaysShow: true },
  ];
  if (isFilterActive(f)) list.push(sep(''), { label: '$(clear-all) Clear all filters', action: { type: 'clear' }, alwaysShow: true });
  return list;
}

/** Applies a toggle in place ('stay'), or says the pick must close: done (undefined) or a sub-dialog. */
async function applyAction(view: ViewStateStore, a: Action, text: string): Promise<'stay' | Action | undefined> {
  const f = { ...view.get().filter, text };
  switch (a.type) {
    case 'done':
      await view.setFilter(f);
      return undefined;
    case 'clear':
      await view.setFilter({});
      return 'stay';
    case 'free':
      await view.setFilter({ ...f, freeOnly: !f.freeOnly });
      return 'stay';
    case 'cap':
      await view.setFilter({ ...f, capabilities: toggle(f.capabilities, a.cap) });
      return 'stay';
    default:
      await view.setFilter(f);
      return a;
  }
}

/** Runs one quick pick until a sub-dialog is needed (returned) or the person is done (undefined). */
function runPick(view: ViewStateStore, count: (f: ViewFilter) => Promise<number | undefined>): Promise<Action | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<ActionItem | vscode.QuickPickItem>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let seq = 0;
    let settled = false;
    const finish = (a: Action | undefined) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      qp.hide();
      resolve(a);
    };
    const render = async () => {
      const f = view.get().filter;
      const active = qp.activeItems[0];
      qp.items = items(f, qp.value.trim());
      // Keep the cursor on the toggled item instead of jumping back to the top.
      const same = active && qp.items.find((i) => i.label.slice(i.label.indexOf(' ')) === active.label.slice(active.label.indexOf(' ')));
      if (same) qp.activeItems = [same];
      const mine = ++seq;
      const n = await count(f).catch(() => undefined);
      if (mine === seq && !settled) qp.title = `Filter models${n === undefined ? '' : ` — ${n.toLocaleString('en-US')} match`}`;
    };
    qp.title = 'Filter models';
    qp.placeholder = 'Type to search IDs, names and providers; pick an entry to toggle a filter';
    qp.value = view.get().filter.text ?? '';
    qp.ignoreFocusOut = false;
    qp.onDidChangeValue((v) => {
      qp.items = items(view.get().filter, v.trim());
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void view.setFilter({ ...view.get().filter, text: v }).then(render), TEXT_DEBOUNCE_MS);
    });
    qp.onDidAccept(async () => {
      // Apply the typed text now, not after the debounce: Enter means "this is my search".
      if (timer) clearTimeout(timer);
      const a = (qp.activeItems[0] as ActionItem | undefined)?.action ?? { type: 'done' };
      const next = await applyAction(view, a, qp.value);
      if (next !== 'stay') return finish(next);
      if (a.type === 'clear') qp.value = '';
      await render();
    });
    qp.onDidHide(() => {
      // Escape keeps what was typed so far (it was already applied live).
      finish(undefined);
      qp.dispose();
    });
    void render();
    qp.show();
  });
}

async function askPrice(f: ViewFilter): Promise<ViewFilter | undefined> {
  const cur = f.maxInputPerMTok === undefined ? '' : f.maxInputPerMTok === f.maxOutputPerMTok ? String(f.maxInputPerMTok) : `${f.maxInputPerMTok ?? ''}/${f.maxOutputPerMTok ?? ''}`;
  const v = await vscode.window.showInputBox({
    title: 'Max price (USD per million tokens)',
    prompt: '5 = input and output ≤ $5/M; 3/15 = input ≤ $3/M and output ≤ $15/M; empty = any price',
    value: cur,
    validateInput: (t) => {
      const r = parseMaxPrice(t);
      return r.ok ? undefined : r.error;
    },
  });
  if (v === undefined) return undefined;
  const r = parseMaxPrice(v);
  return r.ok ? { ...f, maxInputPerMTok: r.value.maxInputPerMTok, maxOutputPerMTok: r.value.maxOutputPerMTok } : undefined;
}

async function askContext(f: ViewFilter): Promise<ViewFilter | undefined> {
  const presets = [0, 8_000, 32_000, 128_000, 200_000, 1_000_000];
  const picks = [
    ...presets.map((n) => ({ label: n ? `≥ ${formatTokens(n)} tokens` : 'Any context', n: n as number | 'custom', picked: (f.minContext ?? 0) === n })),
    { label: 'Custom…', n: 'custom' as const, picked: false },
  ];
  const p = await vscode.window.showQuickPick(picks, { title: 'Minimum context window' });
  if (!p) return undefined;
  if (p.n !== 'custom') return { ...f, minContext: p.n || undefined };
  const v = await vscode.window.showInputBox({
    title: 'Minimum context window',
    prompt: 'Tokens, e.g. 64000, 64k or 1M',
    value: f.minContext ? formatTokens(f.minContext) : '',
    validateInput: (t) => {
      const r = parseTokenCount(t);
      return r.ok ? undefined : r.error;
    },
  });
  const r = v === undefined ? undefined : parseTokenCount(v);
  return r?.ok ? { ...f, minContext: r.value } : undefined;
}

async function askModalities(f: ViewFilter, side: 'input' | 'output'): Promise<ViewFilter | undefined> {
  const cur = (side === 'input' ? f.inputModalities : f.outputModalities) ?? [];
  const picked = await vscode.window.showQuickPick(
    MODALITIES.map((m) => ({ label: m, picked: cur.includes(m) })),
    { title: `${side === 'input' ? 'Input' : 'Output'} modalities the model must support (none = any)`, canPickMany: true },
  );
  if (!picked) return undefined;
  const list = picked.map((p) => p.label as Modality);
  return side === 'input' ? { ...f, inputModalities: list } : { ...f, outputModalities: list };
}

export async function showFilterPick(view: ViewStateStore, count: (f: ViewFilter) => Promise<number | undefined>): Promise<void> {
  for (;;) {
    const action = await runPick(view, count);
    if (!action) return;
    const f = view.get().filter;
    const next =
      action.type === 'price' ? await askPrice(f)
      : action.type === 'context' ? await askContext(f)
      : action.type === 'inModality' ? await askModalities(f, 'input')
      : action.type === 'outModality' ? await askModalities(f, 'output')
      : undefined;
    if (next) await view.setFilter(clean(next));
  }
}
