// @ts-check
// Two models selected in the tree → Compare → a side-by-side page with both, their prices, context and
// the gateways serving each (a static webview: no scripts).
import { openContainer, webview } from '../lib/workbench.mjs';
import { pollUntil } from '../lib/util.mjs';
import { row, expandGroup, clickRowAction, GPT4O_MINI, GPT4O } from './explorer-tree.mjs';

export default {
  name: 'explorer: compare opens with the two selected models',
  profile: 'fakes',
  timeoutMs: 150_000,

  async run({ page, log, shot, assert }) {
    await openContainer(page, 'Switchyard');
    await row(page, /^OpenAI \(\d+\)/i, { timeout: 60_000 });
    const a = await expandGroup(page, /^OpenAI \(\d+\)/i, GPT4O);
    const b = await row(page, GPT4O_MINI);
    await a.click();
    await b.click({ modifiers: ['Control'] });
    await page.locator('.part.sidebar .monaco-list-row.selected').nth(1).waitFor();
    await b.click({ button: 'right' });
    // Hover to focus the entry, then Enter: a click that lands while the menu is still opening is dropped.
    const entry = page.locator('.monaco-menu .action-item', { hasText: 'Compare Models' }).first();
    await entry.hover();
    await page.locator('.monaco-menu .action-item.focused', { hasText: 'Compare Models' }).waitFor();
    await page.keyboard.press('Enter');

    await page.locator('.tabs-container .tab.active', { hasText: /^Compare: .*gpt-4o vs .*gpt-4o[- ]mini/i }).waitFor();
    const doc = webview(page);
    await doc.locator('h1', { hasText: 'Compare' }).waitFor();
    const heads = await doc.locator('table tr').first().locator('th').allInnerTexts();
    assert.equal(heads.length, 3, `one column per model: ${heads.join(' | ')}`);
    assert.match(heads[1], GPT4O);
    assert.match(heads[2], GPT4O_MINI);
    const body = await doc.locator('body').innerText();
    for (const s of ['$2.50', '$0.15', 'Sample call', '$0.0125', '$0.00075', 'fake-openrouter', 'Served by']) {
      assert.ok(body.includes(s), `the compare page shows ${s}`);
    }
    assert.equal(await doc.locator('script').count(), 0, 'the page has no script');
    log(`compare: ${body.split('\n').slice(0, 6).join(' | ')}`);
    await shot('compare');

    // Show Details (inline action): a page of its own with the model card.
    await clickRowAction(page, GPT4O_MINI, 'Show Model Details');
    await page.locator('.tabs-container .tab.active', { hasText: GPT4O_MINI }).waitFor();
    // Hidden webviews may keep their iframe: find the one showing this page.
    const details = await pollUntil(async () => {
      const n = await page.locator('iframe.webview.ready').count();
      for (let i = 0; i < n; i++) {
        const f = webview(page, { index: i });
        if (await f.locator('h1').filter({ hasText: GPT4O_MINI }).count().catch(() => 0)) return f;
      }
      return undefined;
    }, { timeoutMs: 30_000, what: 'the details page of gpt-4o-mini' });
    const card = await details.locator('body').innerText();
    for (const s of ['openai/gpt-4o-mini', 'At a glance', '128k tokens', 'Served by', 'fake-nemorouter']) {
      assert.ok(card.includes(s), `the details page shows ${s}`);
    }
    await shot('details');
  },
};
