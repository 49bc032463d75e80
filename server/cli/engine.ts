// V8 settings for `switchyard proxy`, a process that may idle for days next to the person's other
// work. Imported first by server/main.ts so they apply before any other module's top-level code
// allocates (the bundle's module initialisation is where the young generation would first grow).
// Measured with `npm run bench:proxy` (README "Proxy benchmark"); other subcommands keep V8's defaults.
import { setFlagsFromString } from 'node:v8';

if (process.argv[2] === 'proxy') {
  for (const flag of [
    // The young generation stays at its initial 1 MiB semi-space instead of growing to 16 MiB: a
    // proxied request's garbage dies young, so scavenges stay cheap, and the process idles (and
    // peaks under load) several MiB lower.
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
