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
import { assertNever } from '../../shared/assert-never';
import { WorkbenchError } from '../../shared/errors';

/**
 * How the user named the data folder: `environment` by WORKBENCH_DATA_DIR (or not at all: the
 * app’s own folder), `option` by the command line’s --data-dir. Advice to use another folder
 * names the same way.
 */
export type DataFolderChoice = 'environment' | 'option';

/** What to do when the folder itself is the problem. */
function anotherFolder(choice: DataFolderChoice): string {
  switch (choice) {
    case 'environment':
      return 'or set WORKBENCH_DATA_DIR to another data folder';
    case 'option':
      return 'or give --data-dir another data folder';
    default:
      return assertNever(choice);
  }
}

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
export function prepareDataFolder(folder: string, choice: DataFolderChoice = 'environment'): void {
  const another = anotherFolder(choice);
  try {
    fs.mkdirSync(folder, { recursive: true });
  } catch (error) {
    const existing = nearestExisting(folder);
    if (!fs.statSync(existing).isDirectory()) {
      throw new WorkbenchError(
        'unavailable',
        `The data folder ${folder} cannot be created: ${existing} is a file, not a folder. Move that file aside, ${another}.`,
      );
    }
    // A recursive mkdir can say ENOENT when the parent refuses the new folder: ask the parent why.
    const refusal = whyNotWritable(existing);
    const reason = refusal?.reason ?? refusalReason((error as NodeJS.ErrnoException).code) ?? (error as Error).message;
    throw new WorkbenchError(
      'unavailable',
      `The data folder ${folder} cannot be created in ${existing}: ${reason}. Make ${existing} writable, ${another}.`,
    );
  }
  if (!fs.statSync(folder).isDirectory()) {
    throw new WorkbenchError('unavailable', `The data folder ${folder} is a file, not a folder. Move that file aside, ${another}.`);
  }
  const refusal = whyNotWritable(folder);
  if (refusal !== null) {
    const fix = refusal.code === 'ENOSPC' ? 'Free some space on it' : 'Fix the folder’s permissions';
    throw new WorkbenchError(
      'unavailable',
      `The data folder ${folder} cannot be written to: ${refusal.reason}, and Prompt Workbench keeps its database there. ${fix}, ${another}.`,
    );
  }
}

/** Where a database failure happened, for the advice. */
export interface FailureContext {
  /** How the user named the data folder; `environment` when absent. */
  choice?: DataFolderChoice;
  /**
   * True once the engine is running (a call or a run failed on it, not the start): the file may
   * have changed since the start, the advice starts with closing the app, and only failures of
   * the file itself are said this way (a failing query is a bug, not the user’s to fix).
   */
  isInUse?: boolean;
}

/** SQLite’s result codes that say the file, its disk or its permissions are at fault, not the query. */
const FILE_FAILURES = /^SQLITE_(?:CORRUPT|NOTADB|IOERR|READONLY|FULL|CANTOPEN|BUSY|LOCKED|PERM|AUTH)(?:_|$)/;

/**
 * `error`, thrown while opening the database `file`, starting on it or (`isInUse`) using it, as
 * a `WorkbenchError` (`unavailable` at the start, `storage` in use) that names the file, says what
 * is wrong and what to do; an error that is not SQLite’s (or, in use, one that is not about the
 * file) comes back as it is.
 */
export function databaseFailure(error: unknown, file: string, context: FailureContext = {}): unknown {
  if (error instanceof WorkbenchError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return error;
  const isInUse = context.isInUse === true;
  if (isInUse && !FILE_FAILURES.test(code)) return error;
  const another = anotherFolder(context.choice ?? 'environment');
  const said = `SQLite says “${(error as Error).message}”`;
  const folder = path.dirname(file);
  const moveAside = `move it aside (with any ${path.basename(file)}-wal and -shm files beside it) and start again to begin with an empty database`;
  // At the start nothing was written yet; in use, the app must let go of the file before it is replaced.
  const replace = isInUse
    ? `Close Prompt Workbench, then restore the file from a backup, or ${moveAside}, ${another}.`
    : `It was left unchanged. Restore it from a backup, ${moveAside}, ${another}.`;
  const retry = isInUse ? 'try again' : 'start again';
  const message = ((): string => {
    if (code === 'SQLITE_NOTADB') {
      return `The file ${file} is ${isInUse ? 'no longer' : 'not'} a Prompt Workbench database (${said}). ${replace}`;
    }
    if (code.startsWith('SQLITE_CORRUPT')) {
      return `The database ${file} is damaged (${said}). ${replace}`;
    }
    if (code === 'SQLITE_READONLY_DBMOVED') {
      return `The database ${file} was moved or deleted while Prompt Workbench had it open (${said}), so nothing more can be saved. Close Prompt Workbench, put the file back and start again, ${another}.`;
    }
    if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
      const then = isInUse ? ', then start Prompt Workbench again' : '';
      return `The database ${file} is read-only (${said}), and Prompt Workbench needs to write to it. Fix the permissions of the file and of ${folder}${then}, ${another}.`;
    }
    if (code === 'SQLITE_FULL') {
      return `The disk holding ${file} is full (${said}). Free some space${isInUse ? ' and try again' : ''}, ${another}.`;
    }
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      return `The database ${file} is locked by another program (${said}). Close the program using it and ${retry}, ${another}.`;
    }
    if (code.startsWith('SQLITE_CANTOPEN')) {
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
        return `The database ${file} cannot be opened: it is a folder, not a file. Move that folder aside, ${another}.`;
      }
      return `The database ${file} cannot be opened (${said}). Check that you can read and write it and its folder ${folder}, ${another}.`;
    }
    if (code.startsWith('SQLITE_IOERR')) {
      return `The database ${file} could not be read or written (${said}). Check the disk it is on${isInUse ? ' and try again' : ''}, ${another}.`;
    }
    return `The database ${file} cannot be used (${said}). Restore it from a backup, ${another}.`;
  })();
  return new WorkbenchError(isInUse ? 'storage' : 'unavailable', message);
}
