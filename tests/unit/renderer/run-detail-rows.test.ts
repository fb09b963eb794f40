/**
 * A stored run's Usage and Cost facts: the input's cache reads and writes in one parenthesis,
 * and every rate the run was charged at, so its cost can be checked by hand.
 */

import { describe, expect, test } from 'vitest';
import { costRows, usageRows } from '../../../renderer/features/history/run-detail-rows';
import { costOf, formatUsd } from '../../../shared/cost';
import type { ModelPrice } from '../../../shared/types';
import { run } from './run-records';

const HAIKU: ModelPrice = { input: 1, output: 5, cachedInput: 0.1, cacheWrite: 1.25, reasoning: null, perThousandRequests: null };

describe('a run’s usage and cost facts', () => {
  test('a Claude run: its cache reads and writes in one parenthesis, and the cache-write rate its cost used', () => {
    const usage = { inputTokens: 2893, cachedInputTokens: 1157, cacheWriteTokens: 578, outputTokens: 61, reasoningTokens: 0, isEstimated: false };
    const cost = costOf(usage, HAIKU) as number;
    const claude = run({ model: 'claude-haiku-4-5', usage, costUsd: cost, price: { price: HAIKU, source: 'catalog', catalogModel: 'claude-haiku-4-5' } });
    expect(usageRows(claude.usage)).toStrictEqual([
      ['Input', '2,893 (1,157 cached, 578 written to cache)'],
      ['Output', '61'],
      ['Counted by', 'the provider'],
    ]);
    expect(costRows(claude)).toStrictEqual([
      ['Cost', formatUsd(cost)],
      ['Input / 1M', '$1'],
      ['Cached input / 1M', '$0.10'],
      ['Cache write / 1M', '$1.25'],
      ['Output / 1M', '$5'],
      ['Price from', 'catalog (claude-haiku-4-5)'],
    ]);
    // By hand: (2,893 − 1,157 − 578) × $1 + 1,157 × $0.10 + 578 × $1.25 + 61 × $5, per million.
    expect(cost).toBeCloseTo((1158 * 1 + 1157 * 0.1 + 578 * 1.25 + 61 * 5) / 1e6, 12);
  });

  test('only cache reads, or none, need no comma; a model without a price says so', () => {
    expect(usageRows({ ...run().usage, inputTokens: 1187, cachedInputTokens: 1024 })[0]).toStrictEqual(['Input', '1,187 (1,024 cached)']);
    expect(usageRows(run().usage)[0]).toStrictEqual(['Input', '400']);
    expect(costRows(run({ costUsd: null, price: { price: null, source: 'none', catalogModel: null } }))).toStrictEqual([
      ['Cost', 'no price'],
      ['Price', 'no price for this model'],
    ]);
  });
});
