// The model explorer feature: the Models tree, its title-bar and item commands, the Get Started view,
// gateway and key setup. One entry in client/extension.ts FEATURES.
import * as vscode from 'vscode';
import { CatalogRequest, RefreshCatalogRequest } from '../../server/protocol/messages';
import { registerCommandTable, type CommandTable } from '../commands';
import type { ExtensionState } from '../state';
import { CatalogState, VIEW_ID } from './catalogState';
import { Favorites } from './favorites';
import { buildQuery, filterSummary, SORTS, type ViewFilter } from './filterModel';
import { showFilterPick } from './filterPick';
import { readGateways, registerSetupContext } from './gatewayConfig';
import { addGateway, removeApiKey, setApiKey } from './gatewaySetup';
import { modelCommands } from './modelActions';
import { Pages } from './pages';
import { ModelsTreeProvider } from './provider';
import type { GatewayErrorNode, MoreNode } from './treeModel';
import { ViewStateStore } from './viewState';
import { lmFeature } from '../lm';

export const SETUP_VIEW_ID = 'switchyard.setup';
export const WALKTHROUGH_ID = 'switchyard.switchyard#switchyard.getStarted';

/** The message above the tree: where the models come from when that is not simply "live". */
function sourceMessage(catalog: CatalogState): string | undefined {
  const c = catalog.get();
  const noGateways = readGateways().valid.filter((g) => g.enabled !== false).length === 0;
  if (noGateways) return 'No gateway configured: showing the offline price table (embedded prices, no key needed).';
  if (!c) return undefined;
  if (c.source === 'offline') return 'No gateway answered yet: showing the offline price table.';
  if (c.source === 'cache') return c.refreshing ? 'Showing the cached catalog while refreshing…' : 'Gateways did not answer: showing the cached catalog.';
  return undefined;
}

export function registerExplorer(state: ExtensionState): vscode.Disposable[] {
  const view = new ViewStateStore(state.context.workspaceState);
  const favorites = new Favorites(state);
  const catalog = new CatalogState(state);
  const pages = new Pages();
  const provider = new ModelsTreeProvider(state, view, favorites, catalog);
  const tree = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, canSelectMany: true, showCollapseAll: true });
  // An always-empty tree: the Get Started view exists only for its welcome content (shown while no gateway is set up).
  const setup = vscode.window.createTreeView(SETUP_VIEW_ID, { treeDataProvider: { getTreeItem: (e: never) => e, getChildren: () => [] } });

  const decorate = () => {
    const filter = filterSummary(view.get().filter);
    tree.description = filter || undefined;
    // The description is cut first when the side bar is narrow; the message above the rows is not.
    tree.message = [sourceMessage(catalog), filter ? `Filtered: ${filter}` : undefined].filter(Boolean).join('\n') || undefined;
  };
  decorate();
  // The walkthrough's "Browse the models" step: onView only fires on a visibility change, so a view that was
  // already open when the walkthrough loaded would never count.
  const seen = () => {
    if (tree.visible) void vscode.commands.executeCommand('setContext', 'switchyard.modelsSeen', true);
  };
  seen();

  const table = explorerCommands({ state, view, favorites, catalog, pages, provider });

  return [
    view,
    favorites,
    catalog,
    pages,
    provider,
    tree,
    setup,
    tree.onDidChangeVisibility(seen),
    view.onDidChange(decorate),
    catalog.onDidChange(decorate),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('switchyard.gateways')) decorate();
    }),
    ...registerSetupContext(state),
    ...registerCommandTable(state, table),
    // VS Code's own Chat follows the same favorites and catalog (client/lm).
    ...lmFeature(state, { favorites, catalog }),
  ];
}

interface ExplorerDeps {
  state: ExtensionState;
  view: ViewStateStore;
  favorites: Favorites;
  catalog: CatalogState;
  pages: Pages;
  provider: ModelsTreeProvider;
}

function explorerCommands({ state, view, favorites, catalog, pages, provider }: ExplorerDeps): CommandTable {
  const count = async (f: ViewFilter) => {
    const client = state.client();
    if (!client) return undefined;
    return (await client.sendRequest(CatalogRequest, buildQuery({ ...view.get(), filter: f }, undefined, 1))).total;
  };

  return {
    'switchyard.filter': () => showFilterPick(view, count),
    'switchyard.clearFilter': () => view.setFilter({}),
    'switchyard.sort': async () => {
      const cur = view.get().sort;
      const pick = await vscode.window.showQuickPick(
        SORTS.map((s) => ({ label: s.label, description: s.key === cur ? `${s.detail} (current)` : s.detail, key: s.key })),
        { title: 'Sort models by' },
      );
      if (pick) await view.update({ sort: pick.key });
    },
    'switchyard.groupByGateway': () => view.update({ groupBy: 'gateway' }),
    'switchyard.groupByProvider': () => view.update({ groupBy: 'provider' }),
    'switchyard.refresh': async () => {
      const client = await state.ready();
      const statuses = await catalog.withViewProgress(client.sendRequest(RefreshCatalogRequest, {}));
      provider.refresh();
      return statuses.map((s) => `${s.gateway}: ${s.state}`);
    },
    'switchyard.showMore': (_s, node) => {
      if ((node as MoreNode | undefined)?.kind === 'more') provider.showMore(node as MoreNode);
    },
    'switchyard.retryGateway': async (_s, node) => {
      const id = (node as GatewayErrorNode | undefined)?.status?.gateway;
      const gateway = typeof id === 'string' ? id : undefined;
      const client = await state.ready();
      await catalog.withViewProgress(client.sendRequest(RefreshCatalogRequest, gateway ? { gateway } : {}));
      provider.refresh();
    },
    'switchyard.fixKey': (s, node) => setApiKey(s, node),
    'switchyard.addGateway': (s) => addGateway(s),
    'switchyard.setApiKey': (s, arg) => setApiKey(s, arg),
    'switchyard.removeApiKey': (s, arg) => removeApiKey(s, arg),
    'switchyard.getStarted': () => vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false),
    ...modelCommands({ state, view, favorites, pages }),
  };
}
