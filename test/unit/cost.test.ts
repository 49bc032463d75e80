// Issue 18: usage in every shape gateways report it, and the cost computed from it. The table test
// compares what Switchyard records for a request (resolveCost, through its ID-form lookup) with the
// price library's own calcPrice for the same model, called the library's documented way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calcPrice } from '@pydantic/genai-prices';
import { readUsage, resolveCost, type Usage } from '../../server/pipeline/metering';
import { priceUsage, sheetOf, fillSheet } from '../../server/catalog/cost';
import { loadPriceTable } from '../../server/catalog/table';
import { openrouterAdapter } from '../../server/gateways/openrouter';
import type { CatalogService } from '../../server/core/services';
import type { Candidate } from '../../server/pipeline/candidates';
import type { Pricing } from '../../server/protocol/model';

const cents = (x: number) => Math.round(x * 100);

test('readUsage: OpenAI chat, Responses, OpenRouter, LiteLLM and Anthropic shapes give the same meaning', () => {
  const want: Usage = { inputTokens: 1000, outputTokens: 300, cachedInputTokens: 600, cacheWriteTokens: 200, reasoningTokens: 120 };
  const shapes: Record<string, unknown> = {
    openai: { prompt_tokens: 1000, completion_tokens: 300, prompt_tokens_details: { cached_tokens: 600, cache_creation_tokens: 200 }, completion_tokens_details: { reasoning_tokens: 120 } },
    openrouter: { prompt_tokens: 1000, completion_tokens: 300, cost: 0.1, prompt_tokens_details: { cached_tokens: 600, cache_write_tokens: 200 }, completion_tokens_details: { reasoning_tokens: 120 } },
    litellm: { prompt_tokens: 1000, completion_tokens: 300, prompt_tokens_details: { cached_tokens: 600 }, cache_read_input_tokens: 600, cache_creation_input_tokens: 200, completion_tokens_details: { reasoning_tokens: 120 } },
    responses: { input_tokens: 1000, output_tokens: 300, input_tokens_details: { cached_tokens: 600, cache_write_tokens: 200 }, output_tokens_details: { reasoning_tokens: 120 } },
    // Anthropic counts cache reads and writes apart from input_tokens.
    anthropic: { input_tokens: 200, output_tokens: 300, cache_read_input_tokens: 600, cache_creation_input_tokens: 200, completion_tokens_details: { reasoning_tokens: 120 } },
  };
  for (const [name, usage] of Object.entries(shapes)) assert.deepEqual(readUsage({ usage }), want, name);
  // Plain usage stays plain; nulls and zeros add nothing; parts never exceed their whole.
  assert.deepEqual(readUsage({ usage: { prompt_tokens: 5, completion_tokens: 2 } }), { inputTokens: 5, outputTokens: 2 });
  assert.deepEqual(readUsage({ usage: { prompt_tokens: 5, completion_tokens: 2, prompt_tokens_details: { cached_tokens: null }, completion_tokens_details: null } }), { inputTokens: 5, outputTokens: 2 });
  assert.deepEqual(readUsage({ usage: { prompt_tokens: 5, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 50 }, completion_tokens_details: { reasoning_tokens: 9 } } }), {
    inputTokens: 5, outputTokens: 2, cachedInputTokens: 5, reasoningTokens: 2,
  });
});

/** A catalog with no offers: resolveCost falls through to the embedded table, as for an unpriced gateway. */
const emptyCatalog = { find: () => undefined } as unknown as CatalogService;
const candidate = (id: string, pricing?: Pricing): Candidate => ({
  gateway: { id: 'gw', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:1/v1', headers: {}, enabled: true } as Candidate['gateway'],
  id,
  via: 'primary',
  ...(pricing ? { pricing, priceSource: 'gateway' as const } : {}),
});

const USAGES: Usage[] = [
  { inputTokens: 12_000, outputTokens: 800 },
  { inputTokens: 12_000, outputTokens: 800, cachedInputTokens: 11_000 },
  { inputTokens: 50_000, outputTokens: 2_000, cachedInputTokens: 30_000, cacheWriteTokens: 15_000 },
  { inputTokens: 3_000, outputTokens: 9_000, reasoningTokens: 7_000 },
  { inputTokens: 250_000, outputTokens: 4_000, cachedInputTokens: 200_000 }, // past a long-context tier where one exists
];

// [as a gateway names it, the library's provider and model ID]
const MODELS: [string, string, string][] = [
  ['gpt-4o', 'openai', 'gpt-4o'],
  ['openai/gpt-4o-mini', 'openai', 'gpt-4o-mini'],
  ['openrouter/openai/o3-mini', 'openai', 'o3-mini'],
  ['anthropic/claude-sonnet-4-20250514', 'anthropic', 'claude-sonnet-4-20250514'],
  ['claude-3-5-haiku-20241022', 'anthropic', 'claude-3-5-haiku-20241022'],
  ['google/gemini-2.5-pro', 'google', 'gemini-2.5-pro'],
  ['deepseek/deepseek-chat', 'deepseek', 'deepseek-chat'],
];

test('estimated costs equal the price library\'s own calculation, to the cent, for models × usages', async () => {
  await loadPriceTable();
  let compared = 0;
  for (const [asked, provider, libId] of MODELS) {
    for (const u of USAGES) {
      const lib = calcPrice(
        { input_tokens: u.inputTokens, output_tokens: u.outputTokens, cache_read_tokens: u.cachedInputTokens, cache_write_tokens: u.cacheWriteTokens, output_reasoning_tokens: u.reasoningTokens },
        libId,
        { providerId: provider },
      );
      assert.ok(lib, `the library prices ${provider}/${libId}`);
      const ours = await resolveCost({ catalog: emptyCatalog, candidate: candidate(asked), servedModel: asked, usage: u, tokensEstimated: false, headers: {}, body: {} });
      assert.equal(ours.costSource, 'estimated', asked);
      assert.ok(ours.costUsd !== null);
      assert.equal(cents(ours.costUsd), cents(lib.total_price), `${asked} ${JSON.stringify(u)}: ours ${ours.costUsd}, library ${lib.total_price}`);
      // Closer than a cent: the same arithmetic.
      assert.ok(Math.abs(ours.costUsd - lib.total_price) < 1e-9, `${asked}: ${ours.costUsd} vs ${lib.total_price}`);
      compared++;
    }
  }
  assert.equal(compared, MODELS.length * USAGES.length);
});

test('a gateway\'s listed cache prices are used; cached tokens are never priced as full input', async () => {
  await loadPriceTable();
  const listed: Pricing = { inputPerMTok: 3, outputPerMTok: 15, cacheReadPerMTok: 0.3, cacheWritePerMTok: 3.75 };
  const u: Usage = { inputTokens: 10_000, outputTokens: 1_000, cachedInputTokens: 8_000, cacheWriteTokens: 1_000 };
  const cost = await resolveCost({ catalog: emptyCatalog, candidate: candidate('some/unknown-model', listed), servedModel: 'some/unknown-model', usage: u, tokensEstimated: false, headers: {}, body: {} });
  // 1,000 plain × 3 + 8,000 × 0.3 + 1,000 × 3.75 + 1,000 × 15, per million.
  assert.equal(cost.costSource, 'computed');
  assert.ok(Math.abs(cost.costUsd! - (3_000 + 2_400 + 3_750 + 15_000) / 1e6) < 1e-12, String(cost.costUsd));
  // Against every input token at the input price: 30,000 + 15,000 = 0.045 → saved 0.045 − 0.02415.
  assert.ok(Math.abs(cost.cacheSavingsUsd! - (0.045 - 0.02415)) < 1e-12, String(cost.cacheSavingsUsd));

  // No cache price listed: the table's price for the same model fills it, and the figure is an estimate.
  const noCache = await resolveCost({ catalog: emptyCatalog, candidate: { ...candidate('gpt-4o', { inputPerMTok: 2.5, outputPerMTok: 10 }), canonicalId: 'openai/gpt-4o' }, servedModel: 'gpt-4o', usage: { inputTokens: 1000, outputTokens: 0, cachedInputTokens: 800 }, tokensEstimated: false, headers: {}, body: {} });
  assert.equal(noCache.costSource, 'estimated');
  assert.ok(Math.abs(noCache.costUsd! - (200 * 2.5 + 800 * 1.25) / 1e6) < 1e-12, String(noCache.costUsd));

  // Nowhere a cache price: the input price is an upper bound, marked estimated, never "computed".
  const unknown = priceUsage(sheetOf({ inputPerMTok: 1, outputPerMTok: 2 }), { inputTokens: 1000, outputTokens: 0, cachedInputTokens: 900 });
  assert.deepEqual(unknown && { cost: unknown.costUsd, approximate: unknown.approximate }, { cost: 0.001, approximate: true });
  // A listed 0 for an extra price means "none apart" (Bifrost lists input_cache_write "0" on gpt-4o).
  const zero = fillSheet(sheetOf({ inputPerMTok: 1, outputPerMTok: 2, cacheWritePerMTok: 0, reasoningPerMTok: 0 }), undefined, { inputTokens: 10, outputTokens: 10 });
  assert.equal(priceUsage(zero.sheet, { inputTokens: 1000, outputTokens: 1000, reasoningTokens: 500 })?.costUsd, 0.003);
  // A needed price unknown: no figure at all rather than a silent 0.
  assert.equal(priceUsage(sheetOf({ inputPerMTok: 1 }), { inputTokens: 10, outputTokens: 10 }), undefined);
});

test('OpenRouter: usage.cost is the bill; with the person\'s own key the upstream inference cost is added', () => {
  assert.deepEqual(openrouterAdapter.reportedCost!({}, { usage: { cost: 0.002, is_byok: false, cost_details: { upstream_inference_cost: null } } }), { costUsd: 0.002 });
  assert.deepEqual(openrouterAdapter.reportedCost!({}, { usage: { cost: 0.0001, is_byok: true, cost_details: { upstream_inference_cost: 0.002 } } }), { costUsd: 0.0021 });
  assert.equal(openrouterAdapter.reportedCost!({}, { usage: { prompt_tokens: 3 } }), undefined);
  assert.equal(openrouterAdapter.reportedCost!({}, { usage: { cost: -1 } }), undefined);
});
