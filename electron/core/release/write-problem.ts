/**
 * Writes a release cannot make, in plain words: "Cannot write to <folder>: permission denied"
 * rather than "EPERM: operation not permitted, mkdir …" or Git's "Unable to create
 * '….lock': Operation not permitted". The folders are checked before anything is written, and a
 * write refused all the same (a full disk, a race) is told the same way.
 */

import fs from 'node:fs';
import path from 'node:path';
import { WorkbenchError } from '../../../shared/errors';

/** Why a folder refuses writes, by the error code the system gives. */
const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'it is on a read-only disk',
  ENOSPC: 'the disk is full',
  EDQUOT: 'your disk quota is used up',
};

/** The same, as Git prints them (its own words and the system's). */
const GIT_REASONS: [RegExp, string][] = [
  [/Permission denied|Operation not permitted|insufficient permission/i, 'permission denied'],
  [/Read-only file system/i, 'it is on a read-only disk'],
  [/No space left on device/i, 'the disk is full'],
  [/Disk quota exceeded/i, 'your disk quota is used up'],
];

/**
 * Refuses, before anything is written, when `folder` cannot be written to, or, while it does
 * not exist yet, the nearest folder above it that does (where it would be created).
 */
export function checkWritable(folder: string): void {
  const existing = nearestFolder(folder);
  try {
    fs.accessSync(existing, fs.constants.W_OK | fs.constants.X_OK);
  } catch (error) {
    const reason = REASONS[(error as NodeJS.ErrnoException).code ?? ''];
    if (reason === undefined) throw error;
    throw new WorkbenchError('conflict', `Cannot write to ${existing}: ${reason}. Nothing was written.`);
  }
}

/** A write the system refused, said in plain words: "Cannot write to <folder>: <why>". */
export class WriteRefused extends WorkbenchError {
  constructor(folder: string, reason: string) {
    super('conflict', `Cannot write to ${folder}: ${reason}`);
  }
}

/** The refusal a failed file-system call (by its error code and path) stands for; null for any other error. */
export function writeRefusal(error: unknown, fallbackFolder: string): WriteRefused | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const failedPath = (error as NodeJS.ErrnoException | null)?.path;
  if (code === 'ENOTDIR' && typeof failedPath === 'string') {
    const file = fileInTheWay(failedPath);
    if (file !== null) return new WriteRefused(file, 'it is a file where a folder should be');
  }
  if (typeof code !== 'string' || REASONS[code] === undefined) return null;
  if (typeof failedPath !== 'string') return new WriteRefused(fallbackFolder, REASONS[code]);
  // A recursive mkdir names the folder it was asked for: the one refusing is the nearest that exists.
  const isMakingFolder = (error as NodeJS.ErrnoException).syscall === 'mkdir';
  return new WriteRefused(isMakingFolder ? nearestFolder(path.dirname(failedPath)) : path.dirname(failedPath), REASONS[code]);
}

/**
 * The refusal a failed Git command's output stands for, in the folder of the path Git names
 * (relative ones are resolved against `root`); null for any other failure, and for one that
 * names no path (a hook's own words, say), which is better shown as Git printed it.
 */
export function gitWriteRefusal(output: string, root: string): WriteRefused | null {
  const reason = GIT_REASONS.find(([pattern]) => pattern.test(output))?.[1];
  const folder = gitNamedFolder(output, root);
  return reason === undefined || folder === null ? null : new WriteRefused(folder, reason);
}

/** The folder Git names in a refused write: the folder of a quoted path, or the object database it could not add to. */
function gitNamedFolder(message: string, root: string): string | null {
  const quoted = [...message.matchAll(/'([^'\n]+)'/g)].map((match) => match[1]).find((text) => path.isAbsolute(text));
  if (quoted !== undefined) return path.dirname(quoted);
  const database = /repository database (\S+)/.exec(message)?.[1];
  if (database !== undefined) return path.resolve(root, database);
  return null;
}

/** `folder` when it exists as a folder, else the nearest folder above it that does. */
function nearestFolder(folder: string): string {
  let current = folder;
  while (!isFolder(current) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}

/** The file that stands where a folder on the way to `target` should be; null when there is none. */
function fileInTheWay(target: string): string | null {
  for (let current = path.dirname(target); path.dirname(current) !== current; current = path.dirname(current)) {
    if (fs.existsSync(current) && !isFolder(current)) return current;
  }
  return null;
}

function isFolder(folder: string): boolean {
  try {
    return fs.statSync(folder).isDirectory();
  } catch {
    return false;
  }
}
