// Model output → DOM. markdown-it with raw HTML off (a `<script>` in an answer is shown as text), then
// DOMPurify with a small allow-list, links limited to http(s)/mailto, images turned into plain links
// (no remote loads: the CSP would block them anyway). Code blocks get Copy / Insert at Cursor / New File
// buttons, added after sanitising so they are our own DOM, not model output.
// Takes the window as a parameter so the unit tests run it in jsdom.
import MarkdownIt from 'markdown-it';
import createDOMPurify, { type Config, type WindowLike } from 'dompurify';

const ALLOWED_TAGS = [
  'a', 'blockquote', 'br', 'code', 'del', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'li', 'ol', 'p', 'pre',
  's', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul',
];
const ALLOWED_ATTR = ['href', 'title', 'class', 'start'];
const SAFE_HREF = /^(?:https?:\/\/|mailto:)/i;
const SAFE_CLASS = /^(?:language-[\w+#.-]{1,40}|image-link)$/;

export const CODE_ACTIONS = [
  { action: 'copy', label: 'Copy', icon: 'copy' },
  { action: 'insert', label: 'Insert at Cursor', icon: 'insert' },
  { action: 'newFile', label: 'New File', icon: 'new-file' },
] as const;
export type CodeAction = (typeof CODE_ACTIONS)[number]['action'];

export interface Renderer {
  /** Sanitised HTML of `markdown` (no code-block buttons): for tests and plain uses. */
  html(markdown: string): string;
  /** The sanitiser alone, on HTML that did not come through markdown-it (defence in depth, tests). */
  sanitize(html: string): string;
  /** Replaces `el`'s children with the rendered, sanitised markdown and its code-block buttons. */
  render(el: HTMLElement, markdown: string): void;
}

export type RenderWindow = WindowLike & Pick<Window, 'document'>;

export function createRenderer(win: RenderWindow): Renderer {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const t = tokens[idx];
    const alt = self.renderInlineAsText(t.children ?? [], options, env) || 'image';
    return `<a class="image-link" href="${md.utils.escapeHtml(t.attrGet('src') ?? '')}">[image: ${md.utils.escapeHtml(alt)}]</a>`;
  };
  const purify = createDOMPurify(win);
  purify.addHook('afterSanitizeAttributes', (node) => {
    const el = node as Element;
    if (el.hasAttribute?.('href')) {
      const href = (el.getAttribute('href') ?? '').trim();
      if (!SAFE_HREF.test(href)) el.removeAttribute('href');
    }
    if (el.hasAttribute?.('class')) {
      const kept = (el.getAttribute('class') ?? '').split(/\s+/).filter((c) => SAFE_CLASS.test(c));
      if (kept.length) el.setAttribute('class', kept.join(' '));
      else el.removeAttribute('class');
    }
  });
  const config: Config = { ALLOWED_TAGS, ALLOWED_ATTR, ALLOW_DATA_ATTR: false, ALLOW_ARIA_ATTR: false };

  return {
    html: (markdown) => purify.sanitize(md.render(markdown), config),
    sanitize: (html) => purify.sanitize(html, config),
    render(el, markdown) {
      const frag = purify.sanitize(md.render(markdown), { ...config, RETURN_DOM_FRAGMENT: true });
      decorateCodeBlocks(win.document, frag);
      el.replaceChildren(frag);
    },
  };
}

function decorateCodeBlocks(doc: Document, root: ParentNode): void {
  for (const pre of Array.from(root.querySelectorAll('pre'))) {
    const code = pre.querySelector('code');
    const language = /language-([\w+#.-]+)/.exec(code?.className ?? '')?.[1];
    const block = doc.createElement('div');
    block.className = 'code-block';
    if (language) block.dataset.language = language;
    const bar = doc.createElement('div');
    bar.className = 'code-actions';
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', `${language ?? 'Code'} block actions`);
    const lang = doc.createElement('span');
    lang.className = 'code-lang';
    lang.textContent = language ?? '';
    bar.append(lang);
    for (const a of CODE_ACTIONS) {
      const b = doc.createElement('button');
      b.type = 'button';
      b.className = 'icon-button';
      b.dataset.codeAction = a.action;
      b.title = a.label;
      b.setAttribute('aria-label', `${a.label}${language ? ` (${language})` : ''}`);
      const icon = doc.createElement('span');
      icon.className = `codicon codicon-${a.icon}`;
      icon.setAttribute('aria-hidden', 'true');
      b.append(icon);
      bar.append(b);
    }
    pre.replaceWith(block);
    block.append(bar, pre);
  }
}

/** The code and language of the block a code-action button belongs to. */
export function codeOf(button: Element): { code: string; language?: string } | undefined {
  const block = button.closest('.code-block') as HTMLElement | null;
  const code = block?.querySelector('pre code, pre');
  if (!block || !code) return undefined;
  return { code: code.textContent ?? '', language: block.dataset.language };
}
