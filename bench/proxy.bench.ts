// The local proxy against its peers, in one run and against the same fake upstream (the
// openai-compatible fake from test/fakes, no artificial delay), every server its own process on
// 127.0.0.1:
//   direct      the upstream itself — the baseline every "added" figure is measured from
//   floor       a minimal undici pass-through written for this benchmark (bench/proxy/floor.ts):
//               the least a Node proxy can add
//   switchyard  `switchyard proxy` from a fresh production bundle (esbuild.mjs --production), routing
//               + metering on (catalog, pipeline, a budget check against a configured daily limit,
//               one ledger line per request)
//   portkey     @portkey-ai/gateway's own Node server (non-streaming; its streaming through a custom
//               host fails in this version), pointed at the fake with x-portkey-provider: openai +
//               x-portkey-custom-host
// Reports p50/p99 added latency at concurrency 1 and 16, requests per second, streaming
// time-to-first-byte added, CPU per request and idle/peak RSS; checks the targets as ratios in this
// run. Bounded: a fixed number of requests per phase, each phase capped in time. Writes
// bench/results/proxy.json and prints Markdown tables.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { request } from 'undici';
import { cpuMs, memMiB, percentile, runLoad, type LoadResult, type Target } from './proxy/load';

const ROOT = path.resolve(__dirname, '..');
const TOKEN = 'sk-switchyard-bench-0123456789abcdef';
const PHASES = {
  warmup: { requests: 300, concurrency: 4, maxMs: 5_000 },
  c1: { requests: 1_000, concurrency: 1, maxMs: 6_000 },
  c16: { requests: 4_000, concurrency: 16, maxMs: 8_000 },
  stream: { requests: 400, concurrency: 1, maxMs: 4_000 },
};
const CHAT = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'How fast is the proxy?' }] });
const STREAM = JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'How fast is the first byte?' }] });

interface Arm extends Target {
  idleRss?: number;
  c1?: LoadResult;
  c16?: LoadResult;
  stream?: LoadResult;
  cpuPerRequestMs?: number;
  peakRss?: number;
  skipped?: string;
}

const children: ChildProcess[] = [];

/** Spawn a server and resolve with what `ready` extracts from its stdout (the ready signal). */
function spawnReady<T>(name: string, args: string[], ready: (stdout: string) => T | undefined, env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; value: T }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err = (err + d).slice(-4000)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready after 30 s: ${err}`)), 30_000);
    child.stdout!.on('data', (d) => {
      if (out.length < 100_000) out += d;
      const v = ready(out);
      if (v !== undefined) {
        clearTimeout(timer);
        resolve({ child, value: v });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready: ${err.trim() || out.trim()}`));
    });
  });
}

const firstLine = (s: string) => (s.includes('\n') ? s.slice(0, s.indexOf('\n')).trim() : undefined);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function bundle(outDir: string): Promise<{ server: string; floor: string }> {
  // dist/server.js exactly as `npm run package` builds it (esbuild.mjs --production, its plugins and
  // options included): what ships is what is measured. It runs in a scratch directory that links to
  // the sources, so the developer's dist/ is left alone.
  const scratch = path.join(outDir, 'build');
  mkdirSync(scratch);
  for (const name of ['client', 'server', 'media', 'node_modules', 'package.json', 'tsconfig.json', 'esbuild.mjs']) {
    symlinkSync(path.join(ROOT, name), path.join(scratch, name));
  }
  const built = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: scratch, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`esbuild.mjs --production failed: ${built.stderr || built.stdout}`);
  const server = path.join(outDir, 'server.js');
  copyFileSync(path.join(scratch, 'dist', 'server.js'), server);
  const floor = path.join(outDir, 'floor.js');
  await build({ bundle: true, minify: true, legalComments: 'none', platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', absWorkingDir: ROOT, entryPoints: ['bench/proxy/floor.ts'], outfile: floor });
  return { server, floor };
}

/** Until the proxy's catalog knows the benchmark model (routing needs it), at most 15 s. */
async function waitForModel(origin: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const r = await request(`${origin}/v1/models`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const text = await r.body.text();
    if (r.statusCode === 200 && text.includes('gpt-4o-mini')) return;
    if (Date.now() > deadline) throw new Error(`the proxy's catalog never listed gpt-4o-mini: ${text.slice(0, 300)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

async function startArms(work: string, bundles: { server: string; floor: string }): Promise<Arm[]> {
  const up = await spawnReady('fake upstream', ['--import', 'tsx', 'test/fakes/serve.ts', '--only', 'openai-compatible', '--json'], (s) => {
    const line = firstLine(s);
    return line ? (JSON.parse(line)['openai-compatible'] as { baseUrl: string; key: string }) : undefined;
  });
  const upstream = new URL(up.value.baseUrl);
  const key = up.value.key;
  const bearer = { authorization: `Bearer ${key}` };
  const arms: Arm[] = [{ name: 'direct', origin: upstream.origin, path: '/v1/chat/completions', headers: bearer, pid: undefined }];

  const floor = await spawnReady('floor', [bundles.floor, upstream.origin], (s) => firstLine(s) && (JSON.parse(firstLine(s)!).url as string));
  arms.push({ name: 'floor', origin: floor.value, path: '/v1/chat/completions', headers: bearer, pid: floor.child.pid });

  const config = path.join(work, 'switchyard.json');
  // A daily budget the run never reaches (it spends well under a dollar): every request's budget
  // check evaluates a real limit, as it does for anyone who sets one.
  const gateways = [{ id: 'bench', kind: 'openai-compatible', baseUrl: up.value.baseUrl, apiKeyEnv: 'BENCH_UPSTREAM_KEY' }];
  writeFileSync(config, JSON.stringify({ gateways, budget: { daily: 1000 } }));
  const sy = await spawnReady(
    'switchyard proxy',
    [bundles.server, 'proxy', '--port', '0', '--token', TOKEN, '--config', config, '--data-dir', path.join(work, 'data')],
    firstLine,
    { BENCH_UPSTREAM_KEY: key, SWITCHYARD_DEBUG: '' },
  );
  const syOrigin = new URL(sy.value).origin;
  await waitForModel(syOrigin);
  arms.push({ name: 'switchyard', origin: syOrigin, path: '/v1/chat/completions', headers: { authorization: `Bearer ${TOKEN}` }, pid: sy.child.pid });

  try {
    const port = await freePort();
    const pk = await spawnReady('portkey', ['bench/proxy/portkey.mjs', `--port=${port}`], (s) => (s.includes('Ready for connections') ? true : undefined));
    arms.push({
      name: 'portkey',
      origin: `http://127.0.0.1:${port}`,
      path: '/v1/chat/completions',
      headers: { ...bearer, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': up.value.baseUrl },
      pid: pk.child.pid,
    });
  } catch (e) {
    arms.push({ name: 'portkey', origin: '', path: '', headers: {}, skipped: e instanceof Error ? e.message : String(e) });
  }
  return arms;
}

const ROUNDS = 4;

function merge(a: LoadResult | undefined, b: LoadResult): LoadResult {
  if (!a) return b;
  const done = a.done + b.done;
  const wallMs = a.wallMs + b.wallMs;
  return { done, errors: a.errors + b.errors, firstError: a.firstError ?? b.firstError, wallMs, rps: (done / wallMs) * 1000, latencies: a.latencies.concat(b.latencies) };
}

const slice = (p: { requests: number; concurrency: number; maxMs: number }) => ({ ...p, requests: Math.ceil(p.requests / ROUNDS), maxMs: p.maxMs / ROUNDS });

async function measure(arms: Arm[]): Promise<void> {
  const live = arms.filter((a) => !a.skipped);
  for (const a of live) a.idleRss = memMiB(a.pid).rss;
  for (const a of live) await runLoad(a, CHAT, PHASES.warmup);
  // Each phase in rounds, every arm in turn within a round, so drift in the machine's load (it is
  // shared) touches all of them alike.
  const cpu = new Map<Arm, number>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const a of live) a.c1 = merge(a.c1, await runLoad(a, CHAT, slice(PHASES.c1)));
    for (const a of live) {
      const before = cpuMs(a.pid);
      const r = await runLoad(a, CHAT, slice(PHASES.c16));
      const after = cpuMs(a.pid);
      if (before !== undefined && after !== undefined) cpu.set(a, (cpu.get(a) ?? 0) + after - before);
      a.c16 = merge(a.c16, r);
    }
    for (const a of live.filter((x) => x.name !== 'portkey')) a.stream = merge(a.stream, await runLoad(a, STREAM, { ...slice(PHASES.stream), ttfb: true }));
  }
  for (const a of live) {
    if (cpu.has(a) && a.c16?.done) a.cpuPerRequestMs = cpu.get(a)! / a.c16.done;
    a.peakRss = memMiB(a.pid).peak;
  }
}

const f = (x: number | undefined, digits = 2) => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(digits));

function summarize(arms: Arm[]) {
  const base = arms.find((a) => a.name === 'direct')!;
  const added = (a: Arm, phase: 'c1' | 'c16' | 'stream', p: number) =>
    a[phase] && base[phase] ? percentile(a[phase]!.latencies, p) - percentile(base[phase]!.latencies, p) : undefined;
  const rows = arms.map((a) => ({
    arm: a.name,
    skipped: a.skipped,
    requests: (a.c1?.done ?? 0) + (a.c16?.done ?? 0) + (a.stream?.done ?? 0),
    errors: (a.c1?.errors ?? 0) + (a.c16?.errors ?? 0) + (a.stream?.errors ?? 0),
    firstError: a.c1?.firstError ?? a.c16?.firstError ?? a.stream?.firstError,
    p50c1: a.c1 && percentile(a.c1.latencies, 50),
    p50c16: a.c16 && percentile(a.c16.latencies, 50),
    addedP50c1: added(a, 'c1', 50),
    addedP99c1: added(a, 'c1', 99),
    addedP50c16: added(a, 'c16', 50),
    addedP99c16: added(a, 'c16', 99),
    rpsC16: a.c16?.rps,
    ttfbP50: a.stream && percentile(a.stream.latencies, 50),
    ttfbAdded: added(a, 'stream', 50),
    cpuPerRequestMs: a.cpuPerRequestMs,
    idleRssMiB: a.idleRss,
    peakRssMiB: a.peakRss,
  }));
  const row = (n: string) => rows.find((r) => r.arm === n);
  const sy = row('switchyard')!;
  const fl = row('floor')!;
  const pk = row('portkey');
  const ratio = (a?: number, b?: number) => (a !== undefined && b !== undefined && b > 0 ? a / b : undefined);
  const targets = [
    { target: 'added latency p50, c=1, vs floor', value: ratio(sy.addedP50c1, fl.addedP50c1), goal: '≤ 1.5×', ok: (v: number) => v <= 1.5 },
    { target: 'added latency p50, c=16, vs floor', value: ratio(sy.addedP50c16, fl.addedP50c16), goal: '≤ 1.5×', ok: (v: number) => v <= 1.5 },
    { target: 'throughput c=16 vs Portkey', value: ratio(sy.rpsC16, pk?.rpsC16), goal: '≥ 8×', ok: (v: number) => v >= 8 },
    { target: 'streaming TTFB added (ms)', value: sy.ttfbAdded, goal: '≤ +1.5 ms', ok: (v: number) => v <= 1.5 },
    { target: 'idle RSS (MiB)', value: sy.idleRssMiB, goal: '≤ 80 MiB', ok: (v: number) => v <= 80 },
  ].map((t) => ({ target: t.target, value: t.value, goal: t.goal, pass: t.value === undefined ? null : t.ok(t.value) }));
  return { rows, targets };
}

function markdown(s: ReturnType<typeof summarize>): string {
  const lines = [
    '| arm | added p50 / p99, c=1 (ms) | added p50 / p99, c=16 (ms) | req/s, c=16 | stream TTFB added (ms) | CPU / request (ms) | idle / peak RSS (MiB) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of s.rows) {
    if (r.skipped) {
      lines.push(`| ${r.arm} | not run: ${r.skipped.replace(/\|/g, '/').slice(0, 160)} | | | | | |`);
      continue;
    }
    const direct = r.arm === 'direct';
    lines.push(
      `| ${r.arm}${r.errors ? ` (${r.errors} errors: ${r.firstError})` : ''} | ${direct ? `baseline ${f(r.p50c1)}` : `${f(r.addedP50c1)} / ${f(r.addedP99c1)}`} | ${direct ? `baseline ${f(r.p50c16)}` : `${f(r.addedP50c16)} / ${f(r.addedP99c16)}`} | ${f(r.rpsC16, 0)} | ${direct ? `baseline ${f(r.ttfbP50)}` : f(r.ttfbAdded)} | ${direct ? '—' : f(r.cpuPerRequestMs, 3)} | ${direct ? '—' : `${f(r.idleRssMiB, 1)} / ${f(r.peakRssMiB, 1)}`} |`,
    );
  }
  lines.push('', '| target (Switchyard, in this run) | value | goal | met |', '| --- | --- | --- | --- |');
  for (const t of s.targets) lines.push(`| ${t.target} | ${f(t.value)} | ${t.goal} | ${t.pass === null ? 'n/a' : t.pass ? 'yes' : 'no'} |`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const work = mkdtempSync(path.join(tmpdir(), 'switchyard-bench-proxy-'));
  try {
    const bundles = await bundle(work);
    const arms = await startArms(work, bundles);
    await measure(arms);
    const summary = summarize(arms);
    const out = path.join(ROOT, 'bench', 'results');
    mkdirSync(out, { recursive: true });
    const machine = { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg(), node: process.version };
    writeFileSync(path.join(out, 'proxy.json'), JSON.stringify({ at: new Date().toISOString(), machine, phases: PHASES, ...summary }, null, 2) + '\n');
    console.log(markdown(summary));
    console.log(`\n${machine.cpus} × ${machine.model}, load ${machine.loadavg.map((x) => x.toFixed(1)).join(' ')}, ${machine.node}; ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    console.error(e instanceof Error ? e.stack : String(e));
    process.exit(1);
  },
);
