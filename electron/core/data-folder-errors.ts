/**
 * Why the data folder or its database cannot be used, said for a person: which file or folder,
 * what is wrong with it and what to do. Every host (the desktop app, the browser host, the CLI)
 * prints these words as they are.
 *
 * Nothing here changes the user’s files: the advice is to move a file aside or restore a backup,
 * never done for them.
 */

import fs from 'node:fs';
import path from 'node:path';
import { WorkbenchError } from '../../shared/errors';

/** What to do when the folder itself is the problem. */
const ANOTHER_FOLDER = 'or set WORKBENCH_DATA_DIR to another data folder';

/** The system’s reason a write was refused, in words. */
function refusalReason(code: string | undefined): string | null {
  switch (code) {
    case 'EROFS':
      return 'it is on a read-only file system';
    case 'EACCES':
    case 'EPERM':
      return 'you do not have permission to write there';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return null;
  }
}

/** Why `folder` (which exists) refuses writes, or null when it takes them. */
function whyNotWritable(folder: string): { code: string | undefined; reason: string } | null {
  try {
    fs.accessSync(folder, fs.constants.W_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { code, reason: refusalReason(code) ?? (error as Error).message };
  }
}

/** The deepest folder of `folder`’s path that exists (itself when it does). */
function nearestExisting(folder: string): string {
  let current = path.resolve(folder);
  while (!fs.existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}

/**
 * Makes sure `folder` exists and takes writes; throws a `WorkbenchError('unavailable')` saying
 * why not (it cannot be created, a file stands in its way, it is read-only) and what to do.
 */
export function prepareDataFolder(folder: string): void {
  try {
    fs.mkdirSync(folder, { recursive: true });
  } catch (error) {
    const existing = nearestExisting(folder);
    if (!fs.statSync(existing).isDirectory()) {
      throw new WorkbenchError(
        'unavailable',
        `The data folder ${folder} cannot be created: ${existing} is a file, not a folder. Move that file aside, ${ANOTHER_FOLDER}.`,
      );
    }
    // A recursive mkdir can say ENOENT when the parent refuses the new folder: ask the parent why.
    const refusal = whyNotWritable(existing);
    const reason = refusal?.reason ?? refusalReason((error as NodeJS.ErrnoException).code) ?? (error as Error).message;
    throw new WorkbenchError(
      'unavailable',
      `The data folder ${folder} cannot be created in ${existing}: ${reason}. Make ${existing} writable, ${ANOTHER_FOLDER}.`,
    );
  }
  if (!fs.statSync(folder).isDirectory()) {
    throw new WorkbenchError('unavailable', `The data folder ${folder} is a file, not a folder. Move that file aside, ${ANOTHER_FOLDER}.`);
  }
  const refusal = whyNotWritable(folder);
  if (refusal !== null) {
    const fix = refusal.code === 'ENOSPC' ? 'Free some space on it' : 'Fix the folder’s permissions';
    throw new WorkbenchError(
      'unavailable',
      `The data folder ${folder} cannot be written to: ${refusal.reason}, and Prompt Workbench keeps its database there. ${fix}, ${ANOTHER_FOLDER}.`,
    );
  }
}

/**
 * `error`, thrown while opening the database `file` or starting on it, as a `WorkbenchError`
 * that says what is wrong and what to do; an error that is not SQLite’s comes back as it is.
 */
export function databaseFailure(error: unknown, file: string): unknown {
  if (error instanceof WorkbenchError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return error;
  const said = `SQLite says “${(error as Error).message}”`;
  const folder = path.dirname(file);
  const moveAside = `move it aside (with any ${path.basename(file)}-wal and -shm files beside it) and start again to begin with an empty database`;
  const message = ((): string => {
    if (code === 'SQLITE_NOTADB') {
      return `The file ${file} is not a Prompt Workbench database (${said}). It was left unchanged. Restore it from a backup, ${moveAside}, ${ANOTHER_FOLDER}.`;
    }
    if (code.startsWith('SQLITE_CORRUPT')) {
      return `The database ${file} is damaged (${said}). It was left unchanged. Restore it from a backup, ${moveAside}, ${ANOTHER_FOLDER}.`;
    }
    if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
      return `The database ${file} is read-only (${said}), and Prompt Workbench needs to write to it. Fix the permissions of the file and of ${folder}, ${ANOTHER_FOLDER}.`;
    }
    if (code === 'SQLITE_FULL') {
      return `The disk holding ${file} is full (${said}). Free some space, ${ANOTHER_FOLDER}.`;
    }
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      return `The database ${file} is locked by another program (${said}). Close the program using it and start again, ${ANOTHER_FOLDER}.`;
    }
    if (code.startsWith('SQLITE_CANTOPEN')) {
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
        return `The database ${file} cannot be opened: it is a folder, not a file. Move that folder aside, ${ANOTHER_FOLDER}.`;
      }
      return `The database ${file} cannot be opened (${said}). Check that you can read and write it and its folder ${folder}, ${ANOTHER_FOLDER}.`;
    }
    if (code.startsWith('SQLITE_IOERR')) {
      return `The database ${file} could not be read or written (${said}). Check the disk it is on, ${ANOTHER_FOLDER}.`;
    }
    return `The database ${file} cannot be used (${said}). Restore it from a backup, ${ANOTHER_FOLDER}.`;
  })();
  return new WorkbenchError('unavailable', message);
}
