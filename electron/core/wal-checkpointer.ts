/**
 * Checkpoints the WAL when the runner has gone quiet, instead of in the middle of a run.
 *
 * SQLite's automatic checkpoint runs inside whichever commit crosses its threshold, so with
 * the default (1,000 pages) a run now and then paid for copying the log into the database.
 * The threshold is raised (see `openDatabase`), and this copies the log a little after the
 * last run was stored, once no batch is running. A PASSIVE checkpoint never waits for readers
 * or writers (the other host may share the file), and the raised automatic one still bounds
 * the log when runs never stop. Durability is unchanged: a commit is in the WAL either way.
 */

import type { Database } from './database';

/** How long after the last stored run the log is copied, when nothing is running. */
export const CHECKPOINT_DELAY_MS = 1_000;

export class WalCheckpointer {
  private readonly database: Database;
  private readonly isIdle: () => boolean;
  private readonly delayMs: number;
  private readonly beforeCheckpoint: () => void;
  private timer: NodeJS.Timeout | null = null;
  private isClosed = false;

  /** `beforeCheckpoint` is other upkeep for the same quiet moment (evicting from the response cache). */
  constructor(database: Database, isIdle: () => boolean, delayMs: number = CHECKPOINT_DELAY_MS, beforeCheckpoint: () => void = () => {}) {
    this.database = database;
    this.isIdle = isIdle;
    this.delayMs = delayMs;
    this.beforeCheckpoint = beforeCheckpoint;
  }

  /** A run was stored: checkpoint once runs have stopped for `delayMs`. */
  schedule(): void {
    if (this.isClosed) return;
    if (this.timer !== null) {
      // Cheaper than a new timer per run.
      this.timer.refresh();
      return;
    }
    this.timer = setTimeout(() => this.fire(), this.delayMs);
    // Waiting to checkpoint must never keep a process alive.
    this.timer.unref();
  }

  /** Copies what it can of the log now; returns false when it could not run (closed). */
  checkpoint(): boolean {
    if (this.isClosed) return false;
    this.database.pragma('wal_checkpoint(PASSIVE)');
    return true;
  }

  /** Stops; a pending checkpoint is dropped (closing the connection checkpoints anyway). */
  close(): void {
    this.isClosed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private fire(): void {
    this.timer = null;
    if (this.isClosed) return;
    if (!this.isIdle()) {
      this.schedule();
      return;
    }
    try {
      this.beforeCheckpoint();
    } catch (error) {
      console.error('[database] idle upkeep failed:', error);
    }
    try {
      this.checkpoint();
    } catch (error) {
      // Busy or failing: the automatic checkpoint still bounds the log.
      console.error('[database] idle checkpoint failed:', error);
    }
  }
}
