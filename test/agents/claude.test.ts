// The real Claude Code (@anthropic-ai/claude-code, pinned in agents.json, installed by setup.sh) run
// non-interactively (`claude -p`) through `switchyard proxy` (the built CLI, harness.ts) over a fake
// OpenRouter: a plain answer, one tool round trip (its Bash tool running `echo`, allowed with
// --allowedTools), and its background ("haiku") model reached through a switchyard alias. Asserts on
// what it printed AND on the ledger lines (source proxy, api messages, requested and served model,
// the gateway's own cost). It runs with a throwaway HOME and config dir and with every switch that
// stops telemetry, auto-update, error reports and other non-essential traffic.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { agentBin, assertMetered, runAgent, startAgentProxy, type AgentProxy } from './harness';
import type { LedgerRecord } from '../../server/protocol/ledger';

/** One agent turn over the fakes takes 5–15 s on a busy 2-core machine; a hang fails well before CI's limit. */
const RUN_TIMEOUT_MS = 150_000;

let h: AgentProxy;
let claudeBin: string;
let home: string;
let workDir: string;

before(async () => {
  claudeBin = agentBin('claude');
  h = await startAgentProxy({
    gateways: { or: 'openrouter' },
    settings: {
      // Claude Code asks for its own model names; aliases send them to models the gateway serves.
      aliases: { 'claude-sonnet-4-5-20250929': 'anthropic/claude-sonnet-4', 'claude-haiku-4-5-20251001': 'openai/gpt-4o-mini' },
    },
  });
  home = h.scratch('claude-home');
  workDir = h.scratch('claude-work');
});
after(() => h?.close());

/** Exactly what a person puts in their shell for Claude Code on Switchyard (README "Terminal agents"). */
function claudeEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    CLAUDE_CONFIG_DIR: path.join(home, '.claude'),
    // The proxy's root: Claude Code appends /v1/messages itself.
    ANTHROPIC_BASE_URL: h.origin,
    ANTHROPIC_AUTH_TOKEN: h.token,
    ANTHROPIC_MODEL: 'claude-sonnet-4-5-20250929',
    ANTHROPIC_DEFAULT_HAIKU_MODEL: 'claude-haiku-4-5-20251001',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_BUG_COMMAND: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  };
}

async function claude(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const r = await runAgent(claudeBin, args, { cwd: workDir, env: claudeEnv(), timeoutMs: RUN_TIMEOUT_MS });
  if (r.code !== 0) throw new Error(`claude ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout.slice(-2000)}\nstderr: ${r.stderr.slice(-2000)}\nproxy: ${h.stderr().slice(-2000)}`);
  return r;
}

/** The ledger lines written since `count` (the requests of one Claude Code run). */
function linesSince(count: number): LedgerRecord[] {
  return h.ledger().slice(count);
}

/** Claude Code's main model as it sends it, and the OpenRouter model the alias maps it to. */
const SONNET = { api: 'messages', model: 'claude-sonnet-4-5-20250929', servedModel: 'anthropic/claude-sonnet-4' } as const;

function report(t: { diagnostic(m: string): void }, lines: LedgerRecord[], stdout: string): void {
  for (const l of lines) t.diagnostic(`ledger: ${l.model} → ${l.servedModel} on ${l.gateway}: ${l.inputTokens} in / ${l.outputTokens} out, $${l.costUsd} (${l.costSource}), ${l.status}`);
  t.diagnostic(`claude printed: ${JSON.stringify(stdout.trim().slice(-160))}`);
}

test('claude -p: a plain answer through the proxy, metered with the gateway\'s cost', async (t) => {
  const start = h.ledger().length;
  const spentBefore = h.fakes.or.state.spent;
  const { stdout } = await claude(['-p', 'Say hello to Switchyard']);
  const lines = linesSince(start);
  report(t, lines, stdout);
  // The fake model echoes the last user message, which ends with the prompt.
  assert.match(stdout, /^Echo: /);
  assert.match(stdout.trim(), /Say hello to Switchyard$/);
  const total = assertMetered(lines, SONNET, h.fakes.or.state.spent - spentBefore);
  t.diagnostic(`plain answer: $${total} in ${lines.length} request(s)`);
});

test('claude -p: one tool round trip — its Bash tool runs `echo`, the result goes back through the proxy', async (t) => {
  const start = h.ledger().length;
  const spentBefore = h.fakes.or.state.spent;
  const marker = `switchyard-tool-${process.pid}`;
  const { stdout } = await claude([
    '-p',
    `Run this: [[tool:Bash {"command":"echo ${marker}","description":"Print a marker"}]]`,
    '--allowedTools',
    'Bash(echo:*)',
  ]);
  const lines = linesSince(start);
  report(t, lines, stdout);
  // The fake answers "Tool result: <what the tool returned>" once Claude Code sends the result back
  // (Claude Code appends a <system-reminder> to the tool's output, which the fake echoes too).
  assert.match(stdout.trim(), new RegExp(`^Tool result: ${marker}\\n`));
  assert.equal(lines.length, 2, 'the tool call, then the answer to its result');
  const total = assertMetered(lines, SONNET, h.fakes.or.state.spent - spentBefore);
  t.diagnostic(`tool round trip: $${total} in 2 requests`);
  // The gateway saw the tool result as Chat Completions' tool message.
  const chats = h.fakes.or.requests.filter((r) => r.path.endsWith('/chat/completions'));
  const last = chats.at(-1)?.body as { messages: { role: string; content: unknown }[] };
  assert.ok(last.messages.some((m) => m.role === 'tool' && String(m.content).includes(marker)), 'a tool message carries the echo output');
});

test('claude -p --model haiku: the background model (ANTHROPIC_DEFAULT_HAIKU_MODEL) reaches the gateway through an alias', async (t) => {
  const start = h.ledger().length;
  const spentBefore = h.fakes.or.state.spent;
  const { stdout } = await claude(['-p', '--model', 'haiku', 'Reply with one word']);
  const lines = linesSince(start);
  report(t, lines, stdout);
  assert.match(stdout.trim(), /Reply with one word$/);
  const total = assertMetered(lines, { api: 'messages', model: 'claude-haiku-4-5-20251001', servedModel: 'openai/gpt-4o-mini' }, h.fakes.or.state.spent - spentBefore);
  t.diagnostic(`background model: $${total} in ${lines.length} request(s)`);
});
