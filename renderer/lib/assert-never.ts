/** Marks a switch as exhaustive: adding a union member without handling it is a type error. */
export function assertNever(value: never, message = 'Unexpected value'): never {
  throw new Error(`${message}: ${String(value)}`);
}
