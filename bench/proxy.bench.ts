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
// The non-streaming phases are driven by wrk (bench/proxy/wrk.ts; a Node generator on the same two
// cores was the cap): p50/p99 added latency at c=1, and the throughput curve — req/s at c=1, 4, 16,
// 64 and 256, and at c=16 with ~10 kB, 100 kB and 1 MB bodies. The streaming phases use a small C client (bench/proxy/sse-load.c; a Node client cost
// more CPU per stream than the proxies): time to first byte and to the end of the stream at c=1 and
// c=16 back to back (a saturated phase: queueing), and at c=16 against a second, paced upstream
// (PACED_CHUNK_MS between chunks, as a model streams) with its own floor and Switchyard. Also CPU
// per request and per stream of each arm (/proc), idle and peak RSS, both generators' own CPU; checks
// the targets as ratios in this run. Bounded: fixed-time wrk runs and a fixed number of streaming
// requests, each phase capped in time. Writes bench/results/proxy.json and prints Markdown tables.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { request } from 'undici';
import { cpuMs, memMiB, percentile, runLoad } from './proxy/load';
import { markdown, summarize, type Arm, type WrkPhaseName } from './proxy/report';
import { ensureWrk, runWrk, type WrkResult } from './proxy/wrk';
import { buildSseLoad, runSse, type SseResult } from './proxy/sse-load';
import { byModule, findProfile, profileMarkdown, summarizeProfile } from './proxy/profile';

const ROOT = path.resolve(__dirname, '..');
const TOKEN = 'sk-switchyard-bench-0123456789abcdef';
const PHASES = {
  // --profile and --quick warm up with this; the full run with WARM_SECONDS of wrk and the two below.
  warmup: { requests: 300, concurrency: 4, maxMs: 5_000 },
  warmStreams: { requests: 2_000, concurrency: 16, maxMs: 5_000 },
  warmPaced: { requests: 320, concurrency: 16, maxMs: 5_000 },
  stream: { requests: 600, concurrency: 1, maxMs: 6_000 },
  // 2,400 streams a round (≈ 1 s): an arm has sat idle while the others ran, and the first ≈ 1 s of
  // load after that is a ramp for every process on this VM (README "Proxy benchmark"); 480 a round
  // measured mostly the ramp.
  stream16: { requests: 12_000, concurrency: 16, maxMs: 20_000 },
  // Sixteen live streams from the paced upstream (PACED_CHUNK_MS between chunks), time to first byte.
  // 480 a round (≈ 3 s, thirty per connection): a paced arm sits idle for about forty seconds while
  // the other phases run, and the first ≈ 1 s after that is the same ramp as above — 192 a round
  // (≈ 1.2 s) measured mostly the ramp. The first stream of each connection in a round also waits for
  // the proxies to reconnect upstream (they sat idle past the upstream's keep-alive), which is the
  // bench's rhythm, not a proxy's steady state.
  paced16: { requests: 2_400, concurrency: 16, maxMs: 40_000 },
};
const CHAT = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'How fast is the proxy?' }] });
/** A chat request whose prompt is `repeat` × 27 characters of text: the proxy reads, validates and forwards the whole body. */
const prompt = (repeat: number) => JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'lorem ipsum dolor sit amet '.repeat(repeat) }] });
// ~100 kB of prompt (agents send long prompts), and the curve's points either side of it.
const BIG = prompt(3800);
const MID = prompt(380);
const HUGE = prompt(38_000);
const STREAM = JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'How fast is the first byte?' }] });


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

async function bundle(outDir: string, production = true): Promise<{ server: string; floor: string }> {
  // dist/server.js exactly as `npm run package` builds it (esbuild.mjs --production, its plugins and
  // options included): what ships is what is measured. It runs in a scratch directory that links to
  // the sources, so the developer's dist/ is left alone.
  const scratch = path.join(outDir, 'build');
  mkdirSync(scratch);
  for (const name of ['client', 'server', 'media', 'node_modules', 'package.json', 'tsconfig.json', 'esbuild.mjs']) {
    symlinkSync(path.join(ROOT, name), path.join(scratch, name));
  }
  const built = spawnSync(process.execPath, ['esbuild.mjs', ...(production ? ['--production'] : [])], { cwd: scratch, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`esbuild.mjs --production failed: ${built.stderr || built.stdout}`);
  const server = path.join(outDir, 'server.js');
  copyFileSync(path.join(scratch, 'dist', 'server.js'), server);
  const floor = path.join(outDir, 'floor.js');
  await build({ bundle: true, minify: production, legalComments: 'none', platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', absWorkingDir: ROOT, entryPoints: ['bench/proxy/floor.ts'], outfile: floor });
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

/** An upstream, the floor and `switchyard proxy` in front of it: the arms of one phase family. */
async function startTrio(
  work: string,
  bundles: { server: string; floor: string },
  opts: { name: string; upstreamArgs?: string[]; profileDir?: string },
): Promise<{ arms: Arm[]; upstream: { baseUrl: string; key: string } }> {
  const { profileDir } = opts;
  const up = await spawnReady(`fake upstream${opts.name}`, ['--import', 'tsx', 'test/fakes/serve.ts', '--only', 'openai-compatible', '--json', ...(opts.upstreamArgs ?? [])], (s) => {
    const line = firstLine(s);
    return line ? (JSON.parse(line)['openai-compatible'] as { baseUrl: string; key: string }) : undefined;
  });
  const upstream = new URL(up.value.baseUrl);
  const key = up.value.key;
  const bearer = { authorization: `Bearer ${key}` };
  const arms: Arm[] = [{ name: 'direct', origin: upstream.origin, path: '/v1/chat/completions', headers: bearer, pid: undefined }];

  const prof = (name: string) => (profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.join(profileDir, name)] : []);
  const floor = await spawnReady(`floor${opts.name}`, [...prof('floor'), bundles.floor, upstream.origin], (s) => firstLine(s) && (JSON.parse(firstLine(s)!).url as string));
  arms.push({ name: 'floor', origin: floor.value, path: '/v1/chat/completions', headers: bearer, pid: floor.child.pid });

  const config = path.join(work, `switchyard${opts.name}.json`);
  // A daily budget the run never reaches (it spends well under a dollar): every request's budget
  // check evaluates a real limit, as it does for anyone who sets one.
  const gateways = [{ id: 'bench', kind: 'openai-compatible', baseUrl: up.value.baseUrl, apiKeyEnv: 'BENCH_UPSTREAM_KEY' }];
  writeFileSync(config, JSON.stringify({ gateways, budget: { daily: 1000 } }));
  const sy = await spawnReady(
    `switchyard proxy${opts.name}`,
    [...prof('switchyard'), bundles.server, 'proxy', '--port', '0', '--token', TOKEN, '--config', config, '--data-dir', path.join(work, `data${opts.name}`)],
    firstLine,
    { BENCH_UPSTREAM_KEY: key, SWITCHYARD_DEBUG: '' },
  );
  const syOrigin = new URL(sy.value).origin;
  await waitForModel(syOrigin);
  arms.push({ name: 'switchyard', origin: syOrigin, path: '/v1/chat/completions', headers: { authorization: `Bearer ${TOKEN}` }, pid: sy.child.pid });
  return { arms, upstream: up.value };
}

/**
 * Between two streamed chunks the paced upstream waits this long (a model producing ~50 tokens/s in
 * 8-character chunks): sixteen live streams then leave the machine mostly idle, so the time to first
 * byte is the proxy's own, not a queue behind other streams' events (the unpaced c=16 phase).
 */
const PACED_CHUNK_MS = 20;
/** The pause before each arm's paced round (see measure). */
const PACED_PAUSE_MS = 1_000;

async function startArms(work: string, bundles: { server: string; floor: string }, opts: { profileDir?: string; portkey?: boolean; paced?: boolean } = {}): Promise<Arm[]> {
  const { arms, upstream: up } = await startTrio(work, bundles, { name: '', profileDir: opts.profileDir });
  const bearer = { authorization: `Bearer ${up.key}` };
  if (opts.paced) {
    const paced = await startTrio(work, bundles, { name: ' (paced)', upstreamArgs: ['--stream-chunk-delay-ms', String(PACED_CHUNK_MS)] });
    for (const a of arms) a.paced = paced.arms.find((p) => p.name === a.name);
  }
  if (opts.portkey === false) return arms;

  try {
    const port = await freePort();
    const pk = await spawnReady('portkey', ['bench/proxy/portkey.mjs', `--port=${port}`], (s) => (s.includes('Ready for connections') ? true : undefined));
    arms.push({
      name: 'portkey',
      origin: `http://127.0.0.1:${port}`,
      path: '/v1/chat/completions',
      headers: { ...bearer, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': up.baseUrl },
      pid: pk.child.pid,
    });
  } catch (e) {
    arms.push({ name: 'portkey', origin: '', path: '', headers: {}, skipped: e instanceof Error ? e.message : String(e) });
  }
  return arms;
}

/** Five, not three: on this VM one phase's figures move by ± 10 % and more from round to round, and the
 * ratios the targets name are read from medians. */
const ROUNDS = 5;
/** Seconds per wrk run; every arm runs every phase once per round. */
const WRK_SECONDS = 2;
/** Seconds of wrk at c=16 that warm each server up before the first measured phase (see measure). */
const WARM_SECONDS = 3;
/** The non-streaming phases (wrk): concurrency and body. */
const WRK_PHASES = {
  c1: { connections: 1, body: CHAT },
  c4: { connections: 4, body: CHAT },
  c16: { connections: 16, body: CHAT },
  c64: { connections: 64, body: CHAT },
  // Four times the proxy's default concurrency (64): the rest wait in its admission line.
  c256: { connections: 256, body: CHAT },
  mid16: { connections: 16, body: MID },
  big16: { connections: 16, body: BIG },
  huge16: { connections: 16, body: HUGE },
} as const;
type WrkPhase = keyof typeof WRK_PHASES & WrkPhaseName;

/** Rounds of one phase: requests and time add up; percentiles are the median of the rounds'. */
function mergeWrk(a: WrkResult | undefined, b: WrkResult): WrkResult & { p50s?: number[]; p99s?: number[] } {
  const prev = a as (WrkResult & { p50s?: number[]; p99s?: number[] }) | undefined;
  const p50s = [...(prev?.p50s ?? []), b.p50];
  const p99s = [...(prev?.p99s ?? []), b.p99];
  const requests = (a?.requests ?? 0) + b.requests;
  const errors = (a?.errors ?? 0) + b.errors;
  const seconds = (a?.seconds ?? 0) + b.seconds;
  return { requests, errors, seconds, rps: (requests - errors) / seconds, p50: median(p50s), p99: median(p99s), p50s, p99s, generatorCpuMs: (a?.generatorCpuMs ?? 0) + b.generatorCpuMs };
}

const median = (xs: number[]) => percentile(xs, 50);

function merge(a: SseResult | undefined, b: SseResult): SseResult {
  if (!a) return b;
  const done = a.done + b.done;
  const wallMs = a.wallMs + b.wallMs;
  return {
    done,
    errors: a.errors + b.errors,
    firstError: a.firstError ?? b.firstError,
    wallMs,
    rps: (done / wallMs) * 1000,
    latencies: a.latencies.concat(b.latencies),
    full: a.full.concat(b.full),
    clientCpuMs: a.clientCpuMs + b.clientCpuMs,
  };
}

const slice = (p: { requests: number; concurrency: number; maxMs: number }) => ({ ...p, requests: Math.ceil(p.requests / ROUNDS), maxMs: p.maxMs / ROUNDS });

/** An arm's process CPU (/proc) over the runs of one phase, and the requests it served in them. */
class CpuTally {
  private readonly by = new Map<Arm, { ms: number; requests: number }>();

  /** One run that started when the arm's CPU time read `before` (ms) and served `requests`. */
  add(a: Arm, before: number | undefined, requests: number): void {
    const after = cpuMs(a.pid);
    if (before === undefined || after === undefined) return;
    const c = this.by.get(a) ?? { ms: 0, requests: 0 };
    this.by.set(a, { ms: c.ms + after - before, requests: c.requests + requests });
  }

  perRequest(a: Arm): number | undefined {
    const c = this.by.get(a);
    return c?.requests ? c.ms / c.requests : undefined;
  }
}

/** A streaming phase with the C client (bench/proxy/sse-load.c), and that client's own CPU per request. */
async function streamPhase(client: { bin: string; dir: string }, a: Arm, phase: { requests: number; concurrency: number; maxMs: number; staggerMs?: number }, clientCpu: { ms: number; requests: number }): Promise<SseResult> {
  const r = await runSse(client.bin, client.dir, a, STREAM, { ...slice(phase), staggerMs: phase.staggerMs });
  clientCpu.ms += r.clientCpuMs;
  clientCpu.requests += r.done;
  return r;
}

async function measure(arms: Arm[], work: string): Promise<{ generatorCpuPerRequestMs: number; streamClientCpuPerRequestMs: number }> {
  const live = arms.filter((a) => !a.skipped);
  const sse = { bin: buildSseLoad(work), dir: work };
  for (const a of live) a.idleRss = memMiB(a.pid).rss;
  // Every server warm before anything is measured (the upstreams too): its hot code optimised by
  // V8, as in a proxy that has run for a while. A few hundred requests were not enough: the paced
  // arms, which see no other load, measured their time to first byte mostly in V8's baseline tiers
  // (the paced upstream itself 0.8 ms, warm 0.45).
  for (const a of live) {
    for (const arm of a.paced ? [a, a.paced] : [a]) await runWrk(work, arm, CHAT, WRK_PHASES.c16.connections, WARM_SECONDS);
  }
  for (const a of live.filter((x) => x.name !== 'portkey')) {
    await runSse(sse.bin, sse.dir, a, STREAM, PHASES.warmStreams);
    if (a.paced) await runSse(sse.bin, sse.dir, a.paced, STREAM, PHASES.warmPaced);
  }
  // Paced streams all last about as long: started together they would also end, and start again,
  // together — sixteen requests at once, each first byte queued behind fifteen others. Spread over
  // one stream's length they arrive as independent clients' do.
  const pacedDirect = live.find((a) => a.name === 'direct')?.paced;
  const one = pacedDirect && (await runSse(sse.bin, sse.dir, pacedDirect, STREAM, { requests: 5, concurrency: 1, maxMs: 5_000 }));
  const paced16 = { ...PHASES.paced16, staggerMs: one ? percentile(one.full, 50) / PHASES.paced16.concurrency : 0 };
  // Each phase in rounds, every arm in turn within a round, so drift in the machine's load (it is
  // shared) touches all of them alike.
  const cpu = new CpuTally();
  const streamCpu = new CpuTally();
  const generator = { ms: 0, requests: 0 };
  const client = { ms: 0, requests: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    for (const phase of Object.keys(WRK_PHASES) as WrkPhase[]) {
      const { connections, body } = WRK_PHASES[phase];
      for (const a of live) {
        const before = cpuMs(a.pid);
        const r = await runWrk(work, a, body, connections, WRK_SECONDS);
        if (phase === 'c16') cpu.add(a, before, r.requests);
        generator.ms += r.generatorCpuMs;
        generator.requests += r.requests;
        a.wrk = { ...a.wrk, [phase]: mergeWrk(a.wrk?.[phase], r) };
        // The high-water mark once the first c=64 phase is over (what came before: the warm-up, c=1,
        // c=4, c=16), and at the end of the run (c=256 and 1 MB bodies included).
        if (phase === 'c64' && round === 0) a.peakRss = memMiB(a.pid).peak;
      }
    }
    for (const a of live.filter((x) => x.name !== 'portkey')) {
      a.stream = merge(a.stream, await streamPhase(sse, a, PHASES.stream, client));
      const before = cpuMs(a.pid);
      const r16 = await streamPhase(sse, a, PHASES.stream16, client);
      streamCpu.add(a, before, r16.done);
      a.stream16 = merge(a.stream16, r16);
    }
    // The paced rounds last, each after a second's pause: run straight after the same arm's
    // saturated c=16 phase, a round measured what that phase left behind as well (the garbage and
    // ledger pages of 2,400 streams, the proxy's more than the floor's; README "Proxy benchmark").
    for (const a of live.filter((x) => x.paced)) {
      await new Promise((r) => setTimeout(r, PACED_PAUSE_MS));
      a.paced16 = merge(a.paced16, await streamPhase(sse, a.paced!, paced16, client));
    }
  }
  for (const a of live) {
    a.runPeakRss = memMiB(a.pid).peak;
    a.cpuPerRequestMs = cpu.perRequest(a);
    a.cpuPerStreamMs = streamCpu.perRequest(a);
  }
  return { generatorCpuPerRequestMs: generator.ms / generator.requests, streamClientCpuPerRequestMs: client.ms / client.requests };
}

/** `--profile`: the floor and Switchyard, each under `--cpu-prof`, each driven at c=16 for PROFILE_SECONDS. */
const PROFILE_SECONDS = 10;

async function profile(work: string, bundles: { server: string; floor: string }, body: string): Promise<void> {
  const dir = path.join(work, 'profile');
  mkdirSync(dir);
  // A sampled stack is charged with the time until the next sample, so a process that other
  // processes preempt (on 2 cores: wrk and the upstream) shows inflated system calls — the points
  // where the kernel switches it out. With taskset the profiled proxy gets core 1 to itself and
  // everything else (this script, the upstream, wrk: children inherit it) shares core 0.
  const pin = cpus().length >= 2 && spawnSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)]).status === 0;
  const arms = await startArms(work, bundles, { profileDir: dir, portkey: false });
  const measured: { arm: Arm; file: string; bundle: string; requests: number; cpuMs: number }[] = [];
  for (const name of ['floor', 'switchyard'] as const) {
    const arm = arms.find((a) => a.name === name)!;
    if (pin) spawnSync('taskset', ['-a', '-p', '-c', '1', String(arm.pid)]);
    await runLoad(arm, body, PHASES.warmup);
    const before = cpuMs(arm.pid);
    const r = await runWrk(work, arm, body, WRK_PHASES.c16.connections, PROFILE_SECONDS);
    const used = (cpuMs(arm.pid) ?? NaN) - (before ?? NaN);
    const child = children.find((c) => c.pid === arm.pid)!;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    measured.push({ arm, file: findProfile(path.join(dir, name)), bundle: name === 'floor' ? bundles.floor : bundles.server, requests: r.requests, cpuMs: used });
    console.log(`${name} under wrk c=16 for ${PROFILE_SECONDS} s${pin ? ' (pinned to core 1)' : ''}: ${r.rps.toFixed(0)} req/s, ${(used / r.requests).toFixed(3)} ms CPU per request (the profiler included)`);
  }
  const [floor, sy] = measured;
  const out = path.join(ROOT, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  copyFileSync(sy.file, path.join(out, 'proxy.cpuprofile'));
  copyFileSync(floor.file, path.join(out, 'floor.cpuprofile'));
  console.log('\nSwitchyard, self time by function:\n');
  console.log(profileMarkdown(summarizeProfile(sy.file, work)));
  // Per request, module by module, against the floor: where the extra CPU goes. Idle is left out.
  const perRequest = (m: (typeof measured)[number]) => new Map(byModule(m.file, m.bundle, true).map((e) => [e.name, e.us / m.requests]));
  const a = perRequest(floor);
  const b = perRequest(sy);
  const names = [...new Set([...a.keys(), ...b.keys()])].filter((n) => n !== '(idle)').sort((x, y) => (b.get(y) ?? 0) - (a.get(y) ?? 0) - ((b.get(x) ?? 0) - (a.get(x) ?? 0)));
  const total = (m: Map<string, number>) => [...m].filter(([n]) => n !== '(idle)').reduce((s, [, v]) => s + v, 0);
  console.log('\nCPU per request by module (µs of samples, idle left out), Switchyard against the floor:\n');
  console.log(['| module | floor | Switchyard | extra |', '| --- | --- | --- | --- |', `| **all** | ${total(a).toFixed(1)} | ${total(b).toFixed(1)} | ${(total(b) - total(a)).toFixed(1)} |`, ...names.slice(0, 35).map((n) => `| ${n} | ${(a.get(n) ?? 0).toFixed(1)} | ${(b.get(n) ?? 0).toFixed(1)} | ${((b.get(n) ?? 0) - (a.get(n) ?? 0)).toFixed(1)} |`)].join('\n'));
  console.log(`\nProfiles: bench/results/proxy.cpuprofile, bench/results/floor.cpuprofile`);
}

/**
 * `--quick`: the development loop's figure — floor and Switchyard only, wrk at c=1 and c=16, five
 * rounds of 2 s, alternating; prints medians of req/s, CPU per request and added p50 (production
 * bundle).
 */
const QUICK_ROUNDS = 5;
async function quick(work: string, bundles: { server: string; floor: string }): Promise<void> {
  const arms = await startArms(work, bundles, { portkey: false });
  for (const a of arms) await runLoad(a, CHAT, PHASES.warmup);
  const rows = new Map<Arm, { c1: number[]; c16: number[]; cpu: number[] }>();
  for (let round = 0; round < QUICK_ROUNDS; round++) {
    for (const a of arms) {
      const row = rows.get(a) ?? { c1: [], c16: [], cpu: [] };
      rows.set(a, row);
      row.c1.push((await runWrk(work, a, CHAT, 1, 2)).p50);
      const before = cpuMs(a.pid);
      const r = await runWrk(work, a, CHAT, 16, 2);
      const after = cpuMs(a.pid);
      row.c16.push(r.rps);
      if (before !== undefined && after !== undefined) row.cpu.push((after - before) / r.requests);
    }
  }
  const base = rows.get(arms[0])!;
  const floor = rows.get(arms[1])!;
  console.log('| arm | req/s c=16 (rounds) | vs floor | CPU / request (ms) | added p50 c=1 (ms) | vs floor |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const a of arms) {
    const r = rows.get(a)!;
    const added = median(r.c1) - median(base.c1);
    console.log(
      `| ${a.name} | ${median(r.c16).toFixed(0)} (${r.c16.map((x) => x.toFixed(0)).join(', ')}) | ${(median(r.c16) / median(floor.c16)).toFixed(2)} | ${r.cpu.length ? median(r.cpu).toFixed(3) : '—'} | ${a === arms[0] ? `baseline ${median(r.c1).toFixed(3)}` : added.toFixed(3)} | ${a === arms[0] ? '' : (added / (median(floor.c1) - median(base.c1))).toFixed(2)} |`,
    );
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const work = mkdtempSync(path.join(tmpdir(), 'switchyard-bench-proxy-'));
  try {
    ensureWrk();
    // The profile runs the development bundle: the same code unminified, so functions keep their lines.
    const profiling = process.argv.includes('--profile');
    const bundles = await bundle(work, !profiling);
    // `--profile --stream`: the same for streamed answers (wrk reads the chunked stream to its end);
    // `--profile --huge`: with the curve's ≈ 1 MB request body.
    if (profiling) return await profile(work, bundles, process.argv.includes('--stream') ? STREAM : process.argv.includes('--huge') ? HUGE : CHAT);
    if (process.argv.includes('--quick')) return await quick(work, bundles);
    const arms = await startArms(work, bundles, { paced: true });
    const generators = await measure(arms, work);
    const summary = { ...summarize(arms), generators };
    const out = path.join(ROOT, 'bench', 'results');
    mkdirSync(out, { recursive: true });
    const machine = { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg(), node: process.version };
    writeFileSync(path.join(out, 'proxy.json'), JSON.stringify({ at: new Date().toISOString(), machine, phases: { ...PHASES, wrk: Object.fromEntries(Object.entries(WRK_PHASES).map(([k, v]) => [k, { connections: v.connections, bodyBytes: v.body.length }])), wrkSeconds: WRK_SECONDS, warmSeconds: WARM_SECONDS, rounds: ROUNDS }, ...summary }, null, 2) + '\n');
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
