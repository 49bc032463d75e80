// @ts-check
// The chat panel, end to end: open it from the palette, pick a model of a fake gateway in the searchable
// picker, send with Enter, watch the answer stream in, read its cost line, stop a long answer, reload the
// window and find the conversation again in Switchyard: Chat History.
// Two extra NemoRouter fakes (chat-gateways.ts) stream slowly enough to watch and to stop; they are added
// next to the profile's five fakes through this workspace's .vscode/settings.json.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { activityBarItem, runCommand, pickQuickItem, webview, shot as saveShot } from '../lib/workbench.mjs';
import { fakeKeyEnv } from '../lib/profiles.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PROMPT = 'Say hello to the end-to-end test';
const ECHO = `Echo: ${PROMPT}`;

/** Starts chat-gateways.ts; resolves with its base URLs and a stop function once both fakes listen. */
async function startChatGateways(key, log) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/e2e/scenarios/chat-gateways.ts')], {
    cwd: ROOT, env: { ...process.env, FAKE_KEY: key }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const line = await new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`chat-gateways.ts exited (${code}) before it listened: ${stderr.trim()}`)));
  });
  const urls = JSON.parse(line);
  log(`chat fakes: slow ${urls.slow.baseUrl}, long ${urls.long.baseUrl}`);
  return {
    urls,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Runs a palette command, again if the palette opened before the extension's commands were registered
 * (the palette lists what exists when it opens; a cold start can beat the extension's manifest).
 */
async function runCommandWhenListed(page, title, log) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runCommand(page, title, { log, timeout: 10_000 });
    } catch (e) {
      if (attempt === 3) throw e;
      log(`"${title}" not listed yet (${e.message.split(';')[0]}); reopening the palette`);
      await page.keyboard.press('Escape');
    }
  }
}

/** Types `query` into the picker until an option for `gateway` shows (the catalog refreshes after the settings change). */
async function pickModel(chat, query, gateway, { log, timeoutMs = 60_000 }) {
  const picker = chat.locator('[data-testid=model-picker]');
  await picker.waitFor();
  const option = chat.locator('[role=option]', { hasText: `${query} · ${gateway}` }).first();
  const end = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    await picker.fill('');
    await picker.fill(query);
    try {
      await option.waitFor({ timeout: 3000 });
      break;
    } catch (e) {
      if (Date.now() > end) {
        const shown = await chat.locator('[role=option]').allInnerTexts().catch(() => []);
        throw new Error(`no "${query}" offer of ${gateway} in the model picker; it shows: ${JSON.stringify(shown.slice(0, 8))}`);
      }
      if (attempt === 1) log(`waiting for ${gateway} in the catalog…`);
    }
  }
  const text = (await option.innerText()).replace(/\s+/g, ' ');
  await option.click();
  log(`picked: ${text}`);
  return text;
}

/** Records the length of the last answer's text at every DOM change, to see it grow while streaming. */
async function watchStreaming(chat) {
  await chat.locator('#transcript').evaluate((el) => {
    const seen = [];
    /** @type {any} */ (window).__streamLengths = seen;
    new MutationObserver(() => {
      const answers = el.querySelectorAll('[data-testid=message-assistant] .body');
      const last = answers[answers.length - 1];
      const n = last ? (last.textContent || '').length : 0;
      if (n && seen[seen.length - 1] !== n) seen.push(n);
    }).observe(el, { subtree: true, childList: true, characterData: true });
  });
  return () => chat.locator('#transcript').evaluate(() => /** @type {any} */ (window).__streamLengths);
}

export default {
  name: 'chat streams an answer with its cost, stops a long one, and keeps it across a reload',
  profile: 'fakes',
  timeoutMs: 240_000,

  async run({ page, log, shot, assert, workspace, fakes, profile, outDir }) {
    const gateways = await startChatGateways(fakes.nemorouter.key, log);
    try {
      const extra = [
        { id: 'fake-slow', kind: 'nemorouter', baseUrl: gateways.urls.slow.baseUrl, apiKeyEnv: fakeKeyEnv('nemorouter') },
        { id: 'fake-long', kind: 'nemorouter', baseUrl: gateways.urls.long.baseUrl, apiKeyEnv: fakeKeyEnv('nemorouter') },
      ];
      fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
      fs.writeFileSync(
        path.join(workspace, '.vscode', 'settings.json'),
        JSON.stringify({ 'switchyard.gateways': [...profile.settings['switchyard.gateways'], ...extra] }, null, 2),
      );

      await activityBarItem(page, 'Switchyard').waitFor({ timeout: 60_000 }); // the extension is registered
      await runCommandWhenListed(page, 'Switchyard: Open Chat', log);
      const chat = webview(page);
      const prompt = chat.locator('textarea[data-testid=prompt]');
      await prompt.waitFor();
      log('chat panel open');

      // 1. Pick a model of a fake gateway, send with Enter, watch it stream, read the cost.
      const picked = await pickModel(chat, 'gpt-4o-mini', 'fake-slow', { log });
      assert.match(picked, /\$\d/, 'picker rows show the price');
      assert.match(picked, /context/, 'picker rows show the context window');
      const lengths = await watchStreaming(chat);
      await prompt.fill(PROMPT);
      await prompt.press('Enter');
      const answer = chat.locator('[data-testid=message-assistant]').last();
      await answer.locator('.body', { hasText: 'Echo:' }).waitFor({ timeout: 30_000 });
      const meta = answer.locator('[data-testid=message-meta]');
      await meta.filter({ hasText: /\$\d/ }).waitFor({ timeout: 30_000 });
      assert.equal((await answer.locator('.body').innerText()).trim(), ECHO);
      const seen = await lengths();
      log(`streamed in ${seen.length} visible steps: ${seen.join(' → ')}`);
      assert.ok(seen.length >= 3 && seen[0] < ECHO.length, `tokens appeared as they streamed (lengths seen: ${seen.join(', ')})`);
      const metaText = (await meta.innerText()).replace(/\s+/g, ' ').trim();
      log(`answer meta: ${metaText}`);
      assert.match(metaText, /gpt-4o-mini · fake-slow · \d+ in \/ \d+ out tokens · ≈?\$\d+(\.\d+)? · \d/, 'served model, gateway, tokens, cost and latency');
      const total = await chat.locator('[data-testid=total]').innerText();
      assert.match(total, /Total ≈?\$\d.* · 1 answer/, 'the conversation total');
      await shot('answer');

      // 2. A long answer on another gateway, stopped half-way.
      await pickModel(chat, 'gpt-4o-mini', 'fake-long', { log });
      await prompt.fill('A long answer please');
      await prompt.press('Enter');
      const long = chat.locator('[data-testid=message-assistant]').last();
      await long.locator('.body', { hasText: 'Echo: A long answer please' }).waitFor({ timeout: 30_000 });
      await chat.locator('[data-testid=stop]').click();
      const stoppedMeta = long.locator('[data-testid=message-meta]', { hasText: /stopped/ });
      await stoppedMeta.waitFor({ timeout: 20_000 });
      const kept = (await long.locator('.body').innerText()).trim();
      log(`stopped after ${kept.length} characters; meta: ${(await stoppedMeta.innerText()).replace(/\s+/g, ' ')}`);
      assert.ok(kept.length > 0 && kept.length < 4000, `the stopped answer keeps what arrived (${kept.length} < 4000 characters)`);
      await chat.locator('[data-testid=send]').waitFor({ state: 'visible' });
      await saveShot(page, outDir, 'chat', log); // out/chat.png, the README's picture
      await shot('stopped');

      // 3. Reload the window; the conversation is in the history and opens with its answers.
      await page.reload();
      await page.locator('.monaco-workbench').waitFor();
      await page.locator('.part.statusbar').waitFor();
      log('window reloaded');
      // VS Code restores the open chat panel with its conversation (the panel serializer)…
      await webview(page).locator('[data-testid=message-user]', { hasText: PROMPT }).waitFor({ timeout: 60_000 });
      log('the chat panel came back with its conversation');
      // …and, once that panel is closed, the history lists it and opens it again.
      await runCommandWhenListed(page, 'View: Close All Editors', log);
      await page.locator('iframe.webview.ready').first().waitFor({ state: 'detached', timeout: 15_000 });
      await runCommandWhenListed(page, 'Switchyard: Chat History', log);
      await pickQuickItem(page, PROMPT, { filter: 'Say hello' });
      const reopened = webview(page);
      await reopened.locator('[data-testid=message-user]', { hasText: PROMPT }).waitFor({ timeout: 30_000 });
      const answersAfter = reopened.locator('[data-testid=message-assistant]');
      await answersAfter.filter({ hasText: ECHO }).waitFor();
      await answersAfter.last().locator('[data-testid=message-meta]', { hasText: /stopped/ }).waitFor();
      log(`after reload: ${await answersAfter.count()} answers in the reopened conversation`);
      await shot('history');
    } finally {
      await gateways.stop();
    }
  },
};
