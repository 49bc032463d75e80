// The streaming phases' client: bench/proxy/sse-load.c, built here with the system C compiler (gcc
// is installed with apt when it is missing and we are root). A Node client cost 0.3-0.4 ms of CPU
// per streamed request on this machine, more than the proxies it measured, and it shared their two
// cores; this one costs a fraction of that, and its own CPU time is reported with the figures.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { LoadResult, Target } from './load';
import { aptInstall } from './apt';

const SOURCE = path.join(__dirname, 'sse-load.c');

export interface SseResult extends LoadResult {
  /** Milliseconds from the request to the end of each answer (the whole stream). */
  full: number[];
  /** The client's own CPU time for the run, ms (user + system, from getrusage). */
  clientCpuMs: number;
}

function hasCompiler(): boolean {
  return spawnSync('cc', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Compiles the client into `dir` and returns its path. A missing compiler is installed with apt when
 * we may (bench/proxy/apt.ts); otherwise a clear refusal (the benchmark does not fall back to the Node client).
 */
export function buildSseLoad(dir: string): string {
  if (!hasCompiler()) aptInstall(['gcc', 'libc6-dev'], 'a C compiler is missing (the streaming phases use a C client)');
  if (!hasCompiler()) throw new Error('the proxy benchmark builds its streaming client with a C compiler (`cc`); install one (Debian/Ubuntu: `apt-get install gcc libc6-dev`, as root)');
  const out = path.join(dir, 'sse-load');
  const r = spawnSync('cc', ['-O2', '-o', out, SOURCE], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot build ${SOURCE}: ${r.stderr || r.stdout}`);
  return out;
}

/**
 * One run: `requests` streamed POSTs over `concurrency` keep-alive connections, at most `maxMs`;
 * with `staggerMs`, connection i starts i × that late (streams of equal length then stay spread out
 * instead of arriving sixteen at a time).
 */
export function runSse(bin: string, dir: string, t: Target, body: string, opts: { requests: number; concurrency: number; maxMs: number; staggerMs?: number }): Promise<SseResult> {
  const url = new URL(t.origin);
  const headers = path.join(dir, `sse-${t.name.replace(/\W+/g, '-')}-${url.port}.headers`);
  writeFileSync(headers, Object.entries(t.headers).map(([k, v]) => `${k}: ${v}\r\n`).join(''));
  const bodyFile = path.join(dir, `sse-body-${body.length}.json`);
  writeFileSync(bodyFile, body);
  const args = [url.hostname, url.port, t.path, headers, bodyFile, String(opts.concurrency), String(opts.requests), String(opts.maxMs)];
  if (opts.staggerMs) args.push(opts.staggerMs.toFixed(3));
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`sse-load failed (${code}) against ${t.name}: ${(err || out).trim().slice(-500)}`));
      const r = JSON.parse(out) as { done: number; errors: number; firstError: string; wallMs: number; cpuMs: number; ttfb: number[]; total: number[] };
      resolve({
        done: r.done,
        errors: r.errors,
        firstError: r.firstError || undefined,
        wallMs: r.wallMs,
        rps: (r.done / r.wallMs) * 1000,
        latencies: r.ttfb,
        full: r.total,
        clientCpuMs: r.cpuMs,
      });
    });
  });
}
