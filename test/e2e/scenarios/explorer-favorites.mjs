// @ts-check
// A favorite is pinned in a Favorites group on top and survives a window reload (globalState).
import { openContainer, runCommand } from '../lib/workbench.mjs';
import { row, rows, expandGroup, clickRowAction, O3_MINI } from './explorer-tree.mjs';

export default {
  name: 'explorer: a favorite survives a window reload',
  profile: 'fakes',
  timeoutMs: 150_000,

  async run({ page, log, shot, assert }) {
    await openContainer(page, 'Switchyard');
    await row(page, /^OpenAI \(\d+\)/i, { timeout: 60_000 });
    await expandGroup(page, /^OpenAI \(\d+\)/i, O3_MINI);
    await clickRowAction(page, O3_MINI, 'Add to Favorites');
    await row(page, /^Favorites \(1\)$/);
    log('favorite added');

    // "Developer: Reload Window" as a person does it: VS Code flushes its storage before it reloads
    // (a bare browser reload right after the click can lose the last write).
    await runCommand(page, 'Developer: Reload Window', { log });
    await page.waitForEvent('load');
    await page.locator('.monaco-workbench').waitFor();
    await openContainer(page, 'Switchyard');
    const fav = await row(page, /^Favorites \(1\)$/, { timeout: 60_000 });
    if ((await fav.getAttribute('aria-expanded')) === 'false') await fav.click();
    await page.waitForFunction(({ src, flags }) => {
      const labels = [...document.querySelectorAll('.part.sidebar .monaco-list-row .label-name')].map((e) => (e.textContent || '').trim());
      const i = labels.findIndex((l) => /^Favorites \(1\)$/.test(l));
      return i >= 0 && new RegExp(src, flags).test(labels[i + 1] || '');
    }, { src: O3_MINI.source, flags: O3_MINI.flags });
    const shown = await rows(page);
    log(`after reload: ${shown.slice(0, 4).map((r) => r.label).join(' | ')}`);
    assert.equal(shown[0].label, 'Favorites (1)', 'Favorites is pinned on top');
    await shot('favorites');

    // Clean up through the inline action, which also checks that a favorite shows "Remove from Favorites".
    await clickRowAction(page, O3_MINI, 'Remove from Favorites');
    await page
      .waitForFunction(() => ![...document.querySelectorAll('.part.sidebar .monaco-list-row .label-name')].some((e) => /^Favorites \(/.test(e.textContent || '')))
      .catch(async (e) => {
        throw new Error(`the Favorites group stayed after "Remove from Favorites": ${(await rows(page)).slice(0, 5).map((r) => r.label).join(' | ')} (${e.message})`);
      });
  },
};
