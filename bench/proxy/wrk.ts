// The non-streaming load of the proxy benchmark, driven by wrk (C, epoll, keep-alive): a Node load
// generator sharing the cores with the proxy and the upstream was itself the cap (~2.9k req/s here
// while wrk drives the same floor at 19k-25k). wrk runs for a fixed time per phase; its Lua `done`
// hook prints the figures as one JSON line. Its own CPU time is read from /proc/self/stat (the
// children's time a parent has waited for), so the report can show what the generator cost.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Target } from './load';
import { aptInstall } from './apt';

export const WRK = '/usr/bin/wrk';

export interface WrkResult {
  requests: number;
  /** Non-2xx answers plus socket errors (connect, read, write, timeout). */
  errors: number;
  seconds: number;
  rps: number;
  /** Whole-response latency percentiles, ms. */
  p50: number;
  p99: number;
  /** wrk's own CPU time for the run, ms (user + system). */
  generatorCpuMs: number;
}

/**
 * wrk on PATH at WRK, installed with apt when it is missing and we are root; otherwise a clear
 * refusal. The benchmark never falls back to a slower generator: its figures would be the
 * generator's.
 */
export function ensureWrk(): void {
  if (!existsSync(WRK)) aptInstall(['wrk'], 'wrk is missing (the benchmark needs a load generator that is not the bottleneck)');
  if (existsSync(WRK)) return;
  throw new Error(`the proxy benchmark needs wrk at ${WRK} (Debian/Ubuntu: \`apt-get install wrk\`, as root); it does not fall back to a Node load generator, which caps the figures`);
}

/** A Lua script for one arm and body: POST with its headers, results as one JSON line at the end. */
function script(dir: string, name: string, t: Target, body: string): string {
  const file = path.join(dir, `wrk-${name}-${body.length}.lua`);
  const headers = { 'content-type': 'application/json', ...t.headers };
  const lua = [
    'wrk.method = "POST"',
    `wrk.body = ${luaString(body)}`,
    ...Object.entries(headers).map(([k, v]) => `wrk.headers[ ${luaString(k)} ] = ${luaString(v)}`),
    'function done(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format(\'\\nWRK {"requests":%d,"errors":%d,"us":%d,"p50":%d,"p99":%d}\\n\',',
    '    summary.requests, e.status + e.connect + e.read + e.write + e.timeout, summary.duration,',
    '    latency:percentile(50), latency:percentile(99)))',
    'end',
  ].join('\n');
  writeFileSync(file, lua);
  return file;
}

/** A Lua long string cannot be closed early by any JSON we send (it never contains "]==]"). */
function luaString(s: string): string {
  if (s.includes(']==]')) throw new Error('the benchmark body must not contain ]==]');
  return `[==[${s}]==]`;
}

/** Children's CPU time this process has reaped so far (cutime + cstime), ms. */
function reapedChildrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** One wrk run: `connections` keep-alive connections over at most 2 threads, for `seconds`. */
export function runWrk(dir: string, t: Target, body: string, connections: number, seconds: number): Promise<WrkResult> {
  const lua = script(dir, t.name, t, body);
  const threads = Math.min(2, connections);
  const args = ['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`, '--timeout', '10s', '-s', lua, `${t.origin}${t.path}`];
  const cpuBefore = reapedChildrenCpuMs();
  return new Promise((resolve, reject) => {
    const child = spawn(WRK, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = /^WRK (\{.*\})$/m.exec(out)?.[1];
      if (code !== 0 || !line) return reject(new Error(`wrk failed (${code}) against ${t.name}: ${out.trim().slice(-500)}`));
      const r = JSON.parse(line) as { requests: number; errors: number; us: number; p50: number; p99: number };
      const seconds = r.us / 1e6;
      resolve({
        requests: r.requests,
        errors: r.errors,
        seconds,
        rps: (r.requests - r.errors) / seconds,
        p50: r.p50 / 1000,
        p99: r.p99 / 1000,
        generatorCpuMs: reapedChildrenCpuMs() - cpuBefore,
      });
    });
  });
}
