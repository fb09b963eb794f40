/**
 * Prices for people: USD per million tokens, tiers spelled out, and where a price came from.
 */

import { assertNever } from '../../../shared/assert-never';
import type { ModelPrice, PriceSource, ResolvedPrice, TokenRate } from '../../../shared/types';

/** A per-million rate ("$0.15"; tiered: "$1.25, $2.50 above 200k"). */
export function rateText(rate: TokenRate | null): string {
  if (rate === null) return '–';
  if (typeof rate === 'number') return `$${trimZeros(rate)}`;
  const tiers = [...rate.tiers].sort((left, right) => left.start - right.start).map((tier) => `$${trimZeros(tier.price)} above ${shortCount(tier.start)}`);
  return [`$${trimZeros(rate.base)}`, ...tiers].join(', ');
}

/** A rate as price lists write it: whole dollars bare ("$3"), cents always two places ("$0.10", "$2.50"), finer ones as given ("$0.075"). */
function trimZeros(value: number): string {
  const text = Number(value.toFixed(6)).toString();
  const [whole, fraction] = text.split('.');
  return fraction === undefined ? text : `${whole}.${fraction.padEnd(2, '0')}`;
}

function shortCount(count: number): string {
  return count >= 1000 && count % 1000 === 0 ? `${count / 1000}k` : String(count);
}

/** "in / out" per million tokens, or "no price". */
export function priceSummary(resolved: ResolvedPrice): string {
  if (resolved.price === null) return 'no price';
  return `${rateText(resolved.price.input)} / ${rateText(resolved.price.output)}`;
}

/**
 * Every rate of a price on one line, for comparing two: "in $1 · out $5 · cached $0.10 ·
 * cache write $1.25"; a rate left to fall back (cache to input, reasoning to output) is left out.
 */
export function priceRatesText(price: ModelPrice | null): string {
  if (price === null) return 'no price';
  const parts: [string, TokenRate | null][] = [
    ['in', price.input],
    ['out', price.output],
    ['cached', price.cachedInput],
    ['cache write', price.cacheWrite],
    ['reasoning', price.reasoning],
  ];
  const rates = parts.filter(([, rate]) => rate !== null).map(([label, rate]) => `${label} ${rateText(rate)}`);
  if (price.perThousandRequests !== null) rates.push(`$${trimZeros(price.perThousandRequests)} per 1K requests`);
  return rates.join(' · ');
}

/** Where a price came from, in a word. */
export function sourceLabel(source: PriceSource): string {
  switch (source) {
    case 'catalog':
      return 'catalog';
    case 'override':
      return 'yours';
    case 'local':
      return 'local';
    case 'none':
      return 'none';
    default:
      return assertNever(source, 'price source');
  }
}
