// A tiny test runner for the extension host (no mocha: the project has one test runner, node:test, outside
// VS Code, and this list-of-async-functions inside it). Prints "✔ name" / "✗ name" and "N passed, N failed";
// run() rejects when a test failed, which makes the extension host exit non-zero (test-electron contract).
const fs = require('node:fs');
const path = require('node:path');

/** Declares one test; files export arrays of these. */
function test(name, fn, { timeoutMs = 30_000 } = {}) {
  return { name, fn, timeoutMs };
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function runTests(tests) {
  const results = { passed: [], failed: [] };
  for (const t of tests) {
    const start = Date.now();
    try {
      await withTimeout(Promise.resolve().then(t.fn), t.timeoutMs, t.name);
      results.passed.push(t.name);
      console.log(`✔ ${t.name} (${Date.now() - start} ms)`);
    } catch (e) {
      const message = e && e.message ? e.message : String(e);
      results.failed.push({ name: t.name, error: message });
      console.log(`✗ ${t.name} (${Date.now() - start} ms)\n    ${message.split('\n').join('\n    ')}`);
    }
  }
  const summary = `${results.passed.length} passed, ${results.failed.length} failed`;
  console.log(summary);
  // The runner outside reads this file (its path comes through the environment of code-server / VS Code).
  const out = process.env.SWITCHYARD_E2E_RESULTS;
  if (out) {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(results, null, 2));
  }
  if (results.failed.length) throw new Error(summary);
}

module.exports = { test, runTests, withTimeout };
