/**
 * Prices as people read them on price lists: per million tokens, whole dollars bare, cents in two
 * places, finer rates as given, tiers spelled out.
 */

import { describe, expect, test } from 'vitest';
import { priceRatesText, priceRows, rateText } from '../../../renderer/features/pricing/price-text';
import { NO_USAGE } from '../../../shared/cost';
import type { ModelPrice } from '../../../shared/types';

/** The catalog's claude-haiku-4-5: cache reads and writes have rates of their own, reasoning none. */
const HAIKU: ModelPrice = { input: 1, output: 5, cachedInput: 0.1, cacheWrite: 1.25, reasoning: null, perThousandRequests: null };

describe('price text', () => {
  test('writes rates as price lists do', () => {
    expect([3, 0.1, 2.5, 0.15, 0.075, 0.0375, 1.25].map((rate) => rateText(rate))).toStrictEqual(['$3', '$0.10', '$2.50', '$0.15', '$0.075', '$0.0375', '$1.25']);
    expect(rateText(null)).toBe('–');
  });

  test('spells out tiers, above a rounded count', () => {
    expect(rateText({ base: 1.25, tiers: [{ start: 200_000, price: 2.5 }] })).toBe('$1.25, $2.50 above 200k');
  });

  test('a run’s price, one rate a row: cache writes at their own rate, reasoning said to bill as output', () => {
    const usage = { inputTokens: 2893, cachedInputTokens: 1157, cacheWriteTokens: 578, outputTokens: 300, reasoningTokens: 120 };
    expect(priceRows({ price: HAIKU, source: 'catalog', catalogModel: 'claude-haiku-4-5' }, usage)).toStrictEqual([
      ['Input / 1M', '$1'],
      ['Cached input / 1M', '$0.10'],
      ['Cache write / 1M', '$1.25'],
      ['Output / 1M', '$5'],
      ['Reasoning / 1M', 'billed as output'],
      ['Price from', 'catalog (claude-haiku-4-5)'],
    ]);
  });

  test('a rate that falls back shows only where the run used it; a reasoning rate and a fee show as given', () => {
    const flat: ModelPrice = { input: 1, output: 2, cachedInput: null, cacheWrite: null, reasoning: null, perThousandRequests: null };
    expect(priceRows({ price: flat, source: 'override', catalogModel: null }, NO_USAGE)).toStrictEqual([
      ['Input / 1M', '$1'],
      ['Output / 1M', '$2'],
      ['Price from', 'yours'],
    ]);
    expect(priceRows({ price: flat, source: 'override', catalogModel: null }, { ...NO_USAGE, cachedInputTokens: 5, cacheWriteTokens: 7 })).toStrictEqual([
      ['Input / 1M', '$1'],
      ['Cached input / 1M', '= input'],
      ['Cache write / 1M', '= input'],
      ['Output / 1M', '$2'],
      ['Price from', 'yours'],
    ]);
    expect(priceRows({ price: { ...flat, reasoning: 8, perThousandRequests: 5 }, source: 'override', catalogModel: null }, NO_USAGE)).toStrictEqual([
      ['Input / 1M', '$1'],
      ['Output / 1M', '$2'],
      ['Reasoning / 1M', '$8'],
      ['Per 1K requests', '$5'],
      ['Price from', 'yours'],
    ]);
  });

  test('no price reads as a sentence', () => {
    expect(priceRows({ price: null, source: 'none', catalogModel: null }, NO_USAGE)).toStrictEqual([['Price', 'no price for this model']]);
  });

  test('every rate of a price on one line, tiers included', () => {
    expect(priceRatesText(HAIKU)).toBe('in $1 · out $5 · cached $0.10 · cache write $1.25');
    expect(priceRatesText({ ...HAIKU, input: { base: 3, tiers: [{ start: 200_000, price: 6 }] }, cachedInput: null, reasoning: 8 })).toBe('in $3, $6 above 200k · out $5 · cache write $1.25 · reasoning $8');
    expect(priceRatesText(null)).toBe('no price');
  });
});
