/** Cost arithmetic: each part at its rate, fallbacks to the parent rate, tiers, budgets, and dollars for people. */

import { describe, expect, test } from 'vitest';
import { budgetOverage, costBreakdown, costOf, estimateCost, formatBudgetUsd, formatUsd, FREE_PRICE, rateAt, sumKnownCosts, tokensPerSecond } from '../../../shared/cost';
import type { ModelPrice } from '../../../shared/types';

const FLAT: ModelPrice = { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75, reasoning: null, perThousandRequests: null };
const usage = { inputTokens: 10_000, cachedInputTokens: 4_000, cacheWriteTokens: 1_000, outputTokens: 2_000, reasoningTokens: 500 };

describe('cost', () => {
  test('charges uncached input, cache reads, cache writes and output each at its own rate', () => {
    expect(costBreakdown(usage, FLAT)).toStrictEqual({
      inputUsd: 0.015, // 5,000 uncached x $3/M
      cachedInputUsd: 0.0012, // 4,000 x $0.30/M
      cacheWriteUsd: 0.00375, // 1,000 x $3.75/M
      outputUsd: 0.03, // 2,000 x $15/M, reasoning included
      reasoningUsd: 0,
      requestUsd: 0,
      totalUsd: 0.04995,
    });
  });

  test('missing cache rates fall back to input, a reasoning rate splits output, a request fee is added', () => {
    const price: ModelPrice = { input: 2, output: 8, cachedInput: null, cacheWrite: null, reasoning: 3, perThousandRequests: 5 };
    expect(costBreakdown(usage, price)).toStrictEqual({
      inputUsd: 0.01,
      cachedInputUsd: 0.008,
      cacheWriteUsd: 0.002,
      outputUsd: 0.012, // 1,500 plain output x $8/M
      reasoningUsd: 0.0015, // 500 x $3/M
      requestUsd: 0.005,
      totalUsd: 0.0385,
    });
  });

  test('a tiered rate charges every token at the tier the total input passes', () => {
    const tiered: ModelPrice = {
      input: { base: 3, tiers: [{ start: 200_000, price: 6 }] },
      output: { base: 15, tiers: [{ start: 200_000, price: 22.5 }] },
      cachedInput: null,
      cacheWrite: null,
      reasoning: null,
      perThousandRequests: null,
    };
    const small = { ...usage, inputTokens: 200_000, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 1_000 };
    const large = { ...small, inputTokens: 200_001 };
    expect([costOf(small, tiered), costOf(large, tiered), rateAt({ base: 1, tiers: [{ start: 10, price: 3 }, { start: 5, price: 2 }] }, 7)]).toStrictEqual([
      0.615, // 200,000 x $3/M + 1,000 x $15/M
      1.222506, // 200,001 x $6/M + 1,000 x $22.5/M
      2,
    ]);
  });

  test('no price is no cost (null), a free price costs nothing, and sums skip the unknown', () => {
    expect([costOf(usage, null), costOf(usage, FREE_PRICE), estimateCost(1_000, 500, FLAT), sumKnownCosts([0.1, null, 0.2])]).toStrictEqual([
      null,
      0,
      0.0105,
      0.3,
    ]);
  });

  test('the budget is exceeded only by a batch that costs something and goes over; reaching it exactly fits', () => {
    expect([
      budgetOverage(null, 100, 1),
      budgetOverage(5, 4.8, 0.2),
      budgetOverage(5, 4.8, 0.62),
      budgetOverage(5, 6, 0),
      budgetOverage(5, 6, 0.5),
    ]).toStrictEqual([null, null, 0.42, null, 1.5]);
  });

  test('formats dollars with cents, and amounts under ten cents with two significant digits', () => {
    expect([0, 5, 0.42, 1234.5, 0.000435, 0.0000001, -0.25, 0.00999, 0.0118, 0.0995, 0.105].map(formatUsd)).toStrictEqual([
      '$0.00',
      '$5.00',
      '$0.42',
      '$1234.50',
      '$0.00044',
      '$0.00000010',
      '-$0.25',
      '$0.010',
      '$0.012',
      '$0.10',
      '$0.11',
    ]);
    // Halves round up as written, whatever binary arithmetic made of them: 30 in and 12 out of gpt-4o is $0.000195.
    expect([(30 * 2.5) / 1e6 + (12 * 10) / 1e6, 1.005, 0.000125, 2.675, 1e-9 * 1.5].map(formatUsd)).toStrictEqual(['$0.00020', '$1.01', '$0.00013', '$2.68', '$0.0000000015']);
  });

  test('formats budgets as money: cents always, a finer budget as saved without trailing zeros', () => {
    expect([5, 0, 1250, 12.5, 0.001, 0.0015, 2.125, 0.25].map(formatBudgetUsd)).toStrictEqual([
      '$5.00',
      '$0.00',
      '$1,250.00',
      '$12.50',
      '$0.001',
      '$0.0015',
      '$2.125',
      '$0.25',
    ]);
  });

  test('tokens per second needs output and time', () => {
    expect([tokensPerSecond(100, 2_000), tokensPerSecond(0, 2_000), tokensPerSecond(100, 0), tokensPerSecond(100, null)]).toStrictEqual([50, null, null, null]);
  });
});
