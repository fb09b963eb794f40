/**
 * A data folder the engine cannot use: each failure names the file or folder, says what is wrong
 * and what to do, and leaves the user’s file as it was.
 */

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, DATABASE_FILE_NAME } from '../../../electron/core/engine';
import { WorkbenchError } from '../../../shared/errors';
import { refuseWrites } from '../../fixtures/read-only-folders';
import { makeTempDir } from '../support';

const undos: (() => void)[] = [];
afterEach(() => {
  for (const undo of undos.splice(0).reverse()) undo();
});

/** Bytes that look random but are the same every run (a linear congruential sequence). */
function noise(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed;
  for (let index = 0; index < length; index += 1) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    bytes[index] = state >> 16;
  }
  return bytes;
}

/** What starting the engine on `dataDir` threw, as the hosts show it. */
function startFailure(dataDir: string): { code: string; message: string } {
  try {
    createEngine({ dataDir, promptsDir: null, host: 'web', appVersion: '1.0.0' }).close();
  } catch (error) {
    expect(error).toBeInstanceOf(WorkbenchError);
    return { code: (error as WorkbenchError).code, message: (error as WorkbenchError).message };
  }
  throw new Error(`The engine started on ${dataDir}`);
}

/** A data folder with a database the engine made and closed (its log folded into the file). */
function usedDataFolder(): string {
  const dataDir = makeTempDir();
  const engine = createEngine({ dataDir, promptsDir: null, host: 'web', appVersion: '1.0.0' });
  engine.close();
  return dataDir;
}

describe('starting on a data folder that cannot be used', () => {
  it('says a file of random bytes is not a database, and leaves it as it was', () => {
    const dataDir = makeTempDir();
    const file = path.join(dataDir, DATABASE_FILE_NAME);
    const garbage = noise(200 * 1024, 7);
    fs.writeFileSync(file, garbage);
    expect(startFailure(dataDir)).toStrictEqual({
      code: 'unavailable',
      message:
        `The file ${file} is not a Prompt Workbench database (SQLite says “file is not a database”). It was left unchanged. ` +
        'Restore it from a backup, move it aside (with any workbench.sqlite-wal and -shm files beside it) and start again to begin ' +
        'with an empty database, or set WORKBENCH_DATA_DIR to another data folder.',
    });
    expect(fs.readFileSync(file).equals(garbage)).toBe(true);
  });

  it('says a database with overwritten pages is damaged, and leaves it as it was', () => {
    const dataDir = usedDataFolder();
    const file = path.join(dataDir, DATABASE_FILE_NAME);
    const bytes = fs.readFileSync(file);
    // 2 KB of noise every 16 KB past the header page, as a failing disk or a bad copy leaves a file.
    for (let offset = 4096; offset < bytes.length; offset += 16 * 1024) noise(2048, offset).copy(bytes, offset);
    fs.writeFileSync(file, bytes);
    expect(startFailure(dataDir)).toStrictEqual({
      code: 'unavailable',
      message:
        `The database ${file} is damaged (SQLite says “database disk image is malformed”). It was left unchanged. ` +
        'Restore it from a backup, move it aside (with any workbench.sqlite-wal and -shm files beside it) and start again to begin ' +
        'with an empty database, or set WORKBENCH_DATA_DIR to another data folder.',
    });
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('says a data folder on a read-only file system cannot be written to', () => {
    const dataDir = usedDataFolder();
    undos.push(refuseWrites([dataDir], 'EROFS'));
    expect(startFailure(dataDir)).toStrictEqual({
      code: 'unavailable',
      message:
        `The data folder ${dataDir} cannot be written to: it is on a read-only file system, and Prompt Workbench keeps its ` +
        'database there. Fix the folder’s permissions, or set WORKBENCH_DATA_DIR to another data folder.',
    });
  });

  it('says a data folder that cannot be created cannot be created, and why (not that it is missing)', () => {
    const parent = makeTempDir();
    const dataDir = path.join(parent, 'sub', 'data');
    undos.push(refuseWrites([parent], 'EROFS'));
    expect(startFailure(dataDir)).toStrictEqual({
      code: 'unavailable',
      message:
        `The data folder ${dataDir} cannot be created in ${parent}: it is on a read-only file system. ` +
        `Make ${parent} writable, or set WORKBENCH_DATA_DIR to another data folder.`,
    });
  });

  it('says a data folder whose place a file takes is a file', () => {
    const parent = makeTempDir();
    fs.writeFileSync(path.join(parent, 'data'), 'notes');
    const dataDir = path.join(parent, 'data', 'workbench');
    expect(startFailure(dataDir)).toStrictEqual({
      code: 'unavailable',
      message:
        `The data folder ${dataDir} cannot be created: ${path.join(parent, 'data')} is a file, not a folder. ` +
        'Move that file aside, or set WORKBENCH_DATA_DIR to another data folder.',
    });
  });

  it('says a database path that is a folder cannot be opened', () => {
    const dataDir = makeTempDir();
    const file = path.join(dataDir, DATABASE_FILE_NAME);
    fs.mkdirSync(file);
    expect(startFailure(dataDir)).toStrictEqual({
      code: 'unavailable',
      message: `The database ${file} cannot be opened: it is a folder, not a file. Move that folder aside, or set WORKBENCH_DATA_DIR to another data folder.`,
    });
  });
});
