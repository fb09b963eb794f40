/**
 * The response cache's figures in words, as Settings shows them.
 */

import { formatUsd } from '../../../shared/cost';
import type { CacheStats } from '../../../shared/types';
import { formatNumber } from '../../lib/format';

/** What the hits saved; hits on models without a price are named, not counted as $0. */
export function cacheSavedText(stats: Pick<CacheStats, 'savedUsd' | 'hits' | 'unpricedHits'>): string {
  const saved = formatUsd(stats.savedUsd);
  if (stats.unpricedHits === 0) return saved;
  const hits = stats.unpricedHits === 1 ? '1 hit' : `${formatNumber(stats.unpricedHits)} hits`;
  if (stats.unpricedHits === stats.hits) return stats.hits === 1 ? 'unknown: the hit was on a model without a price' : `unknown: all ${hits} were on models without a price`;
  return `${saved}, not counting ${hits} on models without a price`;
}
