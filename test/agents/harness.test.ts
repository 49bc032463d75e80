// The agents' fixture itself: `switchyard proxy` over the fakes answers a real client and writes
// the ledger line the agent tests read; a missing agent install fails loudly instead of skipping.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { agentBin, startAgentProxy, type AgentProxy } from './harness';

let proxy: AgentProxy;
before(async () => {
  proxy = await startAgentProxy();
});
after(() => proxy?.close());

test('the proxy fixture serves a real client through the pipeline into the ledger', async () => {
  const client = new OpenAI({ baseURL: proxy.url, apiKey: proxy.token, maxRetries: 0 });
  const r = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'ping' }] });
  assert.equal(r.choices[0].message.content, 'Echo: ping');
  const lines = proxy.ledger();
  assert.equal(lines.length, 1);
  assert.equal(lines[0].source, 'proxy');
  assert.equal(lines[0].gateway, 'nemo');
  assert.ok(typeof lines[0].costUsd === 'number' && lines[0].costUsd > 0, `cost ${lines[0].costUsd}`);
});

test('an agent that setup.sh did not install is an error naming the fix', () => {
  assert.throws(() => agentBin('no-such-agent'), /no agent "no-such-agent"/);
});
