/**
 * Prices as people read them on price lists: per million tokens, whole dollars bare, cents in two
 * places, finer rates as given, tiers spelled out.
 */

import { describe, expect, test } from 'vitest';
import { priceRatesText, rateText } from '../../../renderer/features/pricing/price-text';
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

  test('every rate of a price on one line, tiers included', () => {
    expect(priceRatesText(HAIKU)).toBe('in $1 · out $5 · cached $0.10 · cache write $1.25');
    expect(priceRatesText({ ...HAIKU, input: { base: 3, tiers: [{ start: 200_000, price: 6 }] }, cachedInput: null, reasoning: 8 })).toBe('in $3, $6 above 200k · out $5 · cache write $1.25 · reasoning $8');
    expect(priceRatesText(null)).toBe('no price');
  });
});
