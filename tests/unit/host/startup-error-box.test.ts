/**
 * The desktop app’s error box at start: each data folder or database that cannot be used is
 * said in the engine’s words under one title; anything else is said too, not swallowed.
 */

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, DATABASE_FILE_NAME } from '../../../electron/core/engine';
import { startupErrorBox } from '../../../electron/host/startup-error-box';
import { refuseWrites } from '../../fixtures/read-only-folders';
import { makeTempDir } from '../support';

const undos: (() => void)[] = [];
afterEach(() => {
  for (const undo of undos.splice(0).reverse()) undo();
});

/** The error box the desktop app shows for starting on `dataDir`. */
function boxFor(dataDir: string) {
  try {
    createEngine({ dataDir, promptsDir: null, host: 'electron', appVersion: '1.0.0' }).close();
  } catch (error) {
    return startupErrorBox(error);
  }
  throw new Error(`The engine started on ${dataDir}`);
}

const ANOTHER = 'or set WORKBENCH_DATA_DIR to another data folder.';
const TITLE = 'Prompt Workbench could not start';

describe('startupErrorBox', () => {
  it('says each data folder or database that cannot be used under one title, in the engine’s words', () => {
    const notDatabase = makeTempDir();
    fs.writeFileSync(path.join(notDatabase, DATABASE_FILE_NAME), 'not a database, but long enough to be read as one '.repeat(100));
    const folderAsDatabase = makeTempDir();
    fs.mkdirSync(path.join(folderAsDatabase, DATABASE_FILE_NAME));
    const blocked = makeTempDir();
    fs.writeFileSync(path.join(blocked, 'data'), 'notes');
    const readOnly = makeTempDir();
    undos.push(refuseWrites([readOnly], 'EROFS'));
    const notDatabaseFile = path.join(notDatabase, DATABASE_FILE_NAME);
    expect([
      boxFor(notDatabase),
      boxFor(folderAsDatabase),
      boxFor(path.join(blocked, 'data', 'workbench')),
      boxFor(readOnly),
    ]).toStrictEqual([
      {
        title: TITLE,
        message:
          `The file ${notDatabaseFile} is not a Prompt Workbench database (SQLite says “file is not a database”). It was left unchanged. ` +
          `Restore it from a backup, move it aside (with any workbench.sqlite-wal and -shm files beside it) and start again to begin with an empty database, ${ANOTHER}`,
      },
      { title: TITLE, message: `The database ${path.join(folderAsDatabase, DATABASE_FILE_NAME)} cannot be opened: it is a folder, not a file. Move that folder aside, ${ANOTHER}` },
      {
        title: TITLE,
        message: `The data folder ${path.join(blocked, 'data', 'workbench')} cannot be created: ${path.join(blocked, 'data')} is a file, not a folder. Move that file aside, ${ANOTHER}`,
      },
      {
        title: TITLE,
        message: `The data folder ${readOnly} cannot be written to: it is on a read-only file system, and Prompt Workbench keeps its database there. Fix the folder’s permissions, ${ANOTHER}`,
      },
    ]);
  });

  it('says an unexpected failure too, with what it was, rather than closing without a word', () => {
    expect(startupErrorBox(new TypeError('Cannot read properties of undefined (reading "getPath")'))).toStrictEqual({
      title: TITLE,
      message: 'Something unexpected stopped it: Cannot read properties of undefined (reading "getPath"). Start it again; if this happens each time, report it with these words.',
    });
  });
});
