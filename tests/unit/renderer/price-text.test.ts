/**
 * Prices as people read them on price lists: per million tokens, whole dollars bare, cents in two
 * places, finer rates as given, tiers spelled out.
 */

import { describe, expect, test } from 'vitest';
import { priceChangeText, priceRatesText, priceRows, rateText } from '../../../renderer/features/pricing/price-text';
import { NO_USAGE } from '../../../shared/cost';
import type { ModelPrice, PriceChange } from '../../../shared/types';
import { HAIKU_PRICE as HAIKU, SONNET_PRICE as SONNET } from '../catalog-prices';

describe('price text', () => {
  test('writes rates as price lists do', () => {
    expect([3, 0.1, 2.5, 0.15, 0.075, 0.0375, 1.25].map((rate) => rateText(rate))).toStrictEqual(['$3', '$0.10', '$2.50', '$0.15', '$0.075', '$0.0375', '$1.25']);
    expect(rateText(null)).toBe('–');
  });

  test('spells out tiers, above a rounded count', () => {
    expect(rateText({ base: 1.25, tiers: [{ start: 200_000, price: 2.5 }] })).toBe('$1.25, $2.50 above 200k');
    // The catalog writes "272K tokens and up" as a start of 271999 (it charges counts above the start).
    expect(rateText({ base: 2.5, tiers: [{ start: 271_999, price: 5 }, { start: 999_999, price: 7 }, { start: 1500, price: 1 }] })).toBe('$2.50, $1 above 1500, $5 from 272k, $7 from 1M');
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

  test('a price toast says what was done, then the price as saved in the Prices table’s words, the catalog’s rates said to be the catalog’s', () => {
    const flat: ModelPrice = { input: 1, output: 2, cachedInput: null, cacheWrite: null, reasoning: null, perThousandRequests: null };
    const yours = (price: ModelPrice, catalogPrice: ModelPrice | null): PriceChange => ({ resolved: { price, source: 'override', catalogModel: null }, catalogPrice });
    expect({
      editedInput: priceChangeText('claude-haiku-4-5', 'saved', yours({ ...HAIKU, input: 4 }, HAIKU)),
      editedTier: priceChangeText('claude-sonnet-4-5', 'saved', yours({ ...SONNET, output: { base: 18, tiers: [{ start: 200_000, price: 22.5 }] } }, SONNET)),
      unchanged: priceChangeText('claude-haiku-4-5', 'saved', yours(HAIKU, HAIKU)),
      cacheEmptied: priceChangeText('claude-haiku-4-5', 'saved', yours({ ...HAIKU, cachedInput: null, reasoning: 6 }, HAIKU)),
      addedOverCatalog: priceChangeText('claude-haiku-4-5', 'added', yours({ ...HAIKU, input: 3, output: 4 }, HAIKU)),
      addedKeepingShares: priceChangeText('claude-haiku-4-5', 'added', yours({ ...HAIKU, input: 3, output: 4, cachedInput: 0.3, cacheWrite: 3.75 }, HAIKU)),
      addedNew: priceChangeText('my-finetune', 'added', yours({ ...flat, cacheWrite: 1.5, perThousandRequests: 5 }, null)),
      replaced: priceChangeText('my-finetune', 'replaced', yours(flat, null)),
      reset: priceChangeText('claude-sonnet-4-5', 'reset', { resolved: { price: SONNET, source: 'catalog', catalogModel: 'claude-sonnet-4-5' }, catalogPrice: SONNET }),
      removedLocal: priceChangeText('llama3.2', 'reset', { resolved: { price: { ...flat, input: 0, output: 0 }, source: 'local', catalogModel: null }, catalogPrice: null }),
      removed: priceChangeText('my-finetune', 'reset', { resolved: { price: null, source: 'none', catalogModel: null }, catalogPrice: null }),
    }).toStrictEqual({
      editedInput: 'Saved your price for claude-haiku-4-5, per 1M tokens:\nInput $4; the catalog’s: Output $5 · Cached $0.10 · Cache write $1.25',
      editedTier: 'Saved your price for claude-sonnet-4-5, per 1M tokens:\nOutput $18, $22.50 above 200k; the catalog’s: Input $3, $6 above 200k · Cached $0.30, $0.60 above 200k · Cache write $3.75, $7.50 above 200k',
      unchanged: 'Saved your price for claude-haiku-4-5, per 1M tokens:\nThe catalog’s: Input $1 · Output $5 · Cached $0.10 · Cache write $1.25',
      // Emptied where the catalog has a rate: said, as the table says it.
      cacheEmptied: 'Saved your price for claude-haiku-4-5, per 1M tokens:\nCached = input · Reasoning $6; the catalog’s: Input $1 · Output $5 · Cache write $1.25',
      addedOverCatalog: 'Your price for claude-haiku-4-5 now stands in for the catalog’s, per 1M tokens:\nInput $3 · Output $4; the catalog’s: Cached $0.10 · Cache write $1.25',
      // Kept in the catalog's proportion to the input typed: said so, with the share.
      addedKeepingShares: 'Your price for claude-haiku-4-5 now stands in for the catalog’s, per 1M tokens:\nInput $3 · Output $4 · Cached $0.30 (0.1× input, as the catalog’s) · Cache write $3.75 (1.25× input, as the catalog’s)',
      addedNew: 'Added your price for my-finetune, per 1M tokens:\nInput $1 · Output $2 · Cache write $1.50 · $5 per 1K requests',
      replaced: 'Replaced your price for my-finetune, per 1M tokens:\nInput $1 · Output $2',
      reset: 'claude-sonnet-4-5 is back at the catalog’s price, per 1M tokens:\nInput $3, $6 above 200k · Output $15, $22.50 above 200k · Cached $0.30, $0.60 above 200k · Cache write $3.75, $7.50 above 200k',
      removedLocal: 'Removed your price for llama3.2: as a local model, it costs $0 now',
      removed: 'Removed your price for my-finetune: it has no price now, so its runs’ cost shows as unknown',
    });
  });
});
