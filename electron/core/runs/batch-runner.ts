/**
 * Runs the cells of stored batches: every cell at once, each under its own AbortController
 * (cancelling the batch aborts them all), through the provider layer, which queues, retries
 * and times out. A cell ends by itself: it is committed as it ends and announced with
 * `run:done`; a failing cell records its error while the others carry on; `batch:done`
 * follows the last one.
 *
 * Cells that end in the same turn of the event loop (eight samples from a fast server often
 * do) are committed together, in one transaction at the end of that turn, before any of them
 * is announced: a commit costs the same for one row as for eight. A cell that ends while no
 * other is running is committed at once.
 *
 * A cell first asks the response cache, unless the batch bypasses it; a hit is stored and
 * announced at once and the provider never hears of it. Only successful answers are cached,
 * and of those only the ones the cell calls usable (`PlannedCell.isAnswerCacheable`). The
 * lookup itself only reads; the cache's counters take it in the transaction that stores the
 * cell, so a run costs one commit, not two (a cell the app closes under is not counted).
 */

import { sumKnownCosts } from '../../../shared/cost';
import type { EventName, EventPayload } from '../../../shared/contract';
import type { RunDelta, RunRecord, RunStatus } from '../../../shared/types';
import { watchAttempts, watchWaits } from '../providers/attempt-timing';
import { watchInputCount } from '../providers/input-count';
import { watchNotices } from '../providers/request-notices';
import type { ChatRequest, ProviderUsage, StreamEvent } from '../providers/provider';
import { ProviderError } from '../providers/provider-error';
import type { LiveProvider, ProviderRegistry } from '../providers/provider-registry';
import type { ProviderEndpoint } from '../providers/provider-settings-store';
import { LiveCell } from './live-cell';
import { cacheHitOutcome, exactUsage, streamOutcome } from './run-outcome';
import type { PlannedCell } from './run-planner';
import type { ResponseCache } from './response-cache';
import { finishedRecord, type RunOutcome, type RunStore, type StoredRun } from './run-store';

/** A planned cell as stored: with its row's id, its batch and when it started. */
export interface StartedCell extends PlannedCell, StoredRun {}

/** What the runner works with. */
export interface RunnerDependencies {
  runs: RunStore;
  cache: ResponseCache;
  registry: ProviderRegistry;
  emit: <E extends EventName>(name: E, payload: EventPayload<E>) => void;
  now: () => Date;
  /** Called after each run is stored (the search index picks it up from there). */
  onStored?: () => void;
  /** The pause between two deltas of a cell; ~16 ms. */
  deltaIntervalMs?: number;
  /** How often a streaming cell's text so far is stored (`RunStore.checkpointRun`); a second. */
  checkpointMs?: number;
  /** Why storing a run failed, in words for the user (the database’s file and what to do); the error’s own message when absent. */
  describeStoreFailure?: (error: unknown) => string;
}

/** How often a streaming cell's text so far is stored, so a killed process loses at most this much of it. */
export const CHECKPOINT_MS = 1000;

/** How a batch is launched. */
export interface LaunchOptions {
  /**
   * Announces nothing (no `run:delta`, `run:done` or `batch:done`): an eval's cells, whose
   * progress the eval reports in its own events, and whose runs the renderer never streams.
   */
  isQuiet?: boolean;
}

interface ActiveBatch {
  isCancelled: boolean;
  isQuiet: boolean;
  /** One controller per cell; cancelling the batch aborts them all. */
  cells: Map<number, AbortController>;
  /** Cells not yet stored. */
  unsettled: Set<number>;
  /** The live provider of each provider id the batch uses, looked up once for all its cells. */
  providers: Map<number, Promise<LiveProvider>>;
}

/** A cell that has ended, waiting for the commit at the end of this turn of the event loop. */
interface EndedCell {
  batchId: number;
  batch: ActiveBatch;
  cell: StartedCell;
  outcome: RunOutcome;
  /** What else to write in the same transaction (the cache entry), if the row was still running. */
  alongside: (finishedAt: string) => void;
  resolve: (record: RunRecord | null) => void;
}

/** Runs batches and lets them be cancelled. */
export class BatchRunner {
  private readonly deps: RunnerDependencies;
  private readonly batches = new Map<number, ActiveBatch>();
  private readonly idleWaiters: (() => void)[] = [];
  /** Cells ended in this turn of the event loop and not yet committed. */
  private readonly ended: EndedCell[] = [];
  /** The cells streaming now, by run id. */
  private readonly streaming = new Map<number, LiveCell>();
  /** The provider's settings each streaming cell started with (its time limits among them), by run id. */
  private readonly streamingProviders = new Map<number, ProviderEndpoint>();
  /** Cells of every batch not yet stored (the sum of each batch's `unsettled`). */
  private unsettledCount = 0;
  /** The streaming cells whose text so far is stored every `checkpointMs`, with how much of it was last stored. */
  private readonly kept = new Map<number, { live: LiveCell; text: number; reasoning: number; notices: number }>();
  private checkpointTimer: NodeJS.Timeout | null = null;
  private isClosed = false;

  constructor(deps: RunnerDependencies) {
    this.deps = deps;
  }

  /**
   * Starts every cell of a stored batch and returns at once; the promise resolves, after
   * `batch:done`, to each cell's stored record in cell order (null for a cell the engine closed
   * under).
   */
  launch(batchId: number, cells: readonly StartedCell[], options: LaunchOptions = {}): Promise<(RunRecord | null)[]> {
    const batch: ActiveBatch = { isCancelled: false, isQuiet: options.isQuiet === true, cells: new Map(), unsettled: new Set(), providers: new Map() };
    for (const cell of cells) {
      batch.cells.set(cell.runId, new AbortController());
      batch.unsettled.add(cell.runId);
    }
    this.unsettledCount += batch.unsettled.size;
    this.batches.set(batchId, batch);
    return Promise.all(cells.map((cell) => this.runCell(batchId, batch, cell))).then((records) => {
      this.announceBatch(batchId, batch, records);
      return records;
    });
  }

  /** Cancels every running cell of a batch; returns how many were running. */
  cancelBatch(batchId: number): number {
    const batch = this.batches.get(batchId);
    if (batch === undefined) return 0;
    if (batch.isCancelled) return 0;
    batch.isCancelled = true;
    let running = 0;
    for (const runId of batch.unsettled) {
      const controller = batch.cells.get(runId);
      if (controller === undefined || controller.signal.aborted) continue;
      controller.abort();
      running += 1;
    }
    return running;
  }

  /**
   * What a cell streaming in this engine has sent to the windows so far (its stored row holds
   * no text until it ends); null when it is not streaming here.
   */
  streamedSoFar(runId: number): { output: string; reasoning: string; notices: string[] } | null {
    const live = this.streaming.get(runId);
    return live === undefined ? null : { ...live.sent(), notices: [...live.notices] };
  }

  /** The provider's settings a cell streaming in this engine started with; null when it is not streaming here. */
  providerOf(runId: number): ProviderEndpoint | null {
    return this.streamingProviders.get(runId) ?? null;
  }

  /** Where a cell streaming in this engine is now (counters, queue, retry wait), as a delta with no text; null when it is not streaming here. */
  liveState(runId: number): RunDelta | null {
    return this.streaming.get(runId)?.state() ?? null;
  }

  /** Starts storing what `runId` streams, with the other kept cells, every `checkpointMs`. */
  private keep(runId: number, live: LiveCell): void {
    this.kept.set(runId, { live, text: 0, reasoning: 0, notices: 0 });
    if (this.checkpointTimer !== null) return;
    this.checkpointTimer = setInterval(() => this.checkpoint(), this.deps.checkpointMs ?? CHECKPOINT_MS);
    // Storing what streamed must never keep a process alive.
    this.checkpointTimer.unref();
  }

  /** Stops storing what `runId` streams (it ended: its end is stored whole); the timer stops with the last cell. */
  private unkeep(runId: number): void {
    this.kept.delete(runId);
    if (this.kept.size === 0 && this.checkpointTimer !== null) {
      clearInterval(this.checkpointTimer);
      this.checkpointTimer = null;
    }
  }

  /** Stores the text so far of each kept cell that has news since its last checkpoint. */
  private checkpoint(): void {
    if (this.isClosed) return;
    for (const [runId, kept] of this.kept) {
      const { live } = kept;
      if (live.text.length === kept.text && live.reasoning.length === kept.reasoning && live.notices.length === kept.notices) continue;
      try {
        const counters = live.counters();
        this.deps.runs.checkpointRun(runId, {
          output: live.text,
          reasoning: live.reasoning,
          inputTokens: counters.inputTokens,
          ...live.cacheCounts(),
          outputTokens: counters.outputTokens,
          isInputEstimated: counters.isInputEstimated,
          costUsd: counters.costUsd,
          ttftMs: counters.ttftMs,
          elapsedMs: counters.elapsedMs,
          tokensPerSecond: counters.tokensPerSecond,
          notices: live.notices,
        });
        kept.text = live.text.length;
        kept.reasoning = live.reasoning.length;
        kept.notices = live.notices.length;
      } catch (error) {
        // Busy or failing: the run goes on, and its end is stored whole as ever.
        console.error(`[runner] storing run ${runId} so far failed:`, error);
      }
    }
  }

  /** Cancels one running cell; returns 1 if it was running, else 0. */
  cancelRun(runId: number): number {
    for (const batch of this.batches.values()) {
      const controller = batch.cells.get(runId);
      if (controller === undefined || !batch.unsettled.has(runId) || controller.signal.aborted) continue;
      controller.abort();
      return 1;
    }
    return 0;
  }

  /** True when no batch is running. */
  get isIdle(): boolean {
    return this.batches.size === 0;
  }

  /** Resolves when no batch is running. */
  whenIdle(): Promise<void> {
    if (this.batches.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops everything and returns the ids of the cells that were still running; they store
   * nothing more, so the caller marks their rows before closing the database.
   */
  close(): number[] {
    // Cells that have ended are stored with what they got, not marked as cut short.
    this.commitEnded();
    // Cells still streaming keep everything they got so far, as they are marked ended.
    this.checkpoint();
    this.isClosed = true;
    if (this.checkpointTimer !== null) clearInterval(this.checkpointTimer);
    this.checkpointTimer = null;
    const running: number[] = [];
    for (const batch of this.batches.values()) {
      running.push(...batch.unsettled);
      for (const controller of batch.cells.values()) controller.abort();
    }
    return running;
  }

  private async runCell(batchId: number, batch: ActiveBatch, cell: StartedCell): Promise<RunRecord | null> {
    const cellController = batch.cells.get(cell.runId) as AbortController;
    // The cache's counters take the lookup in the transaction that stores the run: one write, not two.
    let countLookup = () => {};
    try {
      if (!cell.isCacheBypassed) {
        const lookedUpAt = this.timestamp();
        const hit = this.deps.cache.find(cell.cacheKey, lookedUpAt);
        countLookup = () => this.deps.cache.countLookup(cell.cacheKey, hit, lookedUpAt);
        if (hit !== null) return await this.commit(batchId, batch, cell, cacheHitOutcome(hit), countLookup);
      }
      // Cancelling the batch aborts each cell's controller, so one signal per cell is enough.
      return await this.stream(batchId, batch, cell, cellController.signal, countLookup);
    } catch (error) {
      if (this.isClosed) return null;
      // A bug, not a provider failure: the cell still ends, with the reason, instead of staying "running".
      console.error(`[runner] run ${cell.runId} failed unexpectedly:`, error);
      const outcome = streamOutcome({ ...this.resultBase(cell), output: '', reasoning: '', done: null, error, ttftMs: null, latencyMs: null, generationMs: null, notices: [] });
      return await this.commit(batchId, batch, cell, outcome, countLookup);
    } finally {
      this.settle(batch, cell.runId);
    }
  }

  private async stream(batchId: number, batch: ActiveBatch, cell: StartedCell, signal: AbortSignal, countLookup: () => void): Promise<RunRecord | null> {
    const live = new LiveCell({
      batchId,
      runId: cell.runId,
      model: cell.model,
      inputTokens: cell.usage.inputTokens,
      isInputCounted: cell.isInputCounted,
      price: cell.price.price,
      intervalMs: this.deps.deltaIntervalMs,
      emit: batch.isQuiet
        ? null
        : (delta) => {
            if (!this.isClosed) this.deps.emit('run:delta', delta);
          },
    });
    let done: Extract<StreamEvent, { type: 'done' }> | null = null;
    let failure: unknown = null;
    let countedInput: ProviderUsage | null = null;
    this.streaming.set(cell.runId, live);
    this.streamingProviders.set(cell.runId, cell.provider);
    // An eval's cells are not kept this way: a killed eval runs its unfinished cells again on resume.
    if (!batch.isQuiet) this.keep(cell.runId, live);
    try {
      let built = batch.providers.get(cell.providerId);
      if (built === undefined) {
        built = this.deps.registry.provider(cell.provider);
        batch.providers.set(cell.providerId, built);
      }
      const { provider } = await built;
      const request: ChatRequest = { model: cell.model, messages: cell.messages, parameters: cell.parameters };
      if (cell.responseFormat !== undefined) request.responseFormat = cell.responseFormat;
      if (cell.isFormatBestEffort === true) request.isFormatBestEffort = true;
      watchAttempts(request, () => live.attempt());
      watchWaits(request, { onQueued: () => live.queued(), onRetryWait: (delayMs, reason) => live.retrying(delayMs, reason) });
      watchNotices(request, (text, isEvent) => live.notice(text, isEvent));
      watchInputCount(request, (usage) => {
        countedInput = usage;
        live.countedInput(exactUsage(cell.providerKind, usage));
      });
      for await (const event of provider.stream(request, signal)) {
        if (event.type === 'delta') live.append(event.text);
        else if (event.type === 'reasoning') live.appendReasoning(event.text);
        else done = event;
      }
    } catch (error) {
      failure = signal.aborted && !(error instanceof ProviderError) ? new ProviderError('cancelled', 'The request was cancelled') : error;
    } finally {
      this.unkeep(cell.runId);
      live.finish();
      this.streaming.delete(cell.runId);
      this.streamingProviders.delete(cell.runId);
    }
    if (this.isClosed) return null;
    const endedAt = performance.now();
    const outcome = streamOutcome({
      ...this.resultBase(cell),
      countedInput,
      output: live.text,
      reasoning: live.reasoning,
      done,
      error: failure,
      ttftMs: live.ttftMs,
      latencyMs: live.firstAttemptAt === null ? null : endedAt - live.firstAttemptAt,
      generationMs: live.firstDeltaAt === null ? null : endedAt - live.firstDeltaAt,
      notices: live.notices,
    });
    return this.commit(batchId, batch, cell, outcome, (finishedAt) => {
      countLookup();
      // Only a successful answer is worth giving again; errors and cancellations never are, nor
      // an answer its asker cannot use (a judge's reply that is not a verdict): asked again, the
      // model may answer better, where the cache would give the same reply for ever.
      if (outcome.status !== 'ok' || cell.isAnswerCacheable?.(outcome.output) === false) return;
      const request = {
        providerKind: cell.providerKind,
        endpoint: cell.endpoint,
        model: cell.model,
        messages: cell.messages,
        parameters: cell.parameters,
        sampleIndex: cell.sampleIndex,
        responseFormat: cell.responseFormat,
      };
      this.deps.cache.store(cell.cacheKey, request, { ...outcome, sourceRunId: cell.runId }, finishedAt);
    });
  }

  private resultBase(cell: StartedCell) {
    return { providerKind: cell.providerKind, model: cell.model, price: cell.price, estimatedInputTokens: cell.usage.inputTokens };
  }

  /**
   * Stores the outcome, whatever `alongside` writes and, for the batch's last cell, the batch's
   * end, in one transaction with the other cells ending in this turn; then announces it.
   * Resolves to null when the row was no longer running.
   */
  private commit(batchId: number, batch: ActiveBatch, cell: StartedCell, outcome: RunOutcome, alongside: (finishedAt: string) => void = () => {}): Promise<RunRecord | null> {
    if (this.isClosed) return Promise.resolve(null);
    return new Promise((resolve) => {
      // Waiting is worth it only when another cell may end in this same turn.
      const mayOthersEnd = this.unsettledCount - this.ended.length > 1;
      this.ended.push({ batchId, batch, cell, outcome, alongside, resolve });
      if (this.ended.length > 1) return;
      if (mayOthersEnd) setImmediate(() => this.commitEnded());
      else this.commitEnded();
    });
  }

  /** Commits every ended cell in one transaction, then announces them; one by one if that fails. */
  private commitEnded(): void {
    const group = this.ended.splice(0);
    if (group.length === 0) return;
    let stored: boolean[];
    const finishedAt = this.timestamp();
    try {
      stored = this.store(group, finishedAt);
    } catch (error) {
      if (group.length === 1) {
        this.announceUnstored(group[0], error, finishedAt);
        return;
      }
      // One row the database refuses must not take the others with it.
      for (const entry of group) {
        try {
          this.announce([entry], this.store([entry], finishedAt), finishedAt);
        } catch (entryError) {
          this.announceUnstored(entry, entryError, finishedAt);
        }
      }
      return;
    }
    this.announce(group, stored, finishedAt);
  }

  /**
   * Ends a cell the database would not store (damaged, full, read-only): what it got still
   * reaches its column, saying why History will not have it, and its batch still ends.
   */
  private announceUnstored(entry: EndedCell, error: unknown, finishedAt: string): void {
    this.settle(entry.batch, entry.cell.runId);
    const reason = this.deps.describeStoreFailure?.(error) ?? (error instanceof Error ? error.message : String(error));
    console.error(`[runner] storing run ${entry.cell.runId} failed:`, error);
    const record: RunRecord = { ...finishedRecord(entry.cell, entry.outcome, finishedAt), notStored: reason };
    if (!entry.batch.isQuiet) this.deps.emit('run:done', record);
    entry.resolve(record);
  }

  /** Writes `group` in one transaction; which rows were still running. Settles nothing unless it commits. */
  private store(group: readonly EndedCell[], finishedAt: string): boolean[] {
    const stored = this.deps.runs.transaction(() => {
      const endingNow = new Map<ActiveBatch, number>();
      return group.map(({ batchId, batch, cell, outcome, alongside }) => {
        const isFinished = this.deps.runs.finishRun(cell.runId, outcome, finishedAt);
        if (isFinished) alongside(finishedAt);
        const ending = (endingNow.get(batch) ?? 0) + 1;
        endingNow.set(batch, ending);
        // The batch ends with its last cell, in the same commit.
        if (ending === batch.unsettled.size) this.deps.runs.finishBatch(batchId, finishedAt);
        return isFinished;
      });
    });
    for (const { batch, cell } of group) this.settle(batch, cell.runId);
    return stored;
  }

  private announce(group: readonly EndedCell[], stored: readonly boolean[], finishedAt: string): void {
    if (stored.includes(true)) this.deps.onStored?.();
    group.forEach((entry, index) => {
      const record = stored[index] ? finishedRecord(entry.cell, entry.outcome, finishedAt) : null;
      if (record !== null && !entry.batch.isQuiet) this.deps.emit('run:done', record);
      entry.resolve(record);
    });
  }

  /** Marks a cell as no longer running in its batch. */
  private settle(batch: ActiveBatch, runId: number): void {
    if (batch.unsettled.delete(runId)) this.unsettledCount -= 1;
  }

  /** Tells listeners the batch is over (its end is already stored with its last cell). */
  private announceBatch(batchId: number, batch: ActiveBatch, records: (RunRecord | null)[]): void {
    this.batches.delete(batchId);
    if (!this.isClosed && !batch.isQuiet) {
      const finished = records.filter((record): record is RunRecord => record !== null);
      const counts: Record<RunStatus, number> = { running: 0, ok: 0, error: 0, cancelled: 0 };
      for (const record of finished) counts[record.status] += 1;
      this.deps.emit('batch:done', {
        batchId,
        counts,
        totalCostUsd: sumKnownCosts(finished.map((record) => record.costUsd)),
        totalSavedUsd: sumKnownCosts(finished.map((record) => record.savedUsd)),
      });
    }
    if (this.batches.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private timestamp(): string {
    return this.deps.now().toISOString();
  }
}
