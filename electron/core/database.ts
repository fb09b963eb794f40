/**
 * The SQLite file: opening it with the pragmas the engine relies on, and migrating its schema.
 *
 * The schema version lives in `PRAGMA user_version`. Migrations are an ordered list; migration
 * `i` takes the schema from version `i` to `i + 1` inside one transaction that also bumps the
 * version, so a crash leaves the file at a version it really has.
 */

import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { WorkbenchError } from '../../shared/errors';
import { toIndexedText } from '../../shared/search-query';
import { databaseFailure, prepareDataFolder, type DataFolderChoice } from './data-folder-errors';
import { EVAL_SCHEMA } from './evals/eval-schema';
import { RELEASE_SCHEMA } from './release/release-schema';

/** An open better-sqlite3 connection. */
export type Database = BetterSqlite3.Database;

/** One schema step: SQL to execute, or a function for steps SQL alone cannot express. */
export type Migration = string | ((database: Database) => void);

/** How long a writer waits for another process (the other host) to release its lock. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * WAL pages (4 KB) after which a commit checkpoints by itself: 16 MB, four times SQLite's
 * default, since the engine checkpoints when its runner goes idle (see `WalCheckpointer`);
 * this still bounds the log while runs never stop.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 4_000;

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
 * Schema v2: providers, runs, prices and the response cache.
 *
 * - `providers`: configured endpoints and where their key comes from, never the key itself.
 *   The three built-in ones exist from the start (ids 1 to 3).
 * - `run_batches` and `runs`: a row per cell, inserted as `running` when the batch starts and
 *   completed when the cell ends, so a killed process leaves rows that the next start marks
 *   as interrupted (`owner_pid` says whose they were; the other host may be alive). A run
 *   copies what it ran with (provider, endpoint, rendered messages, parameters, price), so
 *   history stays true when settings change.
 * - `runs_fts`: full-text index over outputs and rendered prompt text of finished runs,
 *   external-content over the `runs_search` view (the prompt text is not stored twice). A run
 *   that finishes is queued in `runs_fts_pending` by trigger and indexed with others in one
 *   transaction (FTS5 pays per transaction, so one run at a time costs several times more);
 *   the queue is drained shortly after runs finish and before every search, so a search never
 *   misses a run. Triggers take a changed or deleted run out of the index.
 * - `response_cache`: finished, successful answers by the SHA-256 of the canonical request;
 *   `cache_counters` keeps lookups, hits and savings since the cache was last cleared.
 * - `price_overrides`: the user's price for a model of a provider, over the catalog's.
 */
const SCHEMA_V2 = `
  CREATE TABLE providers (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('openai', 'openai-compatible', 'anthropic', 'ollama')),
    label        TEXT NOT NULL,
    base_url     TEXT,
    key_source   TEXT NOT NULL CHECK (key_source IN ('none', 'environment', 'secret-store')),
    key_variable TEXT,
    is_local     INTEGER NOT NULL DEFAULT 0 CHECK (is_local IN (0, 1)),
    is_built_in  INTEGER NOT NULL DEFAULT 0 CHECK (is_built_in IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
  ) STRICT;

  INSERT INTO providers (id, kind, label, base_url, key_source, key_variable, is_local, is_built_in, created_at, updated_at)
  VALUES
    (1, 'openai', 'OpenAI', NULL, 'environment', 'OPENAI_API_KEY', 0, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    (2, 'anthropic', 'Anthropic', NULL, 'environment', 'ANTHROPIC_API_KEY', 0, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    (3, 'ollama', 'Ollama', NULL, 'none', NULL, 1, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

  CREATE TABLE run_batches (
    id           INTEGER PRIMARY KEY,
    prompt_id    INTEGER REFERENCES prompts (id) ON DELETE SET NULL,
    cell_count   INTEGER NOT NULL,
    bypass_cache INTEGER NOT NULL CHECK (bypass_cache IN (0, 1)),
    created_at   TEXT NOT NULL,
    finished_at  TEXT
  ) STRICT;

  CREATE TABLE runs (
    id                  INTEGER PRIMARY KEY,
    batch_id            INTEGER NOT NULL REFERENCES run_batches (id) ON DELETE CASCADE,
    cell_index          INTEGER NOT NULL,
    prompt_id           INTEGER REFERENCES prompts (id) ON DELETE SET NULL,
    version_number      INTEGER,
    provider_id         INTEGER REFERENCES providers (id) ON DELETE SET NULL,
    provider_kind       TEXT NOT NULL,
    provider_label      TEXT NOT NULL,
    endpoint            TEXT NOT NULL,
    model               TEXT NOT NULL,
    sample_index        INTEGER NOT NULL DEFAULT 0,
    messages_json       TEXT NOT NULL,
    parameters_json     TEXT NOT NULL,
    variables_json      TEXT NOT NULL,
    output              TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL CHECK (status IN ('running', 'ok', 'error', 'cancelled')),
    error               TEXT,
    error_kind          TEXT,
    finish_reason       TEXT,
    input_tokens        INTEGER NOT NULL DEFAULT 0,
    cached_input_tokens INTEGER NOT NULL DEFAULT 0,
    cache_write_tokens  INTEGER NOT NULL DEFAULT 0,
    output_tokens       INTEGER NOT NULL DEFAULT 0,
    reasoning_tokens    INTEGER NOT NULL DEFAULT 0,
    is_estimated        INTEGER NOT NULL DEFAULT 1 CHECK (is_estimated IN (0, 1)),
    cost_usd            REAL,
    saved_usd           REAL NOT NULL DEFAULT 0,
    price_json          TEXT,
    price_source        TEXT NOT NULL CHECK (price_source IN ('catalog', 'override', 'local', 'none')),
    catalog_model       TEXT,
    ttft_ms             REAL,
    latency_ms          REAL,
    tokens_per_second   REAL,
    cache_key           TEXT NOT NULL,
    is_cache_hit        INTEGER NOT NULL DEFAULT 0 CHECK (is_cache_hit IN (0, 1)),
    is_cache_bypassed   INTEGER NOT NULL DEFAULT 0 CHECK (is_cache_bypassed IN (0, 1)),
    owner_pid           INTEGER NOT NULL,
    started_at          TEXT NOT NULL,
    finished_at         TEXT
  ) STRICT;

  CREATE INDEX runs_by_batch ON runs (batch_id);
  CREATE INDEX runs_by_prompt ON runs (prompt_id, version_number, id);
  CREATE INDEX runs_by_model ON runs (model, id);
  CREATE INDEX runs_by_provider ON runs (provider_id, id);
  -- The last runs of a prompt on a model, for the output a batch can expect.
  CREATE INDEX runs_by_target ON runs (prompt_id, provider_id, model, id);
  CREATE INDEX runs_by_status ON runs (status, id);
  -- Covers the daily budget's sum, so it reads the index alone.
  CREATE INDEX runs_by_start ON runs (started_at, cost_usd);

  CREATE VIEW runs_search (id, output, prompt_text) AS
    SELECT id, output, (SELECT group_concat(json_extract(value, '$.content'), char(10)) FROM json_each(runs.messages_json))
    FROM runs;

  CREATE VIRTUAL TABLE runs_fts USING fts5 (
    output, prompt_text,
    content = 'runs_search', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
  );

  CREATE TABLE runs_fts_pending (
    run_id INTEGER PRIMARY KEY
  ) STRICT;

  CREATE TRIGGER runs_fts_queue_on_insert AFTER INSERT ON runs WHEN new.status <> 'running'
  BEGIN
    INSERT OR IGNORE INTO runs_fts_pending (run_id) VALUES (new.id);
  END;

  CREATE TRIGGER runs_fts_queue_on_update AFTER UPDATE OF output, messages_json, status ON runs WHEN new.status <> 'running'
  BEGIN
    INSERT INTO runs_fts (runs_fts, rowid, output, prompt_text)
    SELECT 'delete', old.id, old.output, (SELECT group_concat(json_extract(value, '$.content'), char(10)) FROM json_each(old.messages_json))
    WHERE old.status <> 'running' AND NOT EXISTS (SELECT 1 FROM runs_fts_pending WHERE run_id = old.id);
    INSERT OR IGNORE INTO runs_fts_pending (run_id) VALUES (new.id);
  END;

  CREATE TRIGGER runs_fts_on_delete AFTER DELETE ON runs WHEN old.status <> 'running'
  BEGIN
    INSERT INTO runs_fts (runs_fts, rowid, output, prompt_text)
    SELECT 'delete', old.id, old.output, (SELECT group_concat(json_extract(value, '$.content'), char(10)) FROM json_each(old.messages_json))
    WHERE NOT EXISTS (SELECT 1 FROM runs_fts_pending WHERE run_id = old.id);
    DELETE FROM runs_fts_pending WHERE run_id = old.id;
  END;

  CREATE TABLE response_cache (
    key               TEXT PRIMARY KEY,
    provider_kind     TEXT NOT NULL,
    endpoint          TEXT NOT NULL,
    model             TEXT NOT NULL,
    output            TEXT NOT NULL,
    finish_reason     TEXT,
    usage_json        TEXT NOT NULL,
    cost_usd          REAL,
    price_json        TEXT,
    price_source      TEXT NOT NULL,
    catalog_model     TEXT,
    ttft_ms           REAL,
    latency_ms        REAL,
    tokens_per_second REAL,
    source_run_id     INTEGER REFERENCES runs (id) ON DELETE SET NULL,
    hit_count         INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    last_hit_at       TEXT
  ) STRICT;

  CREATE TABLE cache_counters (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    lookups    INTEGER NOT NULL DEFAULT 0,
    hits       INTEGER NOT NULL DEFAULT 0,
    saved_usd  REAL NOT NULL DEFAULT 0,
    cleared_at TEXT
  ) STRICT;
  INSERT INTO cache_counters (id) VALUES (1);

  CREATE TABLE price_overrides (
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    model       TEXT NOT NULL,
    price_json  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (provider_id, model)
  ) STRICT;
`;

/**
 * Schema v3: cheaper writes per run. Each index on `runs` costs a 4 KB WAL page in the commit
 * that starts a run (and one more when a finishing run changes its columns), so only the ones
 * history and the engine need stay:
 *
 * - `runs_by_batch`: the batch filter, the batch-end check and the cascade from `run_batches`.
 * - `runs_by_prompt` becomes `(prompt_id, id)`: a prompt's runs newest first, for the history
 *   filters on a prompt (and its version, model or status, checked on the way) and for the
 *   output a batch can expect, replacing the by-target index.
 * - `runs_by_start` (started_at, cost_usd): date ranges and the daily budget's sum.
 * - `runs_running`: partial, only rows still running, for recovering interrupted runs.
 *
 * The by-model, by-provider and by-status indexes go: their filters are read off the primary
 * key newest first (a page needs only the newest matches).
 *
 * `response_cache` becomes a WITHOUT ROWID table keyed by its hash, which drops the separate
 * key index (one page less per stored answer); its rows are copied.
 */
const SCHEMA_V3 = `
  DROP INDEX runs_by_model;
  DROP INDEX runs_by_provider;
  DROP INDEX runs_by_status;
  DROP INDEX runs_by_target;
  DROP INDEX runs_by_prompt;
  CREATE INDEX runs_by_prompt ON runs (prompt_id, id);
  CREATE INDEX runs_running ON runs (owner_pid) WHERE status = 'running';

  CREATE TABLE response_cache_v3 (
    key               TEXT PRIMARY KEY,
    provider_kind     TEXT NOT NULL,
    endpoint          TEXT NOT NULL,
    model             TEXT NOT NULL,
    output            TEXT NOT NULL,
    finish_reason     TEXT,
    usage_json        TEXT NOT NULL,
    cost_usd          REAL,
    price_json        TEXT,
    price_source      TEXT NOT NULL,
    catalog_model     TEXT,
    ttft_ms           REAL,
    latency_ms        REAL,
    tokens_per_second REAL,
    source_run_id     INTEGER REFERENCES runs (id) ON DELETE SET NULL,
    hit_count         INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    last_hit_at       TEXT
  ) STRICT, WITHOUT ROWID;
  INSERT INTO response_cache_v3 SELECT key, provider_kind, endpoint, model, output, finish_reason, usage_json, cost_usd,
    price_json, price_source, catalog_model, ttft_ms, latency_ms, tokens_per_second, source_run_id, hit_count, created_at,
    last_hit_at FROM response_cache;
  DROP TABLE response_cache;
  ALTER TABLE response_cache_v3 RENAME TO response_cache;
`;

/**
 * Schema v6: a reasoning model's thinking, where the provider sends it apart from the answer
 * (OpenAI-compatible `reasoning_content`, Anthropic thinking blocks, Ollama `thinking`), kept
 * with each run and each cached answer.
 */
const REASONING_SCHEMA = `
  ALTER TABLE runs ADD COLUMN reasoning TEXT NOT NULL DEFAULT '';
  ALTER TABLE response_cache ADD COLUMN reasoning TEXT NOT NULL DEFAULT '';
`;

/**
 * Schema v7: each cached answer's size in bytes (written with the answer), and an index in
 * least-recently-used order that holds it, so the cache's total is summed from the index alone
 * and a size limit evicts the answers used longest ago without sorting the table.
 */
const CACHE_SIZE_SCHEMA = `
  ALTER TABLE response_cache ADD COLUMN size_bytes INTEGER NOT NULL DEFAULT 0;
  UPDATE response_cache SET size_bytes = octet_length(output) + octet_length(reasoning) + octet_length(usage_json) + octet_length(key)
    + octet_length(endpoint) + octet_length(model) + coalesce(octet_length(price_json), 0);
  CREATE INDEX response_cache_by_use ON response_cache (coalesce(last_hit_at, created_at), size_bytes);
`;

/**
 * Schema v8: what the provider changed about a request to have it accepted (a parameter the
 * model does not take, left out), as notices kept with each run and each cached answer; null
 * when there were none.
 */
const NOTICES_SCHEMA = `
  ALTER TABLE runs ADD COLUMN notices_json TEXT;
  ALTER TABLE response_cache ADD COLUMN notices_json TEXT;
`;

/**
 * Schema v9: where a batch came from, so a prompt's last comparison can be shown again after a
 * restart. `origin` is `panel` (the runs panel), `rerun` (sent again from history), `retry` (a
 * column run again in its place: `in_place_of_batch` and `replaces_run_id` say which column of
 * which batch) or `eval`. Batches written before v9 have none and are never shown again.
 */
const BATCH_ORIGIN_SCHEMA = `
  ALTER TABLE run_batches ADD COLUMN origin TEXT CHECK (origin IN ('panel', 'rerun', 'retry', 'eval'));
  ALTER TABLE run_batches ADD COLUMN in_place_of_batch INTEGER;
  ALTER TABLE run_batches ADD COLUMN replaces_run_id INTEGER;
  CREATE INDEX run_batches_panel_by_prompt ON run_batches (prompt_id, id) WHERE origin = 'panel';
  CREATE INDEX run_batches_in_place ON run_batches (in_place_of_batch, id) WHERE in_place_of_batch IS NOT NULL;
`;

/**
 * Schema v10: the optional parameters a model of an OpenAI or OpenAI-compatible endpoint refused
 * (`reasoning_effort`, `temperature`, `top_p`), so its requests leave them out from the first
 * one of the next session too, instead of paying a refused request per model per start. Keyed
 * by the endpoint as well as the provider, so a provider pointed elsewhere learns anew.
 */
const PARAM_REFUSALS_SCHEMA = `
  CREATE TABLE model_param_refusals (
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    endpoint    TEXT NOT NULL,
    model       TEXT NOT NULL,
    param       TEXT NOT NULL CHECK (param IN ('reasoning_effort', 'temperature', 'top_p')),
    refused_at  TEXT NOT NULL,
    PRIMARY KEY (provider_id, endpoint, model, param)
  ) STRICT, WITHOUT ROWID;
`;

/**
 * Schema v11: which run a cache hit's answer came from (the usage and timing it shows are that
 * run's), kept without a foreign key (one would scan the runs for each deleted run); whether a
 * run's input was counted by the provider though the rest of its usage is an estimate (NULL: as
 * `is_estimated`); and every model history has runs of, kept by a trigger as runs are written,
 * for the model filter's suggestions (the runs table has no index on its model, so that inserts
 * stay cheap).
 */
const CACHE_SOURCE_SCHEMA = `
  ALTER TABLE runs ADD COLUMN cached_from_run_id INTEGER;
  ALTER TABLE runs ADD COLUMN input_estimated INTEGER CHECK (input_estimated IN (0, 1));
  CREATE TABLE run_models (model TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
  INSERT OR IGNORE INTO run_models (model) SELECT DISTINCT model FROM runs;
  CREATE TRIGGER runs_model_seen AFTER INSERT ON runs BEGIN
    INSERT OR IGNORE INTO run_models (model) VALUES (new.model);
  END;
`;

/**
 * Schema v12: how many cache hits answered a model without a price since the last clear, so
 * the cache's "Saved" can say it leaves them out instead of counting them as $0.
 */
const UNPRICED_HITS_SCHEMA = `
  ALTER TABLE cache_counters ADD COLUMN unpriced_hits INTEGER NOT NULL DEFAULT 0;
`;

/**
 * `search_text` of a text expression: plain ASCII is left as it is without a call into
 * JavaScript (it has no CJK and no symbol to stand apart), which keeps snippets and indexing at
 * their old cost. The prompt text is named once (`t`) in a subquery, so it is built once.
 */
function indexedText(expression: string): string {
  return `CASE WHEN length(${expression}) = octet_length(${expression}) THEN ${expression} ELSE search_text(${expression}) END`;
}

/**
 * Schema v13: the full-text index finds emoji and Chinese, Japanese or Korean words. The
 * tokenizer keeps symbols (`So`: emoji, ©, ✓) as well as letters and digits, and it reads
 * the runs through `search_text` (`toIndexedText`, registered on every connection by
 * `openDatabase`), which stands each CJK character and each symbol apart: CJK is written
 * without spaces, so unicode61 would otherwise make one word of a whole sentence and "東京"
 * would not find "東京タワー". The view, the triggers and the index are made again with it, and
 * the finished runs indexed anew, once (about 3 s for 100,000 runs here, a little more than indexing
 * them took).
 */
const SEARCH_TEXT_SCHEMA = `
  DROP TRIGGER runs_fts_queue_on_update;
  DROP TRIGGER runs_fts_on_delete;
  DROP TABLE runs_fts;
  DROP VIEW runs_search;

  CREATE VIEW runs_search (id, output, prompt_text) AS
    SELECT id, ${indexedText('output')}, (SELECT ${indexedText('t')} FROM (SELECT group_concat(json_extract(value, '$.content'), char(10)) AS t FROM json_each(runs.messages_json)))
    FROM runs;

  CREATE VIRTUAL TABLE runs_fts USING fts5 (
    output, prompt_text,
    content = 'runs_search', content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co So'"
  );

  CREATE TRIGGER runs_fts_queue_on_update AFTER UPDATE OF output, messages_json, status ON runs WHEN new.status <> 'running'
  BEGIN
    INSERT INTO runs_fts (runs_fts, rowid, output, prompt_text)
    SELECT 'delete', old.id, ${indexedText('old.output')}, (SELECT ${indexedText('t')} FROM (SELECT group_concat(json_extract(value, '$.content'), char(10)) AS t FROM json_each(old.messages_json)))
    WHERE old.status <> 'running' AND NOT EXISTS (SELECT 1 FROM runs_fts_pending WHERE run_id = old.id);
    INSERT OR IGNORE INTO runs_fts_pending (run_id) VALUES (new.id);
  END;

  CREATE TRIGGER runs_fts_on_delete AFTER DELETE ON runs WHEN old.status <> 'running'
  BEGIN
    INSERT INTO runs_fts (runs_fts, rowid, output, prompt_text)
    SELECT 'delete', old.id, ${indexedText('old.output')}, (SELECT ${indexedText('t')} FROM (SELECT group_concat(json_extract(value, '$.content'), char(10)) AS t FROM json_each(old.messages_json)))
    WHERE NOT EXISTS (SELECT 1 FROM runs_fts_pending WHERE run_id = old.id);
    DELETE FROM runs_fts_pending WHERE run_id = old.id;
  END;

  -- What the old index held (finished runs not waiting in the queue), indexed anew.
  INSERT INTO runs_fts (rowid, output, prompt_text)
    SELECT id, output, prompt_text FROM runs_search
    WHERE id IN (SELECT id FROM runs WHERE status <> 'running') AND id NOT IN (SELECT run_id FROM runs_fts_pending);
`;

/**
 * Schema v14: how many samples of its request a run's comparison ran, so History can tag the
 * first of several samples (#1) apart from a run on its own. It is kept with the run, not read
 * from its batch, so that listing history joins nothing: a retry or a re-run keeps the count
 * of the run it sends again. Runs stored before take the count of their batch (its highest
 * sample index), and a column run again in its place that of the comparison it was run in.
 */
const SAMPLE_COUNT_SCHEMA = `
  ALTER TABLE runs ADD COLUMN sample_count INTEGER NOT NULL DEFAULT 1 CHECK (sample_count >= 1);
  UPDATE runs SET sample_count = batch.samples
    FROM (SELECT batch_id, max(sample_index) + 1 AS samples FROM runs GROUP BY batch_id HAVING max(sample_index) > 0) AS batch
    WHERE runs.batch_id = batch.batch_id;
  UPDATE runs SET sample_count = max(sample_count, coalesce((
      SELECT max(o.sample_count) FROM run_batches b JOIN runs o ON o.batch_id = b.in_place_of_batch WHERE b.id = runs.batch_id), 1))
    WHERE batch_id IN (SELECT id FROM run_batches WHERE in_place_of_batch IS NOT NULL);
`;

/**
 * Variation selectors (U+FE00 to U+FE0F, U+E0100 to U+E01EF): marks that choose how the
 * character before them looks (❤️ in colour), never a word of their own, and not searched for:
 * `❤` finds `❤️` and the other way round, as it did before marks were kept in words.
 */
const VARIATION_SELECTORS = String.fromCodePoint(
  ...Array.from({ length: 16 }, (_, index) => 0xfe00 + index),
  ...Array.from({ length: 240 }, (_, index) => 0xe0100 + index),
);

/**
 * How the full-text index of schema v15 splits text into words, which the snippets' small index
 * (`RunStore.search`) must split alike. Shipped with v15: a later schema that splits otherwise
 * gets a constant of its own, and the snippets follow it.
 */
export const RUNS_FTS_TOKENIZER = `"unicode61 remove_diacritics 2 categories 'L* N* Mn Mc Co So' separators '${VARIATION_SELECTORS}'"`;

/**
 * Schema v15: the database takes changes to runs from other tools, and the index keeps marks in
 * words.
 *
 * - The index is contentless (`content = ''`) with `contentless_delete = 1` (SQLite 3.43 or
 *   later): taking a run out of it needs only its id, never the text it was indexed with. Before,
 *   the triggers that took a changed or deleted run out of the index called `search_text`, which
 *   only the app registers: the `sqlite3` shell or a script could not update or delete a run with
 *   CJK or emoji in it, and text tokenized otherwise (another ICU) would have damaged the index.
 * - The triggers only queue ids in `runs_fts_pending`, for any change that can concern the
 *   index (a finished run changed, deleted, renumbered, or set running again); the app takes the
 *   queued runs out of the index and indexes those still finished when it indexes (shortly after
 *   runs finish, and before every search). No trigger touches `runs_fts`, so a writer without
 *   `search_text`, or an SQLite older than 3.43, never opens it.
 * - Snippets, which a contentless index cannot make (it has no text), are made by a small index
 *   of a page's hits alone (`RunStore.search`): about a millisecond for a page of 50, where
 *   keeping the text in the index instead would have made the database two thirds larger
 *   (289 MB instead of 173 MB for 100,000 runs of the history bench).
 * - The tokenizer keeps marks (`Mn`, `Mc`) in words: Thai, Lao, Khmer, Burmese and Indic
 *   vowel signs were word breaks, so `กิน` was three pieces. `search_text` also puts Thai words
 *   apart, and Lao, Khmer and Burmese grapheme clusters, as CJK characters (see `toIndexedText`). Variation selectors stay out of words.
 *
 * The finished runs are indexed anew, once, which takes about as long as indexing them did: 2.3 s
 * for the 100,000 runs of the history bench here (`npm run bench -- history-search` times it).
 */
const OUTSIDE_WRITERS_SCHEMA = `
  DROP TRIGGER runs_fts_queue_on_update;
  DROP TRIGGER runs_fts_on_delete;
  DROP TABLE runs_fts;

  CREATE VIRTUAL TABLE runs_fts USING fts5 (
    output, prompt_text,
    content = '', contentless_delete = 1,
    tokenize = ${RUNS_FTS_TOKENIZER}
  );

  CREATE TRIGGER runs_fts_queue_on_update AFTER UPDATE OF id, output, messages_json, status ON runs
    WHEN new.status <> 'running' OR old.status <> 'running'
  BEGIN
    INSERT OR IGNORE INTO runs_fts_pending (run_id) VALUES (old.id), (new.id);
  END;

  CREATE TRIGGER runs_fts_on_delete AFTER DELETE ON runs WHEN old.status <> 'running'
  BEGIN
    INSERT OR IGNORE INTO runs_fts_pending (run_id) VALUES (old.id);
  END;

  -- What the old index held (finished runs not waiting in the queue), indexed anew.
  INSERT INTO runs_fts (rowid, output, prompt_text)
    SELECT id, output, prompt_text FROM runs_search
    WHERE id IN (SELECT id FROM runs WHERE status <> 'running') AND id NOT IN (SELECT run_id FROM runs_fts_pending);
`;

/**
 * Schema v16: the model list (v11) counts each model's runs, so a model leaves it with its last
 * run; before, the model filter went on suggesting models whose runs had all been deleted.
 * Triggers keep the counts, so every way a run goes is counted: a delete by this process or by
 * another sharing the file (the other host), a cascade from its batch, a run given another
 * model. The counts are taken anew from the runs, which drops the models already left over.
 *
 * The runs table still has no index on its model. Knowing whether a deleted run was its
 * model's last takes one lookup in this table of a few rows; without the counts it would take
 * a scan of the runs per deleted run. An index on the model would answer that too, but it costs
 * a page of its own per model in every commit that adds runs, where the counts cost this one
 * small table's page (deleting 10,000 of 100,000 runs takes as long as before either way: the
 * full-text index's share dominates).
 */
const RUN_MODEL_COUNTS_SCHEMA = `
  DROP TRIGGER runs_model_seen;
  DROP TABLE run_models;
  CREATE TABLE run_models (
    model     TEXT PRIMARY KEY,
    run_count INTEGER NOT NULL CHECK (run_count > 0)
  ) STRICT, WITHOUT ROWID;
  INSERT INTO run_models (model, run_count) SELECT model, count(*) FROM runs GROUP BY model;

  CREATE TRIGGER runs_model_counted AFTER INSERT ON runs BEGIN
    INSERT INTO run_models (model, run_count) VALUES (new.model, 1) ON CONFLICT (model) DO UPDATE SET run_count = run_count + 1;
  END;

  -- A model's last run takes its row with it; any other lowers its count (the order keeps run_count above 0).
  CREATE TRIGGER runs_model_uncounted AFTER DELETE ON runs BEGIN
    DELETE FROM run_models WHERE model = old.model AND run_count = 1;
    UPDATE run_models SET run_count = run_count - 1 WHERE model = old.model;
  END;

  CREATE TRIGGER runs_model_recounted AFTER UPDATE OF model ON runs WHEN new.model IS NOT old.model BEGIN
    DELETE FROM run_models WHERE model = old.model AND run_count = 1;
    UPDATE run_models SET run_count = run_count - 1 WHERE model = old.model;
    INSERT INTO run_models (model, run_count) VALUES (new.model, 1) ON CONFLICT (model) DO UPDATE SET run_count = run_count + 1;
  END;
`;

/**
 * Schema v17: what each column of an eval spent over every try (Resume and Retry errors run
 * cells again, and a cell keeps only its latest try's figures), so the columns add up to the
 * eval's cost; and the suite's default checks as the eval took them (its cases hold them merged
 * with their own), so a message names a check as the Test cases view does, "check 1 in the
 * default checks", not once per case. Evals stored before start with what their cells show
 * now, and without their defaults (null).
 */
const EVAL_SPENT_SCHEMA = `
  ALTER TABLE eval_columns ADD COLUMN spent_usd REAL NOT NULL DEFAULT 0;
  ALTER TABLE eval_columns ADD COLUMN judge_spent_usd REAL NOT NULL DEFAULT 0;
  UPDATE eval_columns SET spent_usd = cells.spent, judge_spent_usd = cells.judgeSpent
  FROM (SELECT column_id, total(cost_usd) AS spent, total(judge_cost_usd) AS judgeSpent FROM eval_cells GROUP BY column_id) AS cells
  WHERE cells.column_id = eval_columns.id;
  ALTER TABLE evals ADD COLUMN default_assertions_json TEXT;
`;

/** v18: each draft counts its writes, so a save from a window that has not seen the last one is refused. */
const DRAFT_REVISION_SCHEMA = `
  ALTER TABLE prompt_drafts ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
`;

/**
 * Schema v19: how long an Ollama provider asks Ollama to keep a model loaded after a request
 * (`keep_alive`, as the user wrote it); null for the default (`DEFAULT_KEEP_ALIVE`) and for
 * every other kind.
 */
const KEEP_ALIVE_SCHEMA = `
  ALTER TABLE providers ADD COLUMN keep_alive TEXT;
`;

/** v21: the response format a run was sent with (JSON, as `ResponseFormat`); null for text, as every run before. */
const RUN_RESPONSE_FORMAT_SCHEMA = `
  ALTER TABLE runs ADD COLUMN response_format_json TEXT;
`;

/**
 * Schema v20: the time limits a provider's runs run under (until the first token, a stall once
 * the answer began, and in all), in milliseconds; null for its kind's default
 * (`defaultTimeLimits`), which every provider stored before keeps.
 */
const TIME_LIMITS_SCHEMA = `
  ALTER TABLE providers ADD COLUMN first_output_limit_ms INTEGER;
  ALTER TABLE providers ADD COLUMN stall_limit_ms INTEGER;
  ALTER TABLE providers ADD COLUMN total_limit_ms INTEGER;
`;

/**
 * Every migration, in order; the schema version of a database is how many it has applied.
 *
 * Append new steps (evals, releases); never edit one that has shipped.
 */
export const MIGRATIONS: readonly Migration[] = [
  SCHEMA_V1,
  SCHEMA_V2,
  SCHEMA_V3,
  EVAL_SCHEMA,
  RELEASE_SCHEMA,
  REASONING_SCHEMA,
  CACHE_SIZE_SCHEMA,
  NOTICES_SCHEMA,
  BATCH_ORIGIN_SCHEMA,
  PARAM_REFUSALS_SCHEMA,
  CACHE_SOURCE_SCHEMA,
  UNPRICED_HITS_SCHEMA,
  SEARCH_TEXT_SCHEMA,
  SAMPLE_COUNT_SCHEMA,
  OUTSIDE_WRITERS_SCHEMA,
  RUN_MODEL_COUNTS_SCHEMA,
  EVAL_SPENT_SCHEMA,
  DRAFT_REVISION_SCHEMA,
  KEEP_ALIVE_SCHEMA,
  TIME_LIMITS_SCHEMA,
  RUN_RESPONSE_FORMAT_SCHEMA,
];

/** The schema version this build of the app writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Opens (creating if needed) the database at `file`, sets its pragmas and migrates it.
 *
 * Throws a `WorkbenchError('unavailable')` that names the file or folder and says what to do
 * when the file was written by a newer app, is not a database, is damaged or read-only, or the
 * folder cannot be created or written to (data-folder-errors.ts); its advice names the data
 * folder as the user chose it (`choice`).
 */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS, choice: DataFolderChoice = 'environment'): Database {
  prepareDataFolder(path.dirname(file), choice);
  let database: Database;
  try {
    database = new BetterSqlite3(file);
  } catch (error) {
    throw databaseFailure(error, file, { choice });
  }
  try {
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    database.pragma('foreign_keys = ON');
    // Reads every page of the schema: a damaged one fails here, with the file named, not at some later query.
    database.prepare('SELECT count(*) FROM sqlite_schema').get();
    registerSearchText(database);
    migrate(database, file, migrations);
    return database;
  } catch (error) {
    database.close();
    throw databaseFailure(error, file, { choice });
  }
}

/**
 * Registers `search_text`, which the full-text index's view calls (schema v13), on a connection:
 * the app's connections need it to index runs and make snippets. Other tools may change runs
 * without it (schema v15).
 */
function registerSearchText(database: Database): void {
  database.function('search_text', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? toIndexedText(text) : text));
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
