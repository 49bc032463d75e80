// @ts-check
// The cost status bar item (client/status/render.ts): before any request it shows the active gateway's
// balance and "session $0.00"; after one chat answer on a gateway that charges (the NemoRouter fake), the
// session spend and the "last" cost are the answer's cost (tokens × the fake's gpt-4o-mini price), the
// accessible label and the tooltip say the same, and nothing went wrong on the way.
// Text format: "<health icon> $<balance> · session $<spend> · last $<cost>", with usd(): 2 decimals from $1,
// 4 below $1, two significant digits below $0.0001 (the answer here costs $0.0000036).
import { activityBarItem, errorNotifications, hoverStatusBarItem, readStatusBarItem, regionOf, runCommand, statusBarItem, webview } from '../lib/workbench.mjs';
import { STATUS, amounts, waitForStatus } from '../lib/status.mjs';

const GATEWAY = 'fake-nemorouter'; // charges every request (test/fakes/README.md), bare IDs
const MODEL = 'gpt-4o-mini';
const PRICE = { input: 0.15e-6, output: 0.6e-6 }; // USD per token, test/fakes/models.ts
const PROMPT = 'Spend a little';

/** Types into the chat's model picker until the offer of `gateway` shows (the catalog may still be loading), and picks it. */
async function pickModel(chat, query, gateway, { timeout = 60_000 } = {}) {
  const picker = chat.locator('[data-testid=model-picker]');
  await picker.waitFor();
  const option = chat.locator('[role=option]', { hasText: `${query} · ${gateway}` }).first();
  const end = Date.now() + timeout;
  for (;;) {
    await picker.fill('');
    await picker.fill(query);
    try {
      await option.waitFor({ timeout: 3000 });
      break;
    } catch {
      if (Date.now() > end) {
        const shown = await chat.locator('[role=option]').allInnerTexts().catch(() => []);
        throw new Error(`no "${query} · ${gateway}" in the model picker; it shows: ${JSON.stringify(shown.slice(0, 8))}`);
      }
    }
  }
  const text = (await option.innerText()).replace(/\s+/g, ' ');
  await option.click();
  return text;
}

export default {
  name: 'the status bar shows the balance, and the spend of a chat answer',
  profile: 'fakes',
  timeoutMs: 150_000,

  async run({ page, log, shot, assert }) {
    await activityBarItem(page, 'Switchyard').waitFor({ timeout: 60_000 }); // the extension is registered
    const item = statusBarItem(page, STATUS).first();
    await item.waitFor({ timeout: 60_000 });
    log(`status at start: ${(await readStatusBarItem(page, STATUS)).text}`);

    // 1. Before any request: a balance (the first gateway's, NemoRouter's $5 credit less what other
    //    scenarios spent) and nothing spent in this session.
    // The text can show the balance while the server still says "starting" (gateways' first catalogs
    // loading): wait for the label to say "ok" too, as a person would for the status to settle.
    const before = await waitForStatus(page, (t, label) => /^\$\d+\.\d\d · session \$0\.00$/.test(t) && /^Switchyard ok\./.test(label), 'a balance and "session $0.00", health ok');
    log(`status before: "${before.text}" | ${before.tooltip}`);
    const [balanceBefore] = amounts(before.text);
    assert.ok(balanceBefore > 0 && balanceBefore <= 5, `the NemoRouter fake's balance is shown (${before.text})`);
    assert.match(before.tooltip, new RegExp(`^Switchyard ok\\. Balance \\$\\d+\\.\\d\\d on ${GATEWAY}\\. Spent \\$0\\.00 this session`), 'the accessible label names the balance and the session spend');

    // 2. One answer from gpt-4o-mini on the NemoRouter fake.
    await runCommand(page, 'Switchyard: Open Chat', { log });
    const chat = webview(page);
    log(`picked: ${await pickModel(chat, MODEL, GATEWAY)}`);
    const prompt = chat.locator('textarea[data-testid=prompt]');
    await prompt.fill(PROMPT);
    await prompt.press('Enter');
    const answer = chat.locator('[data-testid=message-assistant]').last();
    const meta = answer.locator('[data-testid=message-meta]').filter({ hasText: /\$\d/ });
    await meta.waitFor({ timeout: 30_000 });
    const metaText = (await meta.innerText()).replace(/\s+/g, ' ').trim();
    log(`answer meta: ${metaText}`);
    const tokens = metaText.match(new RegExp(`${MODEL} · ${GATEWAY} · (\\d+) in / (\\d+) out tokens`));
    assert.ok(tokens, `the answer names model, gateway and tokens (${metaText})`);
    const expected = Number(tokens[1]) * PRICE.input + Number(tokens[2]) * PRICE.output;

    // 3. The bar now counts it: session spend = last cost = tokens × price (shown with 2 significant digits).
    const after = await waitForStatus(page, (t) => /· last \$/.test(t) && amounts(t)[1] > 0, 'a session spend above $0 and a last cost');
    log(`status after: "${after.text}" | ${after.tooltip}`);
    const [balance, session, last] = amounts(after.text);
    assert.ok(balance > 0, `a balance is still shown (${after.text})`);
    assert.ok(session > amounts(before.text)[1], `the session spend grew (${before.text} → ${after.text})`);
    assert.equal(last, session, 'the one request of the session is the whole session spend');
    assert.ok(Math.abs(last - expected) / expected < 0.03, `last cost ${last} ≈ ${tokens[1]} in × $0.15/M + ${tokens[2]} out × $0.60/M = ${expected}`);
    assert.match(after.text, /session \$0\.00000\d\d? · last/, 'a cost under $0.0001 keeps two significant digits instead of "$0.0000"');
    assert.match(after.tooltip, /Spent \$0\.00000\d+ this session/, 'the accessible label has the new spend');

    // 4. The tooltip: balances per gateway, the spend and the last request with where its cost came from.
    const tooltip = await hoverStatusBarItem(page, STATUS, { expect: 'Last request' });
    log(`tooltip: ${tooltip.replace(/\s*\n\s*/g, ' | ')}`);
    assert.match(tooltip, new RegExp(`Last request — \\$[\\d.]+ \\((reported by the gateway|tokens × catalog price)\\) · ${MODEL} via ${GATEWAY}`));
    assert.match(tooltip, /this session \$0\.00000\d/, 'the tooltip has the session spend');
    assert.match(tooltip, /NemoRouter[^\n]*\$\d+\.\d\d/, 'the tooltip lists the NemoRouter balance');
    const hover = page.locator('.workbench-hover-container .workbench-hover, .monaco-hover:not(.hidden)').first();
    await shot('status', { clip: await regionOf(page, [hover, item], { pad: 12 }) });
    await shot('window');

    const errors = (await errorNotifications(page)).filter((m) => /switchyard/i.test(m));
    assert.deepEqual(errors, [], 'no Switchyard error notification');
  },
};
