// The harness the terminal-agent tests share: real fake gateways on 127.0.0.1, the built CLI's
// `switchyard proxy` (dist/server.js, as a user runs it) in a throwaway data directory, and a way
// to run an installed agent (test/agents/agents.json, installed by test/agents/setup.sh) against
// it and read the ledger lines its requests wrote. An agent test = its command + its expectations.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startFakeGateway, type FakeGateway, type FakeGatewayKind } from '../fakes/index';
import type { LedgerRecord } from '../../server/protocol/ledger';
import type { SettingsInput } from '../../server/protocol/settings';

const ROOT = path.resolve(__dirname, '../..');
export const SERVER_JS = path.join(ROOT, 'dist/server.js');
export const PROXY_TOKEN = 'sk-switchyard-agents-0123456789abcdef';

interface AgentSpec {
  package: string;
  version: string;
  bin: string;
}

/** The installed binary of an agent; throws (never skips) when setup.sh has not installed it. */
export function agentBin(name: string): string {
  const specs = JSON.parse(readFileSync(path.join(__dirname, 'agents.json'), 'utf8')) as Record<string, AgentSpec>;
  const spec = specs[name];
  if (!spec) throw new Error(`no agent "${name}" in test/agents/agents.json`);
  const cache = process.env.AGENTS_CACHE ?? path.join(ROOT, '.cache/agents');
  const bin = path.join(cache, `${name}-${spec.version}`, 'node_modules/.bin', spec.bin);
  if (!existsSync(bin)) throw new Error(`${spec.package}@${spec.version} is not installed at ${bin}: run bash test/agents/setup.sh (npm run test:agents does)`);
  return bin;
}

export interface AgentProxy {
  /** http://127.0.0.1:PORT/v1 */
  url: string;
  /** http://127.0.0.1:PORT (for tools that add /v1 themselves). */
  origin: string;
  token: string;
  fakes: Record<string, FakeGateway>;
  dataDir: string;
  /** A fresh, empty folder for the agent's own home/config/workdir. */
  scratch(name: string): string;
  ledger(): LedgerRecord[];
  stderr(): string;
  close(): Promise<void>;
}

export interface AgentProxyOptions {
  /** Gateway id → kind (default one NemoRouter, which reports a cost). */
  gateways?: Record<string, FakeGatewayKind>;
  /** The rest of the config file (aliases, budgets, …). */
  settings?: Omit<SettingsInput, 'gateways'>;
  /** Called with the fakes before the proxy starts (e.g. to delay their first catalog). */
  beforeStart?(fakes: Record<string, FakeGateway>): void;
}

/** Start the fakes and `switchyard proxy`; resolves once the proxy printed its URL (its ready signal). */
export async function startAgentProxy(opts: AgentProxyOptions = {}): Promise<AgentProxy> {
  const root = mkdtempSync(path.join(tmpdir(), 'switchyard-agents-'));
  const dataDir = path.join(root, 'data');
  const fakes: Record<string, FakeGateway> = {};
  const env: NodeJS.ProcessEnv = {};
  const gateways: unknown[] = [];
  for (const [id, kind] of Object.entries(opts.gateways ?? { nemo: 'nemorouter' as const })) {
    const fake = await startFakeGateway(kind);
    fakes[id] = fake;
    const keyEnv = `AGENT_KEY_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    if (fake.key) env[keyEnv] = fake.key;
    gateways.push({ id, kind, baseUrl: fake.baseUrl, ...(fake.key ? { apiKeyEnv: keyEnv } : {}) });
  }
  opts.beforeStart?.(fakes);
  const config = path.join(root, 'switchyard.json');
  writeFileSync(config, JSON.stringify({ ...opts.settings, gateways }));
  const child = spawn(process.execPath, [SERVER_JS, 'proxy', '--port', '0', '--config', config, '--data-dir', dataDir, '--token', PROXY_TOKEN], {
    env: { ...process.env, ...env, SWITCHYARD_PROXY_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as unknown as ChildProcessWithoutNullStreams;
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0].trim());
    });
    void exited.then(() => reject(new Error(`switchyard proxy exited before listening: ${stderr}`)));
  });
  return {
    url,
    origin: url.replace(/\/v1$/, ''),
    token: PROXY_TOKEN,
    fakes,
    dataDir,
    scratch(name) {
      return mkdtempSync(path.join(root, `${name}-`));
    },
    ledger() {
      const dir = path.join(dataDir, 'ledger');
      if (!existsSync(dir)) return [];
      return readdirSync(dir)
        .filter((f) => f.endsWith('.jsonl'))
        .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n'))
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as LedgerRecord);
    },
    stderr: () => stderr,
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await Promise.all(Object.values(fakes).map((f) => f.close()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface AgentRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run an agent to completion (stdin closed), killing it after `timeoutMs`. */
export function runAgent(bin: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<AgentRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface MeteredExpect {
  api: NonNullable<LedgerRecord['api']>;
  /** What the agent asked for, and the gateway ID that served it. */
  model: string;
  servedModel: string;
}

/**
 * What every agent test checks of the ledger lines one run wrote: each is the proxy's, in the API
 * the agent spoke, keeps the requested and the served model, succeeded and carries the gateway's own
 * cost; together they hold exactly what the fake gateway debited (`debitUsd`). Returns the total.
 */
export function assertMetered(lines: LedgerRecord[], expect: MeteredExpect, debitUsd: number): number {
  assert.ok(lines.length > 0, 'no ledger line: the agent sent nothing through the proxy');
  for (const l of lines) {
    const got = { source: l.source, api: l.api, model: l.model, servedModel: l.servedModel, status: l.status, costSource: l.costSource };
    assert.deepEqual(got, { source: 'proxy', ...expect, status: 'ok', costSource: 'gateway' });
    assert.ok(typeof l.costUsd === 'number' && l.costUsd > 0, `a cost on every line (${l.costUsd})`);
  }
  const total = lines.reduce((s, l) => s + (l.costUsd ?? 0), 0);
  assert.ok(Math.abs(total - debitUsd) < 1e-9, `the ledger holds $${total}, the gateway debited $${debitUsd}`);
  return total;
}
