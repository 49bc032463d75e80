// The searchable model picker: an ARIA 1.2 combobox over the catalog. Typing asks the extension for
// matching models (CatalogRequest, server-side search); rows show price and context. Arrow keys move,
// Enter picks, Escape closes; the mouse works too.
import type { ModelOption } from '../../client/chat/protocol';
import { optionDetail } from '../../client/chat/format';
import { debounce, h } from './dom';

export class ModelPicker {
  readonly el: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private readonly status: HTMLElement;
  private items: ModelOption[] = [];
  private active = -1;
  private seq = 0;
  private shownLabel = '';

  constructor(
    private readonly search: (query: string, seq: number) => void,
    private readonly choose: (o: ModelOption) => void,
  ) {
    this.input = h('input', {
      id: 'model-picker',
      class: 'picker-input',
      attrs: {
        type: 'text', role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': 'model-list',
        'aria-label': 'Model (type to search the catalog)', placeholder: 'Search models…', 'data-testid': 'model-picker',
        spellcheck: 'false', autocomplete: 'off',
      },
    });
    this.list = h('ul', { id: 'model-list', class: 'picker-list', hidden: true, attrs: { role: 'listbox', 'aria-label': 'Models' } });
    this.status = h('div', { class: 'picker-status', hidden: true, attrs: { role: 'status' } });
    this.el = h('div', { class: 'picker' }, this.input, this.list, this.status);
    const query = debounce(() => this.query(), 120);
    this.input.addEventListener('input', query);
    this.input.addEventListener('focus', () => {
      this.input.select();
      this.query();
    });
    this.input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    // mousedown would blur the input before the click lands.
    this.list.addEventListener('mousedown', (e) => e.preventDefault());
    this.list.addEventListener('click', (e) => {
      const li = (e.target as Element).closest('li[role=option]') as HTMLElement | null;
      if (li) this.pick(Number(li.dataset.index));
    });
  }

  focus(): void {
    this.input.focus();
  }

  /** What the input shows when the person is not typing. */
  setLabel(text: string): void {
    this.shownLabel = text;
    if (document.activeElement !== this.input) this.input.value = text;
  }

  private query(): void {
    this.search(this.input.value === this.shownLabel ? '' : this.input.value.trim(), ++this.seq);
  }

  setResults(seq: number, items: ModelOption[], total: number, error?: string): void {
    if (seq !== this.seq || document.activeElement !== this.input) return; // a newer query is on its way, or the person left
    this.items = items;
    this.active = items.length ? 0 : -1;
    this.list.replaceChildren(
      ...items.map((o, i) =>
        h(
          'li',
          { id: `model-opt-${i}`, class: 'picker-option', attrs: { role: 'option', 'aria-selected': String(i === this.active) }, data: { index: String(i) } },
          h('span', { class: 'opt-name', text: o.label }),
          h('span', { class: 'opt-id', text: o.gateway ? `${o.model} · ${o.gateway}` : o.model }),
          h('span', { class: 'opt-detail', text: optionDetail(o) }),
        ),
      ),
    );
    this.status.hidden = false;
    this.status.textContent = error
      ? `Models unavailable: ${error}`
      : items.length ? `${items.length} of ${total} model offers` : 'No model matches';
    this.open(items.length > 0 || !!error);
    this.highlight();
  }

  private open(yes: boolean): void {
    this.list.hidden = !yes;
    this.status.hidden = !yes && !this.status.textContent;
    this.input.setAttribute('aria-expanded', String(yes));
  }

  private close(): void {
    this.open(false);
    this.status.hidden = true;
    this.input.removeAttribute('aria-activedescendant');
    if (document.activeElement !== this.input) this.input.value = this.shownLabel;
  }

  private highlight(): void {
    this.list.querySelectorAll('li').forEach((li, i) => li.setAttribute('aria-selected', String(i === this.active)));
    if (this.active >= 0) {
      this.input.setAttribute('aria-activedescendant', `model-opt-${this.active}`);
      this.list.querySelector(`#model-opt-${this.active}`)?.scrollIntoView({ block: 'nearest' });
    } else this.input.removeAttribute('aria-activedescendant');
  }

  private pick(i: number): void {
    const o = this.items[i];
    if (!o) return;
    this.choose(o);
    this.input.blur();
    this.close();
  }

  private onKey(e: KeyboardEvent): void {
    const n = this.items.length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (this.list.hidden) return this.query();
      if (n) this.active = (this.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
      this.highlight();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (!this.list.hidden && this.active >= 0) this.pick(this.active);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.input.value = this.shownLabel;
      this.close();
    }
  }
}
