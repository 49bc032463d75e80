// @ts-check
// First install, no gateway: the Get Started view offers "Add a gateway" / "Set an API key", and the Models
// view meanwhile shows the embedded offline catalog and says so ("offline price table").
import { openContainer, expandView, view, runCommand } from '../lib/workbench.mjs';
import { row, rows, PRICE_ROW } from './explorer-tree.mjs';

export default {
  name: 'explorer: without a gateway, welcome buttons and the offline price table',
  profile: 'no-gateway',
  timeoutMs: 120_000,

  async run({ page, log, shot, assert }) {
    await openContainer(page, 'Switchyard');
    await expandView(page, 'Get Started');
    const welcome = view(page, 'Get Started').locator('.welcome-view-content');
    await welcome.getByRole('button', { name: 'Add a gateway' }).waitFor({ timeout: 60_000 });
    await welcome.getByRole('button', { name: 'Set an API key' }).waitFor();
    assert.match(await welcome.innerText(), /offline price table/);

    await expandView(page, 'Models');
    await page.locator('.part.sidebar').getByText(/showing the offline price table/).first().waitFor({ timeout: 60_000 });
    await row(page, /\(\d+\)$/, { timeout: 60_000 });
    await shot('welcome');
    // The embedded table has a few hundred providers; narrow it the way a person would.
    await runCommand(page, 'Switchyard: Search / Filter Models', { log });
    await page.locator('.quick-input-widget .quick-input-box input').fill('gpt-4o');
    await page.keyboard.press('Enter');
    const g = await row(page, /^OpenAI \(\d+\)$/i);
    await g.click();
    await page.waitForFunction(() => document.querySelectorAll('.part.sidebar .monaco-list-row[aria-level="2"]').length > 0);
    const models = (await rows(page)).filter((r) => r.level === 2);
    log(`offline OpenAI models: ${models.length}, e.g. ${models.slice(0, 3).map((m) => `${m.label} [${m.description}]`).join(' | ')}`);
    assert.ok(models.length >= 2, 'the embedded table lists the gpt-4o models');
    for (const m of models) assert.match(m.description, PRICE_ROW);
    assert.ok(models.some((m) => m.description.startsWith('≈$')), 'embedded-table prices are marked as estimates');
    await runCommand(page, 'Switchyard: Clear Model Filter', { log });

    // The walkthrough opens from the welcome view's link.
    await view(page, 'Get Started').locator('.welcome-view-content a', { hasText: 'Open the walkthrough' }).click();
    const walk = page.locator('.gettingStartedContainer');
    await walk.getByText('Get Started with Switchyard').first().waitFor();
    for (const step of ['Add a gateway', 'Set its API key', 'Browse the models', 'Chat with a model', 'Use the proxy from a terminal']) {
      await walk.getByText(step, { exact: true }).first().waitFor();
    }
    // A step completes when the person does it: here, the step's own "Show Models" button.
    const step = walk.locator('button.getting-started-step', { hasText: 'Browse the models' });
    await step.click();
    await walk.getByRole('button', { name: 'Show Models' }).click();
    await step.locator('.codicon-getting-started-step-checked').waitFor();
    await shot('walkthrough');
  },
};
