// Sort, grouping and filter of the Models view, kept per workspace (workspaceState) and mirrored into
// context keys the view-title menus use (`switchyard.groupBy`, `switchyard.filterActive`).
import * as vscode from 'vscode';
import { clean, isFilterActive, parseViewSettings, type ViewFilter, type ViewSettings } from './filterModel';

const KEY = 'switchyard.explorer.view';

export class ViewStateStore implements vscode.Disposable {
  private value: ViewSettings;
  private readonly emitter = new vscode.EventEmitter<ViewSettings>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly memento: vscode.Memento) {
    this.value = parseViewSettings(memento.get(KEY));
    this.publish();
  }

  get(): ViewSettings {
    return this.value;
  }

  async update(patch: Partial<ViewSettings>): Promise<void> {
    const next = { ...this.value, ...patch };
    this.value = { ...next, filter: clean(next.filter) };
    this.publish();
    this.emitter.fire(this.value);
    await this.memento.update(KEY, this.value);
  }

  setFilter(filter: ViewFilter): Promise<void> {
    return this.update({ filter });
  }

  private publish(): void {
    void vscode.commands.executeCommand('setContext', 'switchyard.groupBy', this.value.groupBy);
    void vscode.commands.executeCommand('setContext', 'switchyard.filterActive', isFilterActive(this.value.filter));
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
