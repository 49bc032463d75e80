// `@switchyard` answers from local data: the Markdown of /spend, /models and /compare, from the server's
// answers (a client that replies per request method), with command links to the explorer and the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MergedModel } from '../../server/protocol/model';
import type { SpendReport } from '../../server/protocol/messages';
const { installVscodeStandIn } = require('./vscode-stand-in.cjs') as typeof import('./vscode-stand-in.cjs');

const gpt4o = {
  canonicalId: 'openai/gpt-4o', name: 'GPT-4o', provider: 'openai', gateway: 'nemo', id: 'gpt-4o', contextLength: 128000, maxOutput: 16384,
  pricing: { inputPerMTok: 2.5, outputPerMTok: 10 }, priceSource: 'gateway', free: false,
  capabilities: { tools: true, vision: true, reasoning: false, json: true }, modalities: { input: ['text', 'image'], output: ['text'] },
  offers: [{ gateway: 'nemo', id: 'gpt-4o', priceSource: 'gateway' }, { gateway: 'or', id: 'openai/gpt-4o', priceSource: 'gateway' }],
} as unknown as MergedModel;
const mini = { ...gpt4o, canonicalId: 'openai/gpt-4o-mini', name: 'GPT-4o mini', pricing: { inputPerMTok: 0.15, outputPerMTok: 0.6 } } as MergedModel;

const report = (totalUsd: number): SpendReport => ({
  from: '2026-12-01', to: '2026-12-05', totalUsd, requests: 3, byDay: [], unknownCostRequests: 0,
  byModel: [{ model: 'openai/gpt-4o', gateway: 'nemo', usd: totalUsd, requests: 3, inputTokens: 10, outputTokens: 20 }],
  bySource: [{ source: 'vscode-chat', usd: totalUsd * 0.75, requests: 2 }, { source: 'proxy', usd: totalUsd * 0.25, requests: 1 }],
});

const client = {
  sendRequest: async (type: { method: string }, params: Record<string, unknown>) => {
    if (type.method === 'switchyard/spendReport') return report(params.from === params.to ? 0.5 : 2);
    if (type.method === 'switchyard/catalog') return { models: [mini, gpt4o], total: 2, source: 'live', version: 1 };
    if (type.method === 'switchyard/model') return ({ 'gpt-4o': gpt4o, 'gpt-4o-mini': mini } as Record<string, MergedModel>)[params.id as string] ?? null;
    throw new Error(`unexpected ${type.method}`);
  },
};

test('/spend, /models and /compare answer in Markdown with prices and command links', async (t) => {
  const { restore } = installVscodeStandIn();
  t.after(restore);
  const { answer } = require('../../client/lm/participant') as typeof import('../../client/lm/participant');
  const send = client as unknown as Parameters<typeof answer>[0];

  const spend = await answer(send, 'spend', '');
  // Amounts spent in the one money format (present.ts formatSpend), as the status bar and the report write them.
  assert.match(spend, /\*\*Today:\*\* \$0\.5000 in 3 request\(s\) · \*\*this month:\*\* \$2\.00 in 3 request\(s\)/);
  assert.match(spend, /\| VS Code Chat \| \$0\.3750 \| \$1\.50 \| 2 \|/);
  assert.match(spend, /\[Open the spend report\]\(command:switchyard\.showSpendReport\?/);

  const models = await answer(send, 'models', 'gpt');
  assert.match(models, /2 model\(s\) match `gpt`/);
  assert.match(models, /\| \[GPT-4o\]\(command:switchyard\.model\.showDetails\?.*\) \| `openai\/gpt-4o` \| \$2\.50 \/ \$10 per M \| 128k \| nemo, or \|/);

  const compare = await answer(send, 'compare', 'gpt-4o gpt-4o-mini');
  assert.match(compare, /\| 1k in \+ 1k out \| \$0\.0125 \| \$0\.00075 \|/);
  assert.match(await answer(send, 'compare', 'gpt-4o nope'), /Unknown model\(s\): `nope`/);
  assert.match(await answer(send, undefined, ''), /`\/spend`/);
});

test('names and IDs from gateways cannot add links, code or cells to an answer that allows command links', async (t) => {
  const { restore } = installVscodeStandIn();
  t.after(restore);
  const { answer } = require('../../client/lm/participant') as typeof import('../../client/lm/participant');
  const evil = { ...gpt4o, canonicalId: 'x/a`b|c', name: '[free](command:workbench.action.terminal.sendSequence) *now*', offers: [{ gateway: 'g|w', id: 'a', priceSource: 'gateway' }] } as unknown as MergedModel;
  const send = { sendRequest: async () => ({ models: [evil], total: 1, source: 'live', version: 1 }) } as unknown as Parameters<typeof answer>[0];
  const md = await answer(send, 'models', '');
  assert.ok(!md.includes('](command:workbench'), `no link from a model name: ${md}`);
  assert.ok(md.includes('\\[free\\]\\(command:workbench.action.terminal.sendSequence\\) \\*now\\*'), md);
  const row = md.split('\n').find((l) => l.includes('sendSequence'))!;
  assert.equal(row.split(/(?<!\\)\|/).length, 7, `five cells, none added: ${row}`);
  assert.ok(row.includes("`x/a'b\\|c`"), 'the ID stays one code span in its cell');
});
