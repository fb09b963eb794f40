import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, openDatabase, readMeta, SCHEMA_VERSION, schemaVersion, writeMeta } from '../../../electron/core/database';
import { WorkbenchError } from '../../../shared/errors';
import { makeTempDir } from '../support';

function tableNames(database: BetterSqlite3.Database): string[] {
  return database
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    .all()
    .map((row) => row.name);
}

describe('openDatabase', () => {
  it('creates the folder and a migrated WAL database with foreign keys on', () => {
    const file = path.join(makeTempDir(), 'nested', 'data', 'workbench.sqlite');
    const database = openDatabase(file);
    try {
      expect({
        userVersion: schemaVersion(database),
        journalMode: database.pragma('journal_mode', { simple: true }),
        foreignKeys: database.pragma('foreign_keys', { simple: true }),
        synchronous: database.pragma('synchronous', { simple: true }),
        busyTimeout: database.pragma('busy_timeout', { simple: true }),
        tables: tableNames(database),
      }).toStrictEqual({
        userVersion: SCHEMA_VERSION,
        journalMode: 'wal',
        foreignKeys: 1,
        synchronous: 1,
        busyTimeout: 5000,
        tables: [
          'cache_counters',
          'meta',
          'price_overrides',
          'prompt_drafts',
          'prompt_versions',
          'prompts',
          'providers',
          'response_cache',
          'run_batches',
          'runs',
          'runs_fts',
          'runs_fts_config',
          'runs_fts_data',
          'runs_fts_docsize',
          'runs_fts_idx',
          'runs_fts_pending',
          'settings',
        ],
      });
    } finally {
      database.close();
    }
  });

  it('reopens an up-to-date database without migrating again, keeping its data', () => {
    const file = path.join(makeTempDir(), 'workbench.sqlite');
    const first = openDatabase(file);
    writeMeta(first, 'seeded', 'yes');
    first.close();
    const second = openDatabase(file);
    try {
      expect({ version: schemaVersion(second), seeded: readMeta(second, 'seeded'), absent: readMeta(second, 'nope') }).toStrictEqual({
        version: SCHEMA_VERSION,
        seeded: 'yes',
        absent: null,
      });
    } finally {
      second.close();
    }
  });

  it('refuses a database written by a newer app, with a message saying what to do', () => {
    const file = path.join(makeTempDir(), 'workbench.sqlite');
    const raw = new BetterSqlite3(file);
    raw.pragma('user_version = 99');
    raw.close();
    let caught: unknown;
    try {
      openDatabase(file).close();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(WorkbenchError);
    expect({ code: (caught as WorkbenchError).code, message: (caught as WorkbenchError).message }).toStrictEqual({
      code: 'unavailable',
      message:
        `The database ${file} has schema version 99, but this version of Prompt Workbench only knows versions up to ${SCHEMA_VERSION}. ` +
        'It was written by a newer release: update the app, or point it at another data folder.',
    });
    // The refused file is left untouched.
    const after = new BetterSqlite3(file);
    expect({ version: after.pragma('user_version', { simple: true }), tables: tableNames(after) }).toStrictEqual({ version: 99, tables: [] });
    after.close();
  });

  it('applies each migration atomically: a failing step leaves the previous version and no partial schema', () => {
    const file = path.join(makeTempDir(), 'workbench.sqlite');
    const broken = [...MIGRATIONS, 'CREATE TABLE half_done (id INTEGER); INSERT INTO no_such_table VALUES (1);'];
    expect(() => openDatabase(file, broken)).toThrow(/no such table: no_such_table/);
    const database = openDatabase(file);
    try {
      expect({ version: schemaVersion(database), hasHalfDone: tableNames(database).includes('half_done') }).toStrictEqual({
        version: SCHEMA_VERSION,
        hasHalfDone: false,
      });
    } finally {
      database.close();
    }
  });

  it('refuses to change the content of a saved version and enforces foreign keys', () => {
    const database = openDatabase(path.join(makeTempDir(), 'workbench.sqlite'));
    try {
      database.exec(`
        INSERT INTO prompts (id, slug, name, created_at, updated_at) VALUES (1, 'p', 'P', 't', 't');
        INSERT INTO prompt_versions (prompt_id, number, content_json, content_hash, created_at) VALUES (1, 1, '{}', 'h', 't');
      `);
      expect(() => database.exec(`UPDATE prompt_versions SET content_json = '{"x":1}'`)).toThrow('prompt versions are immutable');
      expect(() => database.exec(`UPDATE prompt_versions SET number = 2`)).toThrow('prompt versions are immutable');
      // Approval is not content: status and note may still change.
      database.exec(`UPDATE prompt_versions SET status = 'approved', note = 'reviewed'`);
      expect(() =>
        database.exec(`INSERT INTO prompt_versions (prompt_id, number, content_json, content_hash, created_at) VALUES (42, 1, '{}', 'h', 't')`),
      ).toThrow('FOREIGN KEY constraint failed');
      expect(database.prepare('SELECT number, content_json AS contentJson, status, note FROM prompt_versions').all()).toStrictEqual([
        { number: 1, contentJson: '{}', status: 'approved', note: 'reviewed' },
      ]);
    } finally {
      database.close();
    }
  });
});
