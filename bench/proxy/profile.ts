// `npm run bench:proxy -- --profile`: where `switchyard proxy` spends its main thread under load.
// The proxy runs from the production bundle with `node --cpu-prof`, wrk drives it at c=16 for a fixed
// time, the proxy is stopped with SIGTERM (it exits cleanly, so V8 writes the profile) and the samples
// are summed by function (self time), with V8's own buckets — (idle), (garbage collector),
// (program) — kept apart. Prints the top entries as a Markdown table and writes the raw .cpuprofile
// next to bench/results/proxy.json for a flame view (Chrome DevTools, speedscope).
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

/** The newest .cpuprofile V8 wrote into `dir`. */
export function findProfile(dir: string): string {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  if (!files.length) throw new Error(`no .cpuprofile in ${dir}: the proxy did not exit cleanly`);
  return path.join(dir, files[files.length - 1]!);
}

/** Calls `add` with each sample's node and the time charged to it (µs); returns the total. */
function eachSample(file: string, add: (n: ProfileNode, us: number) => void): number {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const n = byId.get(p.samples[i]!);
    const dt = p.timeDeltas[i] ?? 0;
    if (!n || dt < 0) continue;
    total += dt;
    add(n, dt);
  }
  return total;
}

/** Self time per function (name + file:line), largest first; shares are of all samples, idle included. */
export function summarizeProfile(file: string, bundleDir: string): { totalMs: number; entries: ProfileEntry[] } {
  const self = new Map<string, { name: string; where: string; us: number }>();
  const total = eachSample(file, (n, dt) => {
    const f = n.callFrame;
    const url = f.url.startsWith('file://') ? f.url.slice(7) : f.url;
    const where = url ? `${path.relative(bundleDir, url) || url}:${f.lineNumber + 1}` : '';
    const name = f.functionName || (url ? '(anonymous)' : '(native)');
    const key = `${name}@${where}`;
    const e = self.get(key) ?? { name, where, us: 0 };
    e.us += dt;
    self.set(key, e);
  });
  const entries = [...self.values()]
    .sort((a, b) => b.us - a.us)
    .map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1000, share: e.us / total }));
  return { totalMs: total / 1000, entries };
}

/**
 * Self time by source module: esbuild's development bundle marks where each input file starts with a
 * `// <path>` comment line, so a sample's line in the bundle names its module (ours or a dependency's).
 * Node's own internals are grouped by their `node:` URL, V8's buckets by name.
 */
export function byModule(file: string, bundle: string, nodeByFunction = false): { name: string; share: number; us: number }[] {
  const starts: { line: number; module: string }[] = [];
  readFileSync(bundle, 'utf8').split('\n').forEach((text, i) => {
    // The bench builds from a folder of symlinks, so the paths may start with ../../<the checkout>/.
    const m = /^\/\/ (?:.*?\/)??((?:node_modules|server|client)\/\S+)$/.exec(text);
    if (m) starts.push({ line: i, module: m[1]!.replace(/^node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, '$1') });
  });
  const moduleAt = (line: number): string => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = '(bundle prelude)';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]!.line <= line) {
        found = starts[mid]!.module;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
  const sums = new Map<string, number>();
  const total = eachSample(file, (n, dt) => {
    const { url, functionName, lineNumber } = n.callFrame;
    // With nodeByFunction, Node's internals are named by function too (module:function), finer for a comparison.
    const name = url.endsWith(path.basename(bundle)) ? moduleAt(lineNumber) : url.startsWith('node:') ? (nodeByFunction ? `${url} ${functionName}` : url) : functionName || '(native)';
    sums.set(name, (sums.get(name) ?? 0) + dt);
  });
  return [...sums].map(([name, us]) => ({ name, us, share: us / total })).sort((a, b) => b.share - a.share);
}

export function profileMarkdown(s: { totalMs: number; entries: ProfileEntry[] }, top = 25): string {
  const rows = s.entries.slice(0, top).map((e) => `| ${(e.share * 100).toFixed(1)} % | ${e.selfMs.toFixed(0)} | \`${e.name}\` | ${e.where.replace(/\|/g, '\\|')} |`);
  return ['| share | self ms | function | where |', '| --- | --- | --- | --- |', ...rows].join('\n') + `\n\n${(s.totalMs / 1000).toFixed(1)} s of samples.`;
}
