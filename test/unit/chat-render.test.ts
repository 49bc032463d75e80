// The chat webview's rendering of model output (media/webview/render.ts) in jsdom: markdown renders,
// everything active in it is inert, code blocks get their action buttons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { codeOf, createRenderer, type RenderWindow } from '../../media/webview/render';

function setup() {
  const dom = new JSDOM('<!DOCTYPE html><div id="out"></div>');
  const win = dom.window as unknown as RenderWindow & Window;
  const r = createRenderer(win);
  const out = win.document.getElementById('out') as HTMLElement;
  const render = (md: string) => {
    r.render(out, md);
    return out;
  };
  return { win, r, render };
}

/** Nothing in the tree can run code: no script/iframe/object elements, no on* attributes, no script URLs. */
function assertInert(el: Element): void {
  assert.equal(el.querySelectorAll('script, iframe, object, embed, style, form, img, svg, math, link, meta').length, 0, el.innerHTML);
  for (const node of Array.from(el.querySelectorAll('*'))) {
    for (const a of Array.from(node.attributes)) {
      assert.ok(!/^on/i.test(a.name), `event handler attribute ${a.name} on <${node.tagName}>`);
      assert.ok(!/^\s*(javascript|vbscript|data):/i.test(a.value), `script URL in ${a.name}="${a.value}"`);
      assert.notEqual(a.name, 'style', 'no inline styles (the CSP forbids them)');
    }
  }
}

test('markdown renders: headings, emphasis, lists, tables, inline code, links', () => {
  const { render } = setup();
  const el = render('# Title\n\nSome **bold** and `code`.\n\n- one\n- two\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\nSee https://example.com and [docs](https://docs.example.com/x).');
  assert.equal(el.querySelector('h1')?.textContent, 'Title');
  assert.equal(el.querySelector('strong')?.textContent, 'bold');
  assert.equal(el.querySelectorAll('li').length, 2);
  assert.equal(el.querySelectorAll('td').length, 2);
  const hrefs = Array.from(el.querySelectorAll('a')).map((a) => a.getAttribute('href'));
  assert.deepEqual(hrefs, ['https://example.com', 'https://docs.example.com/x'], 'linkify and markdown links');
  assertInert(el);
});

test('<script> in model output is shown as text, never an element', () => {
  const { render } = setup();
  const el = render('Hello <script>alert(1)</script> world');
  assert.equal(el.querySelectorAll('script').length, 0);
  assert.match(el.textContent ?? '', /<script>alert\(1\)<\/script>/, 'the raw HTML stays visible as text');
  assertInert(el);
});

test('<img onerror> and other raw HTML are inert text', () => {
  const { render } = setup();
  const el = render('<img src=x onerror="alert(1)">\n\n<iframe src="https://evil.example"></iframe>\n\n<a href="javascript:alert(1)">x</a>\n\n<div onclick="alert(1)">y</div>');
  assert.equal(el.querySelectorAll('img, iframe, div').length, 0, el.innerHTML);
  assert.match(el.textContent ?? '', /onerror/, 'shown as text');
  assertInert(el);
});

test('javascript:, vbscript: and data: links lose their target', () => {
  const { render } = setup();
  const el = render('[click](javascript:alert(1)) [vb](vbscript:msgbox) [data](data:text/html;base64,PHNjcmlwdD4=) [JS](JAVASCRIPT:alert(1)) [ok](https://ok.example)');
  const links = Array.from(el.querySelectorAll('a'));
  assert.deepEqual(links.map((a) => a.getAttribute('href')).filter(Boolean), ['https://ok.example']);
  assertInert(el);
});

test('images become plain links (no remote loads), unsafe image sources are dropped', () => {
  const { render } = setup();
  const el = render('![logo](https://tracker.example/pixel.png) ![x](javascript:alert(1))');
  assert.equal(el.querySelectorAll('img').length, 0);
  const a = el.querySelector('a.image-link');
  assert.equal(a?.getAttribute('href'), 'https://tracker.example/pixel.png');
  assert.match(a?.textContent ?? '', /image: logo/);
  assertInert(el);
});

test('the sanitiser alone strips active content from raw HTML (defence in depth)', () => {
  const { r, win } = setup();
  const html = r.sanitize(
    '<p>ok</p><script>alert(1)</script><img src=x onerror="alert(1)"><a href="javascript:alert(1)">a</a>' +
      '<a href="https://ok.example" onclick="x()" style="color:red" target="_blank">b</a><svg onload="alert(1)"></svg>',
  );
  const div = win.document.createElement('div');
  div.innerHTML = html;
  assert.equal(div.querySelector('p')?.textContent, 'ok');
  assert.deepEqual(Array.from(div.querySelectorAll('a')).map((a) => a.getAttribute('href')), [null, 'https://ok.example']);
  assertInert(div);
  assert.equal(r.html('```html\n<script>alert(1)</script>\n```').includes('<script'), false, 'code shows tags escaped');
});

test('code blocks get Copy, Insert at Cursor and New File buttons, and codeOf finds their text', () => {
  const { render } = setup();
  const el = render('Here:\n\n```python\nprint("hi")\n```\n\nand\n\n```\nplain\n```');
  const blocks = el.querySelectorAll('.code-block');
  assert.equal(blocks.length, 2);
  const actions = Array.from(blocks[0].querySelectorAll('button[data-code-action]')).map((b) => (b as HTMLElement).dataset.codeAction);
  assert.deepEqual(actions, ['copy', 'insert', 'newFile']);
  for (const b of Array.from(el.querySelectorAll('button'))) assert.ok(b.getAttribute('aria-label'), 'every button has a label');
  assert.deepEqual(codeOf(blocks[0].querySelector('[data-code-action=insert]')!), { code: 'print("hi")\n', language: 'python' });
  assert.deepEqual(codeOf(blocks[1].querySelector('[data-code-action=copy]')!), { code: 'plain\n', language: undefined });
  assertInert(el);
});

test('a hostile fence language cannot smuggle attributes or classes', () => {
  const { render } = setup();
  const el = render('```" onmouseover="alert(1)\nx\n```\n\n```js onclick=alert(1)\ny\n```');
  assertInert(el);
  for (const c of Array.from(el.querySelectorAll('code'))) {
    assert.ok(!c.className || /^language-[\w+#.-]+$/.test(c.className), c.className);
  }
});

test('the webview document: CSP default-src none, scripts and styles by nonce or our own origin only, a fresh nonce per load', async () => {
  const { chatHtml, chatCsp, makeNonce } = await import('../../client/chat/html');
  const ctx = {
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: makeNonce(),
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.css',
    codiconUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/codicon.css',
  };
  const csp = chatCsp(ctx);
  assert.match(csp, /^default-src 'none';/);
  assert.match(csp, new RegExp(`script-src 'nonce-${ctx.nonce.replace(/[+/=]/g, '\\$&')}'(;|$)`), 'scripts only by nonce');
  assert.ok(!/unsafe-(inline|eval)/.test(csp), csp);
  assert.match(ctx.nonce, /^[A-Za-z0-9+/]{22}==$/, '128 random bits');
  assert.notEqual(makeNonce(), makeNonce());
  const doc = new JSDOM(chatHtml(ctx)).window.document;
  assert.equal(doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'), csp);
  const scripts = Array.from(doc.querySelectorAll('script'));
  assert.deepEqual(scripts.map((s) => [s.getAttribute('src'), s.getAttribute('nonce')]), [[ctx.scriptUri, ctx.nonce]]);
  const urls = Array.from(doc.querySelectorAll('[src], [href]')).map((e) => e.getAttribute('src') ?? e.getAttribute('href') ?? '');
  assert.ok(urls.length === 3 && urls.every((u) => u.startsWith(ctx.cspSource)), `no remote resources: ${urls.join(', ')}`);
  assert.equal(doc.querySelectorAll('[onclick], [onload], [style]').length, 0);
});
