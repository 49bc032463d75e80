// Tiny DOM helpers for the chat webview: elements are built with properties and text nodes only,
// never from HTML strings (model output goes through render.ts and nothing else).
type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  id?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string | undefined>;
  data?: Record<string, string>;
  hidden?: boolean;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.id) el.id = props.id;
  if (props.title) el.title = props.title;
  if (props.hidden) el.hidden = true;
  if (props.text !== undefined) el.textContent = props.text;
  for (const [k, v] of Object.entries(props.attrs ?? {})) if (v !== undefined) el.setAttribute(k, v);
  for (const [k, v] of Object.entries(props.data ?? {})) el.dataset[k] = v;
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

export function icon(name: string): HTMLSpanElement {
  return h('span', { class: `codicon codicon-${name}`, attrs: { 'aria-hidden': 'true' } });
}

/** A button with a codicon; `label` is its accessible name and tooltip, `text` an optional visible caption. */
export function button(iconName: string, label: string, opts: { text?: string; testid?: string; class?: string } = {}): HTMLButtonElement {
  const b = h('button', {
    class: opts.class ?? (opts.text ? 'text-button' : 'icon-button'),
    title: label,
    attrs: { type: 'button', 'aria-label': label, 'data-testid': opts.testid },
  });
  b.append(icon(iconName));
  if (opts.text) b.append(h('span', { text: opts.text }));
  return b;
}

/** Calls `fn` once `ms` after the last call. */
export function debounce<A extends unknown[]>(fn: (...a: A) => void, ms: number): (...a: A) => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  return (...a: A) => {
    if (t) clearTimeout(t);
    t = setTimeout(() => fn(...a), ms);
  };
}
