// Load generation and process measurements for the proxy benchmark: a fixed number of requests
// (bounded in time) at a given concurrency over one undici Pool (warm-ups only: the measured phases
// use wrk and bench/proxy/sse-load.c), latency per request, and a process's CPU time and memory
// from /proc (Linux).
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';

export interface Target {
  name: string;
  origin: string;
  path: string;
  headers: Record<string, string>;
  /** Its process, for CPU and memory (undefined: not measured). */
  pid?: number;
}

export interface LoadResult {
  done: number;
  errors: number;
  firstError?: string;
  wallMs: number;
  rps: number;
  /** Milliseconds per request: the whole response (for sse-load, the time to the first body byte). */
  latencies: number[];
}

export async function runLoad(
  t: Target,
  body: string,
  opts: { requests: number; concurrency: number; maxMs: number },
): Promise<LoadResult> {
  const pool = new Pool(t.origin, { connections: opts.concurrency, keepAliveTimeout: 30_000 });
  const latencies: number[] = [];
  let issued = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + opts.maxMs;
  const worker = async () => {
    while (issued < opts.requests && performance.now() < deadline) {
      issued++;
      const t0 = performance.now();
      try {
        const r = await pool.request({ method: 'POST', path: t.path, headers: { 'content-type': 'application/json', ...t.headers }, body });
        await r.body.dump();
        if (r.statusCode !== 200) throw new Error(`HTTP ${r.statusCode}`);
        latencies.push(performance.now() - t0);
      } catch (e) {
        errors++;
        firstError ??= e instanceof Error ? e.message : String(e);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const wallMs = performance.now() - started;
  await pool.close();
  return { done: latencies.length, errors, firstError, wallMs, rps: (latencies.length / wallMs) * 1000, latencies };
}

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** User + system CPU time of a process so far, in ms; undefined where /proc is not available. */
export function cpuMs(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

/** Resident memory now and its peak (VmRSS, VmHWM) in MiB. */
export function memMiB(pid: number | undefined): { rss?: number; peak?: number } {
  if (!pid) return {};
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return {};
  }
}
