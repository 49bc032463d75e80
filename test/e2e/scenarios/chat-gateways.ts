// Two extra NemoRouter fakes for the chat scenario (started by chat.mjs, stopped with SIGTERM):
//   slow  answers the usual "Echo: <prompt>" one character every 40 ms, so the test can watch it stream;
//   long  streams a 4000-character answer (about 20 s), so Stop has something to stop.
// They take the key of the run's main NemoRouter fake (FAKE_KEY), whose env variable the extension host
// already has. Prints one JSON line {"slow":{"baseUrl"},"long":{"baseUrl"}} once both listen.
import { startFakeGateway, type FakeGateway } from '../../fakes';

async function main(): Promise<void> {
  const key = process.env.FAKE_KEY;
  if (!key) throw new Error('FAKE_KEY is not set');
  const gateways: FakeGateway[] = [];
  const stop = async () => {
    await Promise.all(gateways.map((g) => g.close()));
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  const slow = await startFakeGateway('nemorouter', { key, streamChunkChars: 1, streamChunkDelayMs: 40 });
  gateways.push(slow);
  const long = await startFakeGateway('nemorouter', { key, replyChars: 4000, streamChunkChars: 8, streamChunkDelayMs: 40 });
  gateways.push(long);
  process.stdout.write(`${JSON.stringify({ slow: { baseUrl: slow.baseUrl }, long: { baseUrl: long.baseUrl } })}\n`);
}

main().catch((e) => {
  process.stderr.write(`chat-gateways: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
