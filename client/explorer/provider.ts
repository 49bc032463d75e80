// The Models tree: asks the server for group labels and counts at the root and for one page of a group's
// models only when that group is expanded, so a 5,000-model catalog opens at once. Presentation comes
// from treeModel.ts; this file maps it onto TreeItems and talks to the server.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ErrorCodes, ResponseError } from 'vscode-jsonrpc';
import { CatalogGroupsRequest, CatalogRequest } from '../../server/protocol/messages';
import type { ExtensionState } from '../state';
import type { CatalogState } from './catalogState';
import type { Favorites } from './favorites';
import { buildQuery, isFilterActive } from './filterModel';
import {
  buildGroupChildren,
  buildRoot,
  present,
  type ExplorerNode,
  type GroupNode,
  type MoreNode,
  type NoticeNode,
} from './treeModel';
import type { ViewStateStore } from './viewState';

/** Models fetched per expanded group, and how many more each "Show more…" adds. */
export const PAGE_SIZE = 200;
const MORE_STEP = 500;

export class ModelsTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  /** Per group id: how many models to fetch (grows with "Show more…"; reset when the view changes). */
  private readonly limits = new Map<string, number>();
  /** The favorites group's models, fetched with the root (they are few) to know its count. */
  private favoriteModels = new Map<string, { models: ExplorerNode[] }>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  /** The root nodes last returned, for commands that act on "all visible" (tests, compare picker). */
  lastRoot: ExplorerNode[] = [];

  constructor(
    private readonly state: ExtensionState,
    private readonly view: ViewStateStore,
    private readonly favorites: Favorites,
    private readonly catalog: CatalogState,
  ) {
    this.disposables.push(
      view.onDidChange(() => this.refresh(true)),
      favorites.onDidChange(() => this.refresh()),
      catalog.onDidChange(() => this.refresh()),
    );
  }

  refresh(resetPaging = false): void {
    if (resetPaging) this.limits.clear();
    this.emitter.fire(undefined);
  }

  showMore(node: MoreNode): void {
    this.limits.set(node.group.id, node.shown + MORE_STEP);
    this.emitter.fire(node.group);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    const p = present(node);
    const item = new vscode.TreeItem(
      p.label,
      p.collapsible ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = node.id;
    item.description = p.description;
    item.contextValue = p.contextValue;
    if (p.icon) item.iconPath = new vscode.ThemeIcon(p.icon.id, p.icon.color ? new vscode.ThemeColor(p.icon.color) : undefined);
    if (p.tooltip) {
      const md = new vscode.MarkdownString(p.tooltip, true);
      md.isTrusted = false;
      md.supportHtml = false;
      item.tooltip = md;
    }
    if (node.kind === 'model') item.accessibilityInformation = { label: `${p.label}, ${p.description ?? ''}` };
    item.command = this.commandFor(node);
    return item;
  }

  private commandFor(node: ExplorerNode): vscode.Command | undefined {
    if (node.kind === 'more') return { command: 'switchyard.showMore', title: 'Show More', arguments: [node] };
    if (node.kind === 'notice') return node.command;
    if (node.kind === 'gatewayError') {
      return node.status.state === 'unauthorized'
        ? { command: 'switchyard.fixKey', title: 'Fix Key', arguments: [node] }
        : { command: 'switchyard.retryGateway', title: 'Retry', arguments: [node] };
    }
    return undefined;
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (node && node.kind !== 'group') return [];
    let client: LanguageClient;
    try {
      client = await this.state.ready();
    } catch (e) {
      return [serverDown(e)];
    }
    try {
      if (!node) return (this.lastRoot = await this.root(client));
      return await this.groupChildren(client, node);
    } catch (e) {
      // A server that has just started may not have registered its catalog handlers yet; its first
      // CatalogChangedNotification refreshes the tree, so this is "loading", not a failure.
      if (e instanceof ResponseError && e.code === ErrorCodes.MethodNotFound && !this.catalog.get()) {
        return [{ kind: 'notice', id: 'notice:loading', label: 'Loading models…', icon: 'loading~spin' }];
      }
      this.state.log.warn(`Models view: ${errorText(e)}`);
      return [requestFailed(e)];
    }
  }

  private async root(client: LanguageClient): Promise<ExplorerNode[]> {
    const view = this.view.get();
    const favIds = this.favorites.list();
    const [groups, favs] = await Promise.all([
      client.sendRequest(CatalogGroupsRequest, { groupBy: view.groupBy, query: buildQuery(view, undefined) }),
      favIds.length
        ? client.sendRequest(CatalogRequest, buildQuery(view, { type: 'favorites', canonicalIds: favIds }, favIds.length))
        : Promise.resolve(undefined),
    ]);
    const cat = this.catalog.get();
    const nodes = buildRoot({
      groupBy: view.groupBy,
      groups,
      favorites: { canonicalIds: favs?.models.map((m) => m.canonicalId) ?? [], count: favs?.total ?? 0 },
      statuses: cat?.statuses ?? [],
      filterActive: isFilterActive(view.filter),
      refreshing: cat?.refreshing ?? true,
    });
    const favGroup = nodes.find((n): n is GroupNode => n.kind === 'group' && n.scope.type === 'favorites');
    this.favoriteModels = new Map();
    if (favGroup && favs) {
      this.favoriteModels.set(favGroup.id, { models: buildGroupChildren(favGroup, favs.models, favs.total, new Set(favIds)) });
    }
    return nodes;
  }

  private async groupChildren(client: LanguageClient, group: GroupNode): Promise<ExplorerNode[]> {
    const cached = this.favoriteModels.get(group.id);
    if (cached) return cached.models;
    const limit = this.limits.get(group.id) ?? PAGE_SIZE;
    const result = await client.sendRequest(CatalogRequest, buildQuery(this.view.get(), group.scope, limit));
    return buildGroupChildren(group, result.models, result.total, new Set(this.favorites.list()));
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function serverDown(e: unknown): NoticeNode {
  return {
    kind: 'notice',
    id: 'notice:server-down',
    label: 'The Switchyard language server is not running',
    icon: 'debug-disconnect',
    tooltip: `${errorText(e)} — click to restart it.`,
    command: { command: 'switchyard.restartServer', title: 'Restart Language Server' },
  };
}

function requestFailed(e: unknown): NoticeNode {
  return {
    kind: 'notice',
    id: 'notice:request-failed',
    label: `Could not load models: ${errorText(e)}`,
    icon: 'error',
    tooltip: 'Click to try again; details are in the Switchyard log.',
    command: { command: 'switchyard.refresh', title: 'Refresh' },
  };
}
