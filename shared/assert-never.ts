/**
 * Exhaustiveness for union switches: the compiler rejects a call whose argument is not `never`.
 *
 * Shared by every room: it has no imports.
 */

/** Fails to compile when a union case is missing, and throws if a value slips through at run time. */
export function assertNever(value: never, context = 'value'): never {
  throw new Error(`Unexpected ${context}: ${JSON.stringify(value)}`);
}

/**
 * Exhaustiveness for wire unions that may grow: compile-time like `assertNever`, silent at run time.
 *
 * Providers promise to add event types without a new API version (Anthropic says so in its
 * versioning policy), so an event this build does not know must be skipped, not fatal.
 */
export function ignoreUnknown(_value: never): void {
  // Deliberately empty: the check is the parameter's type.
}
