/**
 * Prepared statements, prepared once per connection and reused. Preparing is the costly part of
 * a small query in better-sqlite3 (parsing and planning the SQL), and the run path issues a
 * dozen small queries per cell, so the stores on that path ask here instead of preparing anew.
 */

import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from './database';

const caches = new WeakMap<Database, Map<string, BetterSqlite3.Statement<unknown[], unknown>>>();

/** Returns a function that prepares `sql` on `database` the first time and hands back the same statement after. */
export function statementCache(database: Database) {
  let cache = caches.get(database);
  if (cache === undefined) {
    cache = new Map();
    caches.set(database, cache);
  }
  const statements = cache;
  return <Parameters extends unknown[] = unknown[], Row = unknown>(sql: string): BetterSqlite3.Statement<Parameters, Row> => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = database.prepare<unknown[], unknown>(sql);
      statements.set(sql, statement);
    }
    return statement as unknown as BetterSqlite3.Statement<Parameters, Row>;
  };
}
