/**
 * Prices as people read them on price lists: per million tokens, whole dollars bare, cents in two
 * places, finer rates as given, tiers spelled out.
 */

import { describe, expect, test } from 'vitest';
import { rateText } from '../../../renderer/features/pricing/price-text';

describe('price text', () => {
  test('writes rates as price lists do', () => {
    expect([3, 0.1, 2.5, 0.15, 0.075, 0.0375, 1.25].map((rate) => rateText(rate))).toStrictEqual(['$3', '$0.10', '$2.50', '$0.15', '$0.075', '$0.0375', '$1.25']);
    expect(rateText(null)).toBe('–');
  });

  test('spells out tiers, above a rounded count', () => {
    expect(rateText({ base: 1.25, tiers: [{ start: 200_000, price: 2.5 }] })).toBe('$1.25, $2.50 above 200k');
  });
});
