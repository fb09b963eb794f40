/**
 * Editors that hold typed text not yet copied into the store (large messages are copied on a
 * short debounce) register here, so a save can collect every keystroke first.
 */

const flushers = new Set<() => void>();

/** Registers an editor's flush function; returns the unregister function. */
export function registerEditorFlush(flush: () => void): () => void {
  flushers.add(flush);
  return () => flushers.delete(flush);
}

/** Copies every editor's pending text into the store now. */
export function flushEditors(): void {
  for (const flush of flushers) flush();
}
