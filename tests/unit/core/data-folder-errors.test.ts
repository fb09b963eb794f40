/**
 * A data folder the engine cannot use: each failure names the file or folder, says what is wrong
 * and what to do, and leaves the user’s file as it was.
 */

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, DATABASE_FILE_NAME } from '../../../electron/core/engine';
import { dispatchCall } from '../../../electron/core/rpc';
import { WorkbenchError } from '../../../shared/errors';
import { refuseWrites } from '../../fixtures/read-only-folders';
import { makeTempDir } from '../support';
import { addOpenAi, createPrompt, startWorkbench, TOPIC_CONTENT } from './runs/run-harness';

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

/** Overwrites every page of the table or index `name` with noise, as a failing disk leaves them; returns the file’s new bytes. */
function damagePagesOf(file: string, name: string): Buffer {
  const reader = new BetterSqlite3(file, { readonly: true });
  const pageSize = reader.pragma('page_size', { simple: true }) as number;
  const pages = reader.prepare<[string], number>('SELECT pageno FROM dbstat WHERE name = ?').pluck().all(name);
  reader.close();
  expect(pages.length).toBeGreaterThan(0);
  const bytes = fs.readFileSync(file);
  for (const page of pages) noise(pageSize, page).copy(bytes, (page - 1) * pageSize);
  fs.writeFileSync(file, bytes);
  return bytes;
}

/** What the bridge answers to `channel` on an engine started on `dataDir`. */
async function callOn(dataDir: string, channel: Parameters<typeof dispatchCall>[1], input: unknown) {
  const engine = createEngine({ dataDir, promptsDir: null, host: 'web', appVersion: '1.0.0' });
  try {
    return await dispatchCall(engine.handlers, channel, input);
  } finally {
    engine.close();
  }
}

/** The advice for a database found damaged while in use. */
const DAMAGED_IN_USE =
  'Close Prompt Workbench, then restore the file from a backup, or move it aside (with any workbench.sqlite-wal and -shm files beside it) ' +
  'and start again to begin with an empty database, or set WORKBENCH_DATA_DIR to another data folder.';

describe('using a database that fails after the start', () => {
  it('says a History search that reads a damaged full-text index page is damaged, naming the file and what to do', async () => {
    const dataDir = usedDataFolder();
    const file = path.join(dataDir, DATABASE_FILE_NAME);
    damagePagesOf(file, 'runs_fts_data');
    expect(await callOn(dataDir, 'runs:search', { query: 'tides' })).toStrictEqual({
      ok: false,
      error: { code: 'storage', message: `The database ${file} is damaged (SQLite says “database disk image is malformed”). ${DAMAGED_IN_USE}` },
    });
  });

  it('says Save version on a damaged index page of the versions is damaged, naming the file and what to do', async () => {
    const dataDir = makeTempDir();
    const file = path.join(dataDir, DATABASE_FILE_NAME);
    const before = startWorkbench({ dataDir });
    const promptId = await createPrompt(before);
    before.engine.close();
    damagePagesOf(file, 'sqlite_autoindex_prompt_versions_1');
    expect(await callOn(dataDir, 'versions:save', { promptId, content: TOPIC_CONTENT, variables: { topic: 'tides' }, note: 'first' })).toStrictEqual({
      ok: false,
      error: { code: 'storage', message: `The database ${file} is damaged (SQLite says “database disk image is malformed”). ${DAMAGED_IN_USE}` },
    });
  });

  it('shows a run the database would not store in its column, with its answer and why History will not have it, and ends its batch', async () => {
    const dataDir = makeTempDir();
    const file = path.join(dataDir, DATABASE_FILE_NAME);
    startWorkbench({ dataDir }).engine.close();
    // The response cache takes an answer in the transaction that stores its run.
    damagePagesOf(file, 'response_cache');
    const workbench = startWorkbench({ dataDir });
    const { providerId } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench);
    const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }], bypassCache: true });
    const run = await workbench.runDone(started.cells[0].runId);
    const batch = await workbench.batchDone(started.batchId);
    expect({ status: run.status, output: run.output, notStored: run.notStored, counts: batch.counts }).toStrictEqual({
      status: 'ok',
      output: workbench.streamedText(run.id),
      notStored: `The database ${file} is damaged (SQLite says “database disk image is malformed”). ${DAMAGED_IN_USE}`,
      counts: { running: 0, ok: 1, error: 0, cancelled: 0 },
    });
    expect(run.output).not.toBe('');
    await workbench.engine.whenIdle();
  });

  it('says a database file that refuses writes is read-only (an immutable file: chmod stops nothing for root)', (context) => {
    const dataDir = usedDataFolder();
    const file = path.join(dataDir, DATABASE_FILE_NAME);
    // Root writes through any mode bits; an immutable file refuses even root, where the file system and capabilities allow it.
    if (spawnSync('chattr', ['+i', file]).status !== 0) {
      context.skip('chattr +i is not available here (needs CAP_LINUX_IMMUTABLE and a file system with attributes)');
    }
    undos.push(() => spawnSync('chattr', ['-i', file]));
    expect(startFailure(dataDir)).toStrictEqual({
      code: 'unavailable',
      message:
        `The database ${file} is read-only (SQLite says “attempt to write a readonly database”), and Prompt Workbench needs to write to it. ` +
        `Fix the permissions of the file and of ${dataDir}, or set WORKBENCH_DATA_DIR to another data folder.`,
    });
  });
});
