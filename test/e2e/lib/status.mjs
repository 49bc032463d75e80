// @ts-check
// The Switchyard cost status bar item, as the scenarios read it: its id, the dollar amounts of its
// text, and a wait for the text the server's status notification should produce.
import { readStatusBarItem } from './workbench.mjs';

/** The status bar item's id as the workbench renders it (extension id + item id). */
export const STATUS = { id: 'switchyard.switchyard.switchyard.status' };

/** The dollar amounts of a text, in order ("$5.00 · session $0.0000036" → [5, 0.0000036]). */
export const amounts = (s) => (s.match(/\$\d+(?:\.\d+)?/g) || []).map((a) => Number(a.slice(1)));

/** Polls the status item until `test(text, tooltip)` holds (the tooltip is the accessible label); returns { text, tooltip }. */
export async function waitForStatus(page, test, what, { timeout = 60_000 } = {}) {
  const end = Date.now() + timeout;
  let seen = { text: '', tooltip: '' };
  while (Date.now() < end) {
    seen = await readStatusBarItem(page, STATUS, { timeout });
    if (test(seen.text, seen.tooltip)) return seen;
    await page.waitForTimeout(100); // polling interval of a condition, not a pause
  }
  throw new Error(`the status bar never showed ${what}; it shows "${seen.text}" (${seen.tooltip})`);
}
