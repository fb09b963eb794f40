/**
 * Schema v4: test suites and cases, evals, their columns, snapshotted cases, cells and the
 * verdict of every assertion. Appended to MIGRATIONS in database.ts.
 *
 * - `test_suites` / `test_cases`: a prompt's cases in table order (variables, expected output,
 *   tags and assertions as JSON) and the assertions every case gets.
 * - `evals`: one batch of versions x models x cases, with who runs it (`owner_pid`, so a start
 *   after a crash can tell its own evals from the other host's) and its counts, kept in step
 *   with its cells in the transactions that change them, so a list never scans cells.
 * - `eval_columns`: a version (or the draft, its content frozen as JSON so a resume runs what
 *   the eval started with) on a provider's model.
 * - `eval_cases`: the cases as they were when the eval started, with their effective
 *   assertions (the suite's defaults, then the case's own): editing the suite later changes no
 *   old eval. `case_id` names the test case it came from (which may since have been deleted).
 * - `eval_cells`: one per case x column; its run (an ordinary row of `runs`), score, costs
 *   (the run's, and its judges' apart), latency and a one-line summary for the grid.
 * - `eval_assertion_results`: each assertion's verdict on a cell, with the judge's own run,
 *   usage and cost. Verdicts are written once, when the cell ends; nothing recomputes them.
 */
export const EVAL_SCHEMA = `
  CREATE TABLE test_suites (
    prompt_id               INTEGER PRIMARY KEY REFERENCES prompts (id) ON DELETE CASCADE,
    default_assertions_json TEXT NOT NULL DEFAULT '[]',
    updated_at              TEXT NOT NULL
  ) STRICT;

  CREATE TABLE test_cases (
    id              INTEGER PRIMARY KEY,
    prompt_id       INTEGER NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL CHECK (position >= 0),
    description     TEXT NOT NULL DEFAULT '',
    variables_json  TEXT NOT NULL,
    expected        TEXT,
    tags_json       TEXT NOT NULL DEFAULT '[]',
    assertions_json TEXT NOT NULL DEFAULT '[]',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
  ) STRICT;
  CREATE INDEX test_cases_by_prompt ON test_cases (prompt_id, position);

  CREATE TABLE evals (
    id                      INTEGER PRIMARY KEY,
    prompt_id               INTEGER NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
    status                  TEXT NOT NULL CHECK (status IN ('running', 'done', 'cancelled', 'interrupted')),
    versions_json           TEXT NOT NULL,
    targets_json            TEXT NOT NULL,
    concurrency             INTEGER NOT NULL CHECK (concurrency > 0),
    baseline_version        INTEGER,
    bypass_cache            INTEGER NOT NULL CHECK (bypass_cache IN (0, 1)),
    case_count              INTEGER NOT NULL,
    cell_count              INTEGER NOT NULL,
    done_count              INTEGER NOT NULL DEFAULT 0,
    passed_count            INTEGER NOT NULL DEFAULT 0,
    failed_count            INTEGER NOT NULL DEFAULT 0,
    error_count             INTEGER NOT NULL DEFAULT 0,
    cost_usd                REAL NOT NULL DEFAULT 0,
    judge_cost_usd          REAL NOT NULL DEFAULT 0,
    owner_pid               INTEGER NOT NULL,
    created_at              TEXT NOT NULL,
    finished_at             TEXT
  ) STRICT;
  CREATE INDEX evals_by_prompt ON evals (prompt_id, id);
  -- For recovering evals left running by a process that died.
  CREATE INDEX evals_running ON evals (owner_pid) WHERE status = 'running';

  CREATE TABLE eval_columns (
    id             INTEGER PRIMARY KEY,
    eval_id        INTEGER NOT NULL REFERENCES evals (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    key            TEXT NOT NULL,
    version_number INTEGER,
    -- The draft's content when the eval started; null for a saved (immutable) version.
    content_json   TEXT,
    provider_id    INTEGER REFERENCES providers (id) ON DELETE SET NULL,
    provider_label TEXT NOT NULL,
    model          TEXT NOT NULL,
    UNIQUE (eval_id, key),
    CHECK ((version_number IS NULL) = (content_json IS NOT NULL))
  ) STRICT;

  CREATE TABLE eval_cases (
    eval_id         INTEGER NOT NULL REFERENCES evals (id) ON DELETE CASCADE,
    case_id         INTEGER NOT NULL,
    position        INTEGER NOT NULL,
    description     TEXT NOT NULL,
    variables_json  TEXT NOT NULL,
    expected        TEXT,
    tags_json       TEXT NOT NULL,
    assertions_json TEXT NOT NULL,
    PRIMARY KEY (eval_id, case_id)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE eval_cells (
    id             INTEGER PRIMARY KEY,
    eval_id        INTEGER NOT NULL REFERENCES evals (id) ON DELETE CASCADE,
    column_id      INTEGER NOT NULL REFERENCES eval_columns (id) ON DELETE CASCADE,
    case_id        INTEGER NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('pending', 'running', 'passed', 'failed', 'error', 'cancelled')),
    run_id         INTEGER REFERENCES runs (id) ON DELETE SET NULL,
    score          REAL,
    is_cached      INTEGER NOT NULL DEFAULT 0 CHECK (is_cached IN (0, 1)),
    cost_usd       REAL,
    judge_cost_usd REAL,
    latency_ms     REAL,
    input_tokens   INTEGER NOT NULL DEFAULT 0,
    output_tokens  INTEGER NOT NULL DEFAULT 0,
    summary        TEXT,
    error          TEXT,
    finished_at    TEXT,
    UNIQUE (eval_id, case_id, column_id),
    FOREIGN KEY (eval_id, case_id) REFERENCES eval_cases (eval_id, case_id) ON DELETE CASCADE
  ) STRICT;
  -- Keeps the run foreign key cheap to check when runs go.
  CREATE INDEX eval_cells_by_run ON eval_cells (run_id) WHERE run_id IS NOT NULL;

  CREATE TABLE eval_assertion_results (
    cell_id          INTEGER NOT NULL REFERENCES eval_cells (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    assertion_json   TEXT NOT NULL,
    is_passed        INTEGER NOT NULL CHECK (is_passed IN (0, 1)),
    score            REAL NOT NULL,
    reason           TEXT NOT NULL,
    error            TEXT,
    judge_run_id     INTEGER REFERENCES runs (id) ON DELETE SET NULL,
    judge_model      TEXT,
    judge_usage_json TEXT,
    judge_cost_usd   REAL,
    PRIMARY KEY (cell_id, position)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX eval_assertion_results_by_judge_run ON eval_assertion_results (judge_run_id) WHERE judge_run_id IS NOT NULL;
`;
