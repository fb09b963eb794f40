/**
 * Where released files go: the folder inside the repository and `<folder>/<slug>.prompt.yml`,
 * with every way out of the folder refused (`..`, absolute paths, `.git`, symbolic links).
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkbenchError } from '../../../shared/errors';

/** The folder released files go to when the user names none. */
export const DEFAULT_RELEASE_FOLDER = 'prompts';

/** The extension of a released file. */
export const PROMPT_FILE_EXTENSION = '.prompt.yml';

/**
 * What a slug must look like to become a file name and a tag: words of letters (of any script,
 * marks following them) and digits, joined by single dashes; no dot, slash, space or other sign.
 */
const SLUG_PATTERN = /^[\p{L}\p{Nd}][\p{L}\p{M}\p{Nd}]*(?:-[\p{L}\p{Nd}][\p{L}\p{M}\p{Nd}]*)*$/u;

/** A slug as `slugify` makes them: the pattern, lower-case, Latin letters a to z only, in NFC. */
function isSlug(slug: string): boolean {
  if (!SLUG_PATTERN.test(slug) || slug !== slug.toLowerCase() || slug !== slug.normalize('NFC')) return false;
  return [...slug].every((character) => /[a-z]/.test(character) || !/\p{Script=Latin}/u.test(character));
}

/**
 * The folder as stored: relative to the repository root, `/` separators, no `.` or empty
 * segments; `''` for the root itself. Refuses anything that leaves the repository or enters `.git`.
 */
export function normalizeFolder(folder: string): string {
  const trimmed = folder.trim().replace(/\\/g, '/');
  if (trimmed.startsWith('/') || /^[A-Za-z]:/.test(trimmed)) {
    throw new WorkbenchError('invalid-input', `The release folder "${folder}" must be relative to the repository, like prompts/`);
  }
  const segments = trimmed.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) {
    throw new WorkbenchError('invalid-input', `The release folder "${folder}" leaves the repository (..); pick a folder inside it`);
  }
  if (segments.some((segment) => segment.toLowerCase() === '.git')) {
    throw new WorkbenchError('invalid-input', `The release folder "${folder}" is inside .git, where Git keeps its own data`);
  }
  if (segments.some((segment) => [...segment].some((character) => character.charCodeAt(0) < 0x20))) {
    throw new WorkbenchError('invalid-input', `The release folder "${folder}" has control characters in its name`);
  }
  return segments.join('/');
}

/** The tag of a release: `<slug>/v<version>`. */
export function releaseTag(slug: string, versionNumber: number): string {
  return `${slug}/v${versionNumber}`;
}

/**
 * The released file of `slug`, relative to the repository root with `/` separators.
 *
 * Refuses a slug that is not a plain file name (so `../x` or `a/b` can never leave the folder),
 * and checks on disk that neither the folder nor the file is a symbolic link or a path through
 * one that leads outside the repository.
 */
export function releaseFilePath(root: string, folder: string, slug: string): string {
  if (!isSlug(slug)) {
    throw new WorkbenchError(
      'invalid-input',
      `The prompt’s slug "${slug}" cannot be a file name in the release folder (it must be lower-case letters, digits and dashes); nothing was written`,
    );
  }
  const relative = [normalizeFolder(folder), `${slug}${PROMPT_FILE_EXTENSION}`].filter((part) => part !== '').join('/');
  const absolute = path.resolve(root, relative);
  const inside = path.relative(path.resolve(root, normalizeFolder(folder)), absolute);
  if (inside.startsWith('..') || path.isAbsolute(inside) || inside.includes(path.sep)) {
    throw new WorkbenchError('invalid-input', `The release file of "${slug}" would leave the release folder; nothing was written`);
  }
  checkInsideRepository(root, relative);
  return relative;
}

/** Refuses a path whose existing part goes through a symbolic link, or whose file is one or is a folder. */
function checkInsideRepository(root: string, relative: string): void {
  const realRoot = fs.realpathSync(root);
  const segments = relative.split('/');
  let current = root;
  for (const [index, segment] of segments.entries()) {
    current = path.join(current, segment);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(current);
    } catch {
      return;
    }
    const shown = segments.slice(0, index + 1).join('/');
    if (stat.isSymbolicLink()) {
      let isInside = false;
      try {
        isInside = !path.relative(realRoot, fs.realpathSync(current)).startsWith('..');
      } catch {
        // A link to nowhere is no safer.
      }
      throw new WorkbenchError(
        'invalid-input',
        `${shown} is a symbolic link${isInside ? '' : ' to a place outside the repository'}; a release writes only real files inside the repository`,
      );
    }
    const isLast = index === segments.length - 1;
    if (isLast && !stat.isFile()) throw new WorkbenchError('invalid-input', `${shown} exists and is not a file; nothing was written`);
    if (!isLast && !stat.isDirectory()) throw new WorkbenchError('invalid-input', `${shown} exists and is not a folder; nothing was written`);
  }
}

/** A path the user typed, with a leading `~` meaning their home folder. */
export function expandHome(folder: string): string {
  if (folder === '~') return os.homedir();
  if (folder.startsWith('~/')) return path.join(os.homedir(), folder.slice(2));
  return folder;
}
