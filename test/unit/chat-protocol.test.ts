// The chat panel's message protocol (client/chat/protocol.ts): what each side accepts, and that
// anything else is refused with a readable reason that does not echo the message's content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConversationSchema, describeInvalid, FromWebviewSchema, ToWebviewSchema, type Conversation, type FromWebview, type ToWebview } from '../../client/chat/protocol';

const options = { models: [{ model: 'gpt-4o-mini', gateway: 'nemo' }], temperature: 0.2, maxTokens: 500 };

const conv: Conversation = {
  version: 1,
  id: '3b241101-e2bb-4255-8caf-4136c566a962',
  title: 'Hello',
  createdAt: 1,
  updatedAt: 2,
  options,
  messages: [
    { role: 'user', id: 'u1', text: 'hi', attachments: [{ id: 'a1', kind: 'selection', label: 'a.ts:1-2', language: 'typescript', content: 'x', tokens: 1 }], at: 1 },
    {
      role: 'assistant', id: 'a2', model: { model: 'gpt-4o-mini' }, content: 'Echo: hi', status: 'done', at: 2,
      meta: { servedModel: 'gpt-4o-mini', gateway: 'nemo', inputTokens: 3, outputTokens: 2, costUsd: 0.00001, costSource: 'gateway', latencyMs: 120 },
    },
  ],
};

test('every webview → extension message type has a valid example that parses', () => {
  const valid: FromWebview[] = [
    { type: 'ready' },
    { type: 'send', text: 'hello', options },
    { type: 'stop' },
    { type: 'retry' },
    { type: 'editLast', text: 'again', options },
    { type: 'setOptions', options: { models: [] } },
    { type: 'searchModels', query: 'gpt', seq: 3 },
    { type: 'estimate', text: 'x', options, seq: 4 },
    { type: 'attach', source: 'pick' },
    { type: 'detach', id: 'a1' },
    { type: 'copy', text: 'code' },
    { type: 'insertCode', code: 'print(1)' },
    { type: 'newFile', code: 'print(1)', language: 'python' },
    { type: 'openLink', href: 'https://example.com' },
    { type: 'errorAction', action: { kind: 'useModel', label: 'Use gpt-4o', model: 'gpt-4o' } },
    { type: 'newChat' },
    { type: 'history' },
    { type: 'exportMarkdown' },
    { type: 'webviewError', message: 'boom' },
  ];
  const types = new Set(FromWebviewSchema.def.options.flatMap((o) => o.shape.type.def.values));
  assert.deepEqual(new Set(valid.map((v) => v.type)), types, 'the examples cover the whole union');
  for (const v of valid) assert.ok(FromWebviewSchema.safeParse(v).success, `${v.type} parses`);
});

test('every extension → webview message type has a valid example that parses', () => {
  const valid: ToWebview[] = [
    { type: 'state', conversation: conv, busy: false, attachments: [] },
    { type: 'delta', messageId: 'a2', text: 'more' },
    { type: 'models', seq: 1, items: [{ model: 'gpt-4o', gateway: 'nemo', label: 'GPT-4o', canonicalId: 'openai/gpt-4o', inputPerMTok: 2.5, outputPerMTok: 10, contextLength: 128000 }], total: 1 },
    { type: 'estimate', seq: 2, estimate: { inputTokens: 10, inputCostUsd: 0.0001, maxCostUsd: 0.01, models: 1 } },
    { type: 'notice', level: 'info', text: 'Copied' },
    { type: 'focusPrompt' },
  ];
  const types = new Set(ToWebviewSchema.def.options.flatMap((o) => o.shape.type.def.values));
  assert.deepEqual(new Set(valid.map((v) => v.type)), types);
  for (const v of valid) assert.ok(ToWebviewSchema.safeParse(v).success, `${v.type} parses`);
});

test('invalid webview messages are refused', () => {
  const invalid: unknown[] = [
    null,
    'send',
    42,
    {},
    { type: 'eval', code: 'alert(1)' },
    { type: 'send' }, // no text, no options
    { type: 'send', text: 'x', options: { models: [{ model: '' }] } }, // empty model
    { type: 'send', text: 'x', options: { models: Array(5).fill({ model: 'a' }) } }, // compare takes at most 4
    { type: 'send', text: 'x', options: { models: [], temperature: 3 } },
    { type: 'send', text: 'x', options: { models: [], maxTokens: 1.5 } },
    { type: 'send', text: 'x'.repeat(4_000_001), options: { models: [] } }, // runaway size
    { type: 'detach', id: '../../etc/passwd' }, // ids are plain tokens
    { type: 'attach', source: 'network' },
    { type: 'errorAction', action: { kind: 'runCommand', label: 'x', command: 'workbench.action.terminal.new' } },
    { type: 'openLink' },
    { type: 'searchModels', query: 'gpt' }, // no seq
  ];
  for (const v of invalid) assert.equal(FromWebviewSchema.safeParse(v).success, false, JSON.stringify(v)?.slice(0, 120));
});

test('invalid extension messages are refused by the webview', () => {
  const invalid: unknown[] = [
    { type: 'state', conversation: { ...conv, version: 2 }, busy: false, attachments: [] },
    { type: 'state', conversation: conv, busy: 'no', attachments: [] },
    { type: 'delta', messageId: 'a2' },
    { type: 'notice', level: 'fatal', text: 'x' },
    { type: 'html', html: '<script>alert(1)</script>' },
  ];
  for (const v of invalid) assert.equal(ToWebviewSchema.safeParse(v).success, false, JSON.stringify(v).slice(0, 120));
});

test('a stored conversation round-trips through its schema; attachments default to none', () => {
  assert.deepEqual(ConversationSchema.parse(JSON.parse(JSON.stringify(conv))), conv);
  const noAttachments = { ...conv, messages: [{ role: 'user', id: 'u1', text: 'hi', at: 1 }] };
  const parsed = ConversationSchema.parse(noAttachments);
  assert.deepEqual(parsed.messages[0].role === 'user' && parsed.messages[0].attachments, []);
});

test('describeInvalid names the type and the problem, not the content', () => {
  const raw = { type: 'send', text: 12345, options: { models: [] }, secret: 'sk-should-not-appear' };
  const r = FromWebviewSchema.safeParse(raw);
  assert.equal(r.success, false);
  if (r.success) return;
  const text = describeInvalid(r.error, raw);
  assert.match(text, /"send"/);
  assert.match(text, /text/);
  assert.ok(!text.includes('sk-should-not-appear') && !text.includes('12345'), text);
  assert.match(describeInvalid(FromWebviewSchema.safeParse('x').error!, 'x'), /type "string"/);
});
