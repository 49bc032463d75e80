// VS Code's own Chat on Switchyard (code-server 4.139.1 = VS Code 1.139, route vscode-1.139): the Chat view's
// model picker lists Switchyard's models with their price and gateway, a message sent in the Chat view is
// answered by a fake gateway through Switchyard, and the status bar's session spend grows by that answer's cost.
import { activityBarItem, readStatusBarItem, regionOf, runCommand, statusBarItem } from '../lib/workbench.mjs';
import { STATUS, amounts, waitForStatus } from '../lib/status.mjs';

const PROMPT = 'Hello from VS Code Chat';

/** What a charging fake says it has charged in total (NemoRouter /api/credits/balance, OpenRouter /credits). */
async function fakeSpent(fakes, gatewayId) {
  const kind = gatewayId.replace(/^fake-/, '');
  const { baseUrl, key } = fakes[kind];
  const headers = { authorization: `Bearer ${key}` };
  if (kind === 'nemorouter') return (await (await fetch(`${baseUrl.replace(/\/v1$/, '')}/api/credits/balance`, { headers })).json()).total_spent;
  if (kind === 'openrouter') return (await (await fetch(`${baseUrl}/credits`, { headers })).json()).data.total_usage;
  throw new Error(`the fake ${kind} does not charge: pick a model served by fake-nemorouter or fake-openrouter`);
}

export default {
  name: 'vscode chat on switchyard: picker prices, an answer, the cost on the status bar',
  profile: 'fakes-vscode-chat',
  timeoutMs: 420_000,

  async run({ page, log, shot, assert, fakes }) {
    await activityBarItem(page, 'Switchyard').waitFor({ timeout: 60_000 });
    await statusBarItem(page, STATUS).first().waitFor({ timeout: 60_000 });
    const before = await waitForStatus(page, (t) => /session \$0\.00$/.test(t), '"session $0.00"');
    log(`status before: "${before.text}"`);

    await runCommand(page, 'Chat: Open Chat', { log });
    const input = page.locator('.interactive-input-part .monaco-editor').first();
    await input.waitFor({ timeout: 60_000 });

    // The model picker: its button shows the current model (VS Code picks one of Switchyard's, the only
    // provider here); each row has the price per million tokens and the gateway (the provider's `detail`).
    const pickerButton = page.locator('.interactive-input-part .action-item').filter({ hasText: /→|GPT|gpt/ }).first();
    await pickerButton.waitFor({ timeout: 60_000 });
    log(`picker button: ${(await pickerButton.innerText()).replace(/\s+/g, ' ')}`);
    await pickerButton.click();
    const dropdown = page.locator('.action-widget').filter({ has: page.locator('.chat-model-picker-dropdown') }).first();
    await dropdown.waitFor({ timeout: 30_000 });
    // Only the current model shows at first; "Other Models" unfolds the rest of what Switchyard offers.
    const others = dropdown.locator('.chat-model-picker-section-toggle');
    if ((await others.getAttribute('aria-expanded')) === 'false') await others.click();
    await dropdown.locator('[role=option]').filter({ hasText: /\$2\.5/ }).first().waitFor({ timeout: 30_000 });
    const rows = (await dropdown.locator('[role=option]').evaluateAll((rs) => rs.map((r) => r.getAttribute('aria-label')))).filter(Boolean);
    log(`picker rows: ${JSON.stringify(rows)}`);
    assert.ok(rows.filter((r) => /per M · fake-/.test(r)).length >= 2, 'Switchyard models with price and gateway in the picker');
    await shot('picker');
    await shot('picker-clip', { clip: await regionOf(page, [dropdown], { pad: 12 }) });
    const option = dropdown.locator('[role=option]').filter({ hasText: /\$2\.5/ }).first();
    const optionText = (await option.innerText()).replace(/\s+/g, ' ');
    log(`option: ${optionText}`);
    assert.match(optionText, /\$2\.50 \/ \$10 per M/, `the picker shows gpt-4o's price (${optionText})`);
    await option.click();

    const gateway = /· (fake-[a-z-]+)/.exec(optionText)[1];
    // What the session and the serving fake had counted before this message.
    const start = await readStatusBarItem(page, STATUS);
    const sessionBefore = amounts(start.text.replace(/^.*?session/, 'session'))[0] ?? 0;
    const chargedBefore = await fakeSpent(fakes, gateway);
    await input.click();
    await page.keyboard.type(PROMPT);
    await page.keyboard.press('Enter');
    // Agent mode sends a long prompt (instructions, context, then the message); the fake echoes all of it.
    const answer = page.locator('.interactive-item-container.interactive-response').last();
    await answer.filter({ hasText: 'Echo: ' }).waitFor({ timeout: 120_000 });
    await answer.filter({ hasText: PROMPT }).waitFor({ timeout: 240_000 });
    log(`answer: ${(await answer.innerText()).replace(/\s+/g, ' ').slice(0, 120)}…`);

    // The bar counts it: the session spend grew by what the serving fake charged for this message (the
    // answer, plus a chat title request if VS Code sent one), and the last cost is part of it.
    const after = await waitForStatus(page, (t) => /· last \$/.test(t) && amounts(t).at(-1) > 0, 'the answer\'s cost', { timeout: 120_000 });
    const charged = (await fakeSpent(fakes, gateway)) - chargedBefore;
    const [session, last] = amounts(after.text).slice(-2);
    log(`status after: "${after.text}"; session before: $${sessionBefore}; ${gateway} charged $${charged} for this message`);
    assert.ok(charged > 0, `${gateway} charged for the answer`);
    assert.ok(Math.abs(session - sessionBefore - charged) < 0.0001, `the session spend grew by the gateway's charge ($${sessionBefore} → $${session}, charged $${charged})`);
    assert.ok(last > 0 && last <= charged + 0.00005, `the last cost $${last} is (part of) that charge`);
    await shot('answer');
    await shot('answer-and-status', { clip: await regionOf(page, [page.locator('.part.auxiliarybar').first(), statusBarItem(page, STATUS).first()], { pad: 8 }) });
  },
};
