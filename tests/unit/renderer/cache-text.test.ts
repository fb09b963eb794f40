/**
 * The cache's "Saved" never counts a hit on a model without a price as $0: it names them.
 */

import { describe, expect, test } from 'vitest';
import { cacheSavedText } from '../../../renderer/features/cache/cache-text';

describe('cache saved text', () => {
  test('priced hits only, some unpriced, all unpriced, none', () => {
    expect([
      cacheSavedText({ savedUsd: 0.4213, hits: 9, unpricedHits: 0 }),
      cacheSavedText({ savedUsd: 0.4213, hits: 9, unpricedHits: 1 }),
      cacheSavedText({ savedUsd: 0.0021, hits: 1200, unpricedHits: 1100 }),
      cacheSavedText({ savedUsd: 0, hits: 1, unpricedHits: 1 }),
      cacheSavedText({ savedUsd: 0, hits: 3, unpricedHits: 3 }),
      cacheSavedText({ savedUsd: 0, hits: 0, unpricedHits: 0 }),
    ]).toStrictEqual([
      '$0.42',
      '$0.42, not counting 1 hit on models without a price',
      '$0.0021, not counting 1,100 hits on models without a price',
      'unknown: the hit was on a model without a price',
      'unknown: all 3 hits were on models without a price',
      '$0.00',
    ]);
  });
});
