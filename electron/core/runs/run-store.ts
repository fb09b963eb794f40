/**
 * Runs in SQLite: a batch's cells are inserted as `running` when it starts, and each one is
 * completed in its own statement as it ends (cells ending in the same turn share a commit), so
 * a finished cell is on disk before it is announced, whatever happens to the others. A batch
 * started from the editor writes its rows lazily: a cell that ends within a moment is written
 * once, already ended, and the rest are written as `running` after that moment or before any
 * read. History reads are keyset-paged (newest first, by id) for a virtualized list, and
 * full-text search goes through the FTS5 index the schema keeps in step with finished runs.
 */

import { WorkbenchError } from '../../../shared/errors';
import type {
  ModelParameters,
  ModelPrice,
  PriceSource,
  PromptMessage,
  ReplacedCost,
  ProviderKind,
  ResolvedPrice,
  ResponseFormat,
  RunPage,
  RunRecord,
  RunSearchHit,
  RunStatus,
  RunSummary,
  RunUsage,
  VersionRef,
} from '../../../shared/types';
import { fromIndexedText, parseSearchQuery, toIndexedText, unanswerableSearch, type SearchPhrase } from '../../../shared/search-query';
import { NOT_SENT_KIND, SNIPPET_MATCH_END, SNIPPET_MATCH_START } from '../../../shared/types';
import { RUNS_FTS_TOKENIZER, type Database } from '../database';
import { statementCache } from '../prepared-statements';
import { IdBlocks } from './id-blocks';
import { noticesJson, parseNotices } from './notices';
import { storedErrorText } from './stopped-text';

/** A cell as inserted when its batch starts. */
export interface NewRun {
  cellIndex: number;
  promptId: number | null;
  version: VersionRef;
  providerId: number;
  providerKind: ProviderKind;
  providerLabel: string;
  endpoint: string;
  model: string;
  sampleIndex: number;
  /** How many samples of its request its comparison runs: 1 for a run on its own. */
  sampleCount: number;
  messages: PromptMessage[];
  parameters: ModelParameters;
  /** The response format the request asks for (stored with the run, sent again by a re-run); absent for text. */
  responseFormat?: ResponseFormat;
  variables: Record<string, string>;
  price: ResolvedPrice;
  /** The estimate it starts with: input from the tokenizer, no output yet. */
  usage: RunUsage;
  /** The estimated cost (input, and the output history expects), counted against today's budget until the real one replaces it. */
  costUsd: number | null;
  cacheKey: string;
  isCacheBypassed: boolean;
}

/** How a cell ended. */
export interface RunOutcome {
  status: Exclude<RunStatus, 'running'>;
  error: string | null;
  errorKind: string | null;
  finishReason: string | null;
  output: string;
  /** Thinking the provider sent apart from the answer; '' when none. */
  reasoning: string;
  usage: RunUsage;
  costUsd: number | null;
  /** A cache hit's original cost, null when unknown (stored as 0, read back as null for a hit without a price); else 0. */
  savedUsd: number | null;
  /** The price charged; a cache hit reports the original run's. */
  price: ResolvedPrice;
  ttftMs: number | null;
  latencyMs: number | null;
  tokensPerSecond: number | null;
  isCacheHit: boolean;
  /** For a cache hit: the run whose answer, usage and timing it shows (null when unknown). */
  cachedFromRunId?: number | null;
  /** What the provider changed about the request to have it accepted; empty when nothing. */
  notices: string[];
}

/** History filters; every one optional. */
export interface RunFilters {
  promptId?: number;
  version?: VersionRef;
  providerId?: number;
  /** Runs whose model id contains this, in any case; with `isModelExact`, runs of exactly this model. */
  model?: string;
  /** True: `model` is a whole model id, matched exactly (as written, case included). */
  isModelExact?: boolean;
  status?: RunStatus;
  batchId?: number;
  from?: string;
  to?: string;
}

/** Where a page starts and how long it is. */
export interface PageRequest {
  cursor?: string;
  limit?: number;
}

/** Rows per page unless asked otherwise. */
const DEFAULT_PAGE_SIZE = 100;
/** Characters of output a history row carries. */
const PREVIEW_CHARS = 200;
/** Run ids a count reads at a time (see `count`). */
const COUNT_SLICE_IDS = 5_000;
/** Run ids a search's count reads at a time: the full-text index reads each word's list of runs anew for each slice. */
const COUNT_SEARCH_SLICE_IDS = 25_000;
/** About how long one call of `count` goes on reading before it returns where it stopped. */
const COUNT_SLICE_MS = 10;
/** Words around a match in a search snippet. */
const SNIPPET_TOKENS = 16;

/** What a run records when the process running it died. */
export const INTERRUPTED_ERROR = 'The app stopped before this run finished';

/** What a running run has streamed so far, and its live figures (estimates), as `checkpointRun` stores them. */
export interface PartialRun {
  output: string;
  reasoning: string;
  inputTokens: number;
  /** Cache reads and writes among `inputTokens`, as the provider counted them at the start of its answer (else 0). */
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  isInputEstimated: boolean;
  costUsd: number | null;
  ttftMs: number | null;
  /** From the request going out until now, as the stored latency is counted. */
  elapsedMs: number;
  tokensPerSecond: number | null;
  notices: readonly string[];
}

interface SummaryRow {
  id: number;
  batchId: number;
  cellIndex: number;
  promptId: number | null;
  promptName: string | null;
  versionNumber: number | null;
  providerId: number | null;
  providerKind: ProviderKind;
  providerLabel: string;
  model: string;
  sampleIndex: number;
  sampleCount: number;
  status: RunStatus;
  isInterrupted: number;
  isNotSent: number;
  error: string | null;
  finishReason: string | null;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  isEstimated: number;
  inputEstimated: number | null;
  costUsd: number | null;
  savedUsd: number | null;
  isCacheHit: number;
  ttftMs: number | null;
  latencyMs: number | null;
  tokensPerSecond: number | null;
  outputPreview: string;
  noticesJson: string | null;
  startedAt: string;
  finishedAt: string | null;
}

interface RecordRow extends SummaryRow {
  endpoint: string;
  messagesJson: string;
  parametersJson: string;
  responseFormatJson: string | null;
  variablesJson: string;
  output: string;
  reasoning: string;
  errorKind: string | null;
  priceJson: string | null;
  priceSource: PriceSource;
  catalogModel: string | null;
  isCacheBypassed: number;
  cachedFromRunId: number | null;
}

const SUMMARY_COLUMNS = `
  r.id, r.batch_id AS batchId, r.cell_index AS cellIndex, r.prompt_id AS promptId, p.name AS promptName,
  r.version_number AS versionNumber, r.provider_id AS providerId, r.provider_kind AS providerKind,
  r.provider_label AS providerLabel, r.model, r.sample_index AS sampleIndex, r.sample_count AS sampleCount, r.status, (r.error_kind IS 'interrupted') AS isInterrupted, (r.error_kind IS '${NOT_SENT_KIND}') AS isNotSent, r.error,
  r.finish_reason AS finishReason, r.input_tokens AS inputTokens, r.cached_input_tokens AS cachedInputTokens,
  r.cache_write_tokens AS cacheWriteTokens, r.output_tokens AS outputTokens, r.reasoning_tokens AS reasoningTokens,
  r.is_estimated AS isEstimated, r.input_estimated AS inputEstimated, r.cost_usd AS costUsd, CASE WHEN r.is_cache_hit = 1 AND r.price_json IS NULL THEN NULL ELSE r.saved_usd END AS savedUsd, r.is_cache_hit AS isCacheHit,
  r.ttft_ms AS ttftMs, r.latency_ms AS latencyMs, r.tokens_per_second AS tokensPerSecond,
  substr(r.output, 1, ${PREVIEW_CHARS}) AS outputPreview, r.notices_json AS noticesJson, r.started_at AS startedAt, r.finished_at AS finishedAt`;

const RECORD_COLUMNS = `${SUMMARY_COLUMNS},
  r.endpoint, r.messages_json AS messagesJson, r.parameters_json AS parametersJson, r.response_format_json AS responseFormatJson,
  r.variables_json AS variablesJson, r.output, r.reasoning, r.error_kind AS errorKind, r.price_json AS priceJson, r.price_source AS priceSource,
  r.catalog_model AS catalogModel, r.is_cache_bypassed AS isCacheBypassed,
  (SELECT s.id FROM runs s WHERE s.id = r.cached_from_run_id) AS cachedFromRunId`;

/** How long the rows of a batch that started without writing them may wait in memory. */
const DEFERRED_WRITE_MS = 100;

/** A batch started with `isDeferred`, whose rows are not written yet. */
interface PendingBatch {
  batchId: number;
  promptId: number | null;
  cellCount: number;
  isCacheBypassed: boolean;
  startedAt: string;
  origin: BatchOrigin;
  /** For a column run again in its place: which column of which batch. */
  inPlaceOf: BatchPlace | null;
  /** Whether its `run_batches` row is written (with the first of its cells to be). */
  isWritten: boolean;
  /** Its cells not written yet, by run id. */
  runs: Map<number, NewRun>;
}

/** Where a batch came from (see the v9 schema): only the runs panel's batches are shown again. */
export type BatchOrigin = 'panel' | 'rerun' | 'retry' | 'eval';

/** The column of a batch that a retry runs again in: the batch and the run it replaces there. */
export interface BatchPlace {
  batchId: number;
  runId: number;
}

/** The most models `models` lists: suggestions, not a report. */
const MAX_HISTORY_MODELS = 500;

/** A prompt's latest batch from the runs panel, its columns in order, each holding its latest run. */
export interface PanelBatch {
  batchId: number;
  isCacheBypassed: boolean;
  startedAt: string;
  /** One per column; a column run again in its place holds its latest run, under the column's index. */
  columns: { cellIndex: number; record: RunRecord }[];
  /** What the runs since run again in their column's place cost. */
  replaced: ReplacedCost;
}

/** Options of `createBatch`. */
export interface CreateBatchOptions {
  /** Where the batch comes from; `eval` unless said. */
  origin?: BatchOrigin;
  /** For a retry: the column it runs again in. */
  inPlaceOf?: BatchPlace;
  /**
   * Hands out the ids at once but writes the rows later: with the first cell to end, or as
   * `running` after a moment (or before anything reads runs). A run against a fast server
   * then costs one commit instead of two; a crash loses at most cells that were in flight.
   */
  isDeferred?: boolean;
}

/** Runs and batches over an open database. */
export class RunStore {
  private readonly database: Database;
  private readonly sql: ReturnType<typeof statementCache>;
  private readonly ownerPid: number;
  /** Runs its argument in an immediate transaction (a savepoint when nested); made once, as better-sqlite3 builds each wrapper anew. */
  private readonly inTransaction: (body: () => unknown) => unknown;
  /** The same, deferred: for statements that write only the connection's temporary tables. */
  private readonly inReadTransaction: (body: () => unknown) => unknown;
  private readonly runIds: IdBlocks;
  private readonly batchIds: IdBlocks;
  /** Batches whose rows wait in memory, by batch id. */
  private readonly pending = new Map<number, PendingBatch>();
  /** The pending batch of each pending run. */
  private readonly pendingRuns = new Map<number, PendingBatch>();
  /** What to put back in memory if the transaction being run rolls back, innermost last. */
  private readonly undoStack: (() => void)[][] = [];
  private readonly deferredWriteMs: number;
  private flushTimer: NodeJS.Timeout | null = null;
  /** True once this connection has the snippets' small index (see `snippets`). */
  private hasSnippetIndex = false;

  constructor(database: Database, ownerPid: number = process.pid, deferredWriteMs = DEFERRED_WRITE_MS) {
    this.database = database;
    this.sql = statementCache(database);
    this.ownerPid = ownerPid;
    this.inTransaction = database.transaction((body: () => unknown) => body()).immediate;
    this.inReadTransaction = database.transaction((body: () => unknown) => body());
    this.runIds = new IdBlocks(database, 'runs');
    this.batchIds = new IdBlocks(database, 'run_batches');
    this.deferredWriteMs = deferredWriteMs;
  }

  /**
   * Starts a batch of cells as `running` and returns their ids in cell order: written in one
   * transaction, or, with `isDeferred`, kept in memory until one of them ends (see
   * `CreateBatchOptions`).
   */
  createBatch(
    promptId: number | null,
    runs: readonly NewRun[],
    isCacheBypassed: boolean,
    startedAt: string,
    { isDeferred = false, origin = 'eval', inPlaceOf }: CreateBatchOptions = {},
  ): { batchId: number; runIds: number[] } {
    return this.transaction(() => {
      const batchId = this.batchIds.take();
      const runIds = runs.map(() => this.runIds.take());
      const batch: PendingBatch = { batchId, promptId, cellCount: runs.length, isCacheBypassed, startedAt, origin, inPlaceOf: inPlaceOf ?? null, isWritten: false, runs: new Map() };
      runs.forEach((run, index) => batch.runs.set(runIds[index], run));
      if (isDeferred) {
        this.pending.set(batchId, batch);
        for (const runId of runIds) this.pendingRuns.set(runId, batch);
        this.onRollback(() => this.forget(batch));
        this.scheduleFlush();
      } else {
        this.writeBatch(batch, null);
        // The cells of a version share their messages, parameters and variables (and often their
        // price), so each is written as JSON once per batch.
        const json = jsonOnce();
        for (const [runId, run] of batch.runs) this.insertRun(runId, batch, run, null, null, json);
      }
      return { batchId, runIds };
    });
  }

  /** Writes every pending row now, as `running` (in the caller's transaction, if one is open). */
  flushPending(): void {
    if (this.pending.size === 0) return;
    this.transaction(() => {
      const json = jsonOnce();
      for (const batch of [...this.pending.values()]) {
        this.writeBatch(batch, null);
        for (const [runId, run] of [...batch.runs]) {
          this.insertRun(runId, batch, run, null, null, json);
          this.written(batch, runId);
        }
      }
    });
  }

  /** Writes what is pending and stops the timer; the store is not used after. */
  close(): void {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.flushPending();
  }

  /** The name of a prompt, or null when there is none. */
  promptName(promptId: number | null): string | null {
    if (promptId === null) return null;
    return this.sql<[number], { name: string }>('SELECT name FROM prompts WHERE id = ?').get(promptId)?.name ?? null;
  }

  /**
   * Completes a running run; false when it was no longer running (the app closed under it).
   * One statement, so the cell is committed the moment it ends; a run still pending in memory
   * is written whole, already ended (and its batch's row, if not yet written).
   */
  finishRun(runId: number, outcome: RunOutcome, finishedAt: string): boolean {
    const batch = this.pendingRuns.get(runId);
    if (batch !== undefined) {
      const run = batch.runs.get(runId) as NewRun;
      this.transaction(() => {
        this.writeBatch(batch, null);
        this.insertRun(runId, batch, run, outcome, finishedAt, jsonOnce());
        this.written(batch, runId);
      });
      return true;
    }
    const { usage, price } = outcome;
    const { changes } = this.sql(
      `UPDATE runs SET status = ?, error = ?, error_kind = ?, finish_reason = ?, output = ?, reasoning = ?, input_tokens = ?,
         cached_input_tokens = ?, cache_write_tokens = ?, output_tokens = ?, reasoning_tokens = ?, is_estimated = ?, input_estimated = ?,
         cost_usd = ?, saved_usd = ?, price_json = ?, price_source = ?, catalog_model = ?, ttft_ms = ?, latency_ms = ?,
         tokens_per_second = ?, is_cache_hit = ?, cached_from_run_id = ?, notices_json = ?, finished_at = ?
       WHERE id = ? AND status = 'running'`,
    ).run(
      outcome.status,
      outcome.error,
      outcome.errorKind,
      outcome.finishReason,
      outcome.output,
      outcome.reasoning,
      usage.inputTokens,
      usage.cachedInputTokens,
      usage.cacheWriteTokens,
      usage.outputTokens,
      usage.reasoningTokens,
      usage.isEstimated ? 1 : 0,
      inputEstimated(usage),
      outcome.costUsd,
      outcome.savedUsd ?? 0,
      price.price === null ? null : JSON.stringify(price.price),
      price.source,
      price.catalogModel,
      outcome.ttftMs,
      outcome.latencyMs,
      outcome.tokensPerSecond,
      outcome.isCacheHit ? 1 : 0,
      outcome.cachedFromRunId ?? null,
      noticesJson(outcome.notices),
      finishedAt,
      runId,
    );
    return changes > 0;
  }

  /**
   * Stores what a running run has streamed so far, with its live (estimated) figures, so a
   * process killed mid-run loses at most the last moments of it: the next start marks the run
   * interrupted with this text and these figures. False when the run is no longer running.
   */
  checkpointRun(runId: number, partial: PartialRun): boolean {
    // A row still waiting in memory (a run younger than the deferred write) is written first.
    if (this.pendingRuns.has(runId)) this.flushPending();
    const { changes } = this.sql(
      `UPDATE runs SET output = ?, reasoning = ?, input_tokens = ?, cached_input_tokens = ?, cache_write_tokens = ?, output_tokens = ?, is_estimated = 1,
         input_estimated = ?, cost_usd = ?, ttft_ms = ?, latency_ms = ?, tokens_per_second = ?, notices_json = ?
       WHERE id = ? AND status = 'running'`,
    ).run(
      partial.output,
      partial.reasoning,
      partial.inputTokens,
      partial.cachedInputTokens,
      partial.cacheWriteTokens,
      partial.outputTokens,
      partial.isInputEstimated ? 1 : 0,
      partial.costUsd,
      partial.ttftMs,
      partial.elapsedMs,
      partial.tokensPerSecond,
      noticesJson(partial.notices),
      runId,
    );
    return changes > 0;
  }

  /**
   * Runs `body` in one transaction (one commit for a cell's row and its cache entry); in a
   * savepoint when one is open. What the store keeps in memory about rows not yet written is
   * put back as it was if the transaction rolls back.
   */
  transaction<T>(body: () => T): T {
    const undo: (() => void)[] = [];
    this.undoStack.push(undo);
    try {
      const result = this.inTransaction(body) as T;
      this.undoStack.pop();
      this.undoStack.at(-1)?.push(...undo);
      // Committed for good only when no transaction is open any more (it may have run inside another).
      if (!this.database.inTransaction) {
        this.runIds.committed();
        this.batchIds.committed();
      }
      return result;
    } catch (error) {
      this.undoStack.pop();
      for (const step of undo.reverse()) step();
      // The rollback may have undone the reservation of the ids in hand.
      this.runIds.rolledBack();
      this.batchIds.rolledBack();
      throw error;
    }
  }

  /** Records that every cell of a batch has ended. */
  finishBatch(batchId: number, finishedAt: string): void {
    this.sql('UPDATE run_batches SET finished_at = ? WHERE id = ?').run(finishedAt, batchId);
  }

  /** Writes a batch's row unless it is written. */
  private writeBatch(batch: PendingBatch, finishedAt: string | null): void {
    if (batch.isWritten) return;
    this.sql(
      'INSERT INTO run_batches (id, prompt_id, cell_count, bypass_cache, created_at, finished_at, origin, in_place_of_batch, replaces_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      batch.batchId,
      batch.promptId,
      batch.cellCount,
      batch.isCacheBypassed ? 1 : 0,
      batch.startedAt,
      finishedAt,
      batch.origin,
      batch.inPlaceOf?.batchId ?? null,
      batch.inPlaceOf?.runId ?? null,
    );
    batch.isWritten = true;
    this.onRollback(() => {
      batch.isWritten = false;
    });
  }

  /** Inserts a run's row: running, or already ended with `outcome`. */
  private insertRun(runId: number, batch: PendingBatch, run: NewRun, outcome: RunOutcome | null, finishedAt: string | null, json: (value: unknown) => string): void {
    const usage = outcome?.usage ?? run.usage;
    const price = outcome?.price ?? run.price;
    this.sql(
      `INSERT INTO runs (id, batch_id, cell_index, prompt_id, version_number, provider_id, provider_kind, provider_label, endpoint,
         model, sample_index, sample_count, messages_json, parameters_json, variables_json, status, error, error_kind, finish_reason, output,
         reasoning, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, is_estimated, input_estimated, cost_usd, saved_usd,
         price_json, price_source, catalog_model, ttft_ms, latency_ms, tokens_per_second, cache_key, is_cache_hit,
         cached_from_run_id, is_cache_bypassed, owner_pid, started_at, finished_at, notices_json, response_format_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      runId,
      batch.batchId,
      run.cellIndex,
      run.promptId,
      run.version === 'draft' ? null : run.version,
      run.providerId,
      run.providerKind,
      run.providerLabel,
      run.endpoint,
      run.model,
      run.sampleIndex,
      run.sampleCount,
      json(run.messages),
      json(run.parameters),
      json(run.variables),
      outcome?.status ?? 'running',
      outcome?.error ?? null,
      outcome?.errorKind ?? null,
      outcome?.finishReason ?? null,
      outcome?.output ?? '',
      outcome?.reasoning ?? '',
      usage.inputTokens,
      usage.cachedInputTokens,
      usage.cacheWriteTokens,
      usage.outputTokens,
      usage.reasoningTokens,
      usage.isEstimated ? 1 : 0,
      inputEstimated(usage),
      outcome === null ? run.costUsd : outcome.costUsd,
      outcome?.savedUsd ?? 0,
      price.price === null ? null : json(price.price),
      price.source,
      price.catalogModel,
      outcome?.ttftMs ?? null,
      outcome?.latencyMs ?? null,
      outcome?.tokensPerSecond ?? null,
      run.cacheKey,
      outcome?.isCacheHit === true ? 1 : 0,
      outcome?.cachedFromRunId ?? null,
      run.isCacheBypassed ? 1 : 0,
      this.ownerPid,
      batch.startedAt,
      finishedAt,
      outcome === null ? null : noticesJson(outcome.notices),
      run.responseFormat === undefined ? null : json(run.responseFormat),
    );
  }

  /** A pending run's row is written: it is no longer pending (unless the transaction rolls back). */
  private written(batch: PendingBatch, runId: number): void {
    const run = batch.runs.get(runId);
    if (run === undefined) return;
    batch.runs.delete(runId);
    this.pendingRuns.delete(runId);
    const wasPending = batch.runs.size === 0 && this.pending.delete(batch.batchId);
    this.onRollback(() => {
      batch.runs.set(runId, run);
      this.pendingRuns.set(runId, batch);
      if (wasPending) this.pending.set(batch.batchId, batch);
    });
  }

  /** Drops a pending batch from memory (its start rolled back). */
  private forget(batch: PendingBatch): void {
    this.pending.delete(batch.batchId);
    for (const runId of batch.runs.keys()) this.pendingRuns.delete(runId);
  }

  /** Registers what puts memory back if the innermost open transaction rolls back. */
  private onRollback(step: () => void): void {
    this.undoStack.at(-1)?.push(step);
  }

  /** Writes what is pending after a moment, so other readers (the other host, a restart after a crash) see the runs. */
  private scheduleFlush(): void {
    if (this.flushTimer !== null) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      try {
        this.flushPending();
      } catch (error) {
        // Busy or failing: the rows stay in memory and are written with their cells' ends.
        console.error('[runs] writing started runs failed:', error);
        if (this.pending.size > 0) this.scheduleFlush();
      }
    }, this.deferredWriteMs);
    // Waiting to write must never keep a process alive.
    this.flushTimer.unref();
  }

  /** One run with everything it ran with. */
  get(id: number): RunRecord {
    this.flushPending();
    const row = this.sql<[number], RecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM runs r LEFT JOIN prompts p ON p.id = r.prompt_id WHERE r.id = ?`,
    ).get(id);
    if (row === undefined) throw new WorkbenchError('not-found', `Run ${id} does not exist`);
    return toRecord(row);
  }

  /**
   * The batch whose columns the runs of `batchId` are in: that batch, or, for a retry (or a
   * retry of one), the batch whose column it ran again in.
   */
  columnBatchOf(batchId: number): number {
    this.flushPending();
    const place = this.sql<[number], { inPlaceOf: number | null }>('SELECT in_place_of_batch AS inPlaceOf FROM run_batches WHERE id = ?').get(batchId);
    return place?.inPlaceOf ?? batchId;
  }

  /**
   * The latest batch the runs panel started for `promptId`, with every column's latest run
   * (retries put in their columns' places); null when it has none.
   */
  latestPanelBatch(promptId: number): PanelBatch | null {
    this.flushPending();
    const batch = this.sql<[number], { id: number; bypass: number; createdAt: string }>(
      "SELECT id, bypass_cache AS bypass, created_at AS createdAt FROM run_batches WHERE prompt_id = ? AND origin = 'panel' ORDER BY id DESC LIMIT 1",
    ).get(promptId);
    if (batch === undefined) return null;
    const cells = this.sql<[number], { id: number; cellIndex: number }>('SELECT id, cell_index AS cellIndex FROM runs WHERE batch_id = ? ORDER BY cell_index, id').all(batch.id);
    // Which run each column holds now: retries in the order they started, each replacing the run the column held.
    const held = cells.map((cell) => ({ cellIndex: cell.cellIndex, runId: cell.id }));
    const retries = this.sql<[number], { runId: number; replaces: number; costUsd: number | null; isEstimated: number | null; isCacheHit: number | null }>(
      `SELECT r.id AS runId, b.replaces_run_id AS replaces, rr.cost_usd AS costUsd, rr.is_estimated AS isEstimated, rr.is_cache_hit AS isCacheHit
       FROM run_batches b JOIN runs r ON r.batch_id = b.id LEFT JOIN runs rr ON rr.id = b.replaces_run_id WHERE b.in_place_of_batch = ? ORDER BY b.id`,
    ).all(batch.id);
    const replaced: ReplacedCost = { costUsd: 0, count: 0, isEstimated: false };
    for (const retry of retries) {
      const column = held.find((entry) => entry.runId === retry.replaces);
      if (column === undefined) continue;
      column.runId = retry.runId;
      replaced.costUsd += retry.costUsd ?? 0;
      if ((retry.costUsd ?? 0) > 0) replaced.count += 1;
      // As the run's own cost figure marks it: a counted-locally usage that cost something (a cache hit cost nothing).
      if (retry.isEstimated === 1 && retry.isCacheHit !== 1 && (retry.costUsd ?? 0) > 0) replaced.isEstimated = true;
    }
    return {
      batchId: batch.id,
      isCacheBypassed: batch.bypass === 1,
      startedAt: batch.createdAt,
      columns: held.map((column) => ({ cellIndex: column.cellIndex, record: this.get(column.runId) })),
      replaced,
    };
  }

  /** Every model history has had a run of, in order (kept by a trigger: the runs table has no index on its model). */
  models(): string[] {
    this.flushPending();
    return this.sql<[], { model: string }>(`SELECT model FROM run_models ORDER BY model LIMIT ${MAX_HISTORY_MODELS}`)
      .all()
      .map((row) => row.model);
  }

  /** A page of history, newest first. */
  list(filters: RunFilters, page: PageRequest = {}): RunPage {
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    return toPage(this.select<SummaryRow>(SUMMARY_COLUMNS, null, filters, page.cursor, limit).map(toSummary), limit);
  }

  /**
   * A page of whole runs, newest first: those `search` finds for `query` or, without one, those
   * `list` gives (for exporting history).
   */
  records(query: string | null, filters: RunFilters, page: PageRequest = {}): RunPage<RunRecord> {
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    return toPage(this.select<RecordRow>(RECORD_COLUMNS, query, filters, page.cursor, limit).map(toRecord), limit);
  }

  /**
   * Up to `limit + 1` rows of `columns` (of `runs r` and `prompts p`, and `runs_fts` when
   * searching), newest first: the runs matching `filters` and every word of `query`, older
   * than the run `cursor` names.
   */
  private select<Row>(columns: string, query: string | null, filters: RunFilters, cursor: string | undefined, limit: number): Row[] {
    const source = this.source(query, filters);
    if (source === null) return [];
    const { from, idColumn, where } = source;
    if (cursor !== undefined) {
      where.clauses.push(`${idColumn} < ?`);
      where.params.push(Number(cursor));
    }
    return this.sql<unknown[], Row>(
      `SELECT ${columns} FROM ${from} LEFT JOIN prompts p ON p.id = r.prompt_id
       ${whereSql(where.clauses)} ORDER BY ${idColumn} DESC LIMIT ?`,
    ).all(...where.params, limit + 1);
  }

  /**
   * How many runs `list` (or, with `query`, `search`) finds with an id below `cursor` (all when
   * absent), and where the count stopped: the next call's cursor, null when it is whole.
   *
   * Cheap counts are whole at once: no filter or the model filter alone, off the per-model run
   * counts the triggers keep (schema v16); the prompt filter alone, off its index; a search
   * alone, off the full-text index. Any other reads the runs themselves, a slice of ids at a time
   * for about `COUNT_SLICE_MS`, so that the engine is free between slices for the pages asked.
   */
  count(query: string | null, filters: RunFilters, cursor?: string): { count: number; nextCursor: string | null } {
    const { model, isModelExact, promptId, version, ...others } = filters;
    const isOnlyModel = query === null && promptId === undefined && version === undefined && Object.values(others).every((value) => value === undefined);
    if (isOnlyModel && cursor === undefined) {
      this.flushPending();
      const [clause, params] =
        model === undefined ? ['', []] : isModelExact === true ? ['WHERE model = ?', [model]] : ["WHERE model LIKE ? ESCAPE '\\'", [likePattern(model)]];
      const count = this.sql<unknown[], { count: number }>(`SELECT total(run_count) AS count FROM run_models ${clause}`).get(...params)?.count ?? 0;
      return { count, nextCursor: null };
    }
    const source = this.source(query, filters);
    if (source === null) return { count: 0, nextCursor: null };
    const { from, idColumn, where } = source;
    const isWholeAtOnce =
      cursor === undefined &&
      (query === null ? model === undefined && version === undefined && Object.values(others).every((value) => value === undefined) : where.clauses.length === 1);
    if (isWholeAtOnce) {
      // A search alone needs no run: every run in the index is a finished run.
      const table = query === null ? from : 'runs_fts';
      const count = this.sql<unknown[], { count: number }>(`SELECT count(*) AS count FROM ${table} ${whereSql(where.clauses)}`).get(...where.params)?.count ?? 0;
      return { count, nextCursor: null };
    }
    const bounds = this.sql<[], { low: number | null; high: number | null }>('SELECT min(id) AS low, max(id) AS high FROM runs').get();
    if (bounds?.low == null || bounds.high == null) return { count: 0, nextCursor: null };
    // A search reads the index first (CROSS JOIN keeps it outside): the other way round, SQLite may take the prompt's
    // runs from their index and ask FTS5 about each one, which reads the words' lists of runs anew every time (seconds).
    const table = query === null ? from : 'runs_fts CROSS JOIN runs r ON r.id = runs_fts.rowid';
    const statement = this.sql<unknown[], { count: number }>(`SELECT count(*) AS count FROM ${table} ${whereSql([...where.clauses, `${idColumn} >= ? AND ${idColumn} < ?`])}`);
    const sliceIds = query === null ? COUNT_SLICE_IDS : COUNT_SEARCH_SLICE_IDS;
    const startedAt = performance.now();
    let high = cursor === undefined ? bounds.high + 1 : Number(cursor);
    let count = 0;
    while (high > bounds.low && performance.now() - startedAt < COUNT_SLICE_MS) {
      const low = Math.max(bounds.low, high - sliceIds);
      count += statement.get(...where.params, low, high)?.count ?? 0;
      high = low;
    }
    return { count, nextCursor: high > bounds.low ? String(high) : null };
  }

  /**
   * The tables and WHERE clauses of the runs matching `filters` and every word of `query`, and
   * the id column to order and page them by; null when no run can match.
   */
  private source(query: string | null, filters: RunFilters): { from: string; idColumn: string; where: { clauses: string[]; params: unknown[] } } | null {
    this.flushPending();
    const match = query === null ? null : toFtsQuery(query);
    if (query !== null && match === null) {
      // A search of only exclusions would be every other run: FTS5 cannot answer it, so say why instead.
      if (parseSearchQuery(query).kind === 'only-excluded') throw new WorkbenchError('invalid-input', unanswerableSearch(query) ?? query);
      return null;
    }
    // A search never misses a run that has finished: the queue is indexed first.
    if (match !== null && this.hasPendingIndex()) this.indexPending();
    // When searching, the id bounds go on the index's own rowid, so FTS5 starts its scan there instead of filtering after.
    const idColumn = match === null ? 'r.id' : 'runs_fts.rowid';
    const where = this.filterClauses(filters, idColumn);
    if (where === null) return null;
    if (match !== null) {
      where.clauses.unshift('runs_fts MATCH ?');
      where.params.unshift(match);
    }
    const from = match === null ? 'runs r' : 'runs_fts JOIN runs r ON r.id = runs_fts.rowid';
    return { from, idColumn, where };
  }

  /**
   * Brings the full-text index up to date with the runs waiting in the queue (finished, changed or
   * deleted, by this app or another tool), all in one transaction: each is taken out of the
   * index, and put back if it is there and finished. Returns how many were indexed.
   */
  indexPending(): number {
    return this.transaction(() => {
      this.sql('DELETE FROM runs_fts WHERE rowid IN (SELECT run_id FROM runs_fts_pending)').run();
      const { changes } = this.sql(
        `INSERT INTO runs_fts (rowid, output, prompt_text)
         SELECT s.id, s.output, s.prompt_text FROM runs_fts_pending q JOIN runs r ON r.id = q.run_id JOIN runs_search s ON s.id = q.run_id
         WHERE r.status <> 'running'`,
      ).run();
      this.sql('DELETE FROM runs_fts_pending').run();
      return changes;
    });
  }

  /** True when finished runs are waiting for the full-text index. */
  hasPendingIndex(): boolean {
    return this.sql<[], { isPending: number }>('SELECT EXISTS (SELECT 1 FROM runs_fts_pending) AS isPending').get()?.isPending === 1;
  }

  /**
   * Runs whose output or rendered prompt text matches `query` (see `parseSearchQuery`), newest
   * first. Throws a `WorkbenchError('invalid-input')` for a query of exclusions only.
   */
  search(query: string, filters: RunFilters, page: PageRequest = {}): RunPage<RunSearchHit> {
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const rows = this.select<SummaryRow>(SUMMARY_COLUMNS, query, filters, page.cursor, limit);
    const snippets = this.snippets(query, rows.slice(0, limit).map((row) => row.id));
    return toPage(
      rows.map((row) => ({ ...toSummary(row), snippet: snippets.get(row.id) ?? '' })),
      limit,
    );
  }

  /**
   * The words around the first matches of `query` in each of `runIds`, as written.
   *
   * The full-text index holds no text (schema v15), so the runs of a page are indexed on their
   * own in a temporary index of this connection, which reads their text from `runs_search`, and
   * FTS5 makes the snippets there, as it did from the whole index; the small index is emptied
   * after.
   */
  private snippets(query: string, runIds: readonly number[]): Map<number, string> {
    const match = toFtsQuery(query);
    if (match === null || runIds.length === 0) return new Map();
    if (!this.hasSnippetIndex) {
      this.database.exec(`
        CREATE TEMP VIEW IF NOT EXISTS runs_snippet_text (id, output, prompt_text) AS SELECT id, output, prompt_text FROM main.runs_search;
        CREATE VIRTUAL TABLE IF NOT EXISTS temp.runs_snippets USING fts5 (
          output, prompt_text, content = 'runs_snippet_text', content_rowid = 'id', tokenize = ${RUNS_FTS_TOKENIZER}
        );
      `);
      this.hasSnippetIndex = true;
    }
    // One transaction (deferred: it writes only the temporary index) costs a third less than three, and a failure rolls
    // the small index back to empty.
    return this.inReadTransaction(() => {
      this.sql('INSERT INTO temp.runs_snippets (rowid, output, prompt_text) SELECT id, output, prompt_text FROM runs_snippet_text WHERE id IN (SELECT value FROM json_each(?))').run(
        JSON.stringify(runIds),
      );
      const rows = this.sql<[string], { id: number; snippet: string }>(
        `SELECT rowid AS id, snippet(runs_snippets, -1, '${SNIPPET_MATCH_START}', '${SNIPPET_MATCH_END}', '…', ${SNIPPET_TOKENS}) AS snippet
         FROM temp.runs_snippets WHERE runs_snippets MATCH ?`,
      ).all(match);
      this.sql("INSERT INTO temp.runs_snippets (runs_snippets) VALUES ('delete-all')").run();
      return new Map(rows.map((row) => [row.id, fromIndexedText(row.snippet)]));
    }) as Map<number, string>;
  }

  /**
   * The WHERE clauses of `filters`; null when the date range holds no run at all.
   *
   * A date range also becomes a range of ids (`idColumn`): the smallest and largest id among
   * the runs started in it, read from the start-time index. Every run in the range lies
   * between them, so the bound is exact, and it lets a page be read newest-first straight off
   * the primary key (or the FTS index) instead of sorting every run of the range.
   */
  private filterClauses(filters: RunFilters, idColumn: string): { clauses: string[]; params: unknown[] } | null {
    const clauses: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, ...values: unknown[]) => {
      clauses.push(clause);
      params.push(...values);
    };
    if (filters.promptId !== undefined) add('r.prompt_id = ?', filters.promptId);
    if (filters.version === 'draft') add('r.version_number IS NULL');
    else if (filters.version !== undefined) add('r.version_number = ?', filters.version);
    if (filters.providerId !== undefined) add('r.provider_id = ?', filters.providerId);
    // Any part of a model id, in any case ("claude", "Haiku", "4o-mini"): LIKE ignores ASCII case. Like every filter
    // here it is read off the primary key newest first, so a page stops at its newest matches.
    if (filters.model !== undefined) {
      if (filters.isModelExact === true) add('r.model = ?', filters.model);
      else add("r.model LIKE ? ESCAPE '\\'", likePattern(filters.model));
    }
    if (filters.status !== undefined) add('r.status = ?', filters.status);
    if (filters.batchId !== undefined) add('r.batch_id = ?', filters.batchId);
    if (filters.from !== undefined || filters.to !== undefined) {
      // Stored times are UTC ISO strings, which compare as text in time order.
      const from = filters.from === undefined ? '' : new Date(filters.from).toISOString();
      const to = filters.to === undefined ? '\uffff' : new Date(filters.to).toISOString();
      const range = this.sql<[string, string], { low: number | null; high: number | null }>(
        'SELECT min(id) AS low, max(id) AS high FROM runs WHERE started_at >= ? AND started_at < ?',
      ).get(from, to);
      if (range?.low == null || range.high == null) return null;
      add(`${idColumn} BETWEEN ? AND ?`, range.low, range.high);
      // The unary + keeps SQLite from choosing the start-time index (and a sort) for these.
      add('+r.started_at >= ? AND +r.started_at < ?', from, to);
    }
    return { clauses, params };
  }

  /** What runs started at or after `since` cost (running ones at their estimate). */
  spentSince(since: string): number {
    this.flushPending();
    const row = this.sql<[string], { spent: number }>('SELECT total(cost_usd) AS spent FROM runs WHERE started_at >= ?').get(since);
    return row?.spent ?? 0;
  }

  /**
   * The median output of the last 20 finished runs of this prompt on this model, or null without history.
   *
   * The median, not the mean: one runaway answer (a model looping to 200,000 tokens) would
   * otherwise inflate every later estimate, and refuse batches over a budget they fit in.
   */
  expectedOutputTokens(promptId: number | null, providerId: number, model: string): number | null {
    this.flushPending();
    const counts = this.sql<[number | null, string, number], { outputTokens: number }>(
      `SELECT output_tokens AS outputTokens FROM runs INDEXED BY runs_by_prompt
       WHERE prompt_id IS ? AND model = ? AND provider_id = ? AND status = 'ok' AND output_tokens > 0
       ORDER BY id DESC LIMIT 20`,
    )
      .all(promptId, model, providerId)
      .map((row) => row.outputTokens)
      .sort((left, right) => left - right);
    if (counts.length === 0) return null;
    const middle = Math.floor(counts.length / 2);
    return Math.round(counts.length % 2 === 1 ? counts[middle] : (counts[middle - 1] + counts[middle]) / 2);
  }

  /**
   * Marks as interrupted the runs left `running` by processes that are gone, and returns how
   * many. The other host may share the file and be running right now, so only runs whose
   * owner process no longer exists are touched.
   */
  markInterrupted(isProcessAlive: (pid: number) => boolean, at: string): number {
    const owners = this.sql<[], { pid: number }>("SELECT DISTINCT owner_pid AS pid FROM runs WHERE status = 'running'")
      .all()
      .map((row) => row.pid)
      .filter((pid) => pid !== this.ownerPid && !isProcessAlive(pid));
    let marked = 0;
    for (const pid of owners) marked += this.markRunningOf(pid, 'error', INTERRUPTED_ERROR, 'interrupted', at);
    return marked;
  }

  /** Ends the given runs, if still running, with `status` and `error` (when the engine closes under them). */
  markRuns(runIds: readonly number[], status: 'error' | 'cancelled', error: string, at: string): number {
    if (runIds.length === 0) return 0;
    this.flushPending();
    return this.database.transaction(() => {
      const update = this.sql(
        "UPDATE runs SET status = ?, error = ?, error_kind = ?, finished_at = ? WHERE id = ? AND status = 'running'",
      );
      let changes = 0;
      for (const id of runIds) changes += update.run(status, error, status, at, id).changes;
      this.finishIdleBatches(at);
      return changes;
    }).immediate();
  }

  private markRunningOf(pid: number, status: 'error' | 'cancelled', error: string, errorKind: string, at: string): number {
    return this.database.transaction(() => {
      // What it streamed until its last checkpoint stays, with its estimated figures; it ended
      // about when that checkpoint says it was last alive (its start plus the time it had run), not now.
      const { changes } = this.sql(
        `UPDATE runs SET status = ?, error = ?, error_kind = ?,
           finished_at = CASE WHEN latency_ms IS NULL THEN ? ELSE strftime('%Y-%m-%dT%H:%M:%fZ', started_at, printf('+%.3f seconds', latency_ms / 1000.0)) END
         WHERE status = 'running' AND owner_pid = ?`,
      ).run(status, error, errorKind, at, pid);
      this.finishIdleBatches(at);
      return changes;
    }).immediate();
  }

  /** Gives an end time to batches left without one whose runs have all ended. */
  private finishIdleBatches(at: string): void {
    this.sql(
      `UPDATE run_batches SET finished_at = ?
       WHERE finished_at IS NULL AND NOT EXISTS (SELECT 1 FROM runs WHERE runs.batch_id = run_batches.id AND runs.status = 'running')`,
    ).run(at);
  }
}

/** JSON of each value, made once per value (a batch's cells share their messages, parameters and variables). */
function jsonOnce(): (value: unknown) => string {
  const json = new Map<unknown, string>();
  return (value) => {
    let text = json.get(value);
    if (text === undefined) {
      text = JSON.stringify(value);
      json.set(value, text);
    }
    return text;
  };
}

/**
 * Turns what a person types into an FTS5 query (see `parseSearchQuery`): every group must match
 * (`"a" ("b" OR "c")`), excluded phrases after NOT, each word quoted so that nothing typed is
 * FTS5 syntax, and CJK and emoji spread as the index holds them. Null when there is nothing
 * to find (nothing searchable, or only exclusions).
 */
export function toFtsQuery(text: string): string | null {
  const query = parseSearchQuery(text);
  if (query.kind !== 'terms') return null;
  const phrase = ({ words, isPrefix }: SearchPhrase) => `"${toIndexedText(words.join(' ')).replaceAll('"', '""')}"${isPrefix ? '*' : ''}`;
  const groups = query.groups.map((group) => (group.length === 1 ? phrase(group[0]) : `(${group.map(phrase).join(' OR ')})`));
  const excluded = query.excluded.map(phrase);
  return `${groups.join(' ')}${excluded.length === 0 ? '' : ` NOT ${excluded.length === 1 ? excluded[0] : `(${excluded.join(' OR ')})`}`}`;
}

/** A LIKE pattern (escaped with a backslash) for ids containing `text`, its wildcards matched as themselves. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

function whereSql(clauses: readonly string[]): string {
  return clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`;
}

function toPage<Item extends { id: number }>(items: Item[], limit: number): RunPage<Item> {
  if (items.length <= limit) return { items, nextCursor: null };
  const page = items.slice(0, limit);
  return { items: page, nextCursor: String(page[page.length - 1].id) };
}

function toSummary(row: SummaryRow): RunSummary {
  return {
    id: row.id,
    batchId: row.batchId,
    cellIndex: row.cellIndex,
    promptId: row.promptId,
    promptName: row.promptName,
    version: row.versionNumber ?? 'draft',
    providerId: row.providerId,
    providerKind: row.providerKind,
    providerLabel: row.providerLabel,
    model: row.model,
    sampleIndex: row.sampleIndex,
    sampleCount: row.sampleCount,
    status: row.status,
    isInterrupted: row.isInterrupted === 1,
    isNotSent: row.isNotSent === 1,
    error: storedErrorText(row.status, row.error),
    finishReason: row.finishReason,
    usage: {
      inputTokens: row.inputTokens,
      cachedInputTokens: row.cachedInputTokens,
      cacheWriteTokens: row.cacheWriteTokens,
      outputTokens: row.outputTokens,
      reasoningTokens: row.reasoningTokens,
      isEstimated: row.isEstimated === 1,
      ...(row.inputEstimated !== null && { isInputEstimated: row.inputEstimated === 1 }),
    },
    costUsd: row.costUsd,
    savedUsd: row.savedUsd,
    isCacheHit: row.isCacheHit === 1,
    ttftMs: row.ttftMs,
    latencyMs: row.latencyMs,
    tokensPerSecond: row.tokensPerSecond,
    outputPreview: row.outputPreview,
    notices: parseNotices(row.noticesJson),
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

/** What a started cell is, besides what it was planned with. */
export interface StoredRun extends NewRun {
  runId: number;
  batchId: number;
  promptName: string | null;
  startedAt: string;
}

/**
 * The record `get` would read back for `run` finished with `outcome`, built without reading:
 * the run path announces every cell this way (a test holds it equal to `get`).
 */
export function finishedRecord(run: StoredRun, outcome: RunOutcome, finishedAt: string): RunRecord {
  return {
    id: run.runId,
    batchId: run.batchId,
    cellIndex: run.cellIndex,
    promptId: run.promptId,
    promptName: run.promptName,
    version: run.version,
    providerId: run.providerId,
    providerKind: run.providerKind,
    providerLabel: run.providerLabel,
    model: run.model,
    sampleIndex: run.sampleIndex,
    sampleCount: run.sampleCount,
    status: outcome.status,
    isInterrupted: outcome.errorKind === 'interrupted',
    isNotSent: outcome.errorKind === NOT_SENT_KIND,
    error: outcome.error,
    finishReason: outcome.finishReason,
    usage: { ...outcome.usage },
    costUsd: outcome.costUsd,
    savedUsd: outcome.savedUsd,
    isCacheHit: outcome.isCacheHit,
    ttftMs: outcome.ttftMs,
    latencyMs: outcome.latencyMs,
    tokensPerSecond: outcome.tokensPerSecond,
    outputPreview: preview(outcome.output),
    startedAt: run.startedAt,
    finishedAt,
    endpoint: run.endpoint,
    messages: run.messages,
    parameters: run.parameters,
    ...(run.responseFormat !== undefined && { responseFormat: run.responseFormat }),
    variables: run.variables,
    output: outcome.output,
    reasoning: outcome.reasoning,
    notices: [...outcome.notices],
    errorKind: outcome.errorKind,
    price: outcome.price,
    isCacheBypassed: run.isCacheBypassed,
    cachedFromRunId: outcome.cachedFromRunId ?? null,
  };
}

/** The first PREVIEW_CHARS characters as SQLite's `substr` counts them (code points, not UTF-16 units). */
function preview(text: string): string {
  if (text.length <= PREVIEW_CHARS) return text;
  let end = 0;
  let count = 0;
  for (const character of text) {
    if (count === PREVIEW_CHARS) break;
    end += character.length;
    count += 1;
  }
  return text.slice(0, end);
}

/** Whether a usage's input is an estimate, as stored: NULL when it is as the rest of it. */
function inputEstimated(usage: RunUsage): number | null {
  return usage.isInputEstimated === undefined ? null : usage.isInputEstimated ? 1 : 0;
}

function toRecord(row: RecordRow): RunRecord {
  return {
    ...toSummary(row),
    endpoint: row.endpoint,
    messages: JSON.parse(row.messagesJson) as PromptMessage[],
    parameters: JSON.parse(row.parametersJson) as ModelParameters,
    ...(row.responseFormatJson !== null && { responseFormat: JSON.parse(row.responseFormatJson) as ResponseFormat }),
    variables: JSON.parse(row.variablesJson) as Record<string, string>,
    output: row.output,
    reasoning: row.reasoning,
    errorKind: row.errorKind,
    price: {
      price: row.priceJson === null ? null : (JSON.parse(row.priceJson) as ModelPrice),
      source: row.priceSource,
      catalogModel: row.catalogModel,
    },
    isCacheBypassed: row.isCacheBypassed === 1,
    cachedFromRunId: row.cachedFromRunId,
  };
}
