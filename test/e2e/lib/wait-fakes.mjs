// @ts-check
// run.sh helper: waits for the fake gateways' ready line — one JSON object { "<kind>": { baseUrl, key }, … }
// printed by test/fakes/serve.ts once all five listen — and saves it to DEST.
// Usage: node lib/wait-fakes.mjs STDOUT_FILE PID_FILE|- DEST [timeout_ms]   (- : do not watch a pid)
import fs from 'node:fs';
import { pollUntil } from './util.mjs';
import { readFakes } from './profiles.mjs';

const [stdoutFile, pidFile, dest, timeout = '60000'] = process.argv.slice(2);
const alive = () => {
  if (pidFile === '-' || !fs.existsSync(pidFile)) return true; // no pid to watch, or not spawned yet
  try {
    process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 0);
    return true;
  } catch {
    return false;
  }
};
try {
  const line = await pollUntil(
    () => {
      const text = fs.existsSync(stdoutFile) ? fs.readFileSync(stdoutFile, 'utf8') : '';
      const first = text.split('\n').find((l, i, all) => l.trim().startsWith('{') && i < all.length - 1); // complete lines only
      if (first) return first;
      if (!alive()) throw Object.assign(new Error('the fake gateways exited before printing their addresses'), { fatal: true });
      return undefined;
    },
    { timeoutMs: Number(timeout), intervalMs: 100, what: 'the fake gateways ready line on stdout' },
  );
  fs.writeFileSync(dest, line);
  readFakes(dest); // validates the contract (all five kinds with a baseUrl)
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
