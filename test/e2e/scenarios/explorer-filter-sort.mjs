// @ts-check
// Search / Filter narrows the tree live and shows the active filter in the view; Sort reorders a group.
import { openContainer, runCommand, pickQuickItem } from '../lib/workbench.mjs';
import { row, rows, expandGroup, GPT4O } from './explorer-tree.mjs';

const sumOfPrices = (d) => {
  const m = /\$([\d.]+) \/ \$([\d.]+) per M/.exec(d);
  return m ? Number(m[1]) + Number(m[2]) : Infinity;
};

export default {
  name: 'explorer: filter and sort change the tree',
  profile: 'fakes',
  timeoutMs: 150_000,

  async run({ page, log, shot, assert }) {
    await openContainer(page, 'Switchyard');
    await row(page, /^OpenAI \(\d+\)/i, { timeout: 60_000 });
    const before = (await rows(page)).map((r) => r.label);

    await runCommand(page, 'Switchyard: Search / Filter Models', { log });
    const box = page.locator('.quick-input-widget .quick-input-box input');
    await box.fill('claude');
    // The live count in the pick's title comes from the server.
    await page.locator('.quick-input-widget .quick-input-title', { hasText: /match/ }).waitFor();
    await page.keyboard.press('Enter');
    await row(page, /^Anthropic \(\d+\)/i);
    await page.waitForFunction(() => ![...document.querySelectorAll('.part.sidebar .monaco-list-row')].some((r) => /^OpenAI \(/i.test(r.getAttribute('aria-label') || r.textContent || '')));
    const after = (await rows(page)).map((r) => r.label);
    log(`filtered: ${after.join(' | ')} (was ${before.length} rows)`);
    assert.ok(after.length < before.length, 'the filter narrowed the tree');
    // The active filter: in the view's description (the pane header's aria-label) and in the message above the rows.
    await page.locator('.part.sidebar .pane-header[aria-label*=\'"claude"\']').waitFor({ state: 'attached' });
    await page.locator('.part.sidebar').getByText('Filtered: "claude"').waitFor();
    await shot('filtered');

    await runCommand(page, 'Switchyard: Clear Model Filter', { log });
    await row(page, /^OpenAI \(\d+\)/i);

    await runCommand(page, 'Switchyard: Sort Models', { log });
    await pickQuickItem(page, 'Price');
    await expandGroup(page, /^OpenAI \(\d+\)/i, GPT4O);
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('.part.sidebar .monaco-list-row[aria-level="2"] .label-description')].map((e) => e.textContent || '');
      const sums = rows.map((d) => { const m = /\$([\d.]+) \/ \$([\d.]+) per M/.exec(d); return m ? Number(m[1]) + Number(m[2]) : Infinity; });
      return sums.length > 2 && sums.every((s, i) => i === 0 || sums[i - 1] <= s);
    });
    const byPrice = (await rows(page)).filter((r) => r.level === 2);
    log(`by price: ${byPrice.map((r) => `${r.label} ${r.description}`).join(' | ')}`);
    assert.ok(sumOfPrices(byPrice[0].description) <= sumOfPrices(byPrice.at(-1).description));

    await runCommand(page, 'Switchyard: Sort Models', { log });
    await pickQuickItem(page, 'Name');
    await page.waitForFunction(() => {
      const labels = [...document.querySelectorAll('.part.sidebar .monaco-list-row[aria-level="2"] .label-name')].map((e) => (e.textContent || '').trim());
      return labels.length > 2 && labels.every((l, i) => i === 0 || labels[i - 1].localeCompare(l, 'en', { sensitivity: 'base', numeric: true }) <= 0);
    });
    const byName = (await rows(page)).filter((r) => r.level === 2).map((r) => r.label);
    log(`by name: ${byName.join(' | ')}`);
    assert.notDeepEqual(byName, byPrice.map((r) => r.label), 'sorting by name changed the order');
    await shot('sorted');
  },
};
