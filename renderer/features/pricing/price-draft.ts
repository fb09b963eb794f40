/**
 * A price as the Prices form edits it: one text per rate, written as the table shows it
 * ("3", or tiered "3, 6 above 200k"), parsed back on Save.
 *
 * What the user leaves as it was stays exactly as it was: a rate whose text is unchanged is
 * kept as stored, tiers and all, and the parts the form has no field for (the per-request
 * fee) are kept from the price being edited.
 */

import { rateRatio, scaleRate } from '../../../shared/cost';
import { tierStartText } from './price-text';
import type { ModelPrice, TokenRate } from '../../../shared/types';

/** The rates the form edits, as typed: dollars per million tokens, tiers spelled out. */
export interface PriceDraft {
  input: string;
  output: string;
  cachedInput: string;
  cacheWrite: string;
  reasoning: string;
}

/** Each rate of the draft, in the form's order: its name in messages, and whether it may be left empty. */
const DRAFT_RATES: Readonly<Record<keyof PriceDraft, { label: string; isRequired: boolean }>> = {
  input: { label: 'Input', isRequired: true },
  output: { label: 'Output', isRequired: true },
  cachedInput: { label: 'Cached input', isRequired: false },
  cacheWrite: { label: 'Cache write', isRequired: false },
  reasoning: { label: 'Reasoning', isRequired: false },
};

const DRAFT_KEYS = Object.keys(DRAFT_RATES) as (keyof PriceDraft)[];

/** A draft with every field empty, for a new price. */
export const EMPTY_DRAFT: Readonly<PriceDraft> = Object.freeze({ input: '', output: '', cachedInput: '', cacheWrite: '', reasoning: '' });

/** The most tiers a rate may have (the bridge refuses more). */
const MAX_TIERS = 16;

/** The highest rate accepted, in dollars per million tokens: more is a typo. */
const MAX_RATE = 1_000_000;

/** A rate as the form writes it: "0.3", or tiered "3, 6 above 200k". */
export function rateInputText(rate: TokenRate | null): string {
  if (rate === null) return '';
  if (typeof rate === 'number') return String(rate);
  const tiers = [...rate.tiers].sort((left, right) => left.start - right.start).map((tier) => `${tier.price} ${tierStartText(tier.start)}`);
  return [String(rate.base), ...tiers].join(', ');
}


/** The draft of `price` (empty fields for a new one). */
export function draftOf(price: ModelPrice | null): PriceDraft {
  return {
    input: rateInputText(price?.input ?? null),
    output: rateInputText(price?.output ?? null),
    cachedInput: rateInputText(price?.cachedInput ?? null),
    cacheWrite: rateInputText(price?.cacheWrite ?? null),
    reasoning: rateInputText(price?.reasoning ?? null),
  };
}

/** Dollars as people write them: digits with an optional fraction ("3", "0.30", ".5"); nothing else JavaScript would take for a number ("1e3", "0x10"). */
const DOLLARS = /^(?:\d+(?:\.\d+)?|\.\d+)$/;

/** A number in exponent notation ("1e3", "2.5E-7"): refused, since one slip of its exponent is a price a thousand times off. */
const EXPONENT = /^(?:\d+(?:\.\d*)?|\.\d+)e[+-]?\d+$/i;

function dollars(text: string, label: string): { value: number } | { error: string } {
  const trimmed = text.trim().replace(/^\$\s*/, '');
  if (EXPONENT.test(trimmed)) {
    const meant = Number(trimmed);
    if (meant > MAX_RATE) return { error: `${label} is more than $1,000,000 per million tokens` };
    return { error: `${label} is in exponent notation (${trimmed}): write it out in digits, as ${meant.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 100 })}` };
  }
  const value = DOLLARS.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isFinite(value) || value < 0) return { error: `${label} must be a number of dollars, 0 or more` };
  if (value > MAX_RATE) return { error: `${label} is more than $1,000,000 per million tokens` };
  return { value };
}

function tokenCount(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*([kKmM]?)$/.exec(text.trim().replace(/,/g, ''));
  if (match === null) return null;
  const scale = match[2].toLowerCase() === 'k' ? 1000 : match[2].toLowerCase() === 'm' ? 1_000_000 : 1;
  const count = Number(match[1]) * scale;
  return Number.isInteger(count) ? count : null;
}

/**
 * Parses a rate typed in dollars per million tokens: "3", "$0.30", or tiered
 * "3, 6 above 200k" (the whole request charged at the highest tier its input tokens exceed).
 * Null for an empty field; an error message when the text is no rate.
 */
export function parseRate(text: string, label: string, isRequired: boolean): { value: TokenRate | null } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return isRequired ? { error: `${label} is required` } : { value: null };
  const [first, ...rest] = trimmed.split(/\s*,\s*(?=\$?\s*\d)/);
  const base = dollars(first, label);
  if ('error' in base) return base;
  if (rest.length === 0) return { value: base.value };
  if (rest.length > MAX_TIERS) return { error: `${label} has more than ${MAX_TIERS} tiers` };
  const tiers: { start: number; price: number }[] = [];
  for (const part of rest) {
    // "6 from 272k" is "6 above 271999": a request of 272,000 input tokens is in the tier.
    const match = /^(.*?)\s+(above|from)\s+(.+?)(?:\s+tokens)?$/i.exec(part);
    const count = match === null ? null : tokenCount(match[3]);
    const start = match === null || count === null ? null : match[2].toLowerCase() === 'from' ? Math.max(0, count - 1) : count;
    if (match === null || start === null) return { error: `${label}: write a tier as “6 above 200k” (dollars above an input size)` };
    const price = dollars(match[1], label);
    if ('error' in price) return price;
    // A tier from 0 tokens would stand in for the base rate on every request.
    if (start === 0) return { error: `${label}: a tier starts above some input size, such as 200k, not above 0` };
    if (tiers.length > 0 && start <= tiers[tiers.length - 1].start) return { error: `${label}: list tiers from the smallest input size up, each once` };
    tiers.push({ start, price: price.value });
  }
  return { value: { base: base.value, tiers } };
}

/** What is wrong with a draft, by field: each invalid field's own message. */
export type DraftErrors = Partial<Record<keyof PriceDraft, string>>;

/** The rate a field of the draft stands for: `base`'s as stored while the field reads as `base`'s draft wrote it, else parsed. */
function readField(draft: PriceDraft, key: keyof PriceDraft, base: ModelPrice | null): { value: TokenRate | null } | { error: string } {
  const { label, isRequired } = DRAFT_RATES[key];
  if (base !== null && draft[key].trim() === draftOf(base)[key]) return { value: base[key] };
  return parseRate(draft[key], label, isRequired);
}

/** The error of one field of the draft as it reads now, or null: for clearing a field's error as it is fixed. */
function fieldError(draft: PriceDraft, key: keyof PriceDraft, base: ModelPrice | null): string | null {
  const read = readField(draft, key, base);
  return 'error' in read ? read.error : null;
}

/**
 * The errors still standing once the user changed the draft: a field that had one is checked
 * again as it reads now (its error goes once it is fixed); the others wait for the next Save.
 */
export function errorsAfterChange(errors: DraftErrors, draft: PriceDraft, base: ModelPrice | null): DraftErrors {
  const next: DraftErrors = {};
  for (const key of DRAFT_KEYS) {
    const error = errors[key] === undefined ? null : fieldError(draft, key, base);
    if (error !== null) next[key] = error;
  }
  return next;
}

/**
 * The price a draft describes, or every invalid field's error at once. A field left as
 * `base`'s draft wrote it keeps `base`'s rate as stored (so Save after changing only the output
 * rate keeps the input's tiers); the fee per thousand requests, which the form does not show, is
 * kept from `base`.
 */
export function priceOf(draft: PriceDraft, base: ModelPrice | null): { price: ModelPrice } | { errors: DraftErrors } {
  const rates: Partial<Record<keyof PriceDraft, TokenRate | null>> = {};
  const errors: DraftErrors = {};
  for (const key of DRAFT_KEYS) {
    const read = readField(draft, key, base);
    if ('error' in read) errors[key] = read.error;
    else rates[key] = read.value;
  }
  if (Object.keys(errors).length > 0) return { errors };
  return {
    price: {
      input: rates.input as TokenRate,
      output: rates.output as TokenRate,
      cachedInput: rates.cachedInput ?? null,
      cacheWrite: rates.cacheWrite ?? null,
      reasoning: rates.reasoning ?? null,
      perThousandRequests: base?.perThousandRequests ?? null,
    },
  };
}

/**
 * A price added for a model that has one already (the catalog's, say): the rates the form left
 * empty (cached input, cache writes, reasoning) follow the existing price's, not the input's or
 * the output's; only what was typed changes. They keep their proportion to the rate they belong
 * to, as providers set them (cache reads a tenth of input, writes 1.25 times it): input typed at
 * $3 where it was $1 makes a $0.10 cache read $0.30, and input typed at $0 makes it $0, never a
 * cache read dearer than the input it saves.
 */
export function withRatesOf(price: ModelPrice, existing: ModelPrice | null): ModelPrice {
  if (existing === null) return price;
  const kept = (rate: TokenRate | null, parent: TokenRate, existingParent: TokenRate): TokenRate | null => {
    if (rate === null) return null;
    const factor = rateRatio(parent, existingParent);
    return factor === null || factor === 1 ? rate : scaleRate(rate, factor);
  };
  return {
    ...price,
    cachedInput: price.cachedInput ?? kept(existing.cachedInput, price.input, existing.input),
    cacheWrite: price.cacheWrite ?? kept(existing.cacheWrite, price.input, existing.input),
    reasoning: price.reasoning ?? kept(existing.reasoning, price.output, existing.output),
    perThousandRequests: price.perThousandRequests ?? existing.perThousandRequests,
  };
}
