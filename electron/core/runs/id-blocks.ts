/**
 * Row ids handed out before their rows are written.
 *
 * A run gets its id the moment it starts (the renderer streams it under that id), but its row
 * may be written only when it ends (see `RunStore.createBatch`). SQLite would give a new row
 * the next free id at insert time, which another process sharing the file (the other host, a
 * CLI eval) may take meanwhile, so every writer reserves ids in blocks instead: the highest id
 * reserved so far is kept in `meta`, a block is taken from above it (and above the table's
 * highest id) in one small transaction, and its ids are then handed out from memory.
 *
 * Ids a process reserves and never uses (it closed) are simply skipped.
 */

import type { Database } from '../database';
import { statementCache } from '../prepared-statements';

/** Ids reserved at once: one small commit per this many runs. */
const BLOCK_SIZE = 64;

/** The tables whose ids are handed out ahead of their rows. */
export type BlockTable = 'runs' | 'run_batches';

/** Hands out the ids of one table from reserved blocks. */
export class IdBlocks {
  private readonly database: Database;
  private readonly table: BlockTable;
  private readonly sql: ReturnType<typeof statementCache>;
  private readonly blockSize: number;
  private next = 1;
  /** The last id of the block in hand; below `next` when there is none. */
  private last = 0;
  /**
   * True while the block in hand was reserved inside a transaction that has not committed yet:
   * a rollback of it undoes the reservation, so the block must go. A block reserved on its own,
   * or whose transaction committed, outlives any later rollback and keeps being used (no gap in
   * the ids people see as run numbers after a refused run).
   */
  private isTentative = false;

  constructor(database: Database, table: BlockTable, blockSize = BLOCK_SIZE) {
    this.database = database;
    this.table = table;
    this.sql = statementCache(database);
    this.blockSize = blockSize;
  }

  /** The next id; reserves a new block when this one is used up (in the caller's transaction, if one is open). */
  take(): number {
    if (this.next > this.last) this.reserve();
    const id = this.next;
    this.next += 1;
    return id;
  }

  /**
   * After a rollback: drops the block in hand when the rollback undid its reservation (it was
   * reserved inside the transaction), so the next id comes from a new one; otherwise keeps it.
   */
  rolledBack(): void {
    if (!this.isTentative) return;
    this.last = this.next - 1;
    this.isTentative = false;
  }

  /** After the outermost transaction committed: the block in hand is reserved for good. */
  committed(): void {
    this.isTentative = false;
  }

  private reserve(): void {
    const key = `reserved_ids.${this.table}`;
    const isInsideTransaction = this.database.inTransaction;
    this.database
      .transaction(() => {
        const reserved = Number(this.sql<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value ?? 0);
        // The table's own highest id covers rows written by anyone who did not reserve (older files, tests).
        const highest = this.sql<[], { high: number }>(`SELECT coalesce(max(id), 0) AS high FROM ${this.table}`).get()?.high ?? 0;
        const first = Math.max(reserved, highest) + 1;
        const last = first + this.blockSize - 1;
        this.sql('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, String(last));
        this.next = first;
        this.last = last;
        this.isTentative = isInsideTransaction;
      })
      .immediate();
  }
}
