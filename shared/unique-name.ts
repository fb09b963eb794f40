/**
 * Names no two of a kind may share (providers, prompts): they are compared trimmed, with runs of
 * spaces as one and case ignored, so "customer  SUPPORT " is "Customer support".
 */

/** The form of a name two of a kind may not share. */
export function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The first of `candidate(1)`, `candidate(2)`, `candidate(3)`... that none of `names` has.
 * `candidate(1)` is the name as wished for; the others number it ("Summarizer 2").
 */
export function firstFreeName(names: readonly string[], candidate: (number: number) => string): string {
  const taken = new Set(names.map(nameKey));
  for (let number = 1; ; number += 1) {
    const name = candidate(number);
    if (!taken.has(nameKey(name))) return name;
  }
}
