// @ts-check
// Gateways without a key: one error node per gateway (with Fix Key), the others' models stay. Set API Key →
// password box → live check against the fake → the key is stored and that gateway's models appear. Then
// Add Gateway appends a sixth gateway (the profile's user settings keep it: this scenario stays last of its profile).
import { openContainer, runCommand, pickQuickItem, answerInputBox, waitForNotification } from '../lib/workbench.mjs';
import { fakeGatewayId } from '../lib/profiles.mjs';
import { row, rows, expandGroup, GPT4O } from './explorer-tree.mjs';

/** One step of a multi-step input: the next box opens at once, so wait for this step's title, not for a hide. */
async function answerStep(page, title, value) {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor();
  await page.locator('.quick-input-widget .quick-input-box input').fill(value);
  await page.keyboard.press('Enter');
}

export default {
  name: 'explorer: a key set in the UI turns an error node into models',
  profile: 'fakes-no-key',
  timeoutMs: 150_000,

  async run({ page, log, shot, assert, fakes }) {
    // NemoRouter needs its key even to list models (OpenRouter's list is public, like the real one).
    const id = fakeGatewayId('nemorouter');
    await openContainer(page, 'Switchyard');
    const err = await row(page, new RegExp(`${id}\\)?: (no API key|API key rejected)$`), { timeout: 60_000 });
    const before = await rows(page);
    log(`before: ${before.map((r) => `${r.label} [${r.description}]`).join(' | ')}`);
    assert.ok(before.some((r) => /^OpenAI \(\d+\)$/.test(r.label)), 'the other gateways\' models stay');
    await err.hover();
    await err.locator('.actions .action-label[aria-label^="Fix API Key"]').waitFor();
    await err.locator('.actions .action-label[aria-label^="Retry"]').waitFor();
    await shot('error-nodes');

    await runCommand(page, 'Switchyard: Set API Key', { log });
    await pickQuickItem(page, id);
    await answerInputBox(page, fakes.nemorouter.key);
    const note = await waitForNotification(page, new RegExp(`API key for ${id} saved`));
    log(`notification: ${note}`);
    assert.match(note, /answered: \d+ models?/);

    await runCommand(page, 'Switchyard: Group Models by Gateway', { log });
    await expandGroup(page, new RegExp(`\\b${id}\\b.*\\(\\d+\\)$`), GPT4O);
    await page.waitForFunction((gw) => ![...document.querySelectorAll('.part.sidebar .monaco-list-row .label-name')].some((e) => (e.textContent || '').includes(gw) && /no API key|API key rejected/.test(e.textContent || '')), id);
    const after = (await rows(page)).filter((r) => r.level === 2);
    assert.ok(after.some((r) => /\$[\d.]+ \/ \$[\d.]+ per M/.test(r.description)), 'the gateway models show prices');
    await shot('after-key');
    await runCommand(page, 'Switchyard: Group Models by Provider', { log });

    // Add Gateway: kind → name → base URL (prefilled per kind) → optional key → live check → appended to settings.
    await runCommand(page, 'Switchyard: Add Gateway', { log });
    await pickQuickItem(page, 'OpenAI-compatible');
    await answerStep(page, /\(2\/4\): name/, 'lite');
    await answerStep(page, /\(3\/4\): base URL/, fakes['openai-compatible'].baseUrl);
    await answerStep(page, /\(4\/4\): API key for lite/, fakes['openai-compatible'].key);
    const added = await waitForNotification(page, /gateway lite added/);
    log(`notification: ${added}`);
    assert.match(added, /lite answered: \d+ models?/);
    await runCommand(page, 'Switchyard: Group Models by Gateway', { log });
    await row(page, /\blite\b.*\(\d+\)$/);
    await runCommand(page, 'Switchyard: Group Models by Provider', { log });
  },
};
