// A new integrated terminal gets the local proxy's environment (OPENAI_BASE_URL, OPENAI_API_BASE,
// OPENAI_API_KEY = the local proxy token), which the extension contributes through its
// environmentVariableCollection once the language server reports the proxy's address; the families
// chosen in switchyard.proxy.terminalEnv decide which variables (Claude Code's are opt-in).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vscode = require('vscode');
const { test, withTimeout } = require('./harness.cjs');
const { api } = require('./extension.cjs');

/** Runs `script` in a new integrated terminal (a real shell with VS Code's environment) and returns its stdout. */
async function inTerminal(script) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-term-'));
  const out = path.join(dir, 'out.txt');
  const closed = new Promise((resolve) => {
    const sub = vscode.window.onDidCloseTerminal((t) => {
      if (t.name === 'switchyard-e2e') {
        sub.dispose();
        resolve();
      }
    });
  });
  vscode.window.createTerminal({ name: 'switchyard-e2e', shellPath: '/bin/sh', shellArgs: ['-c', `${script} > '${out}'`] });
  await withTimeout(closed, 30_000, 'the terminal to run and exit');
  const text = fs.readFileSync(out, 'utf8');
  fs.rmSync(dir, { recursive: true, force: true });
  return text;
}

module.exports = [
  test('a new terminal has OPENAI_BASE_URL / OPENAI_API_KEY of the running local proxy', async () => {
    const a = await api();
    await withTimeout(a.ready, 60_000, 'api.ready');
    // The collection is filled asynchronously after the server is up: a terminal opened just before that has
    // no variables yet. Open new terminals until one has them (each run is a real shell, ~1 s), 30 s at most.
    const end = Date.now() + 30_000;
    let text = '';
    do text = await inTerminal('echo "$OPENAI_BASE_URL|$OPENAI_API_BASE|$OPENAI_API_KEY"');
    while (text.startsWith('|') && Date.now() < end);
    const [base, apiBase, token] = text.trim().split('|');
    assert.match(base, /^http:\/\/127\.0\.0\.1:\d+\/v1$/, `OPENAI_BASE_URL is the proxy (got "${base}")`);
    assert.equal(apiBase, base, 'OPENAI_API_BASE matches');
    assert.ok(token, 'OPENAI_API_KEY (the local proxy token) is set');
    // The variables lead to a live proxy that accepts that token (the token is local, not a gateway key).
    const res = await fetch(`${base}/models`, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.json();
    assert.equal(res.status, 200, `GET ${base}/models with the terminal's token answers 200 (got ${res.status})`);
    assert.equal(body.object, 'list');
  }, { timeoutMs: 120_000 }),

  test('switchyard.proxy.terminalEnv adds Claude Code\'s variables on request and takes them away again', async () => {
    const a = await api();
    await withTimeout(a.ready, 60_000, 'api.ready');
    const config = vscode.workspace.getConfiguration('switchyard');
    await config.update('proxy.terminalEnv', ['openai', 'anthropic'], vscode.ConfigurationTarget.Global);
    try {
      const end = Date.now() + 30_000;
      let text = '';
      do text = await inTerminal('echo "$ANTHROPIC_BASE_URL|$ANTHROPIC_AUTH_TOKEN|$OPENAI_API_KEY"');
      while (text.startsWith('|') && Date.now() < end);
      const [base, token, openaiKey] = text.trim().split('|');
      assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/, `ANTHROPIC_BASE_URL is the proxy's origin (got "${base}")`);
      assert.ok(token && token === openaiKey, 'ANTHROPIC_AUTH_TOKEN is the local proxy token');
    } finally {
      await config.update('proxy.terminalEnv', undefined, vscode.ConfigurationTarget.Global);
    }
    const end = Date.now() + 30_000;
    let after = '';
    do after = await inTerminal('echo "$ANTHROPIC_BASE_URL|$OPENAI_BASE_URL"');
    while (!after.startsWith('|') && Date.now() < end);
    assert.match(after.trim(), /^\|http:\/\/127\.0\.0\.1:\d+\/v1$/, `back to OpenAI's variables only (got "${after.trim()}")`);
  }, { timeoutMs: 150_000 }),

  test('switchyard.proxy.terminalEnv ["codex"] gives only SWITCHYARD_PROXY_TOKEN (the env_key of `switchyard env --codex-toml`)', async () => {
    const a = await api();
    await withTimeout(a.ready, 60_000, 'api.ready');
    const config = vscode.workspace.getConfiguration('switchyard');
    const before = (await inTerminal('echo "$OPENAI_API_KEY"')).trim();
    assert.ok(before, 'the default family (openai) gives the token first');
    await config.update('proxy.terminalEnv', ['codex'], vscode.ConfigurationTarget.Global);
    try {
      const end = Date.now() + 30_000;
      let text = '';
      do text = await inTerminal('echo "$SWITCHYARD_PROXY_TOKEN|$OPENAI_BASE_URL|$ANTHROPIC_BASE_URL"');
      while (!(text.startsWith(`${before}|`) && text.trim().endsWith('||')) && Date.now() < end);
      assert.equal(text.trim(), `${before}||`, 'the local proxy token for Codex, and no OpenAI or Anthropic variables');
    } finally {
      await config.update('proxy.terminalEnv', undefined, vscode.ConfigurationTarget.Global);
    }
  }, { timeoutMs: 150_000 }),
];
