// @ts-check
// The UI scenarios run by run-scenarios.mjs, in this order. A scenario is added here when the feature it
// drives has landed; a draft for a feature still to come is kept out of scenarios/ (or in a pending/
// folder next to this file, which nothing runs) and developed with run-scenarios.mjs --scenario FILE.
// Shape of a scenario module's default export:
//   { name, profile: 'no-gateway' | 'fakes' | 'fakes-no-key' | 'fakes-vscode-chat' (lib/profiles.mjs), timeoutMs?,
//     files?: { 'relative/path': 'content' }  (written into the scenario's fresh workspace folder),
//     run: async ({ page, log, shot, assert, wb, workspace, fakes, profile, extensionLog }) => void }
import activationNoGateway from './activation-no-gateway.mjs';
import terminalProxy from './terminal-proxy.mjs';
import explorerWelcome from './explorer-welcome.mjs';
import explorerTree from './explorer-tree.mjs';
import explorerFilterSort from './explorer-filter-sort.mjs';
import explorerFavorites from './explorer-favorites.mjs';
import explorerCompare from './explorer-compare.mjs';
import explorerKeySetup from './explorer-key-setup.mjs';
import chat from './chat.mjs';
import statusBar from './status-bar.mjs';
import pythonModelIds from './python-model-ids.mjs';
import vscodeChat from './vscode-chat.mjs';

export const SCENARIOS = [
  activationNoGateway, terminalProxy,
  explorerWelcome, explorerTree, explorerFilterSort, explorerFavorites, explorerCompare, explorerKeySetup,
  chat, statusBar, pythonModelIds,
];

/** The lists run.sh runs per route (`--set`): default on VS Code 1.100, vscode-chat on 1.139 (E2E_ROUTE=vscode-1.139). */
export const SCENARIO_SETS = {
  default: SCENARIOS,
  'vscode-chat': [vscodeChat],
};
