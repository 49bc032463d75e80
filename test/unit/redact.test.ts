// redact() is applied to every log line and to every upstream-provided header value of a proxied
// answer, so it first looks for anything it could change and returns other text as it is. These
// tests hold it to what it promises on random texts: no registered secret, key shape or URL
// password survives, redacting twice changes nothing more, and text with nothing to hide is returned
// unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redact, registerSecret } from '../../server/core/log';
import { rng } from './rng';


const KEY_SHAPE = /\b(sk-[A-Za-z0-9_-]{8,}|lr_live_[A-Za-z0-9_-]{6,}|Bearer\s+[A-Za-z0-9._~+/=-]{8,})/;
const USERINFO = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/@]+@/i;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

test('redact: no secret, key shape or URL password survives random text, and a second pass changes nothing', () => {
  const next = rng(20261205);
  const word = (min: number, max: number) => Array.from({ length: min + Math.floor(next() * (max - min)) }, () => ALNUM[Math.floor(next() * ALNUM.length)]).join('');
  const secrets = Array.from({ length: 5 }, (_, i) => `${i % 2 ? 'tok' : 'key'}.${word(8, 30)}`);
  for (const s of secrets) registerSecret(s);
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)];
  const fragments = [
    () => word(1, 12),
    () => pick(secrets),
    () => `sk-${word(0, 20)}`,
    () => `lr_live_${word(0, 16)}`,
    () => `Bearer ${word(0, 24)}`,
    () => `https://${word(1, 8)}:${word(1, 8)}@example.test/v1`,
    () => pick([' ', ': ', '/', '"', '\n', '://', '@', 'sk', '-', 'Bear']),
  ];
  for (let i = 0; i < 5000; i++) {
    const text = Array.from({ length: 1 + Math.floor(next() * 8) }, () => pick(fragments)()).join('');
    const out = redact(text);
    for (const s of secrets) assert.ok(!out.includes(s), `a secret survived in ${JSON.stringify(out)}`);
    assert.doesNotMatch(out, KEY_SHAPE, `a key shape survived in ${JSON.stringify(out)}`);
    assert.doesNotMatch(out, USERINFO, `a URL password survived in ${JSON.stringify(out)}`);
    assert.equal(redact(out), out);
  }
});

test('redact: text with nothing to hide comes back as it is (the same string)', () => {
  const next = rng(7);
  for (let i = 0; i < 2000; i++) {
    // Model names, request ids and costs: what a proxied answer's headers carry.
    const text = twoOf(next, ['gpt-4o-mini', 'openai/gpt-5-codex', 'sw-', '0.000000123', 'chatcmpl-', 'anthropic/claude-sonnet-4.5']) + Math.floor(next() * 1e9).toString(36);
    assert.equal(redact(text), text);
  }
  // A secret registered later is caught from then on.
  registerSecret('late-secret-0123456789');
  assert.equal(redact('x late-secret-0123456789 y'), 'x [redacted] y');
});

/** Two of `xs`, picked at random and joined. */
function twoOf(next: () => number, xs: string[]): string {
  return xs[Math.floor(next() * xs.length)] + xs[Math.floor(next() * xs.length)];
}
