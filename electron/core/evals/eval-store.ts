/**
 * Evals in SQLite: a batch's columns, its cases as they were when it started and its cells,
 * each cell's verdicts, and the figures read back from them.
 *
 * An eval's counts and costs live on its row and change in the transaction that finishes its
 * cells (or resets them for a resume), so listing evals never scans cells. Summaries, regressions,
 * improvements and the trend are SQL over stored verdicts: nothing is evaluated again on view.
 */

import { roundUsd } from '../../../shared/cost';
import { WorkbenchError } from '../../../shared/errors';
import type {
  Assertion,
  AssertionResult,
  EvalCell,
  EvalCellDetail,
  EvalCellStatus,
  EvalColumn,
  EvalColumnSummary,
  EvalDetail,
  EvalStatus,
  EvalSummary,
  EvalTrendPoint,
  EvalVerdictChange,
} from '../../../shared/eval-types';
import type { PromptContent, RunTarget, RunUsage, VersionRef } from '../../../shared/types';
import type { Database } from '../database';
import { statementCache } from '../prepared-statements';
import { parseNotices } from '../runs/notices';

/** A column as an eval starts with it. */
export interface NewEvalColumn {
  key: string;
  version: VersionRef;
  /** The draft's content, frozen; null for a saved version. */
  draftContent: PromptContent | null;
  providerId: number;
  providerLabel: string;
  model: string;
}

/** A case as an eval snapshots it: its assertions are the effective ones (the suite's defaults, then its own). */
export interface EvalCaseSnapshot {
  caseId: number;
  position: number;
  description: string;
  variables: Record<string, string>;
  expected: string | null;
  tags: string[];
  assertions: Assertion[];
}

/** What an eval starts with. */
export interface NewEval {
  promptId: number;
  versions: VersionRef[];
  targets: RunTarget[];
  concurrency: number;
  baselineVersion: number | null;
  isCacheBypassed: boolean;
  columns: NewEvalColumn[];
  cases: EvalCaseSnapshot[];
  /** The suite's default checks, the start of every case's `assertions`. */
  defaultAssertions: Assertion[];
  createdAt: string;
}

/** A stored column, as the runner needs it. */
export interface StoredEvalColumn {
  id: number;
  key: string;
  version: VersionRef;
  draftContent: PromptContent | null;
  /** Null when the provider has since been removed. */
  providerId: number | null;
  providerLabel: string;
  model: string;
}

/** A cell to run. */
export interface CellTask {
  cellId: number;
  caseId: number;
  columnId: number;
  /**
   * The run whose answer the cell grades again, without asking the model (its errors were its
   * checks': a judge that failed); null: the cell runs the model.
   */
  keptRunId: number | null;
  /** What the eval has counted of the kept run's cost already (null: nothing). */
  keptCostUsd: number | null;
}

/** What the runner needs of an eval to run its cells. */
export interface EvalPlanSource {
  promptId: number;
  isCacheBypassed: boolean;
  concurrency: number;
  columns: StoredEvalColumn[];
  cases: Map<number, EvalCaseSnapshot>;
  /** The suite's default checks, the start of every case's `assertions`; null for an eval stored before they were kept. */
  defaultAssertions: Assertion[] | null;
}

/** A cell that has ended, with everything it stores. */
export interface FinishedCell {
  evalId: number;
  cellId: number;
  status: Exclude<EvalCellStatus, 'pending' | 'running'>;
  score: number | null;
  runId: number | null;
  isCached: boolean;
  costUsd: number | null;
  judgeCostUsd: number | null;
  latencyMs: number | null;
  inputTokens: number;
  outputTokens: number;
  summary: string | null;
  error: string | null;
  results: AssertionResult[];
  /** Of `costUsd`, what the eval has counted already (a kept run's, counted when the cell first ended); 0 for a new run. */
  countedCostUsd: number;
}

/** The latest finished eval of a saved version, for the approval gate. */
export interface VersionEvalResult {
  evalId: number;
  /** Passed cells of that version over its finished cells; null when none finished. */
  passRate: number | null;
  meanScore: number | null;
  finishedAt: string;
  /** That version's cells in the eval (every model). */
  cellCount: number;
}

/** The statuses of a cell that has run to the end (cancelled ones have not). */
const FINISHED = `('passed', 'failed', 'error')`;
/**
 * Cells a model answered and the checks graded. An eval of a version with none (every request
 * failed: a key not set in CI, a provider down) says nothing of the version: the trend and the
 * approval gate pass over it to the latest one that does (the same version, so the same prompt).
 */
const GRADED = `('passed', 'failed')`;

/**
 * Whether a cell's run answered (`alias` names eval_cells): running the cell again need not ask
 * the model, only grade that answer again.
 */
function hasAnsweredRun(alias: string): string {
  return `(${alias}.run_id IS NOT NULL AND EXISTS (SELECT 1 FROM runs r WHERE r.id = ${alias}.run_id AND r.status = 'ok'))`;
}

/** The statuses of the cells a resume runs again (errors too when retrying them). */
function rerunStatuses(isRetryingErrors: boolean): string {
  return isRetryingErrors ? `('pending', 'running', 'cancelled', 'error')` : `('pending', 'running', 'cancelled')`;
}

interface EvalRow {
  id: number;
  promptId: number;
  status: EvalStatus;
  versionsJson: string;
  targetsJson: string;
  concurrency: number;
  baselineVersion: number | null;
  bypassCache: number;
  caseCount: number;
  cellCount: number;
  doneCount: number;
  passedCount: number;
  failedCount: number;
  errorCount: number;
  costUsd: number;
  judgeCostUsd: number;
  ownerPid: number;
  createdAt: string;
  finishedAt: string | null;
}

const EVAL_COLUMNS_SQL = `id, prompt_id AS promptId, status, versions_json AS versionsJson, targets_json AS targetsJson, concurrency,
  baseline_version AS baselineVersion, bypass_cache AS bypassCache, case_count AS caseCount, cell_count AS cellCount,
  done_count AS doneCount, passed_count AS passedCount, failed_count AS failedCount, error_count AS errorCount,
  cost_usd AS costUsd, judge_cost_usd AS judgeCostUsd, owner_pid AS ownerPid, created_at AS createdAt, finished_at AS finishedAt`;

interface ColumnRow {
  id: number;
  key: string;
  versionNumber: number | null;
  contentJson: string | null;
  providerId: number | null;
  providerLabel: string;
  model: string;
}

/** A column as its summary reads it: with what it spent over every try. */
interface SpentColumnRow extends ColumnRow {
  spentUsd: number;
  judgeSpentUsd: number;
}

interface CellRow {
  caseId: number;
  columnKey: string;
  status: EvalCellStatus;
  score: number | null;
  runId: number | null;
  isCached: number;
  costUsd: number | null;
  judgeCostUsd: number | null;
  latencyMs: number | null;
  summary: string | null;
}

const CELL_COLUMNS_SQL = `c.case_id AS caseId, col.key AS columnKey, c.status, c.score, c.run_id AS runId, c.is_cached AS isCached,
  c.cost_usd AS costUsd, c.judge_cost_usd AS judgeCostUsd, c.latency_ms AS latencyMs, c.summary`;

interface ResultRow {
  position: number;
  assertionJson: string;
  isPassed: number;
  score: number;
  reason: string;
  error: string | null;
  judgeRunId: number | null;
  judgeModel: string | null;
  judgeUsageJson: string | null;
  judgeCostUsd: number | null;
}

interface ColumnFigures {
  columnId: number;
  total: number;
  passed: number;
  failed: number;
  errors: number;
  meanScore: number | null;
  costUsd: number;
  judgeCostUsd: number;
  inputTokens: number;
  outputTokens: number;
  unpricedRunCells: number;
  unpricedJudgeCells: number;
}

/** Figures of the cells of one or more columns: counts, mean score, costs, tokens. */
const FIGURES_SQL = `count(*) AS total,
  count(*) FILTER (WHERE c.status = 'passed') AS passed,
  count(*) FILTER (WHERE c.status = 'failed') AS failed,
  count(*) FILTER (WHERE c.status = 'error') AS errors,
  avg(c.score) FILTER (WHERE c.status IN ${FINISHED}) AS meanScore,
  total(c.cost_usd) AS costUsd, total(c.judge_cost_usd) AS judgeCostUsd,
  total(c.input_tokens) AS inputTokens, total(c.output_tokens) AS outputTokens,
  count(*) FILTER (WHERE c.status IN ${FINISHED} AND c.run_id IS NOT NULL AND c.cost_usd IS NULL) AS unpricedRunCells,
  count(*) FILTER (WHERE c.status IN ${FINISHED} AND c.judge_cost_usd IS NULL
    AND EXISTS (SELECT 1 FROM eval_assertion_results r WHERE r.cell_id = c.id AND r.judge_model IS NOT NULL)) AS unpricedJudgeCells`;

/** Evals, their cells and verdicts over an open database. */
export class EvalStore {
  private readonly database: Database;
  private readonly sql: ReturnType<typeof statementCache>;
  private readonly ownerPid: number;
  private readonly inTransaction: (body: () => unknown) => unknown;

  constructor(database: Database, ownerPid: number = process.pid) {
    this.database = database;
    this.sql = statementCache(database);
    this.ownerPid = ownerPid;
    this.inTransaction = database.transaction((body: () => unknown) => body()).immediate;
  }

  /** Runs `body` in one immediate transaction (a savepoint when nested). */
  transaction<T>(body: () => T): T {
    return this.inTransaction(body) as T;
  }

  /** Stores a new eval as running, with its columns, case snapshots and every cell pending; returns its id. */
  create(input: NewEval): number {
    return this.transaction(() => {
      const { lastInsertRowid } = this.sql(
        `INSERT INTO evals (prompt_id, status, versions_json, targets_json, concurrency, baseline_version, bypass_cache,
           case_count, cell_count, owner_pid, created_at, default_assertions_json)
         VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        input.promptId,
        JSON.stringify(input.versions),
        JSON.stringify(input.targets),
        input.concurrency,
        input.baselineVersion,
        input.isCacheBypassed ? 1 : 0,
        input.cases.length,
        input.cases.length * input.columns.length,
        this.ownerPid,
        input.createdAt,
        JSON.stringify(input.defaultAssertions),
      );
      const evalId = Number(lastInsertRowid);
      const insertColumn = this.sql(
        `INSERT INTO eval_columns (eval_id, position, key, version_number, content_json, provider_id, provider_label, model)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const columnIds = input.columns.map((column, position) =>
        Number(
          insertColumn.run(
            evalId,
            position,
            column.key,
            column.version === 'draft' ? null : column.version,
            column.draftContent === null ? null : JSON.stringify(column.draftContent),
            column.providerId,
            column.providerLabel,
            column.model,
          ).lastInsertRowid,
        ),
      );
      const insertCase = this.sql(
        `INSERT INTO eval_cases (eval_id, case_id, position, description, variables_json, expected, tags_json, assertions_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      // Suite defaults are the same array in every case: written as JSON once.
      const json = new Map<unknown, string>();
      const toJson = (value: unknown): string => {
        let text = json.get(value);
        if (text === undefined) {
          text = JSON.stringify(value);
          json.set(value, text);
        }
        return text;
      };
      for (const snapshot of input.cases) {
        insertCase.run(
          evalId,
          snapshot.caseId,
          snapshot.position,
          snapshot.description,
          JSON.stringify(snapshot.variables),
          snapshot.expected,
          JSON.stringify(snapshot.tags),
          toJson(snapshot.assertions),
        );
      }
      const insertCell = this.sql("INSERT INTO eval_cells (eval_id, column_id, case_id, status) VALUES (?, ?, ?, 'pending')");
      // Case-major, so cells run a case across every column before the next case.
      for (const snapshot of input.cases) for (const columnId of columnIds) insertCell.run(evalId, columnId, snapshot.caseId);
      return evalId;
    });
  }

  /** What running an eval's cells needs: its columns and case snapshots. */
  planSource(evalId: number): EvalPlanSource {
    const row = this.row(evalId);
    const columns = this.sql<[number], ColumnRow>(
      `SELECT id, key, version_number AS versionNumber, content_json AS contentJson, provider_id AS providerId,
              provider_label AS providerLabel, model
       FROM eval_columns WHERE eval_id = ? ORDER BY position`,
    )
      .all(evalId)
      .map(
        (column): StoredEvalColumn => ({
          id: column.id,
          key: column.key,
          version: column.versionNumber ?? 'draft',
          draftContent: column.contentJson === null ? null : (JSON.parse(column.contentJson) as PromptContent),
          providerId: column.providerId,
          providerLabel: column.providerLabel,
          model: column.model,
        }),
      );
    const cases = new Map<number, EvalCaseSnapshot>();
    // Cases of one eval share their defaults: parsed once per distinct text.
    const parsed = new Map<string, Assertion[]>();
    for (const row of this.sql<[number], { caseId: number; position: number; description: string; variablesJson: string; expected: string | null; tagsJson: string; assertionsJson: string }>(
      `SELECT case_id AS caseId, position, description, variables_json AS variablesJson, expected, tags_json AS tagsJson,
              assertions_json AS assertionsJson
       FROM eval_cases WHERE eval_id = ?`,
    ).all(evalId)) {
      let assertions = parsed.get(row.assertionsJson);
      if (assertions === undefined) {
        assertions = JSON.parse(row.assertionsJson) as Assertion[];
        parsed.set(row.assertionsJson, assertions);
      }
      cases.set(row.caseId, {
        caseId: row.caseId,
        position: row.position,
        description: row.description,
        variables: JSON.parse(row.variablesJson) as Record<string, string>,
        expected: row.expected,
        tags: JSON.parse(row.tagsJson) as string[],
        assertions,
      });
    }
    const defaults = this.sql<[number], { json: string | null }>('SELECT default_assertions_json AS json FROM evals WHERE id = ?').get(evalId)?.json ?? null;
    return {
      promptId: row.promptId,
      isCacheBypassed: row.bypassCache === 1,
      concurrency: row.concurrency,
      columns,
      cases,
      defaultAssertions: defaults === null ? null : (JSON.parse(defaults) as Assertion[]),
    };
  }

  /** The eval's cells still pending, in the order they run: by case, then column. */
  pendingCells(evalId: number): CellTask[] {
    return this.sql<[number], CellTask>(
      `SELECT c.id AS cellId, c.case_id AS caseId, c.column_id AS columnId, c.run_id AS keptRunId,
              CASE WHEN c.run_id IS NOT NULL THEN c.cost_usd END AS keptCostUsd
       FROM eval_cells c JOIN eval_cases k ON k.eval_id = c.eval_id AND k.case_id = c.case_id
       JOIN eval_columns col ON col.id = c.column_id
       WHERE c.eval_id = ? AND c.status = 'pending' ORDER BY k.position, col.position`,
    ).all(evalId);
  }

  /**
   * The columns whose provider has been removed among those `reopen` would run cells of again
   * (cells that only grade their answer again aside), as "model on provider": running them could
   * only replace what they recorded with that.
   */
  rerunColumnsWithoutProvider(evalId: number, isRetryingErrors: boolean): string[] {
    return this.sql<[number], { model: string; providerLabel: string }>(
      `SELECT col.model, col.provider_label AS providerLabel FROM eval_columns col
       WHERE col.eval_id = ? AND col.provider_id IS NULL
         AND EXISTS (SELECT 1 FROM eval_cells c WHERE c.column_id = col.id AND c.status IN ${rerunStatuses(isRetryingErrors)} AND NOT ${hasAnsweredRun('c')})
       ORDER BY col.position`,
    )
      .all(evalId)
      .map((column) => `${column.model} on ${column.providerLabel}`);
  }

  /** The ids of the cases whose cells `reopen` would run again. */
  rerunCaseIds(evalId: number, isRetryingErrors: boolean): Set<number> {
    return new Set(
      this.sql<[number], { caseId: number }>(`SELECT DISTINCT case_id AS caseId FROM eval_cells WHERE eval_id = ? AND status IN ${rerunStatuses(isRetryingErrors)}`)
        .all(evalId)
        .map((row) => row.caseId),
    );
  }

  /**
   * Makes an ended eval run again: its cells not done (pending, running, cancelled, and errors
   * when `isRetryingErrors`) become pending, with their verdicts cleared; the eval is running
   * again, owned by this process.
   *
   * A cell whose run answered (its error, or its cancel, came while its checks graded) keeps that
   * run and its figures: it is graded again on the same answer, without asking the model. The
   * others start afresh (their old runs stay in history). What was spent stays in the eval's
   * cost: money spent on a first try is spent, whatever the retry costs.
   */
  reopen(evalId: number, isRetryingErrors: boolean): void {
    this.transaction(() => {
      const statuses = rerunStatuses(isRetryingErrors);
      this.sql(`DELETE FROM eval_assertion_results WHERE cell_id IN (SELECT id FROM eval_cells WHERE eval_id = ? AND status IN ${statuses})`).run(evalId);
      this.sql(
        `UPDATE eval_cells SET status = 'pending', run_id = NULL, score = NULL, is_cached = 0, cost_usd = NULL, judge_cost_usd = NULL,
           latency_ms = NULL, input_tokens = 0, output_tokens = 0, summary = NULL, error = NULL, finished_at = NULL
         WHERE eval_id = ? AND status IN ${statuses} AND NOT ${hasAnsweredRun('eval_cells')}`,
      ).run(evalId);
      this.sql(
        `UPDATE eval_cells SET status = 'pending', score = NULL, judge_cost_usd = NULL, summary = NULL, error = NULL, finished_at = NULL
         WHERE eval_id = ? AND status IN ${statuses} AND ${hasAnsweredRun('eval_cells')}`,
      ).run(evalId);
      this.sql("UPDATE evals SET status = 'running', owner_pid = ?, finished_at = NULL WHERE id = ?").run(this.ownerPid, evalId);
      this.recount(evalId);
    });
  }

  /** Marks a cell as running its run `runId` (inside the transaction that stores the run). */
  startCell(cellId: number, runId: number | null): void {
    this.sql("UPDATE eval_cells SET status = 'running', run_id = ? WHERE id = ?").run(runId, cellId);
  }

  /**
   * Stores ended cells (row, verdicts, and the eval's counts) in one transaction; a cell no
   * longer pending or running (the engine closed under it) is left as it is.
   */
  finishCells(cells: readonly FinishedCell[], finishedAt: string): void {
    if (cells.length === 0) return;
    this.transaction(() => {
      const update = this.sql<unknown[], { columnId: number }>(
        `UPDATE eval_cells SET status = ?, score = ?, run_id = coalesce(?, run_id), is_cached = ?, cost_usd = ?, judge_cost_usd = ?,
           latency_ms = ?, input_tokens = ?, output_tokens = ?, summary = ?, error = ?, finished_at = ?
         WHERE id = ? AND status IN ('pending', 'running')
         RETURNING column_id AS columnId`,
      );
      // What each column spent, every try: a cell run again keeps only its latest try's figures.
      const addSpent = this.sql('UPDATE eval_columns SET spent_usd = spent_usd + ?, judge_spent_usd = judge_spent_usd + ? WHERE id = ?');
      const insertResult = this.sql(
        `INSERT INTO eval_assertion_results (cell_id, position, assertion_json, is_passed, score, reason, error, judge_run_id,
           judge_model, judge_usage_json, judge_cost_usd)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const deltas = new Map<number, { done: number; passed: number; failed: number; errors: number; cost: number; judgeCost: number }>();
      for (const cell of cells) {
        const updated = update.get(
          cell.status,
          cell.score,
          cell.runId,
          cell.isCached ? 1 : 0,
          cell.costUsd,
          cell.judgeCostUsd,
          cell.latencyMs,
          cell.inputTokens,
          cell.outputTokens,
          cell.summary,
          cell.error,
          finishedAt,
          cell.cellId,
        );
        if (updated === undefined) continue;
        const spent = (cell.costUsd ?? 0) - cell.countedCostUsd;
        const judgeSpent = cell.judgeCostUsd ?? 0;
        if (spent !== 0 || judgeSpent !== 0) addSpent.run(spent, judgeSpent, updated.columnId);
        for (const result of cell.results) {
          insertResult.run(
            cell.cellId,
            result.index,
            JSON.stringify(result.assertion),
            result.isPassed ? 1 : 0,
            result.score,
            result.reason,
            result.error,
            result.judge?.runId ?? null,
            result.judge?.model ?? null,
            result.judge === null ? null : JSON.stringify(result.judge.usage),
            result.judge?.costUsd ?? null,
          );
        }
        let delta = deltas.get(cell.evalId);
        if (delta === undefined) {
          delta = { done: 0, passed: 0, failed: 0, errors: 0, cost: 0, judgeCost: 0 };
          deltas.set(cell.evalId, delta);
        }
        if (cell.status !== 'cancelled') delta.done += 1;
        if (cell.status === 'passed') delta.passed += 1;
        else if (cell.status === 'failed') delta.failed += 1;
        else if (cell.status === 'error') delta.errors += 1;
        delta.cost += spent;
        delta.judgeCost += judgeSpent;
      }
      const updateEval = this.sql(
        `UPDATE evals SET done_count = done_count + ?, passed_count = passed_count + ?, failed_count = failed_count + ?,
           error_count = error_count + ?, cost_usd = cost_usd + ?, judge_cost_usd = judge_cost_usd + ?
         WHERE id = ?`,
      );
      for (const [evalId, delta] of deltas) {
        updateEval.run(delta.done, delta.passed, delta.failed, delta.errors, delta.cost, delta.judgeCost, evalId);
      }
    });
  }

  /** Ends a running eval; its cells still pending or running become cancelled when `status` is. */
  finish(evalId: number, status: Exclude<EvalStatus, 'running'>, finishedAt: string, cancelledSummary: string | null = null): void {
    this.transaction(() => {
      if (status === 'cancelled') {
        this.sql(
          `UPDATE eval_cells SET status = 'cancelled', summary = coalesce(summary, ?), finished_at = ?
           WHERE eval_id = ? AND status IN ('pending', 'running')`,
        ).run(cancelledSummary, finishedAt, evalId);
      }
      this.sql("UPDATE evals SET status = ?, finished_at = ? WHERE id = ? AND status = 'running'").run(status, finishedAt, evalId);
    });
  }

  /**
   * Marks as interrupted the evals left running by processes that are gone (the other host may
   * be running its own right now), their running cells pending again (keeping a run that had
   * answered, as `reopen` does); returns how many.
   */
  markInterrupted(isProcessAlive: (pid: number) => boolean, at: string): number {
    const dead = this.sql<[], { id: number; pid: number }>("SELECT id, owner_pid AS pid FROM evals WHERE status = 'running'")
      .all()
      .filter((row) => row.pid !== this.ownerPid && !isProcessAlive(row.pid));
    if (dead.length === 0) return 0;
    this.transaction(() => {
      for (const { id } of dead) {
        this.sql("DELETE FROM eval_assertion_results WHERE cell_id IN (SELECT id FROM eval_cells WHERE eval_id = ? AND status = 'running')").run(id);
        this.sql(
          `UPDATE eval_cells SET status = 'pending', run_id = NULL, score = NULL, is_cached = 0, cost_usd = NULL, judge_cost_usd = NULL,
             latency_ms = NULL, input_tokens = 0, output_tokens = 0, summary = NULL, error = NULL, finished_at = NULL
           WHERE eval_id = ? AND status = 'running' AND NOT ${hasAnsweredRun('eval_cells')}`,
        ).run(id);
        // A cell whose run had answered was grading it: it grades that answer again.
        this.sql(`UPDATE eval_cells SET status = 'pending', score = NULL, judge_cost_usd = NULL WHERE eval_id = ? AND status = 'running'`).run(id);
        this.sql("UPDATE evals SET status = 'interrupted', finished_at = ? WHERE id = ? AND status = 'running'").run(at, id);
        this.recount(id);
      }
    });
    return dead.length;
  }

  /** The prompt's latest approved version, regressions' default baseline; null when none is approved. */
  latestApprovedVersion(promptId: number): number | null {
    const row = this.sql<[number], { number: number | null }>(
      "SELECT max(number) AS number FROM prompt_versions WHERE prompt_id = ? AND status = 'approved'",
    ).get(promptId);
    return row?.number ?? null;
  }

  /** The owner and status of an eval, to decide whether it may be resumed. */
  state(evalId: number): { status: EvalStatus; ownerPid: number; promptId: number } {
    const row = this.row(evalId);
    return { status: row.status, ownerPid: row.ownerPid, promptId: row.promptId };
  }

  /** An eval as listed. */
  summary(evalId: number): EvalSummary {
    return toSummary(this.row(evalId));
  }

  /** A prompt's evals, newest first. */
  list(promptId: number, limit = 50): EvalSummary[] {
    return this.sql<[number, number], EvalRow>(`SELECT ${EVAL_COLUMNS_SQL} FROM evals WHERE prompt_id = ? ORDER BY id DESC LIMIT ?`)
      .all(promptId, limit)
      .map(toSummary);
  }

  /** An eval with its columns, cases, cells, column summaries, regressions and improvements. */
  detail(evalId: number): EvalDetail {
    return this.database.transaction(() => {
      const summary = this.summary(evalId);
      const columnRows = this.sql<[number], SpentColumnRow>(
        `SELECT id, key, version_number AS versionNumber, content_json AS contentJson, provider_id AS providerId,
                provider_label AS providerLabel, model, spent_usd AS spentUsd, judge_spent_usd AS judgeSpentUsd
         FROM eval_columns WHERE eval_id = ? ORDER BY position`,
      ).all(evalId);
      const columns: EvalColumn[] = columnRows.map((column) => ({
        key: column.key,
        version: column.versionNumber ?? 'draft',
        // A removed provider keeps its id in the key, so the column still names what it ran on.
        target: { providerId: column.providerId ?? providerIdOfKey(column.key), model: column.model },
        providerLabel: column.providerLabel,
      }));
      const cases = this.sql<[number], { id: number; position: number; description: string; tagsJson: string; expected: string | null }>(
        `SELECT case_id AS id, position, description, tags_json AS tagsJson, expected FROM eval_cases WHERE eval_id = ? ORDER BY position`,
      )
        .all(evalId)
        .map((row) => ({ id: row.id, position: row.position, description: row.description, tags: JSON.parse(row.tagsJson) as string[], expected: row.expected }));
      const cells = this.sql<[number], CellRow>(
        `SELECT ${CELL_COLUMNS_SQL} FROM eval_cells c JOIN eval_columns col ON col.id = c.column_id
         JOIN eval_cases k ON k.eval_id = c.eval_id AND k.case_id = c.case_id
         WHERE c.eval_id = ? ORDER BY k.position, col.position`,
      )
        .all(evalId)
        .map(toCell);
      return {
        ...summary,
        columns,
        cases,
        cells,
        summaries: this.columnSummaries(evalId, columnRows),
        regressions: this.verdictChanges(evalId, summary.baselineVersion, 'passed', 'failed'),
        improvements: this.verdictChanges(evalId, summary.baselineVersion, 'failed', 'passed'),
      };
    })();
  }

  /** One cell with its output, expected output, variables, error and every verdict. */
  cell(evalId: number, caseId: number, columnKey: string): EvalCellDetail {
    const row = this.sql<
      [number, number, string],
      CellRow & { cellId: number; output: string | null; runError: string | null; noticesJson: string | null; error: string | null; variablesJson: string; expected: string | null }
    >(
      `SELECT ${CELL_COLUMNS_SQL}, c.id AS cellId, r.output, r.error AS runError, r.notices_json AS noticesJson, c.error, k.variables_json AS variablesJson, k.expected
       FROM eval_cells c JOIN eval_columns col ON col.id = c.column_id
       JOIN eval_cases k ON k.eval_id = c.eval_id AND k.case_id = c.case_id
       LEFT JOIN runs r ON r.id = c.run_id
       WHERE c.eval_id = ? AND c.case_id = ? AND col.key = ?`,
    ).get(evalId, caseId, columnKey);
    if (row === undefined) {
      this.row(evalId);
      throw new WorkbenchError('not-found', `Eval ${evalId} has no cell for case ${caseId} in column ${columnKey}`);
    }
    const results = this.sql<[number], ResultRow>(
      `SELECT position, assertion_json AS assertionJson, is_passed AS isPassed, score, reason, error, judge_run_id AS judgeRunId,
              judge_model AS judgeModel, judge_usage_json AS judgeUsageJson, judge_cost_usd AS judgeCostUsd
       FROM eval_assertion_results WHERE cell_id = ? ORDER BY position`,
    )
      .all(row.cellId)
      .map(toResult);
    return {
      ...toCell(row),
      output: row.output ?? '',
      expected: row.expected,
      variables: JSON.parse(row.variablesJson) as Record<string, string>,
      error: row.error ?? row.runError,
      notices: parseNotices(row.noticesJson),
      results,
    };
  }

  /**
   * The latest finished eval of each saved version on each model of a prompt that graded a cell
   * there: its pass rate, mean score and cost there, ordered by version then column.
   */
  trend(promptId: number): EvalTrendPoint[] {
    // With max(), SQLite takes the bare column (col.id) from the row holding the maximum: the latest eval's column.
    const latest = this.sql<[number], { evalId: number; columnId: number; version: number; providerId: number; model: string }>(
      `SELECT max(e.id) AS evalId, col.id AS columnId, col.version_number AS version, col.provider_id AS providerId, col.model
       FROM eval_columns col JOIN evals e ON e.id = col.eval_id
       WHERE e.prompt_id = ? AND e.status = 'done' AND col.version_number IS NOT NULL AND col.provider_id IS NOT NULL
         AND EXISTS (SELECT 1 FROM eval_cells c WHERE c.column_id = col.id AND c.status IN ${GRADED})
       GROUP BY col.version_number, col.provider_id, col.model
       ORDER BY col.version_number, col.provider_id, col.model`,
    ).all(promptId);
    return latest.map((point) => {
      const figures = this.figuresOf(point.evalId, [point.columnId]);
      return {
        version: point.version,
        target: { providerId: point.providerId, model: point.model },
        evalId: point.evalId,
        passRate: passRate(figures),
        meanScore: figures.meanScore,
        costUsd: roundUsd(figures.costUsd),
      };
    });
  }

  /**
   * The latest finished eval that ran saved version `versionNumber` of a prompt and graded a
   * cell of it, with the pass rate and mean score of that version's cells (every model); null
   * when no finished eval did.
   */
  latestVersionEval(promptId: number, versionNumber: number): VersionEvalResult | null {
    const row = this.sql<[number, number], { evalId: number; finishedAt: string }>(
      `SELECT e.id AS evalId, e.finished_at AS finishedAt FROM evals e
       WHERE e.prompt_id = ? AND e.status = 'done'
         AND EXISTS (
           SELECT 1 FROM eval_columns col JOIN eval_cells c ON c.column_id = col.id
           WHERE col.eval_id = e.id AND col.version_number = ? AND c.status IN ${GRADED})
       ORDER BY e.id DESC LIMIT 1`,
    ).get(promptId, versionNumber);
    if (row === undefined) return null;
    const columnIds = this.sql<[number, number], { id: number }>('SELECT id FROM eval_columns WHERE eval_id = ? AND version_number = ?')
      .all(row.evalId, versionNumber)
      .map((column) => column.id);
    const figures = this.figuresOf(row.evalId, columnIds);
    return { evalId: row.evalId, passRate: passRate(figures), meanScore: figures.meanScore, finishedAt: row.finishedAt, cellCount: figures.total };
  }

  /**
   * Each column's figures: counts, score, latency and tokens of its cells as they are (their
   * latest try), costs as spent over every try, so the columns add up to the eval's cost.
   */
  private columnSummaries(evalId: number, columns: readonly SpentColumnRow[]): EvalColumnSummary[] {
    const figures = new Map(
      this.sql<[number], ColumnFigures>(`SELECT c.column_id AS columnId, ${FIGURES_SQL} FROM eval_cells c WHERE c.eval_id = ? GROUP BY c.column_id`)
        .all(evalId)
        .map((row) => [row.columnId, row]),
    );
    const latencies = new Map<number, number[]>();
    for (const { columnId, latencyMs } of this.sql<[number], { columnId: number; latencyMs: number }>(
      `SELECT column_id AS columnId, latency_ms AS latencyMs FROM eval_cells
       WHERE eval_id = ? AND latency_ms IS NOT NULL AND status IN ${FINISHED} ORDER BY column_id, latency_ms`,
    ).all(evalId)) {
      let list = latencies.get(columnId);
      if (list === undefined) {
        list = [];
        latencies.set(columnId, list);
      }
      list.push(latencyMs);
    }
    return columns.map((column) => {
      const row = figures.get(column.id) ?? emptyFigures(column.id);
      const sorted = latencies.get(column.id) ?? [];
      const finished = row.passed + row.failed + row.errors;
      return {
        columnKey: column.key,
        total: row.total,
        passed: row.passed,
        failed: row.failed,
        errors: row.errors,
        passRate: passRate(row),
        meanScore: row.meanScore,
        costUsd: roundUsd(column.spentUsd),
        judgeCostUsd: roundUsd(column.judgeSpentUsd),
        costPerCaseUsd: finished === 0 ? null : roundUsd(column.spentUsd / finished),
        latencyP50Ms: nearestRank(sorted, 0.5),
        latencyP95Ms: nearestRank(sorted, 0.95),
        inputTokens: row.inputTokens,
        outputTokens: row.outputTokens,
        unpricedRunCells: row.unpricedRunCells,
        unpricedJudgeCells: row.unpricedJudgeCells,
      };
    });
  }

  /**
   * Cases whose verdict went from `before` on the baseline version's column to `after` on another
   * version's column of the same model: regressions (passed → failed) or improvements (failed → passed).
   */
  private verdictChanges(evalId: number, baselineVersion: number | null, before: 'passed' | 'failed', after: 'passed' | 'failed'): EvalVerdictChange[] {
    if (baselineVersion === null) return [];
    return this.sql<[string, string, number, number], EvalVerdictChange>(
      `SELECT base.case_id AS caseId, bcol.key AS baselineColumnKey, ccol.key AS columnKey
       FROM eval_columns bcol
       JOIN eval_columns ccol ON ccol.eval_id = bcol.eval_id AND ccol.id <> bcol.id
         AND ccol.provider_id IS bcol.provider_id AND ccol.model = bcol.model
       JOIN eval_cells base ON base.eval_id = bcol.eval_id AND base.column_id = bcol.id AND base.status = ?
       JOIN eval_cells cur ON cur.eval_id = bcol.eval_id AND cur.case_id = base.case_id AND cur.column_id = ccol.id AND cur.status = ?
       JOIN eval_cases k ON k.eval_id = bcol.eval_id AND k.case_id = base.case_id
       WHERE bcol.eval_id = ? AND bcol.version_number = ?
       ORDER BY k.position, ccol.position`,
    ).all(before, after, evalId, baselineVersion);
  }

  private figuresOf(evalId: number, columnIds: readonly number[]): ColumnFigures {
    if (columnIds.length === 0) return emptyFigures(0);
    const placeholders = columnIds.map(() => '?').join(', ');
    const row = this.sql<unknown[], ColumnFigures>(
      `SELECT 0 AS columnId, ${FIGURES_SQL} FROM eval_cells c WHERE c.eval_id = ? AND c.column_id IN (${placeholders})`,
    ).get(evalId, ...columnIds);
    return row ?? emptyFigures(0);
  }

  /**
   * Sets an eval's counts from its cells. Not its costs: a cell run again leaves what its first
   * try spent in them (the cell's own figures are its latest try's).
   */
  private recount(evalId: number): void {
    this.sql(
      `UPDATE evals SET (done_count, passed_count, failed_count, error_count) = (
         SELECT count(*) FILTER (WHERE status IN ${FINISHED}), count(*) FILTER (WHERE status = 'passed'),
                count(*) FILTER (WHERE status = 'failed'), count(*) FILTER (WHERE status = 'error')
         FROM eval_cells WHERE eval_id = ?)
       WHERE id = ?`,
    ).run(evalId, evalId);
  }

  private row(evalId: number): EvalRow {
    const row = this.sql<[number], EvalRow>(`SELECT ${EVAL_COLUMNS_SQL} FROM evals WHERE id = ?`).get(evalId);
    if (row === undefined) throw new WorkbenchError('not-found', `Eval ${evalId} does not exist`);
    return row;
  }
}

/** The stable key of a column: `v<version or draft>@<providerId>/<model>`. */
export function columnKey(version: VersionRef, providerId: number, model: string): string {
  return `v${version}@${providerId}/${model}`;
}

function providerIdOfKey(key: string): number {
  const match = /@(\d+)\//.exec(key);
  return match === null ? 0 : Number(match[1]);
}

function toSummary(row: EvalRow): EvalSummary {
  return {
    id: row.id,
    promptId: row.promptId,
    status: row.status,
    versions: JSON.parse(row.versionsJson) as VersionRef[],
    targets: JSON.parse(row.targetsJson) as RunTarget[],
    caseCount: row.caseCount,
    cellCount: row.cellCount,
    doneCount: row.doneCount,
    passedCount: row.passedCount,
    failedCount: row.failedCount,
    errorCount: row.errorCount,
    costUsd: roundUsd(row.costUsd),
    judgeCostUsd: roundUsd(row.judgeCostUsd),
    baselineVersion: row.baselineVersion,
    concurrency: row.concurrency,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  };
}

function toCell(row: CellRow): EvalCell {
  return {
    caseId: row.caseId,
    columnKey: row.columnKey,
    status: row.status,
    score: row.score,
    runId: row.runId,
    isCached: row.isCached === 1,
    costUsd: row.costUsd,
    judgeCostUsd: row.judgeCostUsd,
    latencyMs: row.latencyMs,
    summary: row.summary,
  };
}

function toResult(row: ResultRow): AssertionResult {
  return {
    index: row.position,
    assertion: JSON.parse(row.assertionJson) as Assertion,
    isPassed: row.isPassed === 1,
    score: row.score,
    reason: row.reason,
    error: row.error,
    judge:
      row.judgeModel === null
        ? null
        : {
            runId: row.judgeRunId,
            model: row.judgeModel,
            usage: row.judgeUsageJson === null ? zeroUsage() : (JSON.parse(row.judgeUsageJson) as RunUsage),
            costUsd: row.judgeCostUsd,
          },
  };
}

function zeroUsage(): RunUsage {
  return { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, isEstimated: true };
}

function emptyFigures(columnId: number): ColumnFigures {
  return { columnId, total: 0, passed: 0, failed: 0, errors: 0, meanScore: null, costUsd: 0, judgeCostUsd: 0, inputTokens: 0, outputTokens: 0, unpricedRunCells: 0, unpricedJudgeCells: 0 };
}

/** Passed over finished cells; null before any finished. */
function passRate(figures: Pick<ColumnFigures, 'passed' | 'failed' | 'errors'>): number | null {
  const finished = figures.passed + figures.failed + figures.errors;
  return finished === 0 ? null : figures.passed / finished;
}

/** The nearest-rank percentile of sorted values; null when there are none. */
function nearestRank(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}
