/**
 * Exhaustiveness for union switches: the compiler rejects a call whose argument is not `never`.
 *
 * Lives with the providers until shared/ grows one; it has no imports, so moving it is a rename.
 */

/** Fails to compile when a union case is missing, and throws if a value slips through at run time. */
export function assertNever(value: never, context = 'value'): never {
  throw new Error(`Unexpected ${context}: ${JSON.stringify(value)}`);
}
