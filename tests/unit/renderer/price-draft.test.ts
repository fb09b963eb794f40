/**
 * The Prices form's draft: each rate as the table writes it, tiers included, parsed back on
 * Save; what the user did not change is saved as it was.
 */

import { describe, expect, test } from 'vitest';
import { draftOf, EMPTY_DRAFT, errorsAfterChange, parseRate, priceOf, withRatesOf } from '../../../renderer/features/pricing/price-draft';
import type { ModelPrice } from '../../../shared/types';
import { HAIKU_PRICE, SONNET_PRICE as SONNET } from '../catalog-prices';

describe('the price draft', () => {
  test('writes each rate of a tiered price with its tiers, and empty fields for rates that fall back', () => {
    expect(draftOf(SONNET)).toStrictEqual({ input: '3, 6 above 200k', output: '15, 22.5 above 200k', cachedInput: '0.3, 0.6 above 200k', cacheWrite: '3.75, 7.5 above 200k', reasoning: '' });
    expect(draftOf(null)).toStrictEqual(EMPTY_DRAFT);
  });

  test('saving a tiered price with one rate changed keeps the tiers of every other', () => {
    const result = priceOf({ ...draftOf(SONNET), output: '18, 22.5 above 200k' }, SONNET);
    expect(result).toStrictEqual({ price: { ...SONNET, output: { base: 18, tiers: [{ start: 200_000, price: 22.5 }] } } });
  });

  test('saving unchanged keeps the price exactly, the fee per request included', () => {
    const withFee: ModelPrice = { ...SONNET, input: 0.000_000_3, perThousandRequests: 5 };
    expect(priceOf(draftOf(withFee), withFee)).toStrictEqual({ price: withFee });
  });

  test('a rate cleared of its tiers is flat; cache-write and reasoning rates are saved as typed', () => {
    const result = priceOf({ ...draftOf(SONNET), input: '3', reasoning: '$20' }, SONNET);
    expect(result).toStrictEqual({ price: { ...SONNET, input: 3, reasoning: 20 } });
    expect(priceOf({ ...EMPTY_DRAFT, input: '1', output: '5', cacheWrite: '1.25' }, null)).toStrictEqual({
      price: { input: 1, output: 5, cachedInput: null, cacheWrite: 1.25, reasoning: null, perThousandRequests: null },
    });
  });

  test('reads tiers as the table writes them, in dollars, at sizes in k or M', () => {
    expect(parseRate('$1.25, $2.50 above 200k', 'Input', true)).toStrictEqual({ value: { base: 1.25, tiers: [{ start: 200_000, price: 2.5 }] } });
    expect(parseRate('1, 2 above 128000, 4 above 1M tokens', 'Input', true)).toStrictEqual({
      value: { base: 1, tiers: [{ start: 128_000, price: 2 }, { start: 1_000_000, price: 4 }] },
    });
    expect(parseRate(' ', 'Cached input', false)).toStrictEqual({ value: null });
    // "from 272k" takes a request of exactly 272,000 input tokens: the catalog's start of 271999, written back the same way.
    const catalogTier = { base: 2.5, tiers: [{ start: 271_999, price: 5 }] };
    expect(parseRate('2.5, 5 from 272k', 'Input', true)).toStrictEqual({ value: catalogTier });
    const price = { input: catalogTier, output: 15, cachedInput: null, cacheWrite: null, reasoning: null, perThousandRequests: null };
    expect(draftOf(price).input).toBe('2.5, 5 from 272k');
    expect(priceOf({ ...draftOf(price), output: '16' }, price)).toStrictEqual({ price: { ...price, output: 16 } });
  });

  test('refuses what is no rate, naming the field', () => {
    expect([
      parseRate('', 'Input', true),
      parseRate('-1', 'Output', true),
      parseRate('abc', 'Output', true),
      parseRate('3, 6 over 200k', 'Input', true),
      parseRate('3, 6 above 200k, 9 above 100k', 'Input', true),
      parseRate('2000000', 'Input', true),
      parseRate('1e3', 'Input', true),
      parseRate('0x10', 'Output', true),
      parseRate('3, 6 above 0k', 'Input', true),
    ]).toStrictEqual([
      { error: 'Input is required' },
      { error: 'Output must be a number of dollars, 0 or more' },
      { error: 'Output must be a number of dollars, 0 or more' },
      { error: 'Input: write a tier as “6 above 200k” (dollars above an input size)' },
      { error: 'Input: list tiers from the smallest input size up, each once' },
      { error: 'Input is more than $1,000,000 per million tokens' },
      // A typo away from a thousand times the price: written out, or not at all.
      { error: 'Input is in exponent notation (1e3): write it out in digits, as 1000' },
      { error: 'Output must be a number of dollars, 0 or more' },
      { error: 'Input: a tier starts above some input size, such as 200k, not above 0' },
    ]);
  });

  test('says plainly that exponent notation is refused, with the number written out, in a tier too', () => {
    expect([parseRate('2.5E-7', 'Cached input', false), parseRate('$1e+2', 'Output', true), parseRate('3, 6e1 above 200k', 'Input', true), parseRate('1e9', 'Input', true)]).toStrictEqual([
      { error: 'Cached input is in exponent notation (2.5E-7): write it out in digits, as 0.00000025' },
      { error: 'Output is in exponent notation (1e+2): write it out in digits, as 100' },
      { error: 'Input is in exponent notation (6e1): write it out in digits, as 60' },
      { error: 'Input is more than $1,000,000 per million tokens' },
    ]);
  });

  test('Save refused says every invalid field’s own error at once; each goes as its field is fixed', () => {
    const draft = { ...draftOf(SONNET), input: '', output: 'abc', cacheWrite: '3.75, 7.5 over 200k' };
    const refused = priceOf(draft, SONNET);
    expect(refused).toStrictEqual({
      errors: {
        input: 'Input is required',
        output: 'Output must be a number of dollars, 0 or more',
        cacheWrite: 'Cache write: write a tier as “6 above 200k” (dollars above an input size)',
      },
    });
    if (!('errors' in refused)) throw new Error('refused');
    // Typing on: a fixed field's error goes, one still wrong says what is wrong now, an untouched field never gains one before Save.
    const typing = { ...draft, input: '4', output: '-1', cachedInput: 'x' };
    expect(errorsAfterChange(refused.errors, typing, SONNET)).toStrictEqual({
      output: 'Output must be a number of dollars, 0 or more',
      cacheWrite: 'Cache write: write a tier as “6 above 200k” (dollars above an input size)',
    });
    // Back to the rate as stored: no error, the stored tiers kept.
    expect(errorsAfterChange(refused.errors, { ...typing, output: '15', cacheWrite: '3.75, 7.5 above 200k', cachedInput: '0.3, 0.6 above 200k' }, SONNET)).toStrictEqual({});
  });

  test('a price added over one that exists (the catalog’s) keeps its rates the form left empty', () => {
    const added = priceOf({ ...EMPTY_DRAFT, input: '1', output: '2' }, null);
    if ('errors' in added) throw new Error(Object.values(added.errors).join('; '));
    const haiku = HAIKU_PRICE;
    expect([withRatesOf(added.price, haiku), withRatesOf(added.price, null)]).toStrictEqual([
      { input: 1, output: 2, cachedInput: 0.1, cacheWrite: 1.25, reasoning: null, perThousandRequests: null },
      added.price,
    ]);
    const typed = priceOf({ ...EMPTY_DRAFT, input: '1', output: '2', cachedInput: '0.2' }, null);
    if ('errors' in typed) throw new Error(Object.values(typed.errors).join('; '));
    expect(withRatesOf(typed.price, haiku).cachedInput).toBe(0.2);
  });

  test('the rates kept from the existing price keep their share of the input and output typed', () => {
    const added = (input: string, output: string, existing: Parameters<typeof withRatesOf>[1]) => {
      const parsed = priceOf({ ...EMPTY_DRAFT, input, output }, null);
      if ('errors' in parsed) throw new Error(Object.values(parsed.errors).join('; '));
      return withRatesOf(parsed.price, existing);
    };
    // Three times the input: a tenth of it for cache reads, 1.25 times it for writes, as the catalog has them.
    expect(added('3', '4', HAIKU_PRICE)).toStrictEqual({ input: 3, output: 4, cachedInput: 0.3, cacheWrite: 3.75, reasoning: null, perThousandRequests: null });
    // Free: no cache read or write dearer than the input it stands for.
    expect(added('0', '0', HAIKU_PRICE)).toStrictEqual({ input: 0, output: 0, cachedInput: 0, cacheWrite: 0, reasoning: null, perThousandRequests: null });
    // Tiers scale with their base; reasoning follows the output.
    const tiered = { input: { base: 2, tiers: [{ start: 200_000, price: 4 }] }, output: 10, cachedInput: { base: 0.2, tiers: [{ start: 200_000, price: 0.4 }] }, cacheWrite: null, reasoning: 12, perThousandRequests: null };
    expect(added('1', '5', tiered)).toStrictEqual({ input: 1, output: 5, cachedInput: { base: 0.1, tiers: [{ start: 200_000, price: 0.2 }] }, cacheWrite: null, reasoning: 6, perThousandRequests: null });
  });
});
