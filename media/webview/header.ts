// The top of the panel: the model picker, compare mode (2–4 models side by side) with its model chips,
// the options (system prompt, temperature, max tokens) and New / History / Export.
import { modelRefLabel } from '../../client/chat/format';
import type { ChatOptions } from '../../client/chat/protocol';
import { button, h, icon } from './dom';
import type { ModelPicker } from './picker';

export interface HeaderEvents {
  options(o: ChatOptions): void;
  newChat(): void;
  history(): void;
  exportMarkdown(): void;
  notice(text: string): void;
}

export interface Header {
  el: HTMLElement;
  readonly compare: boolean;
  showOptions(o: ChatOptions): void;
}

export function buildHeader(picker: ModelPicker, ev: HeaderEvents): Header {
  let current: ChatOptions = { models: [] };
  let compare = false;

  const compareBtn = button('split-horizontal', 'Compare models side by side', { text: 'Compare', testid: 'compare' });
  compareBtn.setAttribute('aria-pressed', 'false');
  const optionsBtn = button('settings-gear', 'Options: system prompt, temperature, max tokens', { testid: 'options-toggle' });
  optionsBtn.setAttribute('aria-expanded', 'false');
  optionsBtn.setAttribute('aria-controls', 'chat-options');
  const newBtn = button('add', 'New chat', { testid: 'new-chat' });
  const historyBtn = button('history', 'Chat history', { testid: 'history' });
  const exportBtn = button('export', 'Export this chat to Markdown', { testid: 'export' });
  newBtn.addEventListener('click', ev.newChat);
  historyBtn.addEventListener('click', ev.history);
  exportBtn.addEventListener('click', ev.exportMarkdown);

  const chips = h('ul', { class: 'chips compare-models', hidden: true, attrs: { 'aria-label': 'Models compared' } });

  const system = h('textarea', { id: 'opt-system', class: 'option-system', attrs: { rows: '3', placeholder: 'Optional instructions sent before the conversation' } });
  const temperature = h('input', { id: 'opt-temperature', attrs: { type: 'number', min: '0', max: '2', step: '0.1', placeholder: 'default', inputmode: 'decimal' } });
  const maxTokens = h('input', { id: 'opt-max-tokens', attrs: { type: 'number', min: '1', step: '1', placeholder: 'default', inputmode: 'numeric' } });
  const field = (label: string, input: HTMLElement, id: string) => h('div', { class: 'field' }, h('label', { text: label, attrs: { for: id } }), input);
  const panel = h('section', { id: 'chat-options', class: 'options', hidden: true, attrs: { 'aria-label': 'Chat options' } },
    field('System prompt', system, 'opt-system'),
    h('div', { class: 'field-row' }, field('Temperature (0–2)', temperature, 'opt-temperature'), field('Max tokens', maxTokens, 'opt-max-tokens')));

  const readNumber = (input: HTMLInputElement, ok: (n: number) => boolean, what: string): number | undefined => {
    const raw = input.value.trim();
    const n = Number(raw);
    const bad = raw !== '' && (!Number.isFinite(n) || !ok(n));
    input.setAttribute('aria-invalid', String(bad));
    if (bad) ev.notice(`${what} is not valid: the default is used.`);
    return raw === '' || bad ? undefined : n;
  };
  const changed = () => {
    current = {
      ...current,
      system: system.value || undefined,
      temperature: readNumber(temperature, (n) => n >= 0 && n <= 2, 'Temperature (0 to 2)'),
      maxTokens: readNumber(maxTokens, (n) => Number.isInteger(n) && n > 0, 'Max tokens (a whole number above 0)'),
    };
    ev.options(current);
  };
  system.addEventListener('change', changed);
  temperature.addEventListener('change', changed);
  maxTokens.addEventListener('change', changed);

  optionsBtn.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    optionsBtn.setAttribute('aria-expanded', String(!panel.hidden));
    if (!panel.hidden) system.focus();
  });
  compareBtn.addEventListener('click', () => {
    compare = !compare;
    renderCompare();
    if (!compare && current.models.length > 1) ev.options({ ...current, models: current.models.slice(0, 1) });
    picker.focus();
  });

  const renderCompare = () => {
    compareBtn.setAttribute('aria-pressed', String(compare));
    compareBtn.classList.toggle('active', compare);
    chips.hidden = !compare;
    chips.replaceChildren(
      ...current.models.map((m, i) => {
        const remove = button('close', `Remove ${modelRefLabel(m)} from the comparison`);
        remove.addEventListener('click', () => ev.options({ ...current, models: current.models.filter((_, j) => j !== i) }));
        return h('li', { class: 'chip', title: modelRefLabel(m) }, icon('hubot'), h('span', { text: m.label ?? m.model }), remove);
      }),
      h('li', { class: 'chip-hint', text: current.models.length < 2 ? 'Add 2 to 4 models with the picker' : `${current.models.length} of 4 models` }),
    );
  };

  const bar = h('div', { class: 'header-bar' }, picker.el, compareBtn, optionsBtn, h('span', { class: 'spacer' }), newBtn, historyBtn, exportBtn);
  const el = h('header', { class: 'header', attrs: { 'aria-label': 'Chat settings' } }, bar, chips, panel);

  return {
    el,
    get compare() {
      return compare;
    },
    showOptions(o) {
      current = o;
      if (o.models.length > 1) compare = true;
      const focused = document.activeElement;
      if (focused !== system) system.value = o.system ?? '';
      if (focused !== temperature) temperature.value = o.temperature === undefined ? '' : String(o.temperature);
      if (focused !== maxTokens) maxTokens.value = o.maxTokens === undefined ? '' : String(o.maxTokens);
      renderCompare();
    },
  };
}
