/**
 * Prices for people: USD per million tokens, tiers spelled out, and where a price came from.
 */

import { assertNever } from '../../../shared/assert-never';
import { rateRatio, scaleRate, type BillableUsage } from '../../../shared/cost';
import type { ModelPrice, PriceChange, PriceSource, ResolvedPrice, TokenRate } from '../../../shared/types';

/** A rate a price may have per million tokens. */
export type RateKey = 'input' | 'output' | 'cachedInput' | 'cacheWrite' | 'reasoning';

/** A rate as the Prices table names it (its column is "Cached / 1M") and what an empty one is charged at, in table order. */
export interface RateName {
  key: RateKey;
  name: string;
  /** What an empty rate is charged at, as its cell says; null for a rate every price has. */
  fallback: string | null;
}

/** The rates, in the Prices table's words and order. */
export const RATE_NAMES: readonly RateName[] = [
  { key: 'input', name: 'Input', fallback: null },
  { key: 'output', name: 'Output', fallback: null },
  { key: 'cachedInput', name: 'Cached', fallback: '= input' },
  { key: 'cacheWrite', name: 'Cache write', fallback: '= input' },
  { key: 'reasoning', name: 'Reasoning', fallback: '= output' },
];

/** A per-million rate ("$0.15"; tiered: "$1.25, $2.50 above 200k"). */
export function rateText(rate: TokenRate | null): string {
  if (rate === null) return '–';
  if (typeof rate === 'number') return `$${trimZeros(rate)}`;
  const tiers = [...rate.tiers].sort((left, right) => left.start - right.start).map((tier) => `$${trimZeros(tier.price)} ${tierStartText(tier.start)}`);
  return [`$${trimZeros(rate.base)}`, ...tiers].join(', ');
}

/** A rate as price lists write it: whole dollars bare ("$3"), cents always two places ("$0.10", "$2.50"), finer ones as given ("$0.075"). */
function trimZeros(value: number): string {
  const text = Number(value.toFixed(6)).toString();
  const [whole, fraction] = text.split('.');
  return fraction === undefined ? text : `${whole}.${fraction.padEnd(2, '0')}`;
}

/**
 * Where a tier starts, as people say it: "above 200k" (it charges requests of more input tokens
 * than its start). A start one below a round size, as catalogs write "272k and up" (271999),
 * reads "from 272k".
 */
export function tierStartText(start: number): string {
  return start > 0 && (start + 1) % 1000 === 0 ? `from ${roundCount(start + 1)}` : `above ${roundCount(start)}`;
}

/** A token count, short where it is round: "200k", "1M", else its digits. */
function roundCount(count: number): string {
  if (count >= 1_000_000 && count % 1_000_000 === 0) return `${count / 1_000_000}M`;
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

/**
 * A price as saved, in the Prices table's words: "Input $4 · Output $5; the catalog’s: Cached
 * $0.10 · Cache write $1.25". Every rate the price has is said; a rate the same as the catalog's
 * is said to be the catalog's; an empty rate ("Cached = input") is said only where the catalog
 * has a rate for it, since emptying it changed what is charged.
 */
export function priceStatement(price: ModelPrice, catalogPrice: ModelPrice | null): string {
  const own: string[] = [];
  const catalogs: string[] = [];
  const add = (text: string, isSet: boolean, isCatalogs: boolean) => {
    if (catalogPrice === null ? isSet : !isCatalogs) own.push(text);
    else if (isCatalogs && isSet) catalogs.push(text);
  };
  for (const { key, name, fallback } of RATE_NAMES) {
    const rate = price[key];
    const share = catalogPrice === null || rate === null ? null : catalogShare(price, catalogPrice, key);
    const text = `${name} ${rate === null ? fallback : rateText(rate)}`;
    add(share === null ? text : `${text} (${share})`, rate !== null, catalogPrice !== null && rateText(rate) === rateText(catalogPrice[key]));
  }
  const fee = price.perThousandRequests;
  add(fee === null ? 'no fee per 1K requests' : `$${trimZeros(fee)} per 1K requests`, fee !== null, fee === (catalogPrice?.perThousandRequests ?? null));
  if (catalogs.length === 0) return own.join(' · ');
  return own.length === 0 ? `The catalog’s: ${catalogs.join(' · ')}` : `${own.join(' · ')}; the catalog’s: ${catalogs.join(' · ')}`;
}

/** The rate a cache or reasoning rate belongs to: what it is a share of. */
const PARENT_RATE: Partial<Record<RateKey, 'input' | 'output'>> = { cachedInput: 'input', cacheWrite: 'input', reasoning: 'output' };

/**
 * "0.1× input, as the catalog’s" when `price`'s rate of `key` is the catalog's share of a parent
 * rate the user changed (a price added over the catalog's keeps its proportions); else null.
 */
function catalogShare(price: ModelPrice, catalogPrice: ModelPrice, key: RateKey): string | null {
  const parent = PARENT_RATE[key];
  const catalogRate = catalogPrice[key];
  if (parent === undefined || catalogRate === null) return null;
  const factor = rateRatio(price[parent], catalogPrice[parent]);
  const share = rateRatio(catalogRate, catalogPrice[parent]);
  if (factor === null || factor === 1 || share === null) return null;
  if (rateText(price[key]) !== rateText(scaleRate(catalogRate, factor))) return null;
  return `${Number(share.toFixed(3))}× ${parent}, as the catalog’s`;
}

/** What a price toast says was done. */
export type PriceAction = 'saved' | 'added' | 'replaced' | 'reset';

/**
 * A toast about a model's price, in two lines: what was done, then the price now in force as
 * the Prices table writes it, saying which rates are the catalog's.
 */
export function priceChangeText(model: string, action: PriceAction, change: PriceChange): string {
  const { resolved, catalogPrice } = change;
  if (resolved.price === null) return `Removed your price for ${model}: it has no price now, so its runs’ cost shows as unknown`;
  const statement = priceStatement(resolved.price, catalogPrice);
  switch (action) {
    case 'saved':
      return `Saved your price for ${model}, per 1M tokens:\n${statement}`;
    case 'added':
      return catalogPrice === null ? `Added your price for ${model}, per 1M tokens:\n${statement}` : `Your price for ${model} now stands in for the catalog’s, per 1M tokens:\n${statement}`;
    case 'replaced':
      return `Replaced your price for ${model}, per 1M tokens:\n${statement}`;
    case 'reset':
      if (resolved.source === 'local') return `Removed your price for ${model}: as a local model, it costs $0 now`;
      return `${model} is back at the catalog’s price, per 1M tokens:\n${priceStatement(resolved.price, null)}`;
    default:
      return assertNever(action, 'price action');
  }
}

/**
 * A run's price as its cost rows show it, one rate a row, so the cost can be checked by hand:
 * input and output always; cache reads, cache writes and reasoning where the price has a rate
 * for them or the run used them (then saying which rate they were charged at).
 */
export function priceRows(resolved: ResolvedPrice, usage: BillableUsage): [string, string][] {
  const { price } = resolved;
  if (price === null) return [['Price', 'no price for this model']];
  // A rate left empty falls back to its parent's: said only where the run had such tokens.
  const optional = (label: string, rate: TokenRate | null, tokens: number, fallback: string): [string, string][] => {
    if (rate !== null) return [[label, rateText(rate)]];
    return tokens > 0 ? [[label, fallback]] : [];
  };
  const rows: [string, string][] = [
    ['Input / 1M', rateText(price.input)],
    ...optional('Cached input / 1M', price.cachedInput, usage.cachedInputTokens, '= input'),
    ...optional('Cache write / 1M', price.cacheWrite, usage.cacheWriteTokens, '= input'),
    ['Output / 1M', rateText(price.output)],
    ...optional('Reasoning / 1M', price.reasoning, usage.reasoningTokens, 'billed as output'),
  ];
  if (price.perThousandRequests !== null) rows.push(['Per 1K requests', `$${trimZeros(price.perThousandRequests)}`]);
  rows.push(['Price from', `${sourceLabel(resolved.source)}${resolved.catalogModel ? ` (${resolved.catalogModel})` : ''}`]);
  return rows;
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
