/**
 * Runs as the bridge sees them: estimate, start (refusing missing variables and a blown daily
 * budget), cancel, re-run, and history. The handlers in engine.ts call these and nothing else.
 */

import { formatBudgetUsd, formatUsd } from '../../../shared/cost';
import type { EventName, EventPayload } from '../../../shared/contract';
import { WorkbenchError } from '../../../shared/errors';
import type { ProviderEndpoint } from '../providers/provider-settings-store';
import type { BatchStarted, MissingKey, RestoredBatch, RunEstimate, RunExportFormat, RunExportPage, RunPage, RunRecord, RunSearchHit, RunStarted } from '../../../shared/types';
import type { BatchRunner } from './batch-runner';
import type { InputCounter } from './input-counter';
import type { ReasoningNoticeReader } from './reasoning-notices';
import { exportFileName, exportRuns } from './run-export';
import { totalCost, withCacheHits, withCounts, type BatchPlan, type BatchRequest, type RunPlanner } from './run-planner';
import type { CreateBatchOptions, PageRequest, RunFilters, RunStore } from './run-store';

/** What the service works with. */
export interface RunServiceDependencies {
  planner: RunPlanner;
  runs: RunStore;
  runner: BatchRunner;
  /** Counts input with the providers that can, for estimates. */
  counter: InputCounter;
  /** What the providers would say of the cells' reasoning effort, for estimates (see reasoning-notices.ts). */
  reasoningNotices: ReasoningNoticeReader;
  /** Why a provider that needs an API key has none at hand; null when it has its key or needs none. */
  missingKey: (provider: ProviderEndpoint) => Promise<MissingKey | null>;
  /**
   * How long a provider may take to send its first token (the column says so while it waits): by
   * the time limits it sets, or without them, by the defaults of where its server is.
   */
  firstOutputLimitMs: (provider: Pick<ProviderEndpoint, 'kind' | 'endpoint'> & Partial<Pick<ProviderEndpoint, 'timeLimits'>>) => number;
  /** Whether the response cache would answer a request now, without counting a lookup. */
  isCached: (key: string) => boolean;
  now: () => Date;
  /** Tells every window a batch started (`run:started`), after the call that started it answered. */
  emit: <E extends EventName>(name: E, payload: EventPayload<E>) => void;
}

/** A batch stored as running, not yet started. */
interface StoredBatch {
  plan: BatchPlan;
  batchId: number;
  runIds: number[];
  promptName: string | null;
  startedAt: string;
}

/** Estimates, starts and looks up runs. */
export class RunService {
  private readonly deps: RunServiceDependencies;

  constructor(deps: RunServiceDependencies) {
    this.deps = deps;
  }

  /**
   * What a batch would cost, the budget against it and any missing variables; runs nothing.
   * Input is the provider's exact count where it offers counting, else the local estimate.
   */
  async estimate(request: BatchRequest): Promise<RunEstimate> {
    const plan = this.deps.planner.plan(request);
    const [{ counted, keyless }, reasoningNotices] = await Promise.all([this.deps.counter.count(plan), this.deps.reasoningNotices.read(plan)]);
    // Said before a run, which would fail: a key the host lost when it restarted, or one never set.
    const missingKeys = new Map<number, MissingKey>();
    for (const provider of new Map(plan.cells.map((cell) => [cell.providerId, cell.provider])).values()) {
      const missing = await this.deps.missingKey(provider);
      if (missing !== null) missingKeys.set(provider.id, missing);
    }
    const estimate = this.deps.planner.estimate(withCacheHits(plan, this.deps.isCached), counted, keyless, missingKeys);
    // A cell the cache answers sends nothing: its notice would be of a request that never goes out.
    const cells = estimate.cells.map((cell, index) => {
      const notice = reasoningNotices.get(plan.cells[index].cellIndex);
      return notice === undefined || cell.isCached ? cell : { ...cell, reasoningNotice: notice };
    });
    return { ...estimate, cells, literalPlaceholders: this.deps.planner.literalPlaceholders(request) };
  }

  /** Stores the batch's cells as running, starts them, and returns them at once. */
  start(request: BatchRequest): BatchStarted {
    // Planning reads the draft, settings, providers, prices and history: in the transaction that
    // stores the batch, they are read from one snapshot under one lock, not a lock for each.
    return this.launch(
      false,
      this.deps.runs.transaction(() => {
        const budget = this.deps.planner.dailyBudget();
        const planned = this.deps.planner.plan(request, { isOutputExpected: budget !== null });
        const plan = this.asEstimated(planned);
        if (plan.missingVariables.length > 0) {
          const names = plan.missingVariables.map((name) => `{{${name}}}`).join(', ');
          const noun = plan.missingVariables.length === 1 ? 'variable has' : 'variables have';
          throw new WorkbenchError('invalid-input', `Cannot run: the ${noun} no value: ${names}`);
        }
        return this.store(plan, budget, { origin: 'panel' });
      }),
    );
  }

  /**
   * Sends a stored run's request again as a new one-cell batch; with `inPlaceOf`, the batch the
   * run belongs to, whose column it takes the place of (so every window shows it there).
   */
  rerun(id: number, bypassCache: boolean, inPlaceOf?: number): BatchStarted {
    return this.launch(
      true,
      this.deps.runs.transaction(() => {
        const run = this.deps.runs.get(id);
        // A column run again before (and failed again) holds a run of that retry's batch.
        if (inPlaceOf !== undefined && this.deps.runs.columnBatchOf(run.batchId) !== inPlaceOf) throw new WorkbenchError('invalid-input', `Run ${id} is not a column of batch ${inPlaceOf}`);
        const budget = this.deps.planner.dailyBudget();
        const planned = this.deps.planner.planRerun(run, bypassCache, { isOutputExpected: budget !== null });
        const plan = this.asEstimated(planned);
        return this.store(plan, budget, inPlaceOf === undefined ? { origin: 'rerun' } : { origin: 'retry', inPlaceOf: { batchId: inPlaceOf, runId: id } });
      }),
      inPlaceOf === undefined ? undefined : { batchId: inPlaceOf, runId: id },
    );
  }

  /** Cancels a batch or a run; resolves to how many running cells were told to stop. */
  cancel(target: { batchId: number } | { runId: number }): { cancelled: number } {
    if ('batchId' in target) return { cancelled: this.deps.runner.cancelBatch(target.batchId) };
    return { cancelled: this.deps.runner.cancelRun(target.runId) };
  }

  /** A page of history. */
  list(input: RunFilters & PageRequest): RunPage {
    const { cursor, limit, ...filters } = input;
    return this.deps.runs.list(filters, { cursor, limit });
  }

  /** Every model history has runs of, in order (the history's model suggestions). */
  models(): string[] {
    return this.deps.runs.models();
  }

  /** A page of search hits. */
  search(input: RunFilters & PageRequest & { query: string }): RunPage<RunSearchHit> {
    const { query, cursor, limit, ...filters } = input;
    return this.deps.runs.search(query, filters, { cursor, limit });
  }

  /** How many runs `list` or, with a query, `search` finds below the cursor, counted for a few milliseconds at most. */
  count(input: RunFilters & { query?: string; cursor?: string }): { count: number; nextCursor: string | null } {
    const { query, cursor, ...filters } = input;
    return this.deps.runs.count(query === undefined || query === '' ? null : query, filters, cursor);
  }

  /**
   * A page of history as export text: the runs `list` or, with a query, `search` finds, whole
   * (the CSV header comes with the first page).
   */
  exportPage(input: RunFilters & PageRequest & { format: RunExportFormat; query?: string }): RunExportPage {
    const { format, query, cursor, limit, ...filters } = input;
    const page = this.deps.runs.records(query === undefined || query === '' ? null : query, filters, { cursor, limit });
    return {
      text: exportRuns(page.items, format, cursor === undefined),
      count: page.items.length,
      nextCursor: page.nextCursor,
      fileName: exportFileName(format, this.deps.now()),
    };
  }

  /** One stored run; one still streaming here comes with the text sent so far. */
  get(id: number): RunRecord {
    return this.withStreamedText(this.deps.runs.get(id));
  }

  /** The prompt's last comparison from the runs panel, each column with its latest run; null when it has none. */
  latestBatch(promptId: number): RestoredBatch | null {
    const batch = this.deps.runs.latestPanelBatch(promptId);
    if (batch === null) return null;
    return {
      batchId: batch.batchId,
      promptId,
      isCacheBypassed: batch.isCacheBypassed,
      startedAt: batch.startedAt,
      cells: batch.columns.map(({ cellIndex, record }) => ({
        runId: record.id,
        cellIndex,
        version: record.version,
        providerId: record.providerId,
        providerLabel: record.providerLabel,
        model: record.model,
        sampleIndex: record.sampleIndex,
        // Stored: the provider's count once the run has ended.
        estimatedInputTokens: record.usage.inputTokens,
        // A run that ended shows its stored figures; one still running counts from the estimate it started with.
        isInputCounted: false,
        price: record.price,
        // A run still streaming here waits against the limits it started with.
        firstOutputLimitMs: this.deps.firstOutputLimitMs((record.status === 'running' ? this.deps.runner.providerOf(record.id) : null) ?? { kind: record.providerKind, endpoint: record.endpoint }),
      })),
      records: batch.columns.map(({ record }) => this.withStreamedText(record)),
      replaced: batch.replaced,
      live: batch.columns.flatMap(({ record }) => {
        const state = record.status === 'running' ? this.deps.runner.liveState(record.id) : null;
        return state === null ? [] : [state];
      }),
    };
  }

  /** A running run's record with what it has streamed so far, so a window that missed the start shows it whole. */
  private withStreamedText(record: RunRecord): RunRecord {
    if (record.status !== 'running') return record;
    const streamed = this.deps.runner.streamedSoFar(record.id);
    return streamed === null ? record : { ...record, ...streamed };
  }

  /** `planned` priced as its estimate showed it: the input providers counted for it, and $0 for what the cache will answer. */
  private asEstimated(planned: BatchPlan): BatchPlan {
    return withCacheHits(withCounts(planned, this.deps.counter.known(planned)), this.deps.isCached);
  }

  /** Checks the budget and starts the batch's cells as running (inside the caller's transaction; their rows are written lazily). */
  private store(plan: BatchPlan, dailyBudgetUsd: number | null, where: Pick<CreateBatchOptions, 'origin' | 'inPlaceOf'>): StoredBatch {
    const budget = this.deps.planner.budget(plan, dailyBudgetUsd);
    if (budget.exceedsByUsd !== null && budget.dailyBudgetUsd !== null) {
      throw new WorkbenchError(
        'conflict',
        `This batch would go over today’s budget of ${formatBudgetUsd(budget.dailyBudgetUsd)} by ${formatUsd(budget.exceedsByUsd)}: ` +
          `${formatUsd(budget.spentTodayUsd)} spent so far today, and the batch is estimated at ${formatUsd(totalCost(plan))}`,
      );
    }
    const startedAt = this.deps.now().toISOString();
    const { batchId, runIds } = this.deps.runs.createBatch(plan.promptId, plan.cells, plan.isCacheBypassed, startedAt, { ...where, isDeferred: true });
    return { plan, batchId, runIds, promptName: this.deps.runs.promptName(plan.promptId), startedAt };
  }

  /** Starts a batch after its transaction committed (its rows are written as its cells end, or a moment later). */
  private launch(isRerun: boolean, { plan, batchId, runIds, promptName, startedAt }: StoredBatch, retryOf?: RunStarted['retryOf']): BatchStarted {
    const started = plan.cells.map((cell, index) => ({ ...cell, runId: runIds[index], batchId, promptName, startedAt }));
    const batch: BatchStarted = {
      batchId,
      cells: started.map((cell) => ({
        runId: cell.runId,
        cellIndex: cell.cellIndex,
        version: cell.version,
        providerId: cell.providerId,
        providerLabel: cell.providerLabel,
        model: cell.model,
        sampleIndex: cell.sampleIndex,
        estimatedInputTokens: cell.usage.inputTokens,
        isInputCounted: cell.isInputCounted,
        price: cell.price,
        firstOutputLimitMs: this.deps.firstOutputLimitMs(cell.provider),
      })),
    };
    // Before any event of its cells (a cache hit ends at once).
    this.deps.emit('run:started', { ...batch, promptId: isRerun ? null : plan.promptId, isCacheBypassed: plan.isCacheBypassed, ...(retryOf && { retryOf }) });
    this.deps.runner.launch(batchId, started);
    return batch;
  }
}
