// The chat webview bundle (media/webview/main.ts, built here with esbuild) running in jsdom against a
// stand-in for VS Code's webview API: what it sends for each gesture, how it renders state and streamed
// deltas, that invalid messages are reported and dropped, and that it never evaluates code (our CSP has
// no 'unsafe-eval').
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { JSDOM } from 'jsdom';
import { until } from '../helpers/wait';
import type { Conversation, FromWebview, ToWebview } from '../../client/chat/protocol';

async function bundle(): Promise<string> {
  const r = await build({
    entryPoints: ['media/webview/main.ts'], bundle: true, write: false, outdir: 'out', platform: 'browser', format: 'iife',
    target: ['chrome120'], loader: { '.css': 'css', '.ttf': 'file' }, logLevel: 'silent',
  });
  const js = r.outputFiles.find((f) => f.path.endsWith('.js'));
  assert.ok(js, 'esbuild produced the webview script');
  return js.text;
}

async function boot() {
  const dom = new JSDOM('<!DOCTYPE html><html><body><div id="app"></div></body></html>', { runScripts: 'outside-only', pretendToBeVisual: true });
  const win = dom.window as unknown as Window & typeof globalThis & { eval(code: string): unknown };
  const posted: FromWebview[] = [];
  let saved: unknown;
  const evalAttempts: unknown[] = [];
  (win as unknown as Record<string, unknown>).acquireVsCodeApi = () => ({
    postMessage: (m: FromWebview) => posted.push(JSON.parse(JSON.stringify(m))),
    getState: () => saved,
    setState: (s: unknown) => (saved = s),
  });
  win.Element.prototype.scrollIntoView = () => {};
  const RealFunction = win.Function;
  win.Function = new Proxy(RealFunction, {
    construct(_t, args) {
      evalAttempts.push(args);
      throw new win.EvalError('blocked by CSP');
    },
    apply(_t, _this, args) {
      evalAttempts.push(args);
      throw new win.EvalError('blocked by CSP');
    },
  });
  win.eval(await bundle());
  const send = (m: ToWebview | unknown) => win.dispatchEvent(new win.MessageEvent('message', { data: m }));
  const frame = () => new Promise<void>((resolve) => win.requestAnimationFrame(() => resolve()));
  const $ = <T extends Element = HTMLElement>(sel: string) => win.document.querySelector(sel) as T | null;
  const key = (el: Element, k: string, extra: KeyboardEventInit = {}) =>
    el.dispatchEvent(new win.KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...extra }));
  return { win, posted, send, frame, $, key, evalAttempts, saved: () => saved, close: () => dom.window.close() };
}

const conv = (over: Partial<Conversation> = {}): Conversation => ({
  version: 1, id: 'c1', title: 'New chat', createdAt: 1, updatedAt: 1, options: { models: [{ model: 'gpt-4o-mini', gateway: 'fake-nemorouter', label: 'GPT-4o mini' }] }, messages: [], ...over,
});

test('the webview: ready, send with Enter, stream, Esc stops, cost line, code and link actions, bad messages dropped', async (t) => {
  const w = await boot();
  t.after(() => w.close());
  assert.deepEqual(w.posted[0], { type: 'ready' });
  w.send({ type: 'state', conversation: conv(), busy: false, attachments: [] });
  const picker = w.$<HTMLInputElement>('[data-testid=model-picker]')!;
  assert.equal(picker.value, 'GPT-4o mini (gpt-4o-mini) via fake-nemorouter');
  assert.equal(w.$('[role=log]')?.getAttribute('aria-live'), 'polite');

  const prompt = w.$<HTMLTextAreaElement>('textarea[data-testid=prompt]')!;
  assert.equal(w.win.document.activeElement, prompt, 'with a model picked, the prompt has focus');
  prompt.value = 'line one';
  w.key(prompt, 'Enter', { shiftKey: true });
  assert.equal(w.posted.filter((m) => m.type === 'send').length, 0, 'Shift+Enter does not send');
  prompt.value = 'Say hello';
  w.key(prompt, 'Enter');
  const sent = w.posted.find((m) => m.type === 'send');
  assert.deepEqual(sent, { type: 'send', text: 'Say hello', options: conv().options });

  const user = { role: 'user' as const, id: 'u1', text: 'Say hello', attachments: [], at: 1 };
  const streaming = { role: 'assistant' as const, id: 'a1', model: conv().options.models[0], content: '', status: 'streaming' as const, at: 1 };
  w.send({ type: 'state', conversation: conv({ messages: [user, streaming] }), busy: true, attachments: [] });
  assert.equal(prompt.value, '', 'the prompt empties once the message was taken');
  assert.equal(w.$<HTMLButtonElement>('[data-testid=stop]')!.hidden, false);
  assert.equal(w.$<HTMLButtonElement>('[data-testid=send]')!.hidden, true);
  for (const piece of ['Echo: ', 'Say ', 'hello']) w.send({ type: 'delta', messageId: 'a1', text: piece });
  await w.frame();
  await w.frame();
  const answer = () => w.$('[data-testid=message-assistant]')!;
  assert.match(answer().textContent ?? '', /Echo: Say hello/);
  assert.equal(answer().getAttribute('aria-busy'), 'true', 'screen readers wait for the finished answer');

  w.key(w.win.document.body, 'Escape');
  assert.ok(w.posted.some((m) => m.type === 'stop'), 'Esc stops');

  const content = 'Echo: Say hello\n\n```python\nprint("hi")\n```\n\n[docs](https://example.com/docs) <img src=x onerror="alert(1)">';
  const done = { ...streaming, content, status: 'done' as const, meta: { servedModel: 'gpt-4o-mini', gateway: 'fake-nemorouter', inputTokens: 4, outputTokens: 9, costUsd: 0.0000135, costSource: 'gateway' as const, latencyMs: 850 } };
  w.send({ type: 'state', conversation: conv({ messages: [user, done] }), busy: false, attachments: [] });
  assert.equal(w.$('[data-testid=message-meta]')?.textContent, 'gpt-4o-mini · fake-nemorouter · 4 in / 9 out tokens · $0.0000135 · 850 ms');
  assert.match(w.$('[data-testid=total]')?.textContent ?? '', /Total \$0\.0000135 · 1 answer/);
  assert.equal(w.win.document.querySelectorAll('img').length, 0, 'model HTML stays text');
  // An answer that read a prompt cache: the counts and the saving pass the webview's schema and show.
  const cached = { ...done, meta: { ...done.meta, inputTokens: 2400, cachedInputTokens: 2048, costUsd: 0.0009, cacheSavingsUsd: 0.0046 } };
  w.send({ type: 'state', conversation: conv({ messages: [user, cached] }), busy: false, attachments: [] });
  assert.equal(w.$('[data-testid=message-meta]')?.textContent, 'gpt-4o-mini · fake-nemorouter · 2400 in (2048 cached) / 9 out tokens · $0.0009 · caching saved $0.0046 · 850 ms');
  assert.match(w.$('[data-testid=total]')?.textContent ?? '', /2k in \(2k cached\) \/ 9 out tokens · caching saved \$0\.0046$/);
  w.send({ type: 'state', conversation: conv({ messages: [user, done] }), busy: false, attachments: [] });

  (w.$('[data-code-action=copy]') as HTMLButtonElement).click();
  (w.$('[data-code-action=insert]') as HTMLButtonElement).click();
  (w.$('[data-code-action=newFile]') as HTMLButtonElement).click();
  assert.deepEqual(w.posted.slice(-3), [
    { type: 'copy', text: 'print("hi")\n' },
    { type: 'insertCode', code: 'print("hi")\n' },
    { type: 'newFile', code: 'print("hi")\n', language: 'python' },
  ]);
  const link = w.$<HTMLAnchorElement>('.markdown a[href^="https://"]')!;
  const click = new w.win.MouseEvent('click', { bubbles: true, cancelable: true });
  link.dispatchEvent(click);
  assert.equal(click.defaultPrevented, true, 'the webview never navigates');
  assert.deepEqual(w.posted.at(-1), { type: 'openLink', href: 'https://example.com/docs' });

  (w.$('[data-testid=retry]') as HTMLButtonElement).click();
  assert.deepEqual(w.posted.at(-1), { type: 'retry' });
  (w.$('[data-testid=edit-last]') as HTMLButtonElement).click();
  assert.equal(prompt.value, 'Say hello', 'edit puts the last prompt back in the box');
  w.key(prompt, 'Enter');
  assert.deepEqual(w.posted.at(-1), { type: 'editLast', text: 'Say hello', options: conv().options });

  const before = w.posted.length;
  w.send({ type: 'html', html: '<script>alert(1)</script>' });
  w.send({ type: 'delta', messageId: 'a1' });
  const reports = w.posted.slice(before);
  assert.equal(reports.length, 2);
  assert.ok(reports.every((r) => r.type === 'webviewError' && /dropped a chat message/.test(r.message)), JSON.stringify(reports));
  assert.deepEqual(w.evalAttempts, [], 'nothing tried to evaluate code');
  assert.deepEqual(JSON.parse(JSON.stringify(w.saved())), { conversationId: 'c1', draft: 'Say hello' }, 'the panel remembers its conversation for a reload');
});

test('the picker searches as you type and picking sets the model; errors show their actions', async (t) => {
  const w = await boot();
  t.after(() => w.close());
  w.send({ type: 'state', conversation: conv({ options: { models: [] } }), busy: false, attachments: [] });
  const picker = w.$<HTMLInputElement>('[data-testid=model-picker]')!;
  assert.equal(w.win.document.activeElement, picker, 'without a model, the picker has focus');
  picker.value = 'mini';
  picker.dispatchEvent(new w.win.Event('input', { bubbles: true }));
  // The picker debounces its search by design.
  const search = await until(() => w.posted.filter((m) => m.type === 'searchModels').find((m) => m.type === 'searchModels' && m.query === 'mini'));
  assert.ok(search && search.type === 'searchModels');
  w.send({ type: 'models', seq: search.seq, total: 1, items: [{ model: 'gpt-4o-mini', gateway: 'fake-openrouter', label: 'GPT-4o mini', canonicalId: 'openai/gpt-4o-mini', inputPerMTok: 0.15, outputPerMTok: 0.6, contextLength: 128000 }] });
  const option = w.$('[role=option]')!;
  assert.match(option.textContent ?? '', /gpt-4o-mini · fake-openrouter.*\$0\.15 \/ \$0\.60 per M · 128k context/);
  assert.equal(picker.getAttribute('aria-expanded'), 'true');
  w.key(picker, 'Enter');
  assert.deepEqual(w.posted.filter((m) => m.type === 'setOptions').at(-1), {
    type: 'setOptions', options: { models: [{ model: 'gpt-4o-mini', gateway: 'fake-openrouter', label: 'GPT-4o mini' }] },
  });

  const user = { role: 'user' as const, id: 'u1', text: 'x', attachments: [], at: 1 };
  const failed = {
    role: 'assistant' as const, id: 'a1', model: { model: 'gpt-4o-mini' }, content: '', status: 'error' as const, at: 1,
    error: { code: 'unknown_model', status: 404, title: 'Unknown model', detail: 'unknown model "gpt-4o-mimi"', hint: 'Did you mean one of these?', actions: [{ kind: 'useModel' as const, label: 'Use openai/gpt-4o-mini', model: 'openai/gpt-4o-mini' }, { kind: 'pickModel' as const, label: 'Pick another model' }] },
  };
  w.send({ type: 'state', conversation: conv({ messages: [user, failed] }), busy: false, attachments: [] });
  const alert = w.$('[role=alert][data-testid=message-error]')!;
  assert.match(alert.textContent ?? '', /Unknown model.*Did you mean/);
  const [use, pick] = Array.from(alert.querySelectorAll('button'));
  use.click();
  assert.deepEqual(w.posted.at(-1), { type: 'errorAction', action: { kind: 'useModel', label: 'Use openai/gpt-4o-mini', model: 'openai/gpt-4o-mini' } });
  const count = w.posted.length;
  pick.click();
  assert.deepEqual(w.posted.slice(count).filter((m) => m.type === 'errorAction'), [], 'Pick another model stays inside the webview');
  assert.equal(w.win.document.activeElement, picker, 'it moves focus to the picker');
});

