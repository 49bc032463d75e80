// The real Codex CLI (`codex exec`, pinned in agents.json) through `switchyard proxy` over the fake
// gateways, configured as the README tells a person to: the profile `switchyard env --codex-toml`
// prints ([model_providers.switchyard], wire_api = "responses") in a throwaway CODEX_HOME, run with
// `codex exec -p switchyard`. Codex's own model name (gpt-5-codex) reaches a
// gateway model through switchyard.aliases; every request is one ledger line with api "responses"
// and the gateway's cost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SERVER_JS, agentBin, assertMetered, runAgent, startAgentProxy, type AgentProxy } from './harness';

let proxy: AgentProxy;
let codex: string;

before(async () => {
  codex = agentBin('codex');
  proxy = await startAgentProxy({ settings: { aliases: { 'gpt-5-codex': 'gpt-4o-mini' } } });
});
after(() => proxy?.close());

/** `codex exec -p switchyard` with the profile `switchyard env --codex-toml` prints; returns its run and last message. */
async function codexExec(prompt: string, extra: string[] = []) {
  const home = proxy.scratch('codex-home');
  const work = proxy.scratch('codex-work');
  const toml = spawnSync(process.execPath, [SERVER_JS, 'env', '--codex-toml', '--port', new URL(proxy.url).port, '--token', proxy.token, '--data-dir', proxy.dataDir], { encoding: 'utf8' });
  assert.equal(toml.status, 0, toml.stderr);
  writeFileSync(path.join(home, 'switchyard.config.toml'), toml.stdout);
  const last = path.join(work, 'last-message.txt');
  const before = proxy.ledger().length;
  const run = await runAgent(codex, ['exec', '-p', 'switchyard', '--skip-git-repo-check', '-o', last, ...extra, prompt], {
    cwd: work,
    env: { ...process.env, CODEX_HOME: home, SWITCHYARD_PROXY_TOKEN: proxy.token, OPENAI_API_KEY: '', OPENAI_BASE_URL: '' },
    timeoutMs: 120_000,
  });
  const lines = proxy.ledger().slice(before);
  let message = '';
  try {
    message = readFileSync(last, 'utf8');
  } catch {
    // No last message: the assertions below say what Codex printed instead.
  }
  return { run, lines, message };
}

/** Codex's model name as it sends it, and the NemoRouter model the alias maps it to. */
const CODEX = { api: 'responses', model: 'gpt-5-codex', servedModel: 'gpt-4o-mini' } as const;

function charged(p: AgentProxy): number {
  return p.fakes.nemo.state.charges.reduce((sum, c) => sum + c.costUsd, 0);
}

test('codex exec: a plain answer through the proxy, one ledger line with api "responses" and the gateway\'s cost', async (t) => {
  const chargedBefore = charged(proxy);
  const { run, lines, message } = await codexExec('Say hello to Switchyard');
  assert.equal(run.code, 0, `codex failed:\n${run.stderr.slice(-3000)}`);
  assert.equal(message.trim(), 'Echo: Say hello to Switchyard');
  assert.match(run.stdout, /Echo: Say hello to Switchyard/);
  assert.equal(lines.length, 1, JSON.stringify(lines));
  const [line] = lines;
  assertMetered(lines, CODEX, charged(proxy) - chargedBefore);
  t.diagnostic(`codex plain answer: ${line.inputTokens} in / ${line.outputTokens} out tokens, $${line.costUsd} (${line.costSource})`);
});

test('codex exec: a tool round trip — the model asks for exec_command, Codex runs echo, the answer quotes its output', async (t) => {
  const chargedBefore = charged(proxy);
  const { run, lines, message } = await codexExec('Run this: [[tool:exec_command {"cmd":"echo switchyard-tool-ok"}]]', ['-s', 'danger-full-access']);
  assert.equal(run.code, 0, `codex failed:\n${run.stderr.slice(-3000)}`);
  // Codex ran the command (its transcript on stderr) and sent the output back to the model.
  assert.match(run.stderr, /echo switchyard-tool-ok/);
  assert.match(message, /^Tool result: [\s\S]*switchyard-tool-ok/);
  assert.equal(lines.length, 2, JSON.stringify(lines));
  assertMetered(lines, CODEX, charged(proxy) - chargedBefore);
  // The second request carried the tool result as a Chat Completions tool message.
  const sent = proxy.fakes.nemo.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)!.body as { messages: { role: string; content: unknown }[] };
  const tool = sent.messages.find((m) => m.role === 'tool');
  assert.match(String(tool?.content), /switchyard-tool-ok/);
  t.diagnostic(`codex tool round trip: ${lines.map((l) => `${l.inputTokens} in / ${l.outputTokens} out, $${l.costUsd}`).join('; ')}`);
});
