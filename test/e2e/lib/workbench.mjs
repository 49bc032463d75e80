// @ts-check
// Playwright helpers for the VS Code web workbench (code-server 4.100 = VS Code 1.100).
// Every wait is on a condition in the DOM; the only fixed pause is the toast slide-in before a screenshot.
// Selectors are VS Code's own DOM (class names and aria-labels); they are gathered here so that a
// workbench upgrade is fixed in one file.
import { screenshot } from './browser.mjs';

const css = (s) => JSON.stringify(String(s)); // a CSS string literal (JSON escaping is valid CSS escaping here)
const clean = (s) => String(s ?? '').replace(/\u00a0/g, ' ');
const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = '.quick-input-widget .quick-input-box input';

// ---------------------------------------------------------------------------------------------------------
// Workbench

const WORKBENCH_LOAD_MS = 90_000;

/**
 * Opens the workbench on `folder` and waits until its parts are laid out. Returns the load time in ms.
 * @param {any} page
 * @param {string} baseUrl
 * @param {string} folder
 * @param {{ log?: (msg: string) => void, payload?: unknown }} [options]
 */
export async function openWorkbench(page, baseUrl, folder, { log, payload } = {}) {
  const t = Date.now();
  let url = `${baseUrl}/?folder=${encodeURIComponent(folder)}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  // Ready means the parts are laid out, not the page's load event: on a busy 2-core machine the
  // workbench's scripts alone took over 30 s to arrive and run (page.goto's default timeout ran out in
  // three runs in a row at load average 25). The scenario's own timeoutMs still bounds the whole.
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator('.monaco-workbench').waitFor({ timeout: WORKBENCH_LOAD_MS });
  await page.locator('.part.activitybar .action-item').first().waitFor({ timeout: WORKBENCH_LOAD_MS });
  await page.locator('.part.statusbar').waitFor({ timeout: WORKBENCH_LOAD_MS });
  log?.(`workbench loaded (+${Date.now() - t} ms)`);
  return Date.now() - t;
}

/**
 * Screenshot; when a notification toast is showing, first let its ~0.5 s slide-in animation finish.
 * `{ clip }` keeps only that rectangle (see regionOf).
 * @param {any} page
 * @param {string} outDir
 * @param {string} name
 * @param {(msg: string) => void} log
 * @param {{ clip?: { x: number, y: number, width: number, height: number } }} [options]
 */
export async function shot(page, outDir, name, log, { clip } = {}) {
  if (await page.locator('.notification-toast').first().isVisible().catch(() => false)) {
    await page.waitForTimeout(600); // the one documented fixed pause: toast animation
  }
  return screenshot(page, outDir, name, log, { clip });
}

/**
 * The smallest rectangle holding every visible element of `locators`, grown by `pad` pixels and kept
 * inside the viewport: a screenshot `clip` that shows just the part of the workbench a picture is about.
 */
export async function regionOf(page, locators, { pad = 8 } = {}) {
  const boxes = [];
  for (const l of locators) {
    for (const el of await l.all()) {
      const b = (await el.isVisible()) ? await el.boundingBox() : null;
      if (b && b.width > 0 && b.height > 0) boxes.push(b);
    }
  }
  if (!boxes.length) throw new Error('regionOf: none of the elements is visible');
  const vp = page.viewportSize() ?? { width: 1400, height: 900 };
  const x = Math.max(0, Math.floor(Math.min(...boxes.map((b) => b.x)) - pad));
  const y = Math.max(0, Math.floor(Math.min(...boxes.map((b) => b.y)) - pad));
  const right = Math.min(vp.width, Math.ceil(Math.max(...boxes.map((b) => b.x + b.width)) + pad));
  const bottom = Math.min(vp.height, Math.ceil(Math.max(...boxes.map((b) => b.y + b.height)) + pad));
  return { x, y, width: right - x, height: bottom - y };
}

// ---------------------------------------------------------------------------------------------------------
// Command palette and quick inputs

/** Labels of the visible rows of the open quick input (for error messages and quick-pick scenarios). */
export async function quickInputRows(page) {
  return page
    .locator('.quick-input-list .monaco-list-row')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') || r.textContent || ''));
}

async function openPalette(page) {
  const box = page.locator(QUICK_INPUT_BOX);
  // F1 is swallowed when focus sits in a webview iframe or a terminal that has not yet forwarded keys;
  // Escape then F1 again, then the other default binding.
  for (const key of ['F1', 'F1', 'Control+Shift+P']) {
    await page.keyboard.press(key);
    try {
      await box.waitFor({ state: 'visible', timeout: 4000 });
      return box;
    } catch {
      await page.keyboard.press('Escape');
    }
  }
  throw new Error('the command palette did not open');
}

/** True when a quick-input row's aria-label names `want`: exactly, or followed by "…"/"..." or ", <keybinding/detail>". */
function labelMatches(label, want) {
  // Rows whose label starts with a codicon ("$(search) Show …") have the icon id first in their aria-label.
  if (!want.startsWith(label.split(' ')[0])) label = label.replace(/^[a-z0-9~-]+ {2}/, '');
  if (label === want) return true;
  if (!label.startsWith(want)) return false;
  return /^(\.\.\.|…)?(,|$)/.test(label.slice(want.length));
}

/**
 * Waits until the filtered list of the open quick input holds the entry `label`, makes sure that entry is
 * the focused one (fuzzy sorting may rank another entry first, e.g. "Markdown: Open Locked Preview to the
 * Side" above "Markdown: Open Preview"), then accepts it. Never presses Enter on a list still filtering.
 */
async function acceptRow(page, label, timeout) {
  const matcher = labelMatches.toString();
  try {
    await page.waitForFunction(
      ({ want, matcher }) => {
        const matches = new Function('label', 'want', `return (${matcher})(label, want)`);
        return [...document.querySelectorAll('.quick-input-list .monaco-list-row')].some((r) => matches(r.getAttribute('aria-label') || '', want));
      },
      { want: label, matcher },
      { timeout },
    );
  } catch {
    const rows = await quickInputRows(page).catch(() => []);
    throw new Error(`no entry "${label}" in the quick input; visible rows: ${JSON.stringify(rows.slice(0, 10))}`);
  }
  // Move the focus down to the entry, checking the focused row's own label each time (not an index that a
  // late re-render could shift), and press Enter only when it is the one.
  const focusedIsIt = () =>
    page.evaluate(
      ({ want, matcher }) => {
        const matches = new Function('label', 'want', `return (${matcher})(label, want)`);
        const row = document.querySelector('.quick-input-list .monaco-list-row.focused');
        return !!row && matches(row.getAttribute('aria-label') || '', want);
      },
      { want: label, matcher },
    );
  for (let step = 0; step < 60 && !(await focusedIsIt()); step++) await page.keyboard.press('ArrowDown');
  if (!(await focusedIsIt())) throw new Error(`could not focus the entry "${label}" in the quick input`);
  await page.keyboard.press('Enter');
}

/**
 * Runs a command by its palette title (e.g. "Switchyard: Show Logs").
 * @param {any} page
 * @param {string} title
 * @param {{ log?: (msg: string) => void, timeout?: number }} [options]
 */
export async function runCommand(page, title, { log, timeout = 15_000 } = {}) {
  const box = await openPalette(page);
  await box.fill(`>${title}`);
  await acceptRow(page, title, timeout);
  // Done when the palette is gone, or when the command has replaced it with its own quick pick / input box
  // (whose text no longer starts with the palette's ">").
  await page.waitForFunction(
    () => {
      const w = document.querySelector('.quick-input-widget');
      const input = /** @type {HTMLInputElement | null} */ (document.querySelector('.quick-input-widget .quick-input-box input'));
      return !w || getComputedStyle(w).display === 'none' || !input || !input.value.startsWith('>');
    },
    undefined,
    { timeout },
  );
  log?.(`ran command "${title}"`);
}

/** Picks `label` in a quick pick opened by a command (types it to filter, waits for the focused row). */
export async function pickQuickItem(page, label, { filter = label, timeout = 15_000 } = {}) {
  const box = page.locator(QUICK_INPUT_BOX);
  await box.waitFor({ state: 'visible', timeout });
  await box.fill(filter);
  await acceptRow(page, label, timeout);
}

/**
 * Answers an input box (e.g. an API key prompt); `password` boxes work the same.
 * @param {any} page
 * @param {string} value
 * @param {{ timeout?: number, expectPrompt?: string | RegExp }} [options]
 */
export async function answerInputBox(page, value, { timeout = 15_000, expectPrompt } = {}) {
  const box = page.locator(QUICK_INPUT_BOX);
  await box.waitFor({ state: 'visible', timeout });
  if (expectPrompt) await page.locator(`${QUICK_INPUT} .quick-input-message`, { hasText: expectPrompt }).waitFor({ timeout });
  await box.fill(value);
  await page.keyboard.press('Enter');
  await page.locator(QUICK_INPUT).first().waitFor({ state: 'hidden', timeout });
}

// ---------------------------------------------------------------------------------------------------------
// Activity bar, side bar views, trees

/** The activity-bar entry of a view container whose aria-label starts with `prefix` (e.g. "Switchyard"). */
export function activityBarItem(page, prefix) {
  return page.locator(`.part.activitybar .action-item a.action-label[aria-label^=${css(prefix)}]`);
}

/**
 * Opens (or keeps open) the side bar container whose activity-bar entry starts with `prefix`. Clicking the
 * entry of the container already shown hides the side bar, and a reloaded window restores its container a
 * moment after the entry appears, so: click only when not checked, and check again after each click.
 */
export async function openContainer(page, prefix, { timeout = 60_000 } = {}) {
  const item = activityBarItem(page, prefix);
  await item.waitFor({ timeout });
  const checked = page.locator(`.part.activitybar .action-item.checked a.action-label[aria-label^=${css(prefix)}]`);
  const end = Date.now() + timeout;
  while (!(await checked.isVisible())) {
    if (Date.now() > end) throw new Error(`the "${prefix}" container did not open within ${timeout} ms`);
    await item.click();
    // Park the pointer away from the activity bar so its hover tooltip does not cover screenshots.
    const vp = page.viewportSize();
    await page.mouse.move(vp ? vp.width / 2 : 700, vp ? vp.height / 2 : 450);
    await checked.waitFor({ timeout: 5000 }).catch(() => {});
  }
  await page.locator('.part.sidebar').waitFor({ state: 'visible', timeout });
}

/**
 * A view pane in the side bar or panel, by its name ("Models"). Its header's aria-label is "Models Section",
 * or "Models - <description> Section" while the view has a description (e.g. an active filter).
 */
export function view(page, name) {
  const header = `.pane-header[aria-label^=${css(`${name} Section`)}], .pane-header[aria-label^=${css(`${name} - `)}]`;
  return page.locator('.pane').filter({ has: page.locator(header) });
}

/**
 * Expands a collapsed view pane. A container holding a single view hides that view's header (its title
 * merges into the container's), and such a view is always expanded.
 */
export async function expandView(page, name, { timeout = 30_000 } = {}) {
  const header = view(page, name).locator('.pane-header').first();
  await header.waitFor({ state: 'attached', timeout });
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  await view(page, name).locator('.pane-header[aria-expanded="true"]').waitFor({ state: 'attached', timeout });
  await view(page, name).locator('.pane-body').waitFor({ state: 'visible', timeout });
}

/**
 * Visible tree rows of a view: { label, description, aria, level, expanded, icon }. `expanded` is null for
 * leaves, "true"/"false" for collapsible rows; `icon` is the ThemeIcon id ("error", "folder", …) or "".
 */
export async function treeRows(page, viewName) {
  return view(page, viewName)
    .locator('.pane-body .monaco-list-row')
    .evaluateAll((rows) =>
      rows.map((r) => {
        const iconEl = r.querySelector('.custom-view-tree-node-item-icon');
        const icon = (iconEl?.className.match(/codicon-([\w-]+)/) || [])[1] || '';
        return {
          label: (r.querySelector('.label-name')?.textContent || '').replace(/\u00a0/g, ' ').trim(),
          description: (r.querySelector('.label-description')?.textContent || '').replace(/\u00a0/g, ' ').trim(),
          aria: r.getAttribute('aria-label') || '',
          level: Number(r.getAttribute('aria-level') || 0),
          expanded: r.getAttribute('aria-expanded'),
          icon,
        };
      }),
    );
}

/** Expands the collapsible row whose label matches and waits for its first child row; returns the children. */
export async function expandTreeRow(page, viewName, match, { timeout = 30_000 } = {}) {
  const rows = view(page, viewName).locator('.pane-body .monaco-list-row');
  const row = rows.filter({ hasText: match }).first();
  await row.waitFor({ timeout });
  const level = Number((await row.getAttribute('aria-level')) || 1);
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
  await view(page, viewName)
    .locator(`.pane-body .monaco-list-row[aria-level="${level}"][aria-expanded="true"]`)
    .filter({ hasText: match })
    .first()
    .waitFor({ timeout });
  await view(page, viewName).locator(`.pane-body .monaco-list-row[aria-level="${level + 1}"]`).first().waitFor({ timeout });
  const all = await treeRows(page, viewName);
  const start = all.findIndex((r) => r.level === level && r.expanded === 'true' && (typeof match === 'string' ? r.label.includes(match) : match.test(r.label)));
  const children = [];
  for (let i = start + 1; i < all.length && all[i].level > level; i++) if (all[i].level === level + 1) children.push(all[i]);
  return children;
}

/** Waits until a view shows either tree rows or its welcome content; returns which, and what. */
export async function waitForTreeOrWelcome(page, viewName, { timeout = 60_000 } = {}) {
  const pane = view(page, viewName);
  const rows = pane.locator('.pane-body .monaco-list-row');
  const welcome = pane.locator('.pane-body .welcome-view-content');
  try {
    await rows.or(welcome.filter({ hasText: /\S/ })).first().waitFor({ timeout });
  } catch (e) {
    // e.g. "There is no data provider registered that can provide view data."
    const shown = await pane.locator('.pane-body').first().innerText().catch(() => '');
    throw new Error(`view "${viewName}" shows neither tree rows nor welcome content after ${timeout} ms; it shows: ${JSON.stringify(clean(shown).trim())}`);
  }
  if (await welcome.first().isVisible()) return { kind: 'welcome', text: clean(await welcome.first().innerText()).trim() };
  return { kind: 'tree', rows: await treeRows(page, viewName) };
}

/**
 * Waits until a tree has settled on content: a collapsible row (a group), a row with a description (an
 * item), or a row with an error icon (a failure notice). Loading placeholders do not count. Returns the rows.
 */
export async function waitForTreeContent(page, viewName, { timeout = 60_000 } = {}) {
  const pane = view(page, viewName);
  const settled = pane.locator('.pane-body .monaco-list-row').filter({
    has: page.locator('.label-description:not(:empty), .custom-view-tree-node-item-icon.codicon-error'),
  });
  const group = pane.locator('.pane-body .monaco-list-row[aria-expanded]');
  try {
    await settled.or(group).first().waitFor({ timeout });
  } catch {
    throw new Error(`view "${viewName}" did not settle on content; rows: ${JSON.stringify(await treeRows(page, viewName))}`);
  }
  return treeRows(page, viewName);
}

/**
 * Waits until `predicate(rows)` holds for the view's rows and still holds `stableMs` later (a tree that
 * refreshes may show the right rows, go empty, and fill again); returns those rows.
 */
export async function waitForTreeRows(page, viewName, predicate, { timeout = 30_000, stableMs = 300, what = 'tree rows' } = {}) {
  const end = Date.now() + timeout;
  let since = 0;
  let rows = [];
  while (Date.now() < end) {
    rows = await treeRows(page, viewName);
    if (predicate(rows)) {
      since ||= Date.now();
      if (Date.now() - since >= stableMs) return rows;
    } else since = 0;
    await page.waitForTimeout(100); // polling interval of a condition, not a pause
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what} in "${viewName}"; rows: ${JSON.stringify(rows.map((r) => r.label))}`);
}

/** Waits for a tree row whose label (or aria-label) matches. */
export async function waitForTreeRow(page, viewName, match, { timeout = 30_000 } = {}) {
  const row = view(page, viewName).locator('.pane-body .monaco-list-row').filter({ hasText: match });
  await row.first().waitFor({ timeout });
  return row.first();
}

// ---------------------------------------------------------------------------------------------------------
// Webviews

/**
 * The extension's HTML inside a webview: two nested iframes, `iframe.webview.ready` (code-server's host page)
 * → `iframe#active-frame` (the extension's document). `index` picks among several open webviews.
 */
export function webview(page, { index = 0 } = {}) {
  return page.locator('iframe.webview.ready').nth(index).contentFrame().locator('iframe#active-frame').contentFrame();
}

// ---------------------------------------------------------------------------------------------------------
// Status bar, notifications, output

/**
 * A status-bar entry: by element id prefix (an extension's item created with createStatusBarItem(ID) has the
 * element id "<extension id>.<ID>", e.g. "switchyard.switchyard.switchyard.status") or by text.
 * @param {any} page
 * @param {{ id?: string, text?: string | RegExp }} [which]
 */
export function statusBarItem(page, { id, text } = {}) {
  const items = page.locator('.part.statusbar .statusbar-item');
  if (id) return page.locator(`.part.statusbar .statusbar-item[id^=${css(id)}]`);
  return items.filter({ hasText: text });
}

/** { text, tooltip } of a status-bar entry (tooltip = its aria-label, which VS Code fills from text/tooltip). */
export async function readStatusBarItem(page, match, { timeout = 30_000 } = {}) {
  const item = statusBarItem(page, match).first();
  await item.waitFor({ timeout });
  return {
    text: clean(await item.innerText()).trim(),
    tooltip: (await item.locator('a, .statusbar-item-label').first().getAttribute('aria-label')) || '',
  };
}

/**
 * Points at a status-bar entry and returns the text of its tooltip once it shows (and contains `expect`,
 * a string or RegExp, when given). The pointer stays there so that the tooltip can be photographed.
 * @param {any} page
 * @param {any} match
 * @param {{ expect?: string | RegExp, timeout?: number }} [options]
 */
export async function hoverStatusBarItem(page, match, { expect, timeout = 30_000 } = {}) {
  const item = statusBarItem(page, match).first();
  await item.waitFor({ timeout });
  await item.hover();
  const hover = page.locator('.workbench-hover-container .workbench-hover, .monaco-hover:not(.hidden) .monaco-hover-content');
  const target = expect ? hover.filter({ hasText: expect }) : hover;
  try {
    await target.first().waitFor({ timeout });
  } catch {
    const shown = await hover.allInnerTexts().catch(() => []);
    throw new Error(`the status-bar tooltip${expect ? ` with ${expect}` : ''} did not show; hovers: ${JSON.stringify(shown)}`);
  }
  return clean(await target.first().innerText()).trim();
}

export async function waitForNotification(page, text, { timeout = 30_000 } = {}) {
  const toast = page.locator('.notification-toast', { hasText: text }).first();
  await toast.waitFor({ timeout });
  return clean(await toast.locator('.notification-list-item-message').first().innerText()).trim();
}

/** Error toasts currently visible, as "message — Source: …" (extension errors name the extension as source). */
export async function errorNotifications(page) {
  return page.locator('.notification-toast:has(.codicon-error)').evaluateAll((toasts) =>
    toasts.map((t) =>
      [t.querySelector('.notification-list-item-message'), t.querySelector('.notification-list-item-source')]
        .map((e) => (e?.textContent || '').trim())
        .filter(Boolean)
        .join(' — '),
    ),
  );
}

/** The Output panel: the name of the selected channel and its visible lines. */
export async function outputPanel(page) {
  const panel = page.locator('.part.panel');
  await panel.locator('.output-view, .monaco-editor').first().waitFor();
  const channel = await panel
    .locator('select.monaco-select-box')
    .first()
    .evaluate((s) => s.options[s.selectedIndex]?.text || '')
    .catch(() => '');
  const lines = await panel
    .locator('.monaco-editor .view-lines .view-line')
    .evaluateAll((els) =>
      els
        .map((e) => ({ top: parseFloat(e.style.top) || 0, text: (e.textContent || '').replace(/\u00a0/g, ' ') }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text),
    );
  return { channel, lines };
}

/** Waits until the Output panel shows `channel` selected. */
export async function waitForOutputChannel(page, channel, { timeout = 30_000 } = {}) {
  await page.waitForFunction(
    (want) => {
      const s = /** @type {HTMLSelectElement | null} */ (document.querySelector('.part.panel select.monaco-select-box'));
      return !!s && s.options[s.selectedIndex]?.text === want;
    },
    channel,
    { timeout },
  );
}

/**
 * Narrows the Output panel with its own Filter box (VS Code >= 1.97) to lines containing `filter`, waits
 * until at least `min` of them also match `match`, and returns those lines. Filtering keeps this robust
 * against long logs whose first lines have scrolled out of the virtualised editor.
 * @param {any} page
 * @param {string} filter
 * @param {{ match?: RegExp, min?: number, timeout?: number }} [options]
 */
export async function waitForOutputLines(page, filter, { match, min = 1, timeout = 30_000 } = {}) {
  const box = page.locator('.part.panel .viewpane-filter input').first();
  await box.fill(filter);
  const re = match ?? new RegExp(filter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const matching = async () => (await outputPanel(page)).lines.filter((l) => l.includes(filter) && re.test(l));
  try {
    await page.waitForFunction(
      ({ want, src, flags, n }) => {
        const r = new RegExp(src, flags);
        const lines = [...document.querySelectorAll('.part.panel .monaco-editor .view-lines .view-line')].map(
          (e) => (e.textContent || '').replace(/\u00a0/g, ' '),
        );
        return lines.filter((l) => l.includes(want) && r.test(l)).length >= n;
      },
      { want: filter, src: re.source, flags: re.flags, n: min },
      { timeout },
    );
  } catch {
    const { channel, lines } = await outputPanel(page).catch(() => ({ channel: '?', lines: [] }));
    throw new Error(`Output "${channel}" has fewer than ${min} line(s) matching ${re} (filter "${filter}"); shows: ${JSON.stringify(lines.slice(-15))}`);
  }
  return matching();
}

// ---------------------------------------------------------------------------------------------------------
// Editors, completion, hover, diagnostics, quick fixes

/** Opens a workspace file through Quick Open and waits for its editor tab to be active. */
export async function openFile(page, relPath, { timeout = 30_000 } = {}) {
  const name = relPath.split('/').pop();
  const box = page.locator(QUICK_INPUT_BOX);
  await pressUntilShown(page, 'Control+P', box, { timeout });
  await box.fill(relPath);
  await page
    .locator('.quick-input-list .monaco-list-row.focused', { hasText: name })
    .waitFor({ timeout });
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab.active[aria-label^=${css(name)}]`).waitFor({ timeout });
  await activeEditor(page).locator('.view-lines').waitFor({ timeout });
  await focusEditor(page);
}

export function activeEditor(page) {
  return page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
}

/**
 * Focuses the active editor's text input and waits until the editor itself says it has focus (its
 * `focused` class, set by the same focus tracking that enables the editor's keybindings).
 */
export async function focusEditor(page, { timeout = 10_000 } = {}) {
  const focused = page.locator('.editor-group-container.active .editor-instance .monaco-editor.focused').first();
  const end = Date.now() + timeout;
  // Focus again while the editor does not say it has it. Seen twice at load average 25-30: the editor's
  // textarea was document.activeElement but the editor had no `focused` class, i.e. VS Code's focus
  // tracking never saw a focus event, and focus() on the element that already has focus fires none. So
  // bring the page to the front, blur, and focus again; keys bound to "text input focus" need it.
  for (let attempt = 0; ; attempt++) {
    const input = activeEditor(page).locator('textarea.inputarea, .native-edit-context').first();
    if (attempt > 0) {
      await page.bringToFront();
      await input.evaluate((e) => /** @type {HTMLElement} */ (e).blur());
    }
    await input.focus();
    try {
      await focused.waitFor({ timeout: Math.max(1, Math.min(2000, end - Date.now())) });
      return;
    } catch (e) {
      if (Date.now() >= end) {
        const active = await page.evaluate(() => (document.activeElement ? `${document.activeElement.tagName}.${document.activeElement.className}` : 'none'));
        throw new Error(`the editor did not take focus within ${timeout} ms (focused element: ${active}): ${e.message}`);
      }
    }
  }
}

/**
 * Puts the active editor into the state behind the Python scenario's old completion flake (issue 15,
 * item 9): its text input keeps DOM focus (document.activeElement) while VS Code's focus tracking
 * believes it lost it. A blur event the input never had does exactly that: the editor drops its
 * `focused` class and the text-input-focus context, so keys bound to it (Ctrl+Space) do nothing.
 * Returns { active, editorFocused } as seen right after.
 */
export async function loseFocusTracking(page) {
  await focusEditor(page);
  const input = activeEditor(page).locator('textarea.inputarea, .native-edit-context').first();
  await input.evaluate((e) => {
    e.dispatchEvent(new FocusEvent('blur', { relatedTarget: null }));
    e.dispatchEvent(new FocusEvent('focusout', { bubbles: true, relatedTarget: null }));
  });
  await page.locator('.editor-group-container.active .editor-instance .monaco-editor.focused').first().waitFor({ state: 'detached', timeout: 5000 });
  return page.evaluate(() => ({
    active: document.activeElement ? `${document.activeElement.tagName.toLowerCase()}.${String(document.activeElement.className).split(' ')[0]}` : null,
    editorFocused: !!document.querySelector('.editor-group-container.active .monaco-editor.focused'),
  }));
}

/**
 * Presses `key` until `shown` is visible, and returns how many presses it took. One press is usually
 * enough, but a key press can be dropped or its effect undone before anything renders (a widget that
 * is closing hands focus back a moment later; a suggest session is cancelled by a blur or a cursor move
 * that is not the user's), and waiting longer for what will never come does not help. So: press, wait
 * up to `retryMs` for the widget, press again only if it is still not there (never while it shows: the
 * same key may toggle it). `before` runs before every press (e.g. focusing the editor). Bounded by `timeout`.
 * @param {any} page
 * @param {string} key
 * @param {any} shown
 * @param {{ timeout?: number, retryMs?: number, before?: () => Promise<unknown>, log?: (msg: string) => void }} [options]
 */
export async function pressUntilShown(page, key, shown, { timeout = 30_000, retryMs = 5000, before, log } = {}) {
  const end = Date.now() + timeout;
  for (let presses = 1; ; presses++) {
    if (before) await before();
    await page.keyboard.press(key);
    try {
      await shown.first().waitFor({ state: 'visible', timeout: Math.max(1, Math.min(retryMs, end - Date.now())) });
      return presses;
    } catch (e) {
      if (Date.now() >= end) throw e;
      if (await shown.first().isVisible()) return presses;
      log?.(`${key} (press ${presses}) showed nothing within ${retryMs} ms; pressing again`);
    }
  }
}

/** Text of the active editor's rendered lines (enough for the small files of the scenarios). */
export async function editorText(page) {
  const lines = await activeEditor(page)
    .locator('.view-lines .view-line')
    .evaluateAll((els) =>
      els
        .map((e) => ({ top: parseFloat(e.style.top) || 0, text: (e.textContent || '').replace(/\u00a0/g, ' ') }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text),
    );
  return lines.join('\n');
}

/** Moves the cursor with Go to Line ("line:column", 1-based). */
export async function gotoPosition(page, line, column = 1) {
  const box = page.locator(QUICK_INPUT_BOX);
  await pressUntilShown(page, 'Control+G', box, { before: () => focusEditor(page) });
  await box.fill(`:${line}:${column}`); // Go to Line is Quick Open with the ':' prefix; fill replaces the prefix too
  await page.keyboard.press('Enter');
  await page.locator(QUICK_INPUT).first().waitFor({ state: 'hidden' });
}

/**
 * Types at the cursor as a user does (keystrokes, so completion and auto-closing react), or with
 * `{ raw: true }` inserts the text at once.
 */
export async function typeInEditor(page, text, { raw = false } = {}) {
  await focusEditor(page);
  if (raw) await page.keyboard.insertText(text);
  else await page.keyboard.type(text);
}

/** Replaces the whole content of the active editor. */
export async function setEditorText(page, text) {
  await focusEditor(page);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/**
 * Triggers suggestions at the cursor; returns the labels once the list shows `expect` (or any row).
 * @param {any} page
 * @param {{ expect?: string | RegExp, timeout?: number, log?: (msg: string) => void }} [options]
 */
export async function triggerCompletion(page, { expect, timeout = 30_000, log } = {}) {
  const end = Date.now() + timeout;
  await traceSuggest(page);
  const widget = page.locator('.editor-widget.suggest-widget.visible');
  const row = expect ? widget.locator('.monaco-list-row', { hasText: expect }) : widget.locator('.monaco-list-row');
  // Ctrl+Space again only while no widget shows: a session cancelled before or after it rendered
  // (a blur, a cursor move that is not the user's) leaves nothing on screen, and the same key on an open
  // widget would toggle its details instead. An open widget that lacks the row ("No suggestions.", a
  // stale list) is what the server answered: waited on, not re-asked, so a wrong answer still fails.
  try {
    for (let presses = 0; ; ) {
      if (!(await widget.first().isVisible())) {
        if (presses) log?.(`no suggest widget after Ctrl+Space (press ${presses}); pressing again. Trace: ${JSON.stringify(await suggestTrace(page))}`);
        await focusEditor(page);
        await traceSuggest(page);
        await page.keyboard.press('Control+Space');
        presses++;
      }
      try {
        await row.first().waitFor({ timeout: Math.max(1, Math.min(5000, end - Date.now())) });
        break;
      } catch (e) {
        if (Date.now() >= end) throw e;
      }
    }
  } catch (e) {
    throw new Error(`${e.message}\n  suggest state: ${JSON.stringify(await suggestState(page))}`);
  }
  return widget
    .locator('.monaco-list-row')
    .evaluateAll((rows) => rows.map((r) => (r.querySelector('.label-name')?.textContent || r.getAttribute('aria-label') || '').trim()));
}

/** Records key presses, focus moves and the suggest widget's class changes (reported by suggestState). */
async function traceSuggest(page) {
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    const t0 = performance.now();
    w.__suggestTrace = [];
    const add = (what) => w.__suggestTrace.length < 200 && w.__suggestTrace.push(`${Math.round(performance.now() - t0)}ms ${what}`);
    const describe = (e) => (e instanceof Element ? `${e.tagName.toLowerCase()}.${String(e.className).split(' ').slice(0, 3).join('.')}` : String(e));
    if (w.__suggestTraceOff) w.__suggestTraceOff();
    const onKey = (e) => add(`keydown ${e.ctrlKey ? 'Ctrl+' : ''}${e.key} on ${describe(e.target)}${e.defaultPrevented ? ' (handled)' : ''}`);
    const onFocus = (e) => add(`${e.type} ${describe(e.target)}`);
    const seen = new WeakMap();
    const mo = new MutationObserver((ms) => {
      for (const m of ms) {
        const el = /** @type {Element} */ (m.target);
        if (!(el instanceof Element) || !el.classList.contains('suggest-widget')) continue;
        if (seen.get(el) !== el.className) add(`suggest-widget class="${el.className}" message="${el.querySelector('.message')?.textContent || ''}"`);
        seen.set(el, el.className);
      }
    });
    mo.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['class'] });
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('focusin', onFocus, true);
    document.addEventListener('focusout', onFocus, true);
    w.__suggestTraceOff = () => {
      mo.disconnect();
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('focusin', onFocus, true);
      document.removeEventListener('focusout', onFocus, true);
    };
  });
}

const suggestTrace = (page) => page.evaluate(() => /** @type {any} */ (window).__suggestTrace);

/** What a failed completion wait reports: focus, cursor, the suggest widget's state and rows. */
async function suggestState(page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    const w = document.querySelector('.editor-widget.suggest-widget');
    const cursor = [...document.querySelectorAll('.statusbar-item')].map((e) => e.textContent || '').find((t) => /Ln \d+, Col \d+/.test(t));
    return {
      active: a ? `${a.tagName}.${a.className}`.slice(0, 120) : null,
      editorFocused: !!document.querySelector('.editor-group-container.active .monaco-editor.focused'),
      cursor,
      widget: w ? w.className : null,
      message: w?.querySelector('.message')?.textContent || '',
      rows: [...(w?.querySelectorAll('.monaco-list-row .label-name') ?? [])].map((r) => r.textContent).slice(0, 15),
      hover: !!document.querySelector('.monaco-hover:not(.hidden)'),
      trace: /** @type {any} */ (window).__suggestTrace,
    };
  });
}

/**
 * Rows of the open suggest widget: { label, detail, description, focused }. For items with
 * `labelDetails`, `detail`/`description` are labelDetails.detail/description; for plain string labels,
 * `description` is CompletionItem.detail.
 */
export async function completionRows(page) {
  return page
    .locator('.editor-widget.suggest-widget.visible .monaco-list-row')
    .evaluateAll((rows) =>
      rows.map((r) => {
        const text = (sel) => (r.querySelector(sel)?.textContent || '').replace(/\u00a0/g, ' ').trim();
        return { label: text('.label-name'), detail: text('.signature-label'), description: text('.details-label'), focused: r.classList.contains('focused') };
      }),
    );
}

/**
 * Opens the details pane of the focused suggestion ("Toggle Suggestion Details", Ctrl+Space while the
 * list is open; VS Code remembers it) and returns its text once it shows `expect`: the resolved
 * CompletionItem.detail and documentation.
 * @param {any} page
 * @param {{ expect?: string | RegExp, timeout?: number }} [options]
 */
export async function completionDetails(page, { expect, timeout = 30_000 } = {}) {
  const details = page.locator('.suggest-details-container .suggest-details');
  const target = expect ? details.filter({ hasText: expect }) : details;
  const end = Date.now() + timeout;
  // Press only while the pane is hidden (the same key hides it again); a press that lands while the
  // list is still settling may be lost, so look again after a few seconds.
  for (let presses = 0; !(await target.first().isVisible()); ) {
    if (Date.now() > end) {
      const state = await page.evaluate(() =>
        [...document.querySelectorAll('.suggest-details-container')].map((e) => `${e.className} display=${getComputedStyle(e).display} text=${(e.textContent || '').slice(0, 80)}`),
      );
      throw new Error(`the suggestion details${expect ? ` with ${expect}` : ''} did not show after ${presses} press(es); details containers: ${JSON.stringify(state)}`);
    }
    if (!(await details.first().isVisible())) {
      await focusEditor(page);
      await page.keyboard.press('Control+Space');
      presses++;
    }
    await target.first().waitFor({ timeout: 3000 }).catch(() => {});
  }
  return clean(await target.first().innerText()).trim();
}

/**
 * Accepts the suggestion whose label matches (navigates with the arrow keys until it is focused).
 * `beforeAccept` runs while that row is focused and the list still open (e.g. a screenshot).
 * @param {any} page
 * @param {string} label
 * @param {{ timeout?: number, beforeAccept?: () => Promise<unknown> }} [options]
 */
export async function acceptCompletion(page, label, { timeout = 30_000, beforeAccept } = {}) {
  const widget = page.locator('.editor-widget.suggest-widget.visible');
  await widget.locator('.monaco-list-row', { hasText: label }).first().waitFor({ timeout });
  const focusedLabel = async () => (await widget.locator('.monaco-list-row.focused .label-name').first().textContent().catch(() => ''))?.trim();
  for (let i = 0; i < 50 && (await focusedLabel()) !== label; i++) await page.keyboard.press('ArrowDown');
  if ((await focusedLabel()) !== label) throw new Error(`could not focus the suggestion "${label}"`);
  if (beforeAccept) await beforeAccept();
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout });
}

/**
 * Shows the hover at a position (keyboard route: Go to Line + "Show or Focus Hover") and returns its text.
 * @param {any} page
 * @param {number} line
 * @param {number} column
 * @param {{ expect?: string | RegExp, timeout?: number }} [options]
 */
export async function hoverAt(page, line, column, { expect, timeout = 30_000 } = {}) {
  await gotoPosition(page, line, column);
  await runCommand(page, 'Show or Focus Hover');
  const hover = page.locator(HOVER);
  const target = expect ? hover.filter({ hasText: expect }) : hover;
  await target.first().waitFor({ timeout });
  return clean(await target.first().innerText()).trim();
}

const HOVER = '.monaco-hover:not(.hidden) .monaco-hover-content, .monaco-resizable-hover .hover-contents';

/**
 * Closes the editor hover with Escape and waits until no hover content is on screen: a hover still
 * closing hands focus back to the editor a moment later, which can swallow or cancel the next key's
 * widget (the suggest widget, the quick-fix menu).
 */
export async function closeHover(page, { timeout = 10_000 } = {}) {
  await page.keyboard.press('Escape');
  await page.waitForFunction(
    (sel) => ![...document.querySelectorAll(sel)].some((e) => /** @type {HTMLElement} */ (e).getClientRects().length > 0),
    HOVER,
    { timeout },
  );
}

/** Squiggles currently rendered in the active editor, by severity. */
export async function squiggles(page) {
  const ed = activeEditor(page);
  const count = (sev) => ed.locator(`.squiggly-${sev}`).count();
  return { error: await count('error'), warning: await count('warning'), info: await count('info'), hint: await count('hint') };
}

/**
 * Rows of the Problems view ({ aria } = "Error: message at line … column … in file"), after opening it.
 * @param {any} page
 * @param {{ expect?: string | RegExp, timeout?: number }} [options]
 */
export async function problems(page, { expect, timeout = 30_000 } = {}) {
  await runCommand(page, 'Problems: Focus on Problems View');
  const rows = page.locator('.part.panel .markers-panel .monaco-list-row');
  const target = expect ? rows.filter({ hasText: expect }) : rows;
  await target.first().waitFor({ timeout });
  return rows.evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') || e.textContent || '').replace(/\u00a0/g, ' ')));
}

/**
 * Opens the quick-fix menu at a position and applies the action whose title contains `title`. Returns
 * the titles of every action the menu offered. `beforeAccept` runs while the menu is open with that
 * action focused (e.g. a screenshot).
 * @param {any} page
 * @param {number} line
 * @param {number} column
 * @param {string} title
 * @param {{ timeout?: number, beforeAccept?: () => Promise<unknown>, log?: (msg: string) => void }} [options]
 */
export async function applyQuickFix(page, line, column, title, { timeout = 30_000, beforeAccept, log } = {}) {
  await gotoPosition(page, line, column);
  const widget = page.locator('.action-widget');
  await pressUntilShown(page, 'Control+.', widget, { timeout, before: () => focusEditor(page), log });
  const actions = widget.locator('.monaco-list-row.action');
  const row = actions.filter({ hasText: title }).first();
  try {
    await row.waitFor({ timeout });
  } catch {
    const seen = await widget.locator('.monaco-list-row').allTextContents().catch(() => []);
    throw new Error(`no quick fix containing "${title}"; offered: ${JSON.stringify(seen)}`);
  }
  const offered = await actions.evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') || e.textContent || '').trim()));
  // The menu sits under a pointer-blocking overlay: choose with the keyboard, as a user does.
  const focusedMatches = async () =>
    ((await widget.locator('.monaco-list-row.action.focused').first().getAttribute('aria-label').catch(() => '')) || '').includes(title);
  for (let i = 0; i < 30 && !(await focusedMatches()); i++) await page.keyboard.press('ArrowDown');
  if (!(await focusedMatches())) throw new Error(`could not focus the quick fix "${title}"`);
  if (beforeAccept) await beforeAccept();
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout });
  return offered;
}

// ---------------------------------------------------------------------------------------------------------
// Integrated terminal

export function activeTerminal(page) {
  return page.locator('.part.panel .terminal-wrapper.active .xterm').first();
}

/** Opens a new integrated terminal and waits for a shell prompt. */
export async function openTerminal(page, { timeout = 30_000 } = {}) {
  const before = await page.locator('.part.panel .terminal-wrapper').count();
  await runCommand(page, 'Terminal: Create New Terminal');
  await page.waitForFunction((n) => document.querySelectorAll('.part.panel .terminal-wrapper').length > n, before, { timeout });
  await page.waitForFunction(
    () => {
      const rows = document.querySelector('.part.panel .terminal-wrapper.active .xterm-rows');
      return !!rows && /[$#>]\s*$/m.test(rows.textContent || '');
    },
    undefined,
    { timeout },
  );
}

/** Text of the active terminal (the DOM renderer; settings turn GPU rendering off). */
export async function terminalText(page) {
  return page
    .locator('.part.panel .terminal-wrapper.active .xterm-rows > div')
    .evaluateAll((rows) => rows.map((r) => (r.textContent || '').replace(/\u00a0/g, ' ').trimEnd()).join('\n'));
}

/**
 * Types a command line into the active terminal and waits until its output matches `expect`.
 * @param {any} page
 * @param {string} commandLine
 * @param {{ expect?: RegExp, timeout?: number }} [options]
 */
export async function runInTerminal(page, commandLine, { expect, timeout = 30_000 } = {}) {
  await activeTerminal(page).click();
  await page.keyboard.type(commandLine);
  await page.keyboard.press('Enter');
  if (!expect) return terminalText(page);
  try {
    await page.waitForFunction(
      ({ src, flags }) => {
        const rows = [...document.querySelectorAll('.part.panel .terminal-wrapper.active .xterm-rows > div')];
        return new RegExp(src, flags).test(rows.map((r) => (r.textContent || '').replace(/\u00a0/g, ' ')).join('\n'));
      },
      { src: expect.source, flags: expect.flags },
      { timeout },
    );
  } catch {
    throw new Error(`terminal output did not match ${expect}; it shows:\n${await terminalText(page)}`);
  }
  return terminalText(page);
}
