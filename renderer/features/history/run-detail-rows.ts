/**
 * The Usage and Cost facts of a stored run, as its detail lists them: every token count the
 * provider reported, and every rate the run was charged at, so its cost can be checked by hand.
 */

import { isInputEstimated } from '../../../shared/cost';
import type { RunRecord, RunUsage } from '../../../shared/types';
import { formatNumber } from '../../lib/format';
import { priceRows } from '../pricing/price-text';
import { figureText, savedText, storedCost } from '../runs/run-figures';

/** Who counted a run's usage: the provider, the local tokenizer, or the provider the input and the tokenizer the rest. */
function countedBy(usage: RunUsage): string {
  if (!usage.isEstimated) return 'the provider';
  return isInputEstimated(usage) ? 'the local tokenizer (estimate)' : 'the provider (input); the local tokenizer (output, estimate)';
}

/** The usage rows: "Input 2,893 (1,157 cached, 578 written to cache)", the output with its reasoning, who counted. */
export function usageRows(usage: RunUsage): [string, string][] {
  const inputParts = [
    ...(usage.cachedInputTokens > 0 ? [`${formatNumber(usage.cachedInputTokens)} cached`] : []),
    ...(usage.cacheWriteTokens > 0 ? [`${formatNumber(usage.cacheWriteTokens)} written to cache`] : []),
  ];
  return [
    ['Input', `${isInputEstimated(usage) ? '~' : ''}${formatNumber(usage.inputTokens)}${inputParts.length > 0 ? ` (${inputParts.join(', ')})` : ''}`],
    ['Output', `${usage.isEstimated ? '~' : ''}${formatNumber(usage.outputTokens)}${usage.reasoningTokens > 0 ? ` (${formatNumber(usage.reasoningTokens)} reasoning)` : ''}`],
    ['Counted by', countedBy(usage)],
  ];
}

/** The cost rows: the cost, each rate it was charged at (see `priceRows`), where the price came from, and what a cache hit saved. */
export function costRows(run: RunRecord): [string, string][] {
  return [['Cost', figureText(storedCost(run))], ...priceRows(run.price, run.usage), ...(run.isCacheHit ? ([['Saved', savedText(run.savedUsd)]] as [string, string][]) : [])];
}
