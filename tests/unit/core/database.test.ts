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
          'eval_assertion_results',
          'eval_cases',
          'eval_cells',
          'eval_columns',
          'evals',
          'meta',
          'model_param_refusals',
          'price_overrides',
          'prompt_drafts',
          'prompt_versions',
          'prompts',
          'providers',
          'release_repository',
          'releases',
          'response_cache',
          'run_batches',
          'run_models',
          'runs',
          'runs_fts',
          'runs_fts_config',
          'runs_fts_data',
          'runs_fts_docsize',
          'runs_fts_idx',
          'runs_fts_pending',
          'settings',
          'test_cases',
          'test_suites',
          'version_approvals',
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

  it('upgrades a v2 database to v3 with its runs, cache entries and full-text index intact', () => {
    const file = path.join(makeTempDir(), 'workbench.sqlite');
    const old = openDatabase(file, MIGRATIONS.slice(0, 2));
    try {
      old.exec(`
        INSERT INTO prompts (id, slug, name, created_at, updated_at) VALUES (1, 'p', 'P', 't', 't');
        INSERT INTO run_batches (id, prompt_id, cell_count, bypass_cache, created_at) VALUES (1, 1, 2, 0, '2026-01-01T00:00:00.000Z');
        INSERT INTO runs (id, batch_id, cell_index, prompt_id, provider_id, provider_kind, provider_label, endpoint, model,
          messages_json, parameters_json, variables_json, output, status, cost_usd, price_source, cache_key, owner_pid, started_at)
        VALUES
          (1, 1, 0, 1, 1, 'openai', 'OpenAI', 'e', 'm', '[{"role":"user","content":"tides"}]', '{}', '{}', 'the moon pulls', 'ok', 0.5, 'catalog', 'k1', 1, '2026-01-01T00:00:00.000Z'),
          (2, 1, 1, 1, 1, 'openai', 'OpenAI', 'e', 'm', '[{"role":"user","content":"tides"}]', '{}', '{}', '', 'running', 0.25, 'catalog', 'k2', 999999, '2026-01-01T00:00:01.000Z');
        INSERT INTO response_cache (key, provider_kind, endpoint, model, output, usage_json, price_source, source_run_id, hit_count, created_at)
        VALUES ('k1', 'openai', 'e', 'm', 'the moon pulls', '{}', 'catalog', 1, 3, 't');
      `);
    } finally {
      old.close();
    }
    const database = openDatabase(file);
    try {
      const indexes = database
        .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'runs' ORDER BY name")
        .all()
        .map((row) => row.name);
      expect({
        version: schemaVersion(database),
        runs: database.prepare('SELECT id, status, output, cost_usd AS costUsd FROM runs ORDER BY id').all(),
        cache: database.prepare('SELECT key, output, source_run_id AS sourceRunId, hit_count AS hitCount FROM response_cache').all(),
        cacheIsWithoutRowid: /WITHOUT ROWID/i.test(
          (database.prepare("SELECT sql FROM sqlite_schema WHERE name = 'response_cache'").get() as { sql: string }).sql,
        ),
        indexes,
        running: database.prepare("SELECT id FROM runs INDEXED BY runs_running WHERE status = 'running'").all(),
        spent: database.prepare("SELECT total(cost_usd) AS spent FROM runs WHERE started_at >= '2026-01-01'").get(),
      }).toStrictEqual({
        version: SCHEMA_VERSION,
        runs: [
          { id: 1, status: 'ok', output: 'the moon pulls', costUsd: 0.5 },
          { id: 2, status: 'running', output: '', costUsd: 0.25 },
        ],
        cache: [{ key: 'k1', output: 'the moon pulls', sourceRunId: 1, hitCount: 3 }],
        cacheIsWithoutRowid: true,
        indexes: ['runs_by_batch', 'runs_by_prompt', 'runs_by_start', 'runs_running'],
        running: [{ id: 2 }],
        spent: { spent: 0.75 },
      });
      // A key stays unique, and deleting the source run still clears the cache's link to it.
      expect(() =>
        database.exec(`INSERT INTO response_cache (key, provider_kind, endpoint, model, output, usage_json, price_source, created_at) VALUES ('k1', 'o', 'e', 'm', 'x', '{}', 'catalog', 't')`),
      ).toThrow('UNIQUE constraint failed');
      database.exec('DELETE FROM runs WHERE id = 1');
      expect(database.prepare("SELECT source_run_id AS sourceRunId FROM response_cache WHERE key = 'k1'").get()).toStrictEqual({ sourceRunId: null });
    } finally {
      database.close();
    }
  });

  it('upgrades a v19 database to v20: every provider keeps its settings, its time limits at its kind’s defaults (null)', () => {
    const file = path.join(makeTempDir(), 'workbench.sqlite');
    const old = openDatabase(file, MIGRATIONS.slice(0, 19));
    old.exec(`UPDATE providers SET base_url = 'http://gpu-box:11434', keep_alive = '1h' WHERE kind = 'ollama'`);
    old.exec(
      `INSERT INTO providers (id, kind, label, base_url, key_source, key_variable, is_local, is_built_in, created_at, updated_at)
       VALUES (4, 'openai-compatible', 'LM Studio', 'http://127.0.0.1:1234/v1', 'none', NULL, 1, 0, 't', 't')`,
    );
    old.close();
    const upgraded = openDatabase(file);
    try {
      expect(
        upgraded
          .prepare(
            `SELECT kind, base_url AS baseUrl, keep_alive AS keepAlive, first_output_limit_ms AS firstOutput, stall_limit_ms AS stall, total_limit_ms AS total
             FROM providers ORDER BY id`,
          )
          .all(),
      ).toStrictEqual([
        { kind: 'openai', baseUrl: null, keepAlive: null, firstOutput: null, stall: null, total: null },
        { kind: 'anthropic', baseUrl: null, keepAlive: null, firstOutput: null, stall: null, total: null },
        { kind: 'ollama', baseUrl: 'http://gpu-box:11434', keepAlive: '1h', firstOutput: null, stall: null, total: null },
        { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:1234/v1', keepAlive: null, firstOutput: null, stall: null, total: null },
      ]);
    } finally {
      upgraded.close();
    }
  });

  it('upgrades a v20 database to v21: every run keeps its row and reads as sent as text (no response format)', () => {
    const file = path.join(makeTempDir(), 'workbench.sqlite');
    const old = openDatabase(file, MIGRATIONS.slice(0, 20));
    old.exec(`
      INSERT INTO prompts (id, slug, name, created_at, updated_at) VALUES (1, 'p', 'P', 't', 't');
      INSERT INTO run_batches (id, prompt_id, cell_count, bypass_cache, created_at) VALUES (1, 1, 1, 0, '2026-01-01T00:00:00.000Z');
      INSERT INTO runs (id, batch_id, cell_index, prompt_id, provider_id, provider_kind, provider_label, endpoint, model,
        messages_json, parameters_json, variables_json, status, output, price_source, cache_key, owner_pid, started_at)
      VALUES (1, 1, 0, 1, 1, 'openai', 'OpenAI', 'https://api.openai.com/v1', 'gpt-4o-mini', '[]', '{}', '{}', 'ok', 'Hi', 'catalog', 'k', 1, '2026-01-01T00:00:00.000Z');
    `);
    old.close();
    const upgraded = openDatabase(file);
    try {
      expect(upgraded.prepare('SELECT id, model, output, response_format_json AS responseFormatJson FROM runs').all()).toStrictEqual([
        { id: 1, model: 'gpt-4o-mini', output: 'Hi', responseFormatJson: null },
      ]);
    } finally {
      upgraded.close();
    }
  });

  it('upgrades a v18 database to v19: every provider keeps its settings, Ollama’s keep-alive at the default (null)', () => {
    const file = path.join(makeTempDir(), 'workbench.sqlite');
    const old = openDatabase(file, MIGRATIONS.slice(0, 18));
    old.exec(`UPDATE providers SET base_url = 'http://gpu-box:11434' WHERE kind = 'ollama'`);
    old.close();
    const upgraded = openDatabase(file);
    try {
      expect(upgraded.prepare('SELECT kind, base_url AS baseUrl, keep_alive AS keepAlive FROM providers ORDER BY id').all()).toStrictEqual([
        { kind: 'openai', baseUrl: null, keepAlive: null },
        { kind: 'anthropic', baseUrl: null, keepAlive: null },
        { kind: 'ollama', baseUrl: 'http://gpu-box:11434', keepAlive: null },
      ]);
    } finally {
      upgraded.close();
    }
  });

  it('upgrades a v16 database to v17: each eval column starts with what its cells spent, and an older eval has no default checks kept', () => {
    const file = path.join(makeTempDir(), 'workbench.sqlite');
    const old = openDatabase(file, MIGRATIONS.slice(0, 16));
    try {
      old.exec(`
        INSERT INTO prompts (id, slug, name, created_at, updated_at) VALUES (1, 'p', 'P', 't', 't');
        INSERT INTO evals (id, prompt_id, status, versions_json, targets_json, concurrency, bypass_cache, case_count, cell_count, done_count,
          cost_usd, judge_cost_usd, owner_pid, created_at, finished_at)
        VALUES (1, 1, 'done', '[1]', '[]', 2, 0, 2, 4, 3, 0.007, 0.0003, 1, 't', 't');
        INSERT INTO eval_columns (id, eval_id, position, key, version_number, provider_label, model)
        VALUES (1, 1, 0, 'a', 1, 'OpenAI', 'gpt-4o-mini'), (2, 1, 1, 'b', 1, 'OpenAI', 'gpt-4.1-nano'), (3, 1, 2, 'c', 1, 'OpenAI', 'o3');
        INSERT INTO eval_cases (eval_id, case_id, position, description, variables_json, tags_json, assertions_json)
        VALUES (1, 1, 0, '', '{}', '[]', '[]'), (1, 2, 1, '', '{}', '[]', '[]');
        INSERT INTO eval_cells (id, eval_id, column_id, case_id, status, cost_usd, judge_cost_usd)
        VALUES (1, 1, 1, 1, 'passed', 0.001, 0.0001), (2, 1, 1, 2, 'failed', 0.002, 0.0002), (3, 1, 2, 1, 'error', 0.004, NULL), (4, 1, 2, 2, 'pending', NULL, NULL);
      `);
    } finally {
      old.close();
    }
    const database = openDatabase(file);
    try {
      expect({
        version: schemaVersion(database),
        columns: database.prepare('SELECT id, round(spent_usd, 9) AS spent, round(judge_spent_usd, 9) AS judgeSpent FROM eval_columns ORDER BY id').all(),
        defaults: database.prepare('SELECT default_assertions_json AS json FROM evals').all(),
      }).toStrictEqual({
        version: SCHEMA_VERSION,
        columns: [
          { id: 1, spent: 0.003, judgeSpent: 0.0003 },
          { id: 2, spent: 0.004, judgeSpent: 0 },
          { id: 3, spent: 0, judgeSpent: 0 },
        ],
        defaults: [{ json: null }],
      });
    } finally {
      database.close();
    }
  });

  it('upgrades a v17 database to v18: each draft keeps its text and starts at revision 0', () => {
    const file = path.join(makeTempDir(), 'workbench.sqlite');
    const old = openDatabase(file, MIGRATIONS.slice(0, 17));
    try {
      old.exec(`
        INSERT INTO prompts (id, slug, name, created_at, updated_at) VALUES (1, 'p', 'P', 't', 't');
        INSERT INTO prompt_drafts (prompt_id, content_json, variables_json, updated_at) VALUES (1, '{"typed":true}', '{}', 't');
      `);
    } finally {
      old.close();
    }
    const database = openDatabase(file);
    try {
      expect({
        version: schemaVersion(database),
        drafts: database.prepare('SELECT prompt_id AS promptId, content_json AS contentJson, revision FROM prompt_drafts').all(),
      }).toStrictEqual({ version: SCHEMA_VERSION, drafts: [{ promptId: 1, contentJson: '{"typed":true}', revision: 0 }] });
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
