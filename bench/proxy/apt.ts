// The proxy benchmark's tools that are not npm packages (wrk, a C compiler) come from Debian's
// packages: installed here when missing and we may (root, apt-get present); otherwise the caller
// refuses with a message saying what to install. Never a silent fallback to a slower tool.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** apt-get update && install `packages`, saying why on stderr; does nothing when not root or without apt. */
export function aptInstall(packages: string[], why: string): void {
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) return;
  console.error(`${why}; installing ${packages.join(' ')} with apt-get`);
  for (const args of [['update'], ['install', '-y', ...packages]]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) break;
  }
}
