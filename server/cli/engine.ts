// V8 settings for `switchyard proxy`, a process that may idle for days next to the person's other
// work. Imported first by server/main.ts so they apply before any other module's top-level code
// allocates (the bundle's module initialisation is where the young generation would first grow).
// Measured with `npm run bench:proxy` (README "Proxy benchmark"); other subcommands keep V8's defaults.
import { setFlagsFromString } from 'node:v8';

if (process.argv[2] === 'proxy') {
  for (const flag of [
    // The young generation stays at its initial 1 MiB semi-space while the bundle initialises and
    // the first catalog loads (their objects live on, and would grow it to 16 MiB for good): the
    // process idles ~6 MiB lower. Growth is allowed again once started (proxyStarted below).
    '--semi-space-growth-factor=1',
    // undici parses HTTP with llhttp compiled to WebAssembly. V8 first compiles it with its baseline
    // compiler (Liftoff), then again with TurboFan once hot, on background threads whose malloc
    // arenas keep ~9 MiB resident for good. Liftoff alone costs nothing measurable here (parsing a
    // response head is a tiny part of a request). WebAssembly only, never JavaScript.
    '--liftoff-only',
  ]) {
    try {
      setFlagsFromString(flag);
    } catch {
      // an engine without the flag: keep its default
    }
  }
}

/**
 * Called once the proxy listens and its first catalog load has settled: the young generation may
 * grow again (V8's default factor). Under load a 1 MiB semi-space is far too small — every
 * in-flight request's body survives a scavenge and is promoted, and garbage collection took ~40 %
 * of the CPU with 100 kB request bodies (README "Proxy benchmark"); grown, throughput with those
 * bodies rose ~1.7× and with small ones ~1.5×, without a higher peak RSS.
 */
export function proxyStarted(): void {
  try {
    setFlagsFromString('--semi-space-growth-factor=2');
  } catch {
    // an engine without the flag: nothing was changed at startup either
  }
}
