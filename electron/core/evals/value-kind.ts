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
  switch (typeof value) {
    case 'object':
      return 'a map';
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    default:
      return typeof value;
  }
}
