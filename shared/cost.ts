/**
 * Cost arithmetic: what a run's usage costs at a model's price. Pure functions, shared by the
 * engine (what a run is charged) and the renderer (live counters, what-ifs).
 *
 * Prices are USD per million tokens. Input is split into its parts: uncached input, cache reads
 * and cache writes, each at its own rate (a missing rate falls back to the input rate); output
 * into plain output and reasoning (a missing reasoning rate falls back to the output rate). A
 * tiered rate charges the whole count at the tier the request's total input tokens reach, as
 * the price catalog defines it. Results are rounded to 1e-12 USD so sums print cleanly.
 */

import type { ModelPrice, RunUsage, TokenRate } from './types';

/** The token counts a cost is computed from. */
export type BillableUsage = Omit<RunUsage, 'isEstimated'>;

/** A run's cost by part, in USD. */
export interface CostBreakdown {
  inputUsd: number;
  cachedInputUsd: number;
  cacheWriteUsd: number;
  outputUsd: number;
  reasoningUsd: number;
  requestUsd: number;
  totalUsd: number;
}

/** A price of zero for every part: what local models cost. */
export const FREE_PRICE: Readonly<ModelPrice> = Object.freeze({
  input: 0,
  output: 0,
  cachedInput: null,
  cacheWrite: null,
  reasoning: null,
  perThousandRequests: null,
});

/** A usage with every count at zero. */
export const NO_USAGE: Readonly<BillableUsage> = Object.freeze({
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
});

const MILLION = 1_000_000;

/** Rounds dollars to 1e-12, below any real price, so float noise never shows. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e12) / 1e12;
}

/** The USD-per-million rate of `rate` for a request of `inputTokens` total input tokens. */
export function rateAt(rate: TokenRate, inputTokens: number): number {
  if (typeof rate === 'number') return rate;
  let current = rate.base;
  for (const tier of [...rate.tiers].sort((left, right) => left.start - right.start)) {
    if (inputTokens > tier.start) current = tier.price;
  }
  return current;
}

/**
 * `rate` times `factor`, tiers and all, rounded to a millionth of a dollar: a cache rate kept in
 * the same proportion to a new input rate as it had to the old one.
 */
export function scaleRate(rate: TokenRate, factor: number): TokenRate {
  const scale = (value: number) => Math.round(value * factor * 1e6) / 1e6;
  if (typeof rate === 'number') return scale(rate);
  return { base: scale(rate.base), tiers: rate.tiers.map((tier) => ({ start: tier.start, price: scale(tier.price) })) };
}

/** How `part` compares with `whole` at the smallest inputs (their base rates); null when `whole` is free. */
export function rateRatio(part: TokenRate, whole: TokenRate): number | null {
  const base = rateAt(whole, 0);
  return base > 0 ? rateAt(part, 0) / base : null;
}

/** What `usage` costs at `price`, part by part. */
export function costBreakdown(usage: BillableUsage, price: ModelPrice): CostBreakdown {
  const size = usage.inputTokens;
  const charge = (tokens: number, rate: TokenRate) => (tokens <= 0 ? 0 : (tokens * rateAt(rate, size)) / MILLION);
  const uncached = Math.max(0, usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens);
  const reasoning = price.reasoning === null ? 0 : Math.min(usage.reasoningTokens, usage.outputTokens);
  const parts = {
    inputUsd: charge(uncached, price.input),
    cachedInputUsd: charge(usage.cachedInputTokens, price.cachedInput ?? price.input),
    cacheWriteUsd: charge(usage.cacheWriteTokens, price.cacheWrite ?? price.input),
    outputUsd: charge(usage.outputTokens - reasoning, price.output),
    reasoningUsd: price.reasoning === null ? 0 : charge(reasoning, price.reasoning),
    requestUsd: (price.perThousandRequests ?? 0) / 1000,
  };
  const total = Object.values(parts).reduce((sum, part) => sum + part, 0);
  return {
    inputUsd: roundUsd(parts.inputUsd),
    cachedInputUsd: roundUsd(parts.cachedInputUsd),
    cacheWriteUsd: roundUsd(parts.cacheWriteUsd),
    outputUsd: roundUsd(parts.outputUsd),
    reasoningUsd: roundUsd(parts.reasoningUsd),
    requestUsd: roundUsd(parts.requestUsd),
    totalUsd: roundUsd(total),
  };
}

/** What `usage` costs at `price`; null when there is no price (unknown, never zero). */
export function costOf(usage: BillableUsage, price: ModelPrice | null): number | null {
  return price === null ? null : costBreakdown(usage, price).totalUsd;
}

/** What a request of `inputTokens` with `outputTokens` of answer would cost (no cache assumed). */
export function estimateCost(inputTokens: number, outputTokens: number, price: ModelPrice | null): number | null {
  return costOf({ ...NO_USAGE, inputTokens, outputTokens }, price);
}

/** The sum of the known costs; unknown (null) ones are left out, not counted as zero by the caller's reading. */
export function sumKnownCosts(costs: readonly (number | null)[]): number {
  return roundUsd(costs.reduce<number>((sum, cost) => sum + (cost ?? 0), 0));
}

/**
 * How far `spentUsd + batchUsd` would go over `budgetUsd`, or null when it fits, costs nothing,
 * or there is no budget. Reaching the budget exactly fits.
 */
export function budgetOverage(budgetUsd: number | null, spentUsd: number, batchUsd: number): number | null {
  // A batch that costs nothing (local models, say) never breaks a budget, even one already spent.
  if (budgetUsd === null || batchUsd <= 0) return null;
  const over = roundUsd(spentUsd + batchUsd - budgetUsd);
  return over > 0 ? over : null;
}

/** Whether a usage's input is an estimate: as the rest of it, unless the provider counted the input alone (a stopped Anthropic run). */
export function isInputEstimated(usage: Pick<RunUsage, 'isEstimated' | 'isInputEstimated'>): boolean {
  return usage.isInputEstimated ?? usage.isEstimated;
}

/** Output tokens per second; null when there is no output or no time to divide by. */
export function tokensPerSecond(outputTokens: number, milliseconds: number | null): number | null {
  if (milliseconds === null || milliseconds <= 0 || outputTokens <= 0) return null;
  return (outputTokens * 1000) / milliseconds;
}

/**
 * Dollars for people: two decimals from a cent up, two significant digits below it, so a
 * fraction of a cent never reads as $0.00.
 */
export function formatUsd(usd: number): string {
  const sign = usd < 0 ? '-' : '';
  // Twelve digits drop what binary arithmetic adds (30 × $2.50/M + 12 × $10/M is 0.00019499999999999997, not 0.000195).
  const amount = Number(Math.abs(usd).toPrecision(12));
  if (amount < 1e-12) return '$0.00';
  const rounded = roundDecimal(amount, 1 - Math.floor(Math.log10(amount)));
  // Cents from ten cents up; below, two significant digits ($0.012, not $0.01, for a call that cost $0.0118).
  if (rounded >= 0.1) return `${sign}$${roundDecimal(amount, 2).toFixed(2)}`;
  // Two significant digits: as many decimals as the first digit needs, plus one.
  const decimals = 1 - Math.floor(Math.log10(rounded));
  return `${sign}$${roundDecimal(amount, decimals).toFixed(decimals)}`;
}

/**
 * `value` rounded half up at `decimals` places, as a person rounds its decimal digits: the
 * scaling is done on the written exponent, so 1.005 goes to 1.01 (1.005 × 100 is 100.49999...).
 */
function roundDecimal(value: number, decimals: number): number {
  const [mantissa, exponent = '0'] = String(value).split('e');
  const scaled = Math.round(Number(`${mantissa}e${Number(exponent) + decimals}`));
  return Number(`${scaled}e${-decimals}`);
}

/** Budgets as money: cents always, finer digits only where the amount has them, none past a millionth. */
const budgetFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 6 });

/**
 * A budget as people write money: "$5.00", "$1,250.00", and a budget under a cent as set
 * ("$0.001", not "$0.0010"), never rounded to a different amount than the one saved.
 */
export function formatBudgetUsd(usd: number): string {
  return budgetFormat.format(usd);
}
