// What a model item can do: copy or insert its ID, chat with it, make it the default, favorite it,
// show its details, compare it. Each command takes the tree node it was invoked on, a model ID string
// (or `{ model }`), or nothing — then it asks with a quick pick over the catalog.
import * as vscode from 'vscode';
import * as z from '../../server/protocol/zod';
import { CatalogRequest, ModelRequest } from '../../server/protocol/messages';
import type { MergedModel } from '../../server/protocol/model';
import type { ExtensionState } from '../state';
import type { Favorites } from './favorites';
import { buildQuery } from './filterModel';
import type { Pages } from './pages';
import { modelDescription, nodeModelId, type ModelNode } from './treeModel';
import { modelLabel } from '../../server/protocol/present';
import type { ViewStateStore } from './viewState';

export interface ModelDeps {
  state: ExtensionState;
  view: ViewStateStore;
  favorites: Favorites;
  pages: Pages;
}

/** A model plus the gateway it was shown under (the offer whose ID is copied). */
export type Target = Pick<ModelNode, 'model' | 'gateway'>;

const QUICK_PICK_LIMIT = 20_000;
const ArgSchema = z.union([z.string().check(z.minLength(1)), z.pipe(z.object({ model: z.string().check(z.minLength(1)) }), z.transform((o) => o.model))]);

function isModelNode(v: unknown): v is ModelNode {
  return !!v && typeof v === 'object' && (v as { kind?: unknown }).kind === 'model' && typeof (v as ModelNode).model === 'object';
}

interface ModelItem extends vscode.QuickPickItem {
  model: MergedModel;
}

async function pickModels(deps: ModelDeps, title: string, many: boolean, preselect: string[] = []): Promise<MergedModel[]> {
  const client = await deps.state.ready();
  const res = await client.sendRequest(CatalogRequest, { ...buildQuery({ ...deps.view.get(), filter: {} }, undefined, QUICK_PICK_LIMIT), sort: 'name' });
  const items: ModelItem[] = res.models.map((m) => ({
    label: modelLabel(m),
    description: m.canonicalId,
    detail: modelDescription({ model: m }),
    picked: preselect.includes(m.canonicalId),
    model: m,
  }));
  if (many) {
    const picked = await vscode.window.showQuickPick(items, { title, canPickMany: true, matchOnDescription: true });
    return picked?.map((p) => p.model) ?? [];
  }
  const one = await vscode.window.showQuickPick(items, { title, matchOnDescription: true, matchOnDetail: false });
  return one ? [one.model] : [];
}

/** Resolves a command argument to a model; asks when there is none. Undefined = cancelled. */
export async function resolveTarget(deps: ModelDeps, arg: unknown, title: string): Promise<Target | undefined> {
  if (isModelNode(arg)) return { model: arg.model, gateway: arg.gateway };
  const id = ArgSchema.safeParse(arg);
  if (id.success) {
    const client = await deps.state.ready();
    const model = await client.sendRequest(ModelRequest, { id: id.data });
    if (!model) throw new Error(`unknown model "${id.data}"`);
    return { model };
  }
  const [model] = await pickModels(deps, title, false);
  return model ? { model } : undefined;
}

async function copyId(deps: ModelDeps, arg: unknown): Promise<void> {
  const t = await resolveTarget(deps, arg, 'Copy the ID of which model?');
  if (!t) return;
  const id = nodeModelId(t);
  await vscode.env.clipboard.writeText(id);
  void vscode.window.setStatusBarMessage(`Switchyard: copied ${id}`, 3000);
}

async function insertId(deps: ModelDeps, arg: unknown): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showWarningMessage('Switchyard: open a file and place the cursor where the model ID should go.');
    return;
  }
  const t = await resolveTarget(deps, arg, 'Insert the ID of which model?');
  if (!t) return;
  const id = nodeModelId(t);
  const ok = await editor.edit((b) => editor.selections.forEach((s) => b.replace(s, id)));
  if (!ok) throw new Error('the editor did not accept the edit (read-only?)');
}

async function chat(deps: ModelDeps, arg: unknown): Promise<void> {
  const t = await resolveTarget(deps, arg, 'Chat with which model?');
  if (t) await vscode.commands.executeCommand('switchyard.chat.open', { model: nodeModelId(t) });
}

async function setDefault(deps: ModelDeps, arg: unknown): Promise<void> {
  const t = await resolveTarget(deps, arg, 'Make which model the default?');
  if (!t) return;
  // The canonical ID routes through any gateway that serves the model (design.md, Routing).
  const id = t.model.canonicalId;
  await vscode.workspace.getConfiguration('switchyard').update('defaultModel', id, vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(`Switchyard: default model set to ${id}.`);
}

async function setFavorite(deps: ModelDeps, arg: unknown, want?: boolean): Promise<void> {
  const t = await resolveTarget(deps, arg, 'Favorite which model?');
  if (!t) return;
  const now = await deps.favorites.toggle(t.model.canonicalId, want);
  void vscode.window.setStatusBarMessage(`Switchyard: ${modelLabel(t.model)} ${now ? 'added to' : 'removed from'} favorites`, 3000);
}

/** Resolves with the page's title (what E2E tests check), undefined when cancelled. */
async function showDetails(deps: ModelDeps, arg: unknown): Promise<string | undefined> {
  const t = await resolveTarget(deps, arg, 'Show the details of which model?');
  return t ? deps.pages.showDetails(t.model, deps.favorites.has(t.model.canonicalId)).title : undefined;
}

/** Context-menu invocations get (clicked node, all selected nodes); 2–4 models are compared. */
async function compare(deps: ModelDeps, arg: unknown, selection: unknown): Promise<string | undefined> {
  const selected = (Array.isArray(selection) ? selection : [arg]).filter(isModelNode);
  let models = [...new Map(selected.map((n) => [n.model.canonicalId, n.model])).values()];
  if (models.length > 4) {
    void vscode.window.showWarningMessage(`Switchyard: select 2 to 4 models to compare (${models.length} are selected).`);
    return;
  }
  if (models.length < 2) {
    const chosen = await pickModels(deps, 'Compare which models? Pick 2 to 4', true, models.map((m) => m.canonicalId));
    if (!chosen.length) return;
    models = chosen;
    if (models.length < 2 || models.length > 4) {
      void vscode.window.showWarningMessage(`Switchyard: pick 2 to 4 models to compare (you picked ${models.length}).`);
      return;
    }
  }
  return deps.pages.showCompare(models).title;
}

export function modelCommands(deps: ModelDeps): Record<string, (state: ExtensionState, ...args: unknown[]) => unknown> {
  return {
    'switchyard.model.copyId': (_s, arg) => copyId(deps, arg),
    'switchyard.model.insertId': (_s, arg) => insertId(deps, arg),
    'switchyard.model.chat': (_s, arg) => chat(deps, arg),
    'switchyard.model.setDefault': (_s, arg) => setDefault(deps, arg),
    'switchyard.model.toggleFavorite': (_s, arg) => setFavorite(deps, arg),
    'switchyard.model.favorite': (_s, arg) => setFavorite(deps, arg, true),
    'switchyard.model.unfavorite': (_s, arg) => setFavorite(deps, arg, false),
    'switchyard.model.showDetails': (_s, arg) => showDetails(deps, arg),
    'switchyard.model.compare': (_s, arg, selection) => compare(deps, arg, selection),
  };
}
