// The chat session (client/chat/session.ts) against a scripted backend: streaming, compare mode, Stop,
// Retry, edit-and-resend, errors with their meaning and next step, estimates; plus the pure helpers
// it relies on (what is sent to each model, the cost line, the conversation total).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatError, ChatParams, ChatResult, EstimateParams } from '../../server/protocol/messages';
import { newConversation, requestMessages, titleFrom, userContent } from '../../client/chat/conversation';
import { describeChatError, guardrailName } from '../../client/chat/errors';
import { conversationTotal, formatCost, formatTotal, metaParts, optionDetail } from '../../client/chat/format';
import { toModelOptions } from '../../client/chat/models';
import { ToWebviewSchema, type AssistantMessage, type Attachment, type ChatOptions, type Conversation, type ToWebview } from '../../client/chat/protocol';
import { ChatSession, DeltaRouter, type ChatBackend } from '../../client/chat/session';

type Reply = (p: ChatParams, signal: AbortSignal, stream: (t: string) => void) => Promise<ChatResult>;

function harness(reply: Reply, opts: { balance?: number } = {}) {
  const posted: ToWebview[] = [];
  const saved: Conversation[] = [];
  const logs: string[] = [];
  const router = new DeltaRouter();
  const calls: ChatParams[] = [];
  const estimates: EstimateParams[] = [];
  let balanceAsked = 0;
  const backend: ChatBackend = {
    chat: (p, signal) => {
      calls.push(p);
      return reply(p, signal, (text) => router.dispatch({ requestId: p.requestId, text }));
    },
    estimate: async (p) => {
      estimates.push(p);
      const inputTokens = p.messages.reduce((n, m) => n + Math.ceil(m.content.length / 4), 0);
      return { inputTokens, inputCostUsd: inputTokens * 1e-6, maxCostUsd: inputTokens * 1e-6 + (p.maxTokens ?? 1000) * 4e-6, contextLength: 128000 };
    },
    balance: async () => {
      balanceAsked++;
      return opts.balance;
    },
  };
  const session = new ChatSession(newConversation({ models: [] }), backend, {
    post: (m) => posted.push(structuredClone(m)),
    save: async (c) => void saved.push(structuredClone(c)),
    log: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    route: (id, fn) => router.route(id, fn),
  });
  return { session, posted, saved, logs, calls, estimates, router, balanceAsked: () => balanceAsked };
}

const one: ChatOptions = { models: [{ model: 'gpt-4o-mini', gateway: 'nemo' }] };
const last = (posted: ToWebview[]) => posted.filter((m) => m.type === 'state').at(-1) as Extract<ToWebview, { type: 'state' }>;
const answers = (c: Conversation) => c.messages.filter((m): m is AssistantMessage => m.role === 'assistant');

/** Echo, streamed in two pieces, with the server's metering. */
const echo: Reply = async (p, _signal, stream) => {
  const text = `Echo: ${p.messages.at(-1)?.content}`;
  stream(text.slice(0, 6));
  stream(text.slice(6));
  return { requestId: p.requestId, ok: true, content: text, servedModel: p.model, gateway: p.gateway ?? 'nemo', inputTokens: 5, outputTokens: 4, costUsd: 0.00002, costSource: 'gateway', latencyMs: 300, finishReason: 'stop' };
};

test('send: the prompt, a streaming answer, its deltas, then the finished answer with cost — and it is saved', async () => {
  const h = harness(echo);
  await h.session.send('Hello there', { ...one, temperature: 0.3, maxTokens: 50, system: 'Be brief.' });
  const states = h.posted.filter((m) => m.type === 'state') as Extract<ToWebview, { type: 'state' }>[];
  assert.equal(states[0].busy, true);
  assert.equal(answers(states[0].conversation)[0].status, 'streaming');
  const deltas = h.posted.filter((m) => m.type === 'delta');
  assert.deepEqual(deltas.map((d) => d.type === 'delta' && d.text).join(''), 'Echo: Hello there');
  const end = last(h.posted);
  assert.equal(end.busy, false);
  const a = answers(end.conversation)[0];
  assert.equal(a.status, 'done');
  assert.equal(a.content, 'Echo: Hello there');
  assert.deepEqual(metaParts(a), ['gpt-4o-mini', 'nemo', '5 in / 4 out tokens', '$0.00002', '300 ms']);
  assert.equal(end.conversation.title, 'Hello there');
  assert.deepEqual(h.calls[0].messages, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello there' }]);
  assert.equal(h.calls[0].temperature, 0.3);
  assert.equal(h.calls[0].maxTokens, 50);
  assert.equal(h.calls[0].gateway, 'nemo');
  assert.equal(h.saved.at(-1)?.messages.length, 2, 'the finished conversation was saved');
  assert.equal(h.router.size, 0, 'no delta route left behind');
});

test('compare mode: one prompt to several models, answers side by side (one group), each with its own cost', async () => {
  const h = harness(echo);
  const models = [{ model: 'a/one' }, { model: 'b/two', gateway: 'or' }, { model: 'c/three' }];
  await h.session.send('Compare me', { models });
  const as = answers(last(h.posted).conversation);
  assert.equal(as.length, 3);
  assert.ok(as[0].group && as.every((a) => a.group === as[0].group), 'one group');
  assert.deepEqual(as.map((a) => a.meta?.servedModel), ['a/one', 'b/two', 'c/three']);
  assert.deepEqual(h.calls.map((c) => c.model).sort(), ['a/one', 'b/two', 'c/three']);
  // The next prompt: each model sees its own earlier answer.
  await h.session.send('And now?', { models });
  const toTwo = h.calls.filter((c) => c.model === 'b/two').at(-1)!;
  assert.deepEqual(toTwo.messages.map((m) => m.role), ['user', 'assistant', 'user']);
  assert.equal(toTwo.messages[1].content, 'Echo: Compare me');
});

test('Stop aborts the request; the answer keeps what arrived and says it was stopped', async () => {
  const h = harness(
    (p, signal, stream) =>
      new Promise((resolve) => {
        stream('partial answer');
        signal.addEventListener('abort', () =>
          resolve({ requestId: p.requestId, ok: true, aborted: true, content: 'partial answer', outputTokens: 4, costSource: 'estimated', costUsd: 0.000001, gateway: 'nemo', servedModel: p.model }),
        );
      }),
  );
  const done = h.session.send('Long answer please', one);
  assert.equal(h.session.busy, true);
  h.session.stop();
  await done;
  const a = answers(last(h.posted).conversation)[0];
  assert.equal(a.status, 'stopped');
  assert.equal(a.content, 'partial answer');
  assert.match(metaParts(a).join(' · '), /≈\$0\.000001 · stopped/);
});

test('Stop before the server answered (a transport rejection) still ends as stopped, not as an error', async () => {
  const h = harness((_p, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('Request got cancelled')))));
  const done = h.session.send('x', one);
  h.session.stop();
  await done;
  const a = answers(last(h.posted).conversation)[0];
  assert.equal(a.status, 'stopped');
  assert.equal(a.error, undefined);
});

test('a second send while streaming is refused with a notice, and loses nothing', async () => {
  let release!: () => void;
  const h = harness((p, _s, stream) => new Promise((resolve) => {
    stream('…');
    release = () => resolve({ requestId: p.requestId, ok: true, content: '…' });
  }));
  const first = h.session.send('one', one);
  await h.session.send('two', one);
  const notice = h.posted.find((m) => m.type === 'notice');
  assert.match(notice?.type === 'notice' ? notice.text : '', /still streaming/);
  assert.equal(h.session.conversation.messages.filter((m) => m.role === 'user').length, 1);
  release();
  await first;
});

test('sending needs a model and some content', async () => {
  const h = harness(echo);
  await h.session.send('hello', { models: [] });
  await h.session.send('   ', one);
  const notices = h.posted.filter((m) => m.type === 'notice').map((m) => m.type === 'notice' && m.text);
  assert.deepEqual(notices, ['Pick a model first.', 'Type a message or attach something first.']);
  assert.equal(h.calls.length, 0);
});

test('Retry asks the last prompt again with the same models; edit replaces the prompt and resends', async () => {
  let n = 0;
  const h = harness(async (p) => ({ requestId: p.requestId, ok: true, content: `answer ${++n} to ${p.messages.at(-1)?.content}` }));
  await h.session.send('first question', one);
  await h.session.retry();
  let conv = last(h.posted).conversation;
  assert.equal(conv.messages.length, 2, 'the old answer is replaced, not added');
  assert.equal(answers(conv)[0].content, 'answer 2 to first question');
  await h.session.editLast('better question', one);
  conv = last(h.posted).conversation;
  assert.equal(conv.messages.length, 2);
  assert.equal(conv.messages[0].role === 'user' && conv.messages[0].text, 'better question');
  assert.equal(conv.title, 'better question', 'the title follows the edited first prompt');
  assert.equal(answers(conv)[0].content, 'answer 3 to better question');
});

test('errors: 402 with the balance fetched when the error had none', async () => {
  const err: ChatError = { code: 'insufficient_credits', status: 402, message: 'fake-nemorouter answered 402 insufficient_credits: Insufficient credits', gateway: 'fake-nemorouter' };
  const h = harness(async (p) => ({ requestId: p.requestId, ok: false, content: '', error: err }), { balance: 0.42 });
  await h.session.send('x', one);
  const a = answers(last(h.posted).conversation)[0];
  assert.equal(a.status, 'error');
  assert.equal(h.balanceAsked(), 1);
  assert.equal(a.error?.title, 'Insufficient credits');
  assert.match(a.error?.detail ?? '', /balance on "fake-nemorouter": \$0\.42/);
  assert.deepEqual(a.error?.actions.map((x) => x.kind), ['pickModel', 'retry']);
});

test('errors: a transport failure says the server is unavailable', async () => {
  const h = harness(async () => {
    throw new Error('Connection is closed.');
  });
  await h.session.send('x', one);
  const a = answers(last(h.posted).conversation)[0];
  assert.equal(a.error?.code, 'server_unavailable');
  assert.match(a.error?.detail ?? '', /Connection is closed/);
  assert.ok(h.logs.some((l) => /Connection is closed/.test(l)));
});

test('error meanings and next steps', () => {
  const v = (e: Partial<ChatError>) => describeChatError({ code: 'x', message: 'm', ...e });
  const budget = v({ code: 'budget_exceeded', status: 402, message: 'Daily budget reached' });
  assert.equal(budget.title, 'Budget exceeded');
  assert.deepEqual(budget.actions.map((a) => a.kind), ['openSettings', 'overrideBudget']);
  assert.equal(v({ code: 'insufficient_credits', status: 402, balanceUsd: 1.5 }).detail, 'm (balance on the gateway: $1.50)');
  const rate = v({ code: 'rate_limit_exceeded', status: 429, gateway: 'g' });
  assert.equal(rate.title, 'Rate limited');
  assert.match(rate.hint, /already retried.*Wait/);
  const guard = v({ code: 'guardrail_blocked', status: 400, message: 'Blocked by guardrail secret-detection: a secret was detected in the payload.' });
  assert.equal(guard.title, 'Blocked by the guardrail "secret-detection"');
  assert.equal(guardrailName('no name here'), undefined);
  const unknown = v({ code: 'unknown_model', status: 404, suggestions: ['openai/gpt-4o', 'openai/gpt-4o-mini'] });
  assert.deepEqual(unknown.actions.filter((a) => a.kind === 'useModel').map((a) => a.kind === 'useModel' && a.model), ['openai/gpt-4o', 'openai/gpt-4o-mini']);
  assert.equal(v({ code: 'unreachable', status: 502 }).title, 'Gateway unreachable');
  assert.equal(v({ code: 'timeout', status: 504 }).title, 'Gateway unreachable');
  assert.equal(v({ code: 'invalid_api_key', status: 401, gateway: 'or' }).actions[0].kind, 'setApiKey');
  assert.equal(v({ code: 'stream_cut' }).title, 'The answer was cut off');
  assert.equal(v({ code: 'weird', status: 418 }).title, 'Request failed (418)');
});

test('estimate: tokens with the attachments, cost summed over the compared models; no model → tokens only', async () => {
  const h = harness(echo);
  const a: Attachment = { id: 'a1', kind: 'file', label: 'src/x.ts', language: 'typescript', content: 'x'.repeat(400) };
  a.tokens = await h.session.attachmentTokens(a);
  h.session.addAttachment(a);
  const e = await h.session.estimate('question', { models: [{ model: 'a' }, { model: 'b' }], maxTokens: 100 });
  assert.ok((e.inputTokens ?? 0) > 100, 'the attachment counts');
  assert.equal(e.attachmentTokens, a.tokens);
  assert.equal(e.models, 2);
  assert.ok(Math.abs((e.maxCostUsd ?? 0) - 2 * ((e.inputTokens ?? 0) * 1e-6 + 100 * 4e-6)) < 1e-12);
  assert.equal(e.assumedOutputTokens, 100);
  const none = await h.session.estimate('question', { models: [] });
  assert.equal(none.inputCostUsd, undefined);
  assert.equal(none.models, 0);
});

test('what a model receives: attachments as fenced blocks (fence longer than any backticks inside), failed answers left out', () => {
  const withTicks = userContent({ text: 'Explain', attachments: [{ id: 'a', kind: 'selection', label: 'a.md:1-3', language: 'markdown', content: '```js\nx\n```' }] });
  assert.equal(withTicks, 'Explain\n\nSelection from a.md:1-3:\n````markdown\n```js\nx\n```\n````');
  const conv = newConversation({ models: [{ model: 'm' }] });
  conv.messages.push(
    { role: 'user', id: 'u1', text: 'q1', attachments: [], at: 0 },
    { role: 'assistant', id: 'a1', model: { model: 'm' }, content: '', status: 'error', at: 0 },
    { role: 'user', id: 'u2', text: 'q2', attachments: [], at: 0 },
  );
  assert.deepEqual(requestMessages(conv, { model: 'm' }), [{ role: 'user', content: 'q1' }, { role: 'user', content: 'q2' }]);
  assert.equal(titleFrom('\n  A very long first line that goes on and on and on well past sixty characters in total'), 'A very long first line that goes on and on and on well past…');
  assert.equal(titleFrom('', [{ id: 'a', kind: 'file', label: 'README.md', content: '' }]), 'About README.md');
});

test('cost formatting: exact, estimated (≈), unknown; the total counts unknowns apart', () => {
  assert.equal(formatCost({ costUsd: 0.0000123, costSource: 'gateway' }), '$0.0000123');
  assert.equal(formatCost({ costUsd: 0.0000123, costSource: 'computed' }), '$0.0000123');
  assert.equal(formatCost({ costUsd: 0.5, costSource: 'estimated' }), '≈$0.50');
  assert.equal(formatCost({ costSource: 'unknown' }), 'cost unknown');
  const conv = newConversation({ models: [] });
  const a = (id: string, meta: AssistantMessage['meta']): AssistantMessage => ({ role: 'assistant', id, model: { model: 'm' }, content: 'x', status: 'done', at: 0, meta });
  conv.messages.push(a('1', { costUsd: 0.01, costSource: 'gateway', inputTokens: 1000, outputTokens: 200 }), a('2', { costUsd: 0.02, costSource: 'estimated', inputTokens: 10, outputTokens: 20 }), a('3', { costSource: 'unknown' }));
  const t = conversationTotal(conv);
  assert.deepEqual({ usd: Number(t.usd.toFixed(6)), answers: t.answers, unknown: t.unknown, estimated: t.estimated }, { usd: 0.03, answers: 3, unknown: 1, estimated: true });
  assert.equal(formatTotal(t), 'Total ≈$0.03 + 1 unknown · 3 answers · 1k in / 220 out tokens');
  assert.equal(formatTotal(conversationTotal(newConversation({ models: [] }))), 'No answers yet');
});

test('the server\'s cache counts reach the webview: the state message carries them and passes the webview\'s schema', async () => {
  const h = harness(async (p, s, stream) => ({ ...(await echo(p, s, stream)), inputTokens: 2400, cachedInputTokens: 2048, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0.0009, costSource: 'computed', cacheSavingsUsd: 0.0046 }));
  await h.session.send('Hello again', one);
  const end = last(h.posted);
  const parsed = ToWebviewSchema.safeParse(JSON.parse(JSON.stringify(end)));
  assert.ok(parsed.success, parsed.success ? '' : parsed.error.message);
  const a = answers(parsed.data.type === 'state' ? parsed.data.conversation : end.conversation)[0];
  assert.equal(a.meta?.cachedInputTokens, 2048);
  assert.equal(a.meta?.cacheSavingsUsd, 0.0046);
  assert.deepEqual(metaParts(a), ['gpt-4o-mini', 'nemo', '2400 in (2048 cached) / 4 out tokens', '$0.0009', 'caching saved $0.0046', '300 ms']);
});

test('cached input and what caching saved (or cost, while cache writes outweigh reads) show on the answer and the total', () => {
  const a = (id: string, meta: AssistantMessage['meta']): AssistantMessage => ({ role: 'assistant', id, model: { model: 'm' }, content: 'x', status: 'done', at: 0, meta });
  const read = a('1', { inputTokens: 12000, cachedInputTokens: 10000, outputTokens: 300, costUsd: 0.0101, costSource: 'computed', cacheSavingsUsd: 0.0225 });
  assert.deepEqual(metaParts(read), ['m', '12000 in (10000 cached) / 300 out tokens', '$0.0101', 'caching saved $0.0225']);
  const write = a('2', { inputTokens: 2000, outputTokens: 10, costUsd: 0.0075, costSource: 'gateway', cacheSavingsUsd: -0.0015 });
  assert.deepEqual(metaParts(write), ['m', '2000 in / 10 out tokens', '$0.0075', 'caching cost $0.0015 more']);
  const plain = a('3', { inputTokens: 5, outputTokens: 4, costUsd: 0.00002, costSource: 'gateway' });
  assert.deepEqual(metaParts(plain), ['m', '5 in / 4 out tokens', '$0.00002'], 'no cache, no cache words');
  assert.deepEqual(metaParts({ ...read, status: 'streaming' }), ['m', '12000 in (10000 cached) / 300 out tokens'], 'no money while streaming');
  const conv = newConversation({ models: [] });
  conv.messages.push(read, write, plain);
  const t = conversationTotal(conv);
  assert.equal(t.cachedInputTokens, 10000);
  assert.equal(Number(t.cacheSavingsUsd.toFixed(9)), 0.021);
  assert.equal(formatTotal(t), 'Total $0.0176 · 3 answers · 14k in (10k cached) / 314 out tokens · caching saved $0.021');
});

test('picker rows: one per gateway offer with price and context; offline-table models route by canonical id', () => {
  const rows = toModelOptions({
    total: 2, source: 'live', version: 1,
    models: [
      {
        gateway: 'nemo', id: 'gpt-4o', canonicalId: 'openai/gpt-4o', name: 'GPT-4o', provider: 'openai', contextLength: 128000,
        pricing: { inputPerMTok: 2.5, outputPerMTok: 10 }, priceSource: 'gateway', modalities: { input: ['text'], output: ['text'] },
        capabilities: { tools: true, vision: true, reasoning: false, json: true }, free: false,
        offers: [{ gateway: 'nemo', id: 'gpt-4o', pricing: { inputPerMTok: 2.5, outputPerMTok: 10 }, priceSource: 'gateway' }, { gateway: 'or', id: 'openai/gpt-4o', priceSource: 'table', pricing: { inputPerMTok: 2.5, outputPerMTok: 10 } }],
      },
      {
        gateway: 'offline', id: 'x/y', canonicalId: 'x/y', name: 'Y', provider: 'x', priceSource: 'table', modalities: { input: ['text'], output: ['text'] },
        capabilities: { tools: false, vision: false, reasoning: false, json: false }, free: false, offers: [{ gateway: 'offline', id: 'x/y', priceSource: 'table' }],
      },
    ],
  }, 'g');
  assert.deepEqual(rows.map((r) => [r.model, r.gateway]), [['gpt-4o', 'nemo'], ['openai/gpt-4o', 'or'], ['x/y', undefined]]);
  assert.equal(optionDetail(rows[0]), '$2.50 / $10 per M · 128k context');
  assert.equal(optionDetail(rows[1]), '≈$2.50 / $10 per M · 128k context', 'table prices are marked');
  assert.equal(optionDetail(rows[2]), 'price unknown');
  assert.equal(toModelOptions({ models: [], total: 0, source: 'live', version: 1 }, '')[0].model, 'auto', 'auto is offered when the search allows it');
});
