// The Models tree as plain data: which nodes exist and how each reads (label, description, tooltip
// Markdown, icon, context value). No `vscode` import, so node:test covers it; provider.ts only maps these
// presentations onto TreeItems. Everything shown is computed by the server's catalog — this module only
// chooses words and layout.
import type { CatalogGroup, GatewayStatus, MergedModel, Offer } from '../../server/protocol/model';
import { escapeMarkdown, formatTokens, isFree, markdownCode, modelCard, modelLabel, offerPrice } from '../../server/protocol/present';

export type GroupBy = 'provider' | 'gateway';

/** What a group's children are: a server-side filter scope. */
export type GroupScope =
  | { type: 'favorites'; canonicalIds: string[] }
  | { type: 'provider'; key: string }
  | { type: 'gateway'; key: string };

export interface GroupNode {
  kind: 'group';
  id: string;
  scope: GroupScope;
  label: string;
  count: number;
}
export interface ModelNode {
  kind: 'model';
  id: string;
  model: MergedModel;
  /** Set under "group by gateway": the item shows and copies that gateway's offer. */
  gateway?: string;
  favorite: boolean;
}
export interface GatewayErrorNode {
  kind: 'gatewayError';
  id: string;
  status: GatewayStatus;
}
export interface MoreNode {
  kind: 'more';
  id: string;
  group: GroupNode;
  shown: number;
  total: number;
}
export interface NoticeNode {
  kind: 'notice';
  id: string;
  label: string;
  icon: string;
  tooltip?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
}
export type ExplorerNode = GroupNode | ModelNode | GatewayErrorNode | MoreNode | NoticeNode;

/** A codicon id, optionally tinted with a theme colour id. */
export interface IconSpec {
  id: string;
  color?: string;
}

export interface Presentation {
  label: string;
  description?: string;
  /** Markdown with `$(codicon)` references; every value from the catalog is escaped. */
  tooltip?: string;
  icon?: IconSpec;
  contextValue: string;
  collapsible: boolean;
}

const FAILED_STATES = new Set<GatewayStatus['state']>(['unauthorized', 'unreachable', 'malformed', 'rate-limited', 'error']);

export function isFailed(status: GatewayStatus): boolean {
  return FAILED_STATES.has(status.state);
}

// ---------------------------------------------------------------- structure

export interface RootInput {
  groupBy: GroupBy;
  groups: CatalogGroup[];
  /** Favorites that match the current filter (canonical IDs) — empty hides the group. */
  favorites: { canonicalIds: string[]; count: number };
  statuses: GatewayStatus[];
  filterActive: boolean;
  refreshing: boolean;
}

export function buildRoot(input: RootInput): ExplorerNode[] {
  const nodes: ExplorerNode[] = input.statuses.filter(isFailed).map((status) => ({
    kind: 'gatewayError' as const,
    id: `error:${status.gateway}`,
    status,
  }));
  if (input.favorites.count > 0) {
    nodes.push({
      kind: 'group',
      id: 'group:favorites',
      scope: { type: 'favorites', canonicalIds: input.favorites.canonicalIds },
      label: 'Favorites',
      count: input.favorites.count,
    });
  }
  for (const g of input.groups) {
    nodes.push({
      kind: 'group',
      id: `group:${input.groupBy}:${g.key}`,
      scope: { type: input.groupBy, key: g.key },
      label: g.label || g.key,
      count: g.count,
    });
  }
  if (input.groups.length === 0) nodes.push(emptyNotice(input));
  return nodes;
}

function emptyNotice(input: RootInput): NoticeNode {
  if (input.filterActive) {
    return {
      kind: 'notice',
      id: 'notice:no-match',
      label: 'No models match the filter',
      icon: 'filter',
      tooltip: 'Click to clear the filter',
      command: { command: 'switchyard.clearFilter', title: 'Clear Filter' },
    };
  }
  if (input.refreshing) return { kind: 'notice', id: 'notice:loading', label: 'Loading models…', icon: 'loading~spin' };
  return {
    kind: 'notice',
    id: 'notice:empty',
    label: 'No models yet',
    icon: 'info',
    tooltip: 'Click to refresh the catalog',
    command: { command: 'switchyard.refresh', title: 'Refresh' },
  };
}

/** Children of an expanded group: one page of models, then a "more" node when the group holds more. */
export function buildGroupChildren(
  group: GroupNode,
  models: MergedModel[],
  total: number,
  favorites: ReadonlySet<string>,
): ExplorerNode[] {
  const gateway = group.scope.type === 'gateway' ? group.scope.key : undefined;
  const nodes: ExplorerNode[] = models.map((model) => ({
    kind: 'model' as const,
    id: `${group.id}/${model.canonicalId}`,
    model,
    gateway,
    favorite: favorites.has(model.canonicalId),
  }));
  if (total > models.length) {
    nodes.push({ kind: 'more', id: `${group.id}/more`, group, shown: models.length, total });
  }
  return nodes;
}

// ---------------------------------------------------------------- presentation

export function groupLabel(node: GroupNode): string {
  return `${node.label} (${node.count.toLocaleString('en-US')})`;
}

export function presentGroup(node: GroupNode): Presentation {
  const icon: IconSpec =
    node.scope.type === 'favorites'
      ? { id: 'star-full' }
      : node.scope.type === 'gateway'
        ? { id: 'server-environment' }
        : { id: 'organization' };
  return { label: groupLabel(node), icon, contextValue: `group.${node.scope.type}`, collapsible: true };
}

/** The offer a node stands for: the grouping gateway's, else the preferred one. */
export function nodeOffer(node: Pick<ModelNode, 'model' | 'gateway'>): Offer {
  const m = node.model;
  const own = node.gateway ? m.offers.find((o) => o.gateway === node.gateway) : undefined;
  return own ?? { gateway: m.gateway, id: m.id, pricing: m.pricing, priceSource: m.priceSource };
}

/** The ID that Copy/Insert/Chat/Default use: exactly what that gateway accepts in `model`. */
export function nodeModelId(node: Pick<ModelNode, 'model' | 'gateway'>): string {
  return nodeOffer(node).id;
}

/** `$2.50 / $10 per M · 128k ctx`, prefixed `deprecated ·` when the model is on its way out. */
export function modelDescription(node: Pick<ModelNode, 'model' | 'gateway'>): string {
  const m = node.model;
  const offer = nodeOffer(node);
  const parts: string[] = [];
  if (m.deprecated) parts.push('deprecated');
  // Under a gateway group the row is that gateway's offer (its own price, its own `:free`).
  parts.push(offerPrice(node.gateway ? offer : { ...offer, free: m.free }));
  if (m.contextLength) parts.push(`${formatTokens(m.contextLength)} ctx`);
  return parts.join(' · ');
}

/** One icon per item: deprecation wins, then the strongest capability; free models are tinted green. */
export function modelIcon(m: MergedModel): IconSpec {
  if (m.deprecated) return { id: 'warning', color: 'list.warningForeground' };
  const id = m.capabilities.reasoning ? 'lightbulb' : m.capabilities.vision ? 'eye' : m.capabilities.tools ? 'tools' : 'symbol-constant';
  return isFree(m) ? { id, color: 'charts.green' } : { id };
}

export function presentModel(node: ModelNode): Presentation {
  const m = node.model;
  const flags = [node.favorite ? 'favorite' : '', m.deprecated ? 'deprecated' : '', isFree(m) ? 'free' : ''].filter(Boolean);
  return {
    label: modelLabel(m),
    description: modelDescription(node),
    tooltip: modelTooltip(m),
    icon: modelIcon(m),
    contextValue: ['model', ...flags].join(' '),
    collapsible: false,
  };
}

export function presentMore(node: MoreNode): Presentation {
  return {
    label: `Show more… (${(node.total - node.shown).toLocaleString('en-US')} of ${node.total.toLocaleString('en-US')} not shown)`,
    icon: { id: 'ellipsis' },
    contextValue: 'more',
    collapsible: false,
  };
}

const STATE_WORDS: Record<GatewayStatus['state'], string> = {
  ok: 'ok',
  loading: 'loading',
  unauthorized: 'API key rejected',
  unreachable: 'unreachable',
  malformed: 'unexpected response',
  'rate-limited': 'rate limited',
  error: 'error',
};

/** An error needs a key when the gateway refused it, or when there is none and the call was refused. */
export function errorNeedsKey(s: GatewayStatus): boolean {
  return s.state === 'unauthorized';
}

export function presentGatewayError(node: GatewayErrorNode): Presentation {
  const s = node.status;
  const label = s.label || s.gateway;
  const what = s.state === 'unauthorized' && !s.hasKey ? 'no API key' : STATE_WORDS[s.state];
  // Server messages often start with the gateway's label, which the row's label already shows.
  const message = s.message?.startsWith(`${label}: `) ? s.message.slice(label.length + 2) : s.message;
  const kept = s.source === 'cache' ? ` (showing ${s.modelCount.toLocaleString('en-US')} cached models)` : '';
  const lines = [
    `$(error) **${escapeMarkdown(label)}** (${markdownCode(s.gateway)}): ${escapeMarkdown(what)}`,
    s.message ? escapeMarkdown(s.message) : '',
    kept ? escapeMarkdown(kept.trim().replace(/^\(|\)$/g, '')) : '',
    errorNeedsKey(s) ? 'Use **Fix Key** to set the API key, or **Retry**.' : 'Use **Retry** once the problem is fixed.',
  ];
  return {
    label: `${label}: ${what}`,
    description: (message ?? '') + kept,
    tooltip: lines.filter(Boolean).join('\n\n'),
    icon: { id: 'error', color: 'list.errorForeground' },
    contextValue: errorNeedsKey(s) ? 'gatewayError needsKey' : 'gatewayError',
    collapsible: false,
  };
}

export function presentNotice(node: NoticeNode): Presentation {
  return { label: node.label, tooltip: node.tooltip && escapeMarkdown(node.tooltip), icon: { id: node.icon }, contextValue: 'notice', collapsible: false };
}

export function present(node: ExplorerNode): Presentation {
  switch (node.kind) {
    case 'group':
      return presentGroup(node);
    case 'model':
      return presentModel(node);
    case 'gatewayError':
      return presentGatewayError(node);
    case 'more':
      return presentMore(node);
    case 'notice':
      return presentNotice(node);
  }
}

// ---------------------------------------------------------------- the model card (tooltip)

/** The model card (server/protocol/present.ts, the hover's too), with VS Code's theme icons. */
export function modelTooltip(m: MergedModel): string {
  return modelCard(m, { icons: true });
}
