/**
 * Writing a file so that it is either the old one or the new one, never half of each: the
 * text goes to a temporary file beside it, is flushed to disk, then renamed over the target.
 */

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Writes `text` to `file` atomically; creates missing folders and returns the ones it created (outermost first). */
export function writeFileAtomically(file: string, text: string): string[] {
  const created = missingFolders(path.dirname(file));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = fs.openSync(temporary, 'wx', existingMode(file));
    try {
      fs.writeFileSync(handle, text, 'utf8');
      fs.fsyncSync(handle);
    } finally {
      fs.closeSync(handle);
    }
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  return created;
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

/** Keeps a file's permissions when it is replaced; new files get the usual 0644. */
function existingMode(file: string): number {
  try {
    return fs.statSync(file).mode & 0o777;
  } catch {
    return 0o644;
  }
}
