// The proxy's address flags, read one way by `switchyard proxy` and by `switchyard env` (which prints
// what that proxy, run with the same flags, is reached by).
import { UsageError } from '../core/errors';
import { isLoopbackBindAddress } from '../proxy/guards';

/** `--host`: a loopback address only (brackets around an IPv6 one allowed); 127.0.0.1 by default. */
export function hostFlag(v: string | boolean | undefined): string {
  const host = typeof v === 'string' ? v.replace(/^\[(.*)\]$/, '$1') : '127.0.0.1';
  if (!isLoopbackBindAddress(host)) {
    throw new UsageError(`--host must be a loopback address (127.0.0.1, ::1 or localhost); "${host}" would expose the proxy to the network`);
  }
  return host;
}

/** `--port`: 0 to 65535 (0 = any free port), `fallback` when absent. */
export function portFlag(v: string | boolean | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d{1,5}$/.test(v) || n > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got "${String(v)}"`);
  return n;
}
