/**
 * Keeps the full-text index of runs up to date in batches. FTS5 pays a fixed price per
 * transaction, so indexing each run as it finishes costs several times what indexing them
 * together does; finished runs wait in a queue (filled by trigger, in the same transaction
 * that stores them) and are indexed together shortly after. Searches drain the queue first
 * (see `RunStore.search`), so waiting never hides a run from a search.
 */

import type { RunStore } from './run-store';

/** How long a finished run may wait for the index when nobody searches. */
export const INDEX_DELAY_MS = 250;

/** Drains the index queue a little after runs finish. */
export class SearchIndexer {
  private readonly runs: RunStore;
  private readonly delayMs: number;
  private timer: NodeJS.Timeout | null = null;
  private isClosed = false;

  constructor(runs: RunStore, delayMs: number = INDEX_DELAY_MS) {
    this.runs = runs;
    this.delayMs = delayMs;
  }

  /** A run was stored: index it (and any others by then) soon. */
  schedule(): void {
    if (this.timer !== null || this.isClosed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.delayMs);
    // Waiting to index must never keep a process alive.
    this.timer.unref();
  }

  /** Indexes everything queued now; returns how many runs. */
  flush(): number {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.isClosed || !this.runs.hasPendingIndex()) return 0;
    return this.runs.indexPending();
  }

  /** Indexes what is queued and stops. */
  close(): void {
    this.flush();
    this.isClosed = true;
  }
}
