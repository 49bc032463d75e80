// The proxy inside the language server (the built dist/server.js over a real LSP connection):
// started per settings, reported through ProxyInfoRequest / ProxyChangedNotification, moved to a
// free port when its own is taken, stopped when disabled, and never taking the server down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigurationRequest, DidChangeConfigurationNotification } from 'vscode-languageserver-protocol/node';
import { startLsp, waitForNotification, type LspSession } from '../helpers/lsp';
import { ProxyChangedNotification, ProxyInfoRequest, type ProxyInfo } from '../../server/protocol/messages';
import { rawRequest, auth } from './proxy-harness';

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'switchyard-proxy-lsp-'));

/** Resolves with the first ProxyChangedNotification (already received or still to come) that matches. */
const proxyChanged = (s: LspSession, match: (i: ProxyInfo) => boolean) =>
  waitForNotification<ProxyInfo>(s, ProxyChangedNotification.method, match, { timeoutMs: 10_000 });

async function occupiedPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

test('the language server runs the proxy, answers ProxyInfoRequest and hands out the stored token', async () => {
  const dir = dataDir();
  const taken = await occupiedPort();
  const s = await startLsp({ settings: { proxy: { port: taken.port } }, initializationOptions: { dataDir: dir }, env: { SWITCHYARD_PROXY_TOKEN: '' } });
  try {
    // Features register once the server has its settings (after `initialized`): the notification comes first.
    const changed = await proxyChanged(s, (i) => i.running);
    const info = await s.connection.sendRequest(ProxyInfoRequest);
    assert.equal(info.running, true, JSON.stringify(info));
    const url = new URL(info.url!);
    assert.equal(url.hostname, '127.0.0.1');
    assert.notEqual(Number(url.port), taken.port, 'a taken port means a free one');
    assert.equal(url.pathname, '/v1');
    const file = path.join(dir, 'proxy-token');
    assert.equal(readFileSync(file, 'utf8').trim(), info.token);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(changed.url, info.url);
    const r = await rawRequest(Number(url.port), { headers: auth(info.token) });
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body).object, 'list');
    const after = await s.connection.sendRequest(ProxyInfoRequest);
    assert.ok(after.requests >= 1, 'requests are counted');
  } finally {
    assert.equal(await s.close(), 0, `exit code; stderr: ${s.stderr()}`);
    taken.server.close();
  }
});

test('settings turn the proxy off and on again; the client hears each change', async () => {
  let settings: unknown = { proxy: { port: 0 } };
  const s = await startLsp({ settings, initializationOptions: { dataDir: dataDir() } });
  s.connection.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => settings));
  try {
    const on = await proxyChanged(s, (i) => i.running);
    const port = Number(new URL(on.url!).port);
    settings = { proxy: { port: 0, enabled: false } };
    await s.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const off = await proxyChanged(s, (i) => !i.running);
    assert.equal(off.url, undefined);
    await assert.rejects(rawRequest(port, { headers: auth(on.token) }), /ECONNREFUSED/);
    assert.equal((await s.connection.sendRequest(ProxyInfoRequest)).running, false);
    settings = { proxy: { port: 0, enabled: true } };
    await s.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const again = await proxyChanged(s, (i) => i.running && i.url !== on.url);
    assert.equal(again.token, on.token, 'same token after a restart: open terminals keep working');
  } finally {
    assert.equal(await s.close(), 0, `exit code; stderr: ${s.stderr()}`);
  }
});

test('a proxy that cannot start is reported in the info error and the language server keeps serving', async () => {
  const s = await startLsp({ settings: { proxy: { port: 0 } }, initializationOptions: { dataDir: dataDir() }, env: { SWITCHYARD_PROXY_TOKEN: 'short' } });
  try {
    const failed = await proxyChanged(s, (i) => !!i.error);
    assert.equal(failed.running, false);
    const info = await s.connection.sendRequest(ProxyInfoRequest);
    assert.equal(info.running, false);
    assert.match(info.error ?? '', /SWITCHYARD_PROXY_TOKEN/);
    // Still alive and answering.
    assert.equal((await s.connection.sendRequest(ProxyInfoRequest)).running, false);
  } finally {
    assert.equal(await s.close(), 0, `exit code; stderr: ${s.stderr()}`);
  }
});
