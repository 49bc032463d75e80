// Runs every fake gateway on 127.0.0.1 until SIGINT/SIGTERM, for end-to-end tests and the demo:
//
//   npx tsx test/fakes/serve.ts [--port-base N] [--json] [--fixed-keys] [--models N] [--stream-chunk-delay-ms N] [--only kind,kind]
//
// Once all are listening it prints ONE line of JSON on stdout — the ready signal scripts wait for:
//   {"nemorouter":{"baseUrl":"http://127.0.0.1:PORT/v1","key":"sk-nemo-…"},…,"bifrost":{…,"key":null}}
// Without --json a readable summary follows on stderr. --port-base N uses ports N, N+1, … in the
// order nemorouter, openrouter, arouter, bifrost, openai-compatible (default: OS-chosen ports).
// --fixed-keys uses stable demo keys (sk-nemo-demo…) instead of random ones; --models N replaces
// every catalog with N generated models (scale demos); --stream-chunk-delay-ms N spaces streamed chunks
// (a long answer then takes long enough to be cancelled mid-stream, deterministically).
import { FAKE_GATEWAY_KINDS, generateModels, startFakeGateway, type FakeGateway, type FakeGatewayKind } from './index';

const FIXED_KEYS: Record<FakeGatewayKind, string | null> = {
  nemorouter: 'sk-nemo-demo0000000000000000000000000000',
  openrouter: 'sk-or-v1-demo000000000000000000000000000000000000000000000000000000',
  arouter: 'lr_live_demo000000000000000000000000',
  bifrost: null,
  'openai-compatible': 'sk-demo000000000000000000000000000',
};

/**
 * How many logged requests and billed answers each served fake keeps (the newest). A logged request
 * holds its parsed body: at the benchmark's 1 MB prompts, ten thousand of them took gigabytes.
 */
const KEEP_LOG = 100;

interface Args {
  portBase?: number;
  json: boolean;
  fixedKeys: boolean;
  models?: number;
  streamChunkDelayMs?: number;
  only: FakeGatewayKind[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { json: false, fixedKeys: false, only: [...FAKE_GATEWAY_KINDS] };
  const int = (flag: string, v: string | undefined) => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a non-negative integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (a === '--fixed-keys') args.fixedKeys = true;
    else if (a === '--port-base') args.portBase = int(a, argv[++i]);
    else if (a === '--models') args.models = int(a, argv[++i]);
    else if (a === '--stream-chunk-delay-ms') args.streamChunkDelayMs = int(a, argv[++i]);
    else if (a === '--only') {
      const kinds = (argv[++i] ?? '').split(',').filter(Boolean);
      const bad = kinds.filter((k) => !(FAKE_GATEWAY_KINDS as readonly string[]).includes(k));
      if (kinds.length === 0 || bad.length > 0) throw new Error(`--only takes kinds among ${FAKE_GATEWAY_KINDS.join(', ')}`);
      args.only = kinds as FakeGatewayKind[];
    } else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: tsx test/fakes/serve.ts [--port-base N] [--json] [--fixed-keys] [--models N] [--stream-chunk-delay-ms N] [--only kind,kind]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`serve: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
  const gateways: FakeGateway[] = [];
  const stop = async (code: number) => {
    await Promise.all(gateways.map((g) => g.close()));
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  try {
    for (const kind of args.only) {
      const index = FAKE_GATEWAY_KINDS.indexOf(kind);
      gateways.push(await startFakeGateway(kind, {
        port: args.portBase === undefined ? 0 : args.portBase + index,
        ...(args.fixedKeys ? { key: FIXED_KEYS[kind] } : {}),
        ...(args.models !== undefined ? { models: generateModels(args.models, kind) } : {}),
        ...(args.streamChunkDelayMs !== undefined ? { streamChunkDelayMs: args.streamChunkDelayMs } : {}),
      }));
    }
  } catch (e) {
    process.stderr.write(`serve: could not start: ${e instanceof Error ? e.message : String(e)}\n`);
    await stop(1);
    return;
  }
  // The fakes log every request and every billed answer (in-process tests read the logs). Served
  // like this nobody reads them, and a demo or a benchmark (hundreds of thousands of requests) would
  // grow the heap — and the upstream's garbage-collection pauses — without end: keep the newest.
  setInterval(() => {
    for (const g of gateways) for (const log of [g.requests, g.state.billed]) if (log.length > KEEP_LOG) log.splice(0, log.length - KEEP_LOG);
  }, 250).unref();
  const ready = Object.fromEntries(gateways.map((g) => [g.kind, { baseUrl: g.baseUrl, key: g.key ?? null }]));
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  if (!args.json) {
    for (const g of gateways) process.stderr.write(`${g.kind.padEnd(18)} ${g.baseUrl}  key=${g.key ?? '(none)'}\n`);
    process.stderr.write('Ctrl-C to stop.\n');
  }
}

void main();
