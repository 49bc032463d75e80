// The floor of the proxy benchmark: the least a Node proxy can do — node:http in, one undici Pool
// out, headers copied minus hop-by-hop ones, the body piped both ways with backpressure, the upstream
// aborted when the caller leaves (through the same light Canceller Switchyard uses: an
// AbortController per request cost the floor more than some of Switchyard's work, and a floor is the
// least a Node proxy has to do). No parsing, no routing, no metering. Bundled and run with plain node
// by bench/proxy.bench.ts: `node floor.js <upstream origin>`; prints {"url"} when listening.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'undici';
import { Canceller } from '../../server/core/cancel';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host']);

function forward(h: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

const pool = new Pool(process.argv[2], { connections: 64 });
const server = createServer(async (req, res) => {
  const abort = new Canceller();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  try {
    const up = await pool.request({
      method: req.method as 'GET' | 'POST',
      path: req.url ?? '/',
      headers: forward(req.headers),
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : req,
      signal: abort as unknown as AbortSignal,
    });
    res.writeHead(up.statusCode, forward(up.headers));
    await pipeline(up.body, res);
  } catch {
    if (!res.headersSent) res.writeHead(502).end();
    else res.destroy();
  }
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${port}` }) + '\n');
});
// Exit normally on SIGTERM, so that `node --cpu-prof` writes its profile (bench:proxy --profile).
process.on('SIGTERM', () => process.exit(0));
