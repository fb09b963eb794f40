/**
 * The SQLite file: opening it with the pragmas the engine relies on, and migrating its schema.
 *
 * The schema version lives in `PRAGMA user_version`. Migrations are an ordered list; migration
 * `i` takes the schema from version `i` to `i + 1` inside one transaction that also bumps the
 * version, so a crash leaves the file at a version it really has.
 */

import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { WorkbenchError } from '../../shared/errors';

/** An open better-sqlite3 connection. */
export type Database = BetterSqlite3.Database;

/** One schema step: SQL to execute, or a function for steps SQL alone cannot express. */
export type Migration = string | ((database: Database) => void);

/** How long a writer waits for another process (the other host) to release its lock. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Schema v1: the prompt library.
 *
 * Versions are immutable: a trigger refuses any change to what a version froze. Its status
 * and note may still change (approval comes with releases). Runs, the response cache, evals
 * and releases arrive as later migrations.
 */
const SCHEMA_V1 = `
  CREATE TABLE prompts (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    archived_at TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
  ) STRICT;

  CREATE TABLE prompt_versions (
    id           INTEGER PRIMARY KEY,
    prompt_id    INTEGER NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
    number       INTEGER NOT NULL CHECK (number > 0),
    content_json TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved')),
    created_at   TEXT NOT NULL,
    UNIQUE (prompt_id, number)
  ) STRICT;

  CREATE TRIGGER prompt_versions_are_immutable
  BEFORE UPDATE OF prompt_id, number, content_json, content_hash, created_at ON prompt_versions
  BEGIN
    SELECT RAISE(ABORT, 'prompt versions are immutable');
  END;

  CREATE TABLE prompt_drafts (
    prompt_id      INTEGER PRIMARY KEY REFERENCES prompts (id) ON DELETE CASCADE,
    content_json   TEXT NOT NULL,
    variables_json TEXT NOT NULL DEFAULT '{}',
    base_version   INTEGER,
    updated_at     TEXT NOT NULL
  ) STRICT;

  CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value_json TEXT NOT NULL
  ) STRICT;

  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;
`;

/**
 * Every migration, in order; the schema version of a database is how many it has applied.
 *
 * Append new steps (runs, response cache, evals, releases); never edit one that has shipped.
 */
export const MIGRATIONS: readonly Migration[] = [SCHEMA_V1];

/** The schema version this build of the app writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Opens (creating if needed) the database at `file`, sets its pragmas and migrates it.
 *
 * Throws a `WorkbenchError('unavailable')` when the file was written by a newer app.
 */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = new BetterSqlite3(file);
  try {
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    migrate(database, file, migrations);
    return database;
  } catch (error) {
    database.close();
    throw error;
  }
}

/** The schema version recorded in the file. */
export function schemaVersion(database: Database): number {
  return database.pragma('user_version', { simple: true }) as number;
}

function migrate(database: Database, file: string, migrations: readonly Migration[]): void {
  const refuseIfNewer = (version: number): void => {
    if (version > migrations.length) {
      throw new WorkbenchError(
        'unavailable',
        `The database ${file} has schema version ${version}, but this version of Prompt Workbench only knows ` +
          `versions up to ${migrations.length}. It was written by a newer release: update the app, or point it at another data folder.`,
      );
    }
  };
  refuseIfNewer(schemaVersion(database));
  for (let target = schemaVersion(database) + 1; target <= migrations.length; target += 1) {
    const step = database.transaction(() => {
      // Another process (the other host) may have migrated while we waited for the write lock.
      const current = schemaVersion(database);
      refuseIfNewer(current);
      if (current >= target) return;
      const migration = migrations[target - 1];
      if (typeof migration === 'string') database.exec(migration);
      else migration(database);
      database.pragma(`user_version = ${target}`);
    });
    step.immediate();
  }
}

/** Reads a value from the `meta` table, or null when the key is absent. */
export function readMeta(database: Database, key: string): string | null {
  const row = database.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key);
  return row?.value ?? null;
}

/** Writes a value to the `meta` table. */
export function writeMeta(database: Database, key: string, value: string): void {
  database
    .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
    .run(key, value);
}
