/**
 * Git's index lock, held for the whole of a release as Git holds it while it commits.
 *
 * Git writes the index by creating `index.lock` (exclusively), writing the new index into it and
 * renaming it over `index`; a lock already there means another Git command is at work (or one
 * crashed). A release checks for the lock before it writes anything, takes it before it writes,
 * and ends by putting a new index (the old one with the released paths brought up to date) in
 * place, so the index is either as it was or updated, never half of each, and no other Git
 * command can change it in between.
 */

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { WorkbenchError } from '../../../shared/errors';
import type { RepositoryState } from './git-repository';

/** Refuses when another Git process holds the index lock of the working tree. */
export function checkIndexUnlocked(state: RepositoryState): void {
  if (fs.existsSync(lockPath(state))) throw lockedError(state);
}

/** The index lock, taken: the index can be replaced once, then the lock is let go. */
export class IndexLock {
  private readonly state: RepositoryState;
  private isHeld = true;

  private constructor(state: RepositoryState) {
    this.state = state;
  }

  /** Takes the lock (creating `index.lock` exclusively); refuses when another Git process holds it. */
  static acquire(state: RepositoryState): IndexLock {
    try {
      fs.closeSync(fs.openSync(lockPath(state), 'wx', 0o644));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw lockedError(state);
      throw error;
    }
    return new IndexLock(state);
  }

  /**
   * Brings the index up to date and lets go of the lock: `update` gets a copy of the index beside
   * it (to change with GIT_INDEX_FILE), which is then renamed over the index, atomically. When
   * `update` fails, the index is untouched and the lock still held.
   */
  async replaceIndex(update: (indexFile: string) => Promise<void>): Promise<void> {
    const next = `${this.state.indexFile}.workbench-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      if (fs.existsSync(this.state.indexFile)) fs.copyFileSync(this.state.indexFile, next);
      await update(next);
      fs.renameSync(next, this.state.indexFile);
    } finally {
      fs.rmSync(next, { force: true });
      fs.rmSync(`${next}.lock`, { force: true });
    }
    this.release();
  }

  /** Lets go of the lock; nothing when already let go. */
  release(): void {
    if (!this.isHeld) return;
    fs.rmSync(lockPath(this.state), { force: true });
    this.isHeld = false;
  }
}

function lockPath(state: RepositoryState): string {
  return `${state.indexFile}.lock`;
}

function lockedError(state: RepositoryState): WorkbenchError {
  const lock = lockPath(state);
  const relative = path.relative(state.root, lock);
  const shown = relative.startsWith('..') || path.isAbsolute(relative) ? lock : relative.split(path.sep).join('/');
  return new WorkbenchError(
    'conflict',
    `Another Git process seems to be running in ${state.root} (${shown} exists): wait for it to finish, or remove the lock if it crashed. Nothing was written.`,
  );
}
