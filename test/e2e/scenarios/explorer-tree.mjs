// @ts-check
// The Models tree shows the fake gateways' models: provider groups with counts, rows "$in / $out per M · ctx",
// the model card on hover, then grouped by gateway. Its screenshot is the one in the README.
import { openContainer, runCommand } from '../lib/workbench.mjs';
import { pollUntil } from '../lib/util.mjs';

// Model names as the catalog merges them ("OpenAI: GPT-4o" from OpenRouter, or the bare ID when only an ID is known).
export const GPT4O = /^(OpenAI: )?gpt-4o$/i;
export const GPT4O_MINI = /^(OpenAI: )?gpt-4o[- ]mini$/i;
export const O3_MINI = /^(OpenAI: )?o3[- ]mini$/i;

export const PRICE_ROW = /^(deprecated · )?(≈?\$[\d.,]+ \/ \$[\d.,]+ per M|free|price unknown)( · [\d.]+[kM]? ctx)?$/;

/** The Models pane; its header's aria-label gains the view's description ("Models - "claude" Section") when filtered. */
export const modelsPane = (page) => page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header[aria-label^="Models"]') });

/** The Models row whose label (not label + description) matches `re`, once visible. */
export async function row(page, re, { timeout = 30_000 } = {}) {
  const r = modelsPane(page).locator('.pane-body .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: re }) }).first();
  await r.waitFor({ timeout });
  return r;
}

/**
 * Waits until the side bar's tree has not changed for `quietMs`: a catalog refresh re-renders its rows,
 * and a row re-rendered between a hover and a click loses its hover, so the click can land on another
 * row's inline action. A condition on the DOM (mutations observed in the page), not a fixed sleep.
 */
export async function treeQuiet(page, { quietMs = 400, timeout = 30_000 } = {}) {
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__syTreeChanged = performance.now();
    if (w.__syTreeObserver) return;
    w.__syTreeObserver = new MutationObserver(() => (w.__syTreeChanged = performance.now()));
    const root = document.querySelector('.part.sidebar');
    if (root) w.__syTreeObserver.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label', 'aria-expanded', 'data-index'] });
  });
  await page.waitForFunction((quiet) => performance.now() - /** @type {any} */ (window).__syTreeChanged >= quiet, quietMs, { timeout, polling: 100 });
}

/** Hovers a row once the tree is quiet and clicks its inline action whose aria-label starts with `action`. */
export async function clickRowAction(page, re, action) {
  await treeQuiet(page);
  const r = await row(page, re);
  await r.hover();
  await r.locator(`.actions .action-label[aria-label^="${action}"]`).click();
}

/** Expands a group row (label "<name> (<count>)") and waits for one of its children. */
export async function expandGroup(page, group, child) {
  const g = await row(page, group);
  if ((await g.getAttribute('aria-expanded')) === 'false') await g.click();
  return row(page, child);
}

/** Drags the side bar's sash so descriptions are not cut in screenshots. */
export async function widenSidebar(page, by = 240) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || box.width > 500) return;
  const y = box.y + box.height - 40;
  await page.mouse.move(box.x + box.width - 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width + by, y, { steps: 8 });
  await page.mouse.up();
}

/** Visible rows of the Models tree: { label, description, level }. */
export function rows(page) {
  return modelsPane(page)
    .locator('.pane-body .monaco-list-row')
    .evaluateAll((els) =>
      els.map((r) => ({
        label: (r.querySelector('.label-name')?.textContent || '').replace(/\u00a0/g, ' ').trim(),
        description: (r.querySelector('.label-description')?.textContent || '').replace(/\u00a0/g, ' ').trim(),
        level: Number(r.getAttribute('aria-level') || 0),
      })),
    );
}

export default {
  name: 'explorer: the Models tree shows the fake gateways models',
  profile: 'fakes',
  timeoutMs: 150_000,

  async run({ page, log, shot, assert, outDir }) {
    await openContainer(page, 'Switchyard');
    await row(page, /^OpenAI \(\d+\)$/i, { timeout: 60_000 });
    const groups = await rows(page);
    log(`groups: ${groups.map((r) => r.label).join(' | ')}`);
    assert.ok(groups.every((r) => /\(\d[\d,]*\)$/.test(r.label) || r.level > 1), 'every group label carries its count');
    assert.ok(!groups.some((r) => /: (API key rejected|unreachable|unexpected response|error)$/.test(r.label)), 'no gateway error node');

    const gpt = await expandGroup(page, /^OpenAI \(\d+\)/i, GPT4O_MINI);
    const shown = await rows(page);
    const models = shown.filter((r) => r.level === 2);
    log(`OpenAI models: ${models.map((r) => `${r.label} [${r.description}]`).join(' | ')}`);
    assert.ok(models.length >= 3, 'the OpenAI group lists its models');
    for (const m of models) assert.match(m.description, PRICE_ROW, `row "${m.label}" reads "$in / $out per M · ctx"`);
    assert.equal(models.find((m) => GPT4O_MINI.test(m.label))?.description, '$0.15 / $0.60 per M · 128k ctx');

    await widenSidebar(page);
    await gpt.hover();
    const card = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Served by' }).first();
    await card.waitFor({ timeout: 15_000 });
    const cardText = await card.innerText();
    assert.match(cardText, /openai\/gpt-4o-mini/);
    assert.match(cardText, /fake-openrouter/);
    log(`model card: ${cardText.replace(/\s+/g, ' ').slice(0, 200)}`);
    await shot('tree');
    // The README's picture (docs/images/models-tree.png): the side bar and the model card only.
    await page.screenshot({ path: `${outDir}/models-tree-readme.png`, clip: { x: 0, y: 0, width: 800, height: 640 } });
    await page.mouse.move(900, 450);

    // Copy ID (inline action) puts the ID of the model's preferred offer on the clipboard.
    await gpt.hover();
    await gpt.locator('.actions .action-label[aria-label^="Copy Model ID"]').click();
    const copied = await pollUntil(async () => {
      const text = await page.evaluate(() => navigator.clipboard.readText());
      return /gpt-4o-mini$/.test(text) && text;
    }, { timeoutMs: 15_000, what: 'the model ID on the clipboard' });
    log(`copied: ${copied}`);

    await runCommand(page, 'Switchyard: Group Models by Gateway', { log });
    await expandGroup(page, /\bfake-openrouter\b.*\(\d+\)$/, GPT4O);
    const byGateway = (await rows(page)).filter((r) => r.level === 1).map((r) => r.label);
    log(`by gateway: ${byGateway.join(' | ')}`);
    for (const id of ['fake-nemorouter', 'fake-openrouter', 'fake-arouter', 'fake-bifrost', 'fake-openai-compatible']) {
      assert.ok(byGateway.some((l) => l.includes(id) && /\(\d+\)$/.test(l)), `a group for gateway ${id}`);
    }
    await shot('by-gateway');
    await runCommand(page, 'Switchyard: Group Models by Provider', { log });
    await row(page, /^OpenAI \(\d+\)$/i);
  },
};
