// PENDING (not run): after a chat, the status bar shows the balance and what was spent.
// Real names: the item is createStatusBarItem('switchyard.status') → DOM id "switchyard.switchyard.switchyard.status";
// with the fakes it reads "$5.00 · session $0.00" before any request (balance · session spend). The chat DOM is
// that of ../chat.mjs (media/webview/*.ts: model-picker, prompt, message-assistant.status-done, message-meta).
// ASSUMES: the session spend in the text grows after one answer (the fakes charge every request).
import { runCommand, webview, readStatusBarItem } from '../../lib/workbench.mjs';

const STATUS_ID = 'switchyard.switchyard.switchyard.status';
const amounts = (s) => (s.match(/\$\s?\d+(?:\.\d+)?/g) || []).map((a) => Number(a.replace(/[$\s]/g, '')));

export default {
  name: 'the status bar shows balance and spend after a chat',
  profile: 'fakes',
  timeoutMs: 150_000,

  async run({ page, log, shot, assert }) {
    const status = page.locator(`.part.statusbar [id^="${STATUS_ID}"]`);
    await status.filter({ hasText: /\$/ }).first().waitFor({ timeout: 60_000 });
    const before = await readStatusBarItem(page, { id: STATUS_ID });
    log(`status before: ${before.text} | ${before.tooltip}`);

    await runCommand(page, 'Switchyard: Open Chat', { log });
    const chat = webview(page);
    const picker = chat.locator('[data-testid=model-picker]');
    await picker.fill('gpt-4o-mini');
    await chat.locator('#model-list li[role=option]', { hasText: 'gpt-4o-mini' }).first().waitFor();
    await picker.press('Enter');
    const prompt = chat.locator('textarea[data-testid=prompt]');
    await prompt.fill('Spend a little');
    await prompt.press('Enter');
    await chat.locator('article[data-testid=message-assistant].status-done [data-testid=message-meta]').last().waitFor();

    await status.filter({ hasNotText: before.text }).first().waitFor();
    const after = await readStatusBarItem(page, { id: STATUS_ID });
    log(`status after: ${after.text} | ${after.tooltip}`);
    const [balance, spent] = amounts(after.text);
    assert.ok(balance > 0, `a balance is shown (${after.text})`);
    assert.ok(spent > amounts(before.text)[1], `the session spend grew (${before.text} → ${after.text})`);
    await shot('status');
  },
};
