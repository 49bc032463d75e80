// A flat price sheet is priced by its linear form (catalog/cost.ts), not by the library on every
// request; it must give the library's totals. The same prices handed over as a one-entry conditional
// sheet always go through the library, so the two can be compared on any usage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelPrice } from '@pydantic/genai-prices';
import { priceUsage, type TokenUsage } from '../../server/catalog/cost';
import { loadPriceTable } from '../../server/catalog/table';
import { rng } from './rng';

const KEYS = ['input_mtok', 'output_mtok', 'cache_read_mtok', 'cache_write_mtok', 'output_reasoning_mtok'] as const;

test('flat sheets: the linear form gives the library’s totals and cache savings (10,000 random sheets and usages)', async () => {
  await loadPriceTable();
  const next = rng(42);
  const price = () => [0, 0.05, 0.15, 0.6, 1.25, 3, 15, 75, Math.round(next() * 1e6) / 1e4][Math.floor(next() * 9)];
  let compared = 0;
  for (let i = 0; i < 10_000; i++) {
    const sheet: ModelPrice = { input_mtok: price(), output_mtok: price() };
    for (const k of KEYS.slice(2)) if (next() < 0.5) sheet[k] = price();
    const input = Math.floor(next() * 200_000);
    const output = Math.floor(next() * 20_000);
    const cached = Math.floor(next() * input * (next() < 0.5 ? 1 : 0));
    const usage: TokenUsage = {
      inputTokens: input,
      outputTokens: output,
      cachedInputTokens: cached,
      cacheWriteTokens: Math.floor(next() * (input - cached) * (next() < 0.3 ? 1 : 0)),
      reasoningTokens: Math.floor(next() * output * (next() < 0.5 ? 1 : 0)),
    };
    const linear = priceUsage(sheet, usage);
    const library = priceUsage([{ prices: { ...sheet } }], usage);
    assert.equal(linear === undefined, library === undefined, `case ${i}: ${JSON.stringify({ sheet, usage })}`);
    if (!linear || !library) continue;
    const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
    assert.ok(close(linear.costUsd, library.costUsd), `case ${i}: ${linear.costUsd} ≠ ${library.costUsd} for ${JSON.stringify({ sheet, usage })}`);
    assert.equal(linear.approximate, library.approximate, `case ${i}`);
    assert.equal(linear.cacheSavingsUsd === undefined, library.cacheSavingsUsd === undefined, `case ${i}`);
    if (linear.cacheSavingsUsd !== undefined) assert.ok(close(linear.cacheSavingsUsd, library.cacheSavingsUsd!), `case ${i}: savings`);
    compared++;
  }
  assert.ok(compared > 9000, `only ${compared} compared`);
});

test('a sheet with tiered prices stays with the library (its total is not linear)', async () => {
  await loadPriceTable();
  const tiered: ModelPrice = { input_mtok: { base: 1, tiers: [{ start: 200_000, price: 2 }] }, output_mtok: 4 };
  const below = priceUsage(tiered, { inputTokens: 100_000, outputTokens: 0 })!;
  const above = priceUsage(tiered, { inputTokens: 300_000, outputTokens: 0 })!;
  assert.ok(Math.abs(below.costUsd - 0.1) < 1e-12, `below the tier: ${below.costUsd}`);
  // Past the threshold the whole prompt is at the tier's price, as the library prices it.
  const library = priceUsage([{ prices: tiered }], { inputTokens: 300_000, outputTokens: 0 })!;
  assert.equal(above.costUsd, library.costUsd);
  assert.notEqual(above.costUsd, 0.3, 'a linear form would have said 0.3');
});
