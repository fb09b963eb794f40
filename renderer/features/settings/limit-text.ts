/**
 * Reading the numbers typed into Settings' limit fields (daily budget, cache size and age):
 * decimal numbers as the app writes them ("1,000", "2.5"), with their unit or without, and
 * nothing JavaScript would also take for a number ("0x10", "1e3", "Infinity").
 */

/** The value typed, null for empty (no limit), or why it cannot be one. */
export type LimitReading = { value: number | null } | { error: string };

/** Digits with an optional fraction; the whole part either plain or grouped by thousands with commas, or with spaces. */
const DECIMAL = /^(?:\d+|\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+)(?:\.\d+)?$|^\.\d+$/;

/** A decimal number typed by a person ("1,000", "1 000", " 2.5 "), or null when it is not one. */
export function parseDecimal(text: string): number | null {
  const trimmed = text.trim();
  return DECIMAL.test(trimmed) ? Number(trimmed.replaceAll(',', '').replaceAll(' ', '')) : null;
}

/**
 * A reader of a number typed with or without its unit ("50", "50 MB"): null for empty (no
 * limit), else the number, or the engine's own words when it is out of range, so the UI and a
 * refused call say the same.
 */
function boundedNumber(unit: RegExp, notANumber: string, [min, tooSmall]: [number, string], [max, tooLarge]: [number, string], isWhole = false) {
  return (text: string): LimitReading => {
    const trimmed = text.trim().replace(unit, '');
    if (trimmed === '') return { value: null };
    const value = parseDecimal(trimmed);
    // A minus sign before a number is a number below the least, said as such.
    if (value === null) return { error: trimmed.startsWith('-') && parseDecimal(trimmed.slice(1)) !== null ? tooSmall : notANumber };
    if (value < min) return { error: tooSmall };
    if (value > max) return { error: tooLarge };
    // A whole quantity with a fraction ("1.024 MB") is more likely a thousands separator of another locale than a size.
    if (isWhole && !Number.isInteger(value)) return { error: notANumber };
    return { value };
  };
}

/** The largest cache limit the engine takes: 1 TB. */
const MAXIMUM_CACHE_LIMIT_MB = 1_048_576;

/** Reads a budget typed in dollars ("5", "$5", "1,000", "5 USD"); null for empty (no budget). */
export const parseBudget = boundedNumber(
  /^\$\s*|\s*(?:usd|dollars?)$/gi,
  'The budget is a number of dollars, such as 5 or 2.50',
  [0, 'The budget is a number of dollars, 0 or more'],
  [1_000_000, 'The budget is at most $1,000,000 a day'],
);

/** Reads a cache limit typed in MB ("512", "1,024 MB"). */
export const parseCacheLimit = boundedNumber(
  /\s*mb$/i,
  'The cache limit is a whole number of MB, such as 500 or 1,024',
  [1, 'The cache limit is at least 1 MB'],
  [MAXIMUM_CACHE_LIMIT_MB, 'The cache limit is at most 1,048,576 MB (1 TB)'],
  true,
);

/** Reads an age typed in days ("30", "30 days"). */
export const parseMaxAge = boundedNumber(
  /\s*days?$/i,
  'The age is a whole number of days, such as 30',
  [1, 'Answers expire after 1 day at least'],
  [36_500, 'Answers expire after 36,500 days at most'],
  true,
);
