// A real HTTP server on 127.0.0.1 whose answers a test sets per path, and an undici Agent to reach
// it: for tests of our own undici handlers (server/http/buffered.ts, server/http/streamed.ts).
// Registers the suite's before/after hooks: listening before the first test, everything closed after.
import { before, after } from 'node:test';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';

export type Route = (res: ServerResponse) => void;

export function routeServer(): { routes: Map<string, Route>; agent: Agent; origin(): string } {
  const routes = new Map<string, Route>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => (routes.get(req.url ?? '') ?? ((r: ServerResponse) => r.writeHead(404).end('no route')))(res));
  });
  let origin = '';
  const agent = new Agent();
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await agent.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { routes, agent, origin: () => origin };
}
