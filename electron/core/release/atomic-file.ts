/**
 * Writing a file so that it is either the old one or the new one, never half of each: the
 * text goes to a temporary file beside it, is flushed to disk, then renamed over the target.
 * A release's files are written through `RevertibleWrites`, which can put them all back.
 */

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes `text` (UTF-8 when a string) to `file` atomically; creates missing folders and returns the ones it created
 * (outermost first). When the write fails, the folders it created are removed again.
 */
export function writeFileAtomically(file: string, text: string | Uint8Array): string[] {
  const created = missingFolders(path.dirname(file));
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      const handle = fs.openSync(temporary, 'wx', existingMode(file));
      try {
        fs.writeFileSync(handle, text);
        fs.fsyncSync(handle);
      } finally {
        fs.closeSync(handle);
      }
      fs.renameSync(temporary, file);
    } catch (error) {
      fs.rmSync(temporary, { force: true });
      throw error;
    }
  } catch (error) {
    removeEmptyFolders(created);
    throw error;
  }
  return created;
}

/** Files written one after another, with what they held before, so that all can be put back. */
export class RevertibleWrites {
  private readonly written: { file: string; before: Buffer | null }[] = [];
  private readonly createdFolders: string[] = [];

  /** Writes `text` to `file` atomically, remembering what it held. */
  write(file: string, text: string): void {
    const before = fs.existsSync(file) ? fs.readFileSync(file) : null;
    const created = writeFileAtomically(file, text);
    this.written.push({ file, before });
    this.createdFolders.push(...created);
  }

  /** Puts every file back as it was (removing the new ones and the folders made for them); returns the files that could not be put back. */
  revert(): string[] {
    const failed: string[] = [];
    for (const { file, before } of this.written.splice(0).reverse()) {
      try {
        if (before === null) fs.rmSync(file, { force: true });
        else writeFileAtomically(file, before);
      } catch {
        failed.push(file);
      }
    }
    removeEmptyFolders(this.createdFolders.splice(0));
    return failed;
  }
}

/** The folders from the outermost missing one down to `folder`. */
function missingFolders(folder: string): string[] {
  const missing: string[] = [];
  for (let current = folder; !fs.existsSync(current); current = path.dirname(current)) {
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  return missing;
}

/** Removes `folders` (outermost first) from the innermost out, leaving any that something else now lives in. */
function removeEmptyFolders(folders: readonly string[]): void {
  for (const folder of [...folders].reverse()) {
    try {
      fs.rmdirSync(folder);
    } catch {
      // Not empty (something else lives there now), or already gone.
    }
  }
}

/** Keeps a file's permissions when it is replaced; new files get the usual 0644. */
function existingMode(file: string): number {
  try {
    return fs.statSync(file).mode & 0o777;
  } catch {
    return 0o644;
  }
}
