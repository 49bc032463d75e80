// Runs the Portkey gateway (`@portkey-ai/gateway`, its own Node entry build/start-server.js) for the
// proxy benchmark, on loopback only: its server listens on every interface by default (hono's
// node-server passes no hostname), so listen() is pinned to 127.0.0.1 before it loads.
// Usage: node bench/proxy/portkey.mjs --port=N   (Portkey reads --port=N and --headless itself)
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && (args[1] === undefined || typeof args[1] === 'function' || args[1] === '0.0.0.0' || args[1] === '::')) {
    const cb = typeof args[1] === 'function' ? args[1] : args[2];
    return listen.call(this, args[0], '127.0.0.1', cb);
  }
  return listen.apply(this, args);
};
// Its startup banner clears the terminal and spins for a second; the benchmark waits for the port instead.
console.clear = () => {};
process.argv.push('--headless');
await import('@portkey-ai/gateway/build/start-server.js');
