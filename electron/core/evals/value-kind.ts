/**
 * What a value read from a file is, for the readers' checks and messages. Its own file, so
 * every reader (and what they import) can use it without importing each other.
 */

/** True for `{...}` (not a list, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** "a list", "a number", "nothing" — what a value is, for messages. */
export function kindOf(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return describeExpected(typeof value === 'object' ? 'object' : typeof value);
}

/** A type zod (or `typeof`) names (`string`, `array`...) in words: text, a list... */
export function describeExpected(expected: string): string {
  switch (expected) {
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
      return 'a map';
    default:
      return expected;
  }
}
