/**
 * Runs the cells of stored evals. Each cell is an ordinary run: planned like any other (price,
 * input estimate, cache key), stored in `runs` as a one-cell batch, and run by the batch runner,
 * so it is cached, retried, timed out and priced by the same rules. The runner's cells are
 * quiet (no `run:*` events): the eval reports them in `eval:progress`.
 *
 * At most `concurrency` cells of an eval are under way at once (workers taking the next pending
 * cell), on top of each provider's own limit. When a cell's run ends, its assertions are
 * checked (the suite's defaults, then the case's own); an `llm-judge` assertion asks its judge
 * model in a run of its own, whose tokens and cost are kept apart from the judged run's. The
 * cell and its verdicts are then committed (cells ending in the same turn of the event loop
 * share one transaction), so a killed process loses only the cells in flight.
 */

import { roundUsd, sumKnownCosts } from '../../../shared/cost';
import { WorkbenchError } from '../../../shared/errors';
import type { Assertion, AssertionResult, EvalCell, EvalStatus } from '../../../shared/eval-types';
import type { EventName, EventPayload } from '../../../shared/contract';
import { messagesToSend, renderMessages } from '../../../shared/template';
import type { PromptContent, RunRecord } from '../../../shared/types';
import type { PromptStore } from '../prompt-store';
import type { ProviderEndpoint, ProviderSettingsStore } from '../providers/provider-settings-store';
import type { BatchRunner, StartedCell } from '../runs/batch-runner';
import { describeFailure } from '../runs/run-outcome';
import type { PlanContext, PlannedCell, RunPlanner } from '../runs/run-planner';
import type { RunStore } from '../runs/run-store';
import { applyJudgeVerdict, describeAssertion, evaluateAssertion, scoreCase } from './assertions';
import type { CellTask, EvalCaseSnapshot, EvalPlanSource, EvalStore, FinishedCell, StoredEvalColumn } from './eval-store';
import { buildJudgeMessages, JUDGE_VERDICT_SCHEMA, parseJudgeVerdict } from './judge';

/** The shortest pause between two `eval:progress` events of one eval. */
export const PROGRESS_INTERVAL_MS = 250;

/** What a cell's summary says when it was cancelled. */
const CANCELLED_SUMMARY = 'Cancelled before it finished';
/** What cells say when the engine closed under them. */
export const CLOSED_SUMMARY = 'Cancelled: the app closed before this cell finished';

/** Why a check whose judge's provider was removed cannot be graded. */
export const JUDGE_PROVIDER_REMOVED = 'The judge’s provider was removed in Settings › Providers: choose another judge for this check in Evals › Test cases, then run a new eval';

/** The name under which a judge's verdict schema is sent. */
const JUDGE_SCHEMA_NAME = 'judge_verdict';
/** Judges score, they do not create: the same answer for the same question, as far as a model allows. */
const JUDGE_PARAMETERS = { temperature: 0 };

/** What the eval runner works with. */
export interface EvalRunnerDependencies {
  evals: EvalStore;
  runs: RunStore;
  runner: BatchRunner;
  planner: RunPlanner;
  prompts: PromptStore;
  providers: ProviderSettingsStore;
  emit: <E extends EventName>(name: E, payload: EventPayload<E>) => void;
  now: () => Date;
  /** The shortest pause between two progress events; PROGRESS_INTERVAL_MS. */
  progressIntervalMs?: number;
}

/** A column ready to run: its content and provider, or why its cells cannot run. */
interface ReadyColumn {
  stored: StoredEvalColumn;
  content: PromptContent | null;
  provider: ProviderEndpoint | null;
  /** Why the column's cells fail without running (its provider was removed...). */
  problem: string | null;
}

interface ActiveEval {
  evalId: number;
  source: EvalPlanSource;
  columns: Map<number, ReadyColumn>;
  context: PlanContext;
  controller: AbortController;
  /** Run batches of this eval under way (cells and judges), to cancel them. */
  batches: Set<number>;
  cellCount: number;
  doneCount: number;
  passedCount: number;
  failedCount: number;
  errorCount: number;
  costUsd: number;
  judgeCostUsd: number;
  /** Cells finished since the last progress event. */
  progressCells: EvalCell[];
  progressTimer: NodeJS.Timeout | null;
  lastProgressAt: number;
}

/** A cell that has ended, waiting for the commit at the end of this turn. */
interface EndedCell {
  active: ActiveEval;
  cell: FinishedCell;
  view: EvalCell;
}

/** Runs evals and lets them be cancelled. */
export class EvalRunner {
  private readonly deps: EvalRunnerDependencies;
  private readonly active = new Map<number, ActiveEval>();
  private readonly ended: EndedCell[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private isClosed = false;

  constructor(deps: EvalRunnerDependencies) {
    this.deps = deps;
  }

  /** True when this process is running the eval. */
  isRunning(evalId: number): boolean {
    return this.active.has(evalId);
  }

  /** True when no eval is running. */
  get isIdle(): boolean {
    return this.active.size === 0;
  }

  /** Resolves when no eval is running. */
  whenIdle(): Promise<void> {
    if (this.active.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Runs the pending cells of a stored, running eval; returns at once. `eval:done` follows the
   * last cell.
   */
  launch(evalId: number): void {
    const source = this.deps.evals.planSource(evalId);
    const summary = this.deps.evals.summary(evalId);
    const tasks = this.deps.evals.pendingCells(evalId);
    const active: ActiveEval = {
      evalId,
      source,
      columns: this.readyColumns(source),
      // Without a daily budget nothing reads a cell's input estimate before its exact usage
      // arrives, so the tokenizer (~90 MB) is not loaded for it.
      context: this.deps.planner.context(true, this.deps.planner.dailyBudget() !== null),
      controller: new AbortController(),
      batches: new Set(),
      cellCount: summary.cellCount,
      doneCount: summary.doneCount,
      passedCount: summary.passedCount,
      failedCount: summary.failedCount,
      errorCount: summary.errorCount,
      costUsd: summary.costUsd,
      judgeCostUsd: summary.judgeCostUsd,
      progressCells: [],
      progressTimer: null,
      lastProgressAt: Number.NEGATIVE_INFINITY,
    };
    this.active.set(evalId, active);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (!active.controller.signal.aborted && !this.isClosed && next < tasks.length) {
        const task = tasks[next];
        next += 1;
        try {
          await this.runTask(active, task);
        } catch (error) {
          if (this.isClosed) return;
          // A bug or a database failure, not a provider's: the cell ends with the reason instead of staying running.
          console.error(`[evals] a cell of eval ${evalId} failed unexpectedly:`, error);
          const message = `Unexpected failure: ${error instanceof Error ? error.message : String(error)}`;
          const column = active.columns.get(task.columnId) as ReadyColumn;
          this.queue(active, task, column, { evalId, cellId: task.cellId, countedCostUsd: 0, ...nothingRan(), status: 'error', summary: message, error: message });
        }
      }
    };
    const workers = Math.max(1, Math.min(source.concurrency, tasks.length));
    void Promise.all(Array.from({ length: workers }, worker))
      .then(() => this.end(active))
      .catch((error: unknown) => console.error(`[evals] eval ${evalId} could not be ended:`, error));
  }

  /**
   * What the pending cells of a stored eval are estimated to cost (input by the tokenizer,
   * output as history expects, judges not counted), for the daily budget.
   */
  estimate(evalId: number): number {
    const source = this.deps.evals.planSource(evalId);
    const active = { source, context: this.deps.planner.context(true) };
    const columns = this.readyColumns(source);
    const costs: (number | null)[] = [];
    for (const task of this.deps.evals.pendingCells(evalId)) {
      // A cell grading its kept answer again asks only its judges.
      if (task.keptRunId !== null) continue;
      const planned = this.planCell(active, columns.get(task.columnId) as ReadyColumn, source.cases.get(task.caseId) as EvalCaseSnapshot);
      if (typeof planned !== 'string') costs.push(planned.costUsd);
    }
    return sumKnownCosts(costs);
  }

  /** Cancels a running eval: pending cells will not start, running ones are aborted. Returns false when it is not running here. */
  cancel(evalId: number): boolean {
    const active = this.active.get(evalId);
    if (active === undefined) return false;
    if (!active.controller.signal.aborted) {
      active.controller.abort();
      for (const batchId of active.batches) this.deps.runner.cancelBatch(batchId);
    }
    return true;
  }

  /**
   * Stops everything: ended cells are committed, running evals are stored as cancelled (their
   * unfinished cells too). Call before the batch runner closes, and before the database does.
   */
  close(): void {
    if (this.isClosed) return;
    this.commitEnded();
    this.isClosed = true;
    const at = this.timestamp();
    for (const active of this.active.values()) {
      active.controller.abort();
      if (active.progressTimer !== null) clearTimeout(active.progressTimer);
      this.deps.evals.finish(active.evalId, 'cancelled', at, CLOSED_SUMMARY);
    }
    this.active.clear();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Each column's content and provider, read once for all its cells. */
  private readyColumns(source: EvalPlanSource): Map<number, ReadyColumn> {
    const columns = new Map<number, ReadyColumn>();
    for (const stored of source.columns) {
      let content: PromptContent | null = stored.draftContent;
      let provider: ProviderEndpoint | null = null;
      let problem: string | null = null;
      try {
        if (content === null) content = this.deps.prompts.getVersion(source.promptId, stored.version as number).content;
        if (stored.providerId === null) throw new WorkbenchError('not-found', `The provider this column ran on (${stored.providerLabel}) has been removed`);
        provider = this.deps.providers.endpoint(stored.providerId);
      } catch (error) {
        problem = describeFailure(error).message;
      }
      columns.set(stored.id, { stored, content, provider, problem });
    }
    return columns;
  }

  /**
   * Runs one cell to its end and queues it for the commit. A cell that kept the run that
   * answered it (retried because its checks erred) grades that answer again instead.
   */
  private async runTask(active: ActiveEval, task: CellTask): Promise<void> {
    const column = active.columns.get(task.columnId) as ReadyColumn;
    const testCase = active.source.cases.get(task.caseId) as EvalCaseSnapshot;
    let record = this.keptRun(task);
    const base = { evalId: active.evalId, cellId: task.cellId, countedCostUsd: record === null ? 0 : (task.keptCostUsd ?? 0) };
    if (record !== null) {
      this.deps.evals.startCell(task.cellId, record.id);
    } else {
      const planned = this.planCell(active, column, testCase);
      if (typeof planned === 'string') {
        this.queue(active, task, column, { ...base, ...nothingRan(), status: 'error', summary: planned, error: planned });
        return;
      }
      record = await this.runPlanned(active, planned, (runId) => this.deps.evals.startCell(task.cellId, runId));
      if (record === null) return;
    }
    const figures = {
      runId: record.id,
      isCached: record.isCacheHit,
      costUsd: record.costUsd,
      latencyMs: record.latencyMs,
      inputTokens: record.usage.inputTokens,
      outputTokens: record.usage.outputTokens,
    };
    if (record.status === 'cancelled') {
      this.queue(active, task, column, { ...base, ...figures, status: 'cancelled', score: null, judgeCostUsd: null, summary: CANCELLED_SUMMARY, error: null, results: [] });
      return;
    }
    if (record.status !== 'ok') {
      const message = record.error ?? 'The run failed';
      this.queue(active, task, column, { ...base, ...figures, status: 'error', score: null, judgeCostUsd: null, summary: message, error: message, results: [] });
      return;
    }
    const results = await this.check(active, testCase, record);
    if (results === null) {
      this.queue(active, task, column, { ...base, ...figures, status: 'cancelled', score: null, judgeCostUsd: null, summary: CANCELLED_SUMMARY, error: null, results: [] });
      return;
    }
    const { isPassed, score } = scoreCase(results);
    const errored = results.find((result) => result.error !== null);
    const failing = results.find((result) => !result.isPassed);
    const judged = results.filter((result) => result.judge !== null);
    this.queue(active, task, column, {
      ...base,
      ...figures,
      status: errored !== undefined ? 'error' : isPassed ? 'passed' : 'failed',
      score,
      // Unknown (null) when no judge of it has a price, as a run without a price is: never $0.
      judgeCostUsd: judged.every((result) => (result.judge?.costUsd ?? null) === null) ? null : sumKnownCosts(judged.map((result) => result.judge?.costUsd ?? null)),
      summary:
        errored !== undefined
          ? `${describeAssertion(errored.assertion)}: ${errored.error}`
          : failing !== undefined && !isPassed
            ? `${describeAssertion(failing.assertion)}: ${failing.reason}`
            : null,
      error: errored?.error ?? null,
      results,
    });
  }

  /** The run a cell kept to grade again, when it still exists and answered; null: the cell runs the model. */
  private keptRun(task: CellTask): RunRecord | null {
    if (task.keptRunId === null) return null;
    try {
      const record = this.deps.runs.get(task.keptRunId);
      return record.status === 'ok' ? record : null;
    } catch {
      // Deleted from history meanwhile: the model is asked again.
      return null;
    }
  }

  /** The cell's run as planned, or why it cannot run (a missing variable, a removed provider). */
  private planCell(active: Pick<ActiveEval, 'source' | 'context'>, column: ReadyColumn, testCase: EvalCaseSnapshot): PlannedCell | string {
    if (column.problem !== null || column.content === null || column.provider === null) return column.problem ?? 'The column cannot run';
    const rendered = renderMessages(column.content.messages, testCase.variables);
    if (rendered.missing.length > 0) {
      const names = rendered.missing.map((name) => `{{${name}}}`).join(', ');
      return `This case has no value for ${names}`;
    }
    const messages = messagesToSend(rendered.messages);
    if (messages.length === 0) return 'The prompt has no message text to send';
    try {
      return this.deps.planner.planCell(active.context, {
        cellIndex: 0,
        promptId: active.source.promptId,
        version: column.stored.version,
        provider: column.provider,
        model: column.stored.model,
        sampleIndex: 0,
        sampleCount: 1,
        messages,
        parameters: column.content.parameters,
        variables: testCase.variables,
        isCacheBypassed: active.source.isCacheBypassed,
        ...(column.content.responseFormat !== undefined && { responseFormat: column.content.responseFormat }),
      });
    } catch (error) {
      return describeFailure(error).message;
    }
  }

  /**
   * Stores `planned` as a one-cell batch (with `alongside`, in the same transaction), runs it
   * quietly and resolves to its record; null when the engine closed under it.
   *
   * The transaction also commits the cells that ended since the last commit (a worker starts
   * its next cell right after ending one), and takes in the runner's cache lookup, made as the
   * cell launches: one commit where there would be three.
   */
  private async runPlanned(active: ActiveEval, planned: PlannedCell, alongside: (runId: number) => void): Promise<RunRecord | null> {
    const startedAt = this.timestamp();
    const { runs, runner } = this.deps;
    const ended = this.ended.splice(0);
    let launched: { batchId: number; records: Promise<(RunRecord | null)[]> };
    try {
      launched = runs.transaction(() => {
        if (ended.length > 0) this.deps.evals.finishCells(ended.map((entry) => entry.cell), startedAt);
        const { batchId, runIds } = runs.createBatch(planned.promptId, [planned], planned.isCacheBypassed, startedAt);
        alongside(runIds[0]);
        const started: StartedCell = { ...planned, runId: runIds[0], batchId, promptName: null, startedAt };
        active.batches.add(batchId);
        return { batchId, records: runner.launch(batchId, [started], { isQuiet: true }) };
      });
    } catch (error) {
      // Nothing was stored: the ended cells wait for the next commit.
      this.ended.unshift(...ended);
      throw error;
    }
    this.countEnded(ended);
    try {
      const [record] = await launched.records;
      return this.isClosed ? null : record;
    } finally {
      active.batches.delete(launched.batchId);
    }
  }

  /**
   * Every assertion's verdict on the run's output, in order; judges asked one after the other.
   * Null when the eval was cancelled while a judge was at work.
   */
  private async check(active: ActiveEval, testCase: EvalCaseSnapshot, record: RunRecord): Promise<AssertionResult[] | null> {
    const results: AssertionResult[] = [];
    const subject = { output: record.output, expected: testCase.expected, latencyMs: record.latencyMs, costUsd: record.costUsd };
    for (const [index, assertion] of testCase.assertions.entries()) {
      if (assertion.type !== 'llm-judge') {
        results.push({ index, assertion, ...evaluateAssertion(assertion, subject), judge: null });
        continue;
      }
      const result = await this.judge(active, index, assertion, testCase, record.output);
      if (result === null) return null;
      results.push(result);
    }
    return results;
  }

  /** Asks an `llm-judge` assertion's judge about `output`; null when cancelled or closed meanwhile. */
  private async judge(
    active: ActiveEval,
    index: number,
    assertion: Extract<Assertion, { type: 'llm-judge' }>,
    testCase: EvalCaseSnapshot,
    output: string,
  ): Promise<AssertionResult | null> {
    if (active.controller.signal.aborted) return null;
    const failed = (error: string, judge: AssertionResult['judge'] = null): AssertionResult => ({
      index,
      assertion,
      isPassed: false,
      score: 0,
      reason: 'The judge gave no verdict',
      error,
      judge,
    });
    let provider: ProviderEndpoint;
    try {
      provider = this.deps.providers.endpoint(assertion.judge.providerId);
    } catch {
      // Never "Provider 4": that number means nothing to the user.
      return failed(JUDGE_PROVIDER_REMOVED);
    }
    let planned: PlannedCell;
    try {
      planned = {
        ...this.deps.planner.planCell(active.context, {
          cellIndex: 0,
          promptId: null,
          version: 'draft',
          provider,
          model: assertion.judge.model,
          sampleIndex: 0,
          sampleCount: 1,
          messages: buildJudgeMessages({ rubric: assertion.rubric, output, expected: testCase.expected, variables: testCase.variables }),
          parameters: JUDGE_PARAMETERS,
          variables: {},
          isCacheBypassed: active.source.isCacheBypassed,
          responseFormat: { type: 'json_schema', name: JUDGE_SCHEMA_NAME, schema: JUDGE_VERDICT_SCHEMA },
          // The judge's messages ask for the verdict in words: a model without structured outputs still answers.
          isFormatBestEffort: true,
        }),
        // A reply that is not a verdict errs the check: Retry errors must ask the judge again, not the cache.
        isAnswerCacheable: (text) => parseJudgeVerdict(text).ok,
      };
    } catch (error) {
      return failed(`The judge cannot run: ${describeFailure(error).message}`);
    }
    const record = await this.runPlanned(active, planned, () => {});
    if (record === null || record.status === 'cancelled') return null;
    const judge = { runId: record.id, model: record.model, usage: record.usage, costUsd: record.costUsd };
    if (record.status !== 'ok') return failed(`The judge’s request failed: ${record.error ?? 'unknown error'}`, judge);
    const verdict = parseJudgeVerdict(record.output);
    if (!verdict.ok) return failed(`${verdict.error}. The judge answered: ${verdict.raw}`, judge);
    return { index, assertion, ...applyJudgeVerdict(assertion, { score: verdict.score, reason: verdict.reason }), judge };
  }

  /** Queues an ended cell for the commit at the end of this turn. */
  private queue(active: ActiveEval, task: CellTask, column: ReadyColumn, cell: FinishedCell): void {
    if (this.isClosed) return;
    const view: EvalCell = {
      caseId: task.caseId,
      columnKey: column.stored.key,
      status: cell.status,
      score: cell.score,
      runId: cell.runId,
      isCached: cell.isCached,
      costUsd: cell.costUsd,
      judgeCostUsd: cell.judgeCostUsd,
      latencyMs: cell.latencyMs,
      summary: cell.summary,
    };
    if (this.ended.push({ active, cell, view }) === 1) setImmediate(() => this.commitEnded());
  }

  /** Commits every ended cell in one transaction, then counts them into their evals' progress. */
  private commitEnded(): void {
    if (this.isClosed) return;
    const group = this.ended.splice(0);
    if (group.length === 0) return;
    this.deps.evals.finishCells(
      group.map((entry) => entry.cell),
      this.timestamp(),
    );
    this.countEnded(group);
  }

  /** Counts committed cells into their evals' progress. */
  private countEnded(group: readonly EndedCell[]): void {
    for (const { active, cell, view } of group) {
      if (cell.status !== 'cancelled') active.doneCount += 1;
      if (cell.status === 'passed') active.passedCount += 1;
      else if (cell.status === 'failed') active.failedCount += 1;
      else if (cell.status === 'error') active.errorCount += 1;
      active.costUsd += (cell.costUsd ?? 0) - cell.countedCostUsd;
      active.judgeCostUsd += cell.judgeCostUsd ?? 0;
      active.progressCells.push(view);
      this.scheduleProgress(active);
    }
  }

  /** Sends progress now, or when the interval since the last has passed. */
  private scheduleProgress(active: ActiveEval): void {
    if (active.progressTimer !== null) return;
    const interval = this.deps.progressIntervalMs ?? PROGRESS_INTERVAL_MS;
    const wait = active.lastProgressAt + interval - performance.now();
    if (wait <= 0) this.sendProgress(active);
    else active.progressTimer = setTimeout(() => this.sendProgress(active), wait);
  }

  private sendProgress(active: ActiveEval): void {
    if (active.progressTimer !== null) {
      clearTimeout(active.progressTimer);
      active.progressTimer = null;
    }
    if (active.progressCells.length === 0 || this.isClosed) return;
    active.lastProgressAt = performance.now();
    this.deps.emit('eval:progress', {
      evalId: active.evalId,
      doneCount: active.doneCount,
      cellCount: active.cellCount,
      passedCount: active.passedCount,
      failedCount: active.failedCount,
      errorCount: active.errorCount,
      costUsd: roundUsd(active.costUsd),
      judgeCostUsd: roundUsd(active.judgeCostUsd),
      cells: active.progressCells.splice(0),
    });
  }

  /** Every worker has stopped: commits what is left, ends the eval and announces it. */
  private end(active: ActiveEval): void {
    if (this.isClosed) return;
    this.commitEnded();
    this.sendProgress(active);
    const status: Exclude<EvalStatus, 'running'> = active.controller.signal.aborted ? 'cancelled' : 'done';
    this.deps.evals.finish(active.evalId, status, this.timestamp(), CANCELLED_SUMMARY);
    this.active.delete(active.evalId);
    this.deps.emit('eval:done', this.deps.evals.summary(active.evalId));
    if (this.active.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private timestamp(): string {
    return this.deps.now().toISOString();
  }
}

/** The figures of a cell that never ran. */
function nothingRan(): Pick<FinishedCell, 'score' | 'runId' | 'isCached' | 'costUsd' | 'judgeCostUsd' | 'latencyMs' | 'inputTokens' | 'outputTokens' | 'results'> {
  return { score: null, runId: null, isCached: false, costUsd: null, judgeCostUsd: null, latencyMs: null, inputTokens: 0, outputTokens: 0, results: [] };
}
