/**
 * Near misses: the known word a misspelt one most likely meant, by edit distance with case, `_`,
 * `-` and spaces aside. Two edits in a longer word ("temprature"), one in a short one ("rol"):
 * more would guess.
 */

import { distance } from 'fastest-levenshtein';

/** The candidate `word` is a near miss of (the nearest, the first of equals), or null when none is. */
export function nearMiss<Candidate extends { key: string }>(word: string, candidates: readonly Candidate[]): Candidate | null {
  const plain = (text: string): string => text.toLowerCase().replace(/[-_\s]/g, '');
  const wanted = plain(word);
  const limit = wanted.length <= 4 ? 1 : 2;
  let best: { candidate: Candidate; distance: number } | null = null;
  for (const candidate of candidates) {
    const edits = distance(wanted, plain(candidate.key));
    if (edits <= limit && (best === null || edits < best.distance)) best = { candidate, distance: edits };
  }
  return best?.candidate ?? null;
}
