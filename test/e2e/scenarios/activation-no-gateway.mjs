// @ts-check
// First install: no gateway configured, no key, no network. The extension must still come up: its
// activity-bar container, the Models view (embedded offline catalog, or its welcome view), the two
// foundation commands, the language server's start line in the "Switchyard" output channel, and
// VS Code's Running Extensions view listing it as activated.
import {
  openContainer, expandView, waitForTreeOrWelcome, waitForTreeContent, expandTreeRow, runCommand,
  waitForOutputChannel, waitForOutputLines, errorNotifications,
} from '../lib/workbench.mjs';

const STARTED = /language server .*started/i;

export default {
  name: 'activation without a gateway',
  profile: 'no-gateway',
  timeoutMs: 120_000,
  files: { 'README.md': '# A workspace with no gateway configured\n' },

  async run({ page, log, shot, assert }) {
    await openContainer(page, 'Switchyard');
    log('Switchyard container open');

    await expandView(page, 'Models');
    const first = await waitForTreeOrWelcome(page, 'Models');
    if (first.kind === 'welcome') {
      log(`Models welcome view: ${first.text.replace(/\s+/g, ' ').slice(0, 200)}`);
    } else {
      // The offline catalog: groups (or models) — and no failure notice among them.
      const rows = await waitForTreeContent(page, 'Models');
      const errors = rows.filter((r) => r.icon === 'error');
      assert.deepEqual(errors.map((r) => r.label), [], 'the Models tree shows no error');
      const group = rows.find((r) => r.expanded !== null);
      let models = rows.filter((r) => r.expanded === null && r.description);
      if (group) models = (await expandTreeRow(page, 'Models', group.label)).filter((r) => r.description);
      assert.ok(models.length > 0, `the offline catalog lists models (rows: ${JSON.stringify(rows.slice(0, 5))})`);
      log(`offline catalog: ${rows.length} top rows (${rows.slice(0, 4).map((r) => r.label).join(' | ')}…); ` +
        `${group ? `"${group.label}" holds` : 'models:'} ${models.slice(0, 3).map((m) => `${m.label} [${m.description}]`).join(', ')}`);
    }
    await shot('models');

    await runCommand(page, 'Switchyard: Show Logs', { log });
    await waitForOutputChannel(page, 'Switchyard');
    const started = await waitForOutputLines(page, 'started', { match: STARTED, min: 1 });
    log(`output: ${started[0].trim()}`);
    await shot('logs');

    await runCommand(page, 'Switchyard: Restart Language Server', { log });
    // The restart is done when a second start line arrives in the same channel.
    await waitForOutputChannel(page, 'Switchyard');
    const after = await waitForOutputLines(page, 'started', { match: STARTED, min: started.length + 1 });
    log(`after restart: ${after.length} start lines, last: ${after[after.length - 1].trim()}`);
    await shot('restarted');

    // VS Code's own account of the activation (Developer: Show Running Extensions). Its time includes
    // waiting for the extension host while other extensions start, so built-in ones are logged beside it.
    await runCommand(page, 'Developer: Show Running Extensions', { log });
    const times = {};
    for (const id of ['switchyard', 'emmet', 'json-language-features']) {
      const cell = page.locator(`.runtime-extensions-editor .monaco-list-row[aria-label="${id}"] .activation-time`);
      if (id === 'switchyard') await cell.waitFor({ timeout: 15_000 });
      times[id] = (await cell.count()) ? (await cell.innerText()).trim() : 'not running';
    }
    assert.match(times.switchyard, /Activation: \d+ms/, 'VS Code lists Switchyard as activated, with its activation time');
    log(`Running Extensions: ${Object.entries(times).map(([id, t]) => `${id} ${t}`).join('; ')}`);
    await shot('running-extensions');

    const errors = (await errorNotifications(page)).filter((m) => /switchyard/i.test(m));
    assert.deepEqual(errors, [], 'no Switchyard error notification');
  },
};
