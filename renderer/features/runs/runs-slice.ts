/**
 * Side-by-side runs: the models and versions to run, the estimate before running, and the
 * batches started, one column per cell.
 *
 * Only what changes rarely lives here (the choice of models, the estimate, which batch is
 * whose, when a batch ended). What streams, text and live counters, goes to live-runs.ts.
 */

import type { BatchDone, ReplacedCost, RunCell, RunChoices, RunEstimate, RunStarted, RunTarget, VersionRef } from '../../../shared/types';
import { MAX_BATCH_CELLS, MAX_RUN_SAMPLES, MAX_RUN_TARGETS, MAX_RUN_VERSIONS } from '../../../shared/contract';
import { hasErrorCode } from '../../bridge/client';
import { bridge } from '../../bridge/connection';
import { countOf } from '../../lib/format';
import type { AppState, SliceCreator } from '../../store/app-state';
import { announceRun, applyDelta, applyRecord, liveSnapshot } from './live-runs';
import { NOTHING_REPLACED, storedCost } from './run-figures';
import { notConnectedText } from '../status/not-connected';

/** A batch as the runs panel shows it. */
export interface BatchView {
  batchId: number;
  /** The prompt it ran (null for a re-run of a run whose prompt is gone). */
  promptId: number | null;
  cells: RunCell[];
  isCacheBypassed: boolean;
  /** Set when every cell has ended. */
  done: BatchDone | null;
  /** When it started, for a batch shown again from storage (the prompt opened after a reload or a restart); null when it started while this window was open. */
  restoredFrom?: string | null;
  /** What the runs its columns ran again in place of cost (a stopped run's partial answer is paid for): part of its total. */
  replaced: ReplacedCost;
}

/** The runs slice. */
export interface RunsSlice {
  /** The models to run on, in column order. */
  runTargets: RunTarget[];
  /** The draft and/or saved versions to compare; at least one. */
  runVersions: VersionRef[];
  /** How many times each model x version runs (1..MAX_RUN_SAMPLES); null while the field holds no valid count. */
  runSamples: number | null;
  isCacheBypassed: boolean;
  runEstimate: RunEstimate | null;
  /** Why there is no estimate (no message text yet, say). */
  runEstimateError: string | null;
  batches: Record<number, BatchView>;
  /** The latest batch of each prompt. */
  latestBatchOf: Record<number, number>;
  /** Why the last Run was refused (a missing variable, the budget), until the next try. */
  runRefusal: string | null;
  isStartingRun: boolean;
  /** The runs have the whole window (the editor, library and details panel step aside); Escape gives it back. */
  isRunsMaximized: boolean;
  setRunsMaximized(isMaximized: boolean): void;
  addRunTarget(target: RunTarget): void;
  removeRunTarget(target: RunTarget): void;
  forgetRunTargetsOf(providerId: number): void;
  toggleRunVersion(version: VersionRef): void;
  resetRunVersions(): void;
  setCacheBypassed(isBypassed: boolean): void;
  setRunSamples(samples: number | null): void;
  /**
   * Takes the choices the engine remembers (settings' runChoices) when this window's origin
   * remembered none: the browser host started again on another port. Once per window.
   */
  adoptRunChoices(choices: RunChoices | null): void;
  /** Asks for a new estimate shortly (coalesced). */
  refreshEstimate(): void;
  /** Runs the open prompt on the chosen models and versions (Ctrl+Enter). */
  startRun(): Promise<void>;
  stopBatch(batchId: number): Promise<void>;
  stopRun(runId: number): Promise<void>;
  /** Runs a stored run's request again; resolves to the new run's id. */
  rerun(runId: number, bypassCache: boolean): Promise<number | null>;
  /** Runs a failed or stopped column of an ended batch again, in its place. */
  retryCell(batchId: number, runId: number): Promise<void>;
  dismissRunRefusal(): void;
  /** Every cell of a batch has ended. */
  finishBatch(done: BatchDone): void;
  /** A batch started elsewhere (another window, `run:started`): shown as if started here. */
  adoptBatch(started: RunStarted): void;
  /** After a reconnect: fetches cells still shown as running, in case their end was missed. */
  reconcileRuns(): Promise<void>;
  /** Shows the prompt's last comparison again, as stored, unless this window already shows one of it. */
  restoreLatestBatch(promptId: number): Promise<void>;
}

const TARGETS_KEY = 'workbench.runTargets';
const SAMPLES_KEY = 'workbench.runSamples';
const BYPASS_CACHE_KEY = 'workbench.bypassCache';
const ESTIMATE_DELAY_MS = 250;

let estimateTimer: ReturnType<typeof setTimeout> | null = null;
let estimateSequence = 0;
/** The batch a retried column belongs to, by the id of the one-cell batch that runs it again (until that one ends). */
const retriedBatchOf = new Map<number, number>();

/** How a batch ended, from its cells' stored runs (after a column of it ran again, or a reconnect). */
function doneFromCells(batch: BatchView): BatchDone {
  const counts = { running: 0, ok: 0, error: 0, cancelled: 0 };
  let totalCostUsd = 0;
  let totalSavedUsd = 0;
  for (const cell of batch.cells) {
    const record = liveSnapshot(cell.runId).record;
    if (!record) continue;
    counts[record.status] += 1;
    totalCostUsd += record.costUsd ?? 0;
    totalSavedUsd += record.savedUsd ?? 0;
  }
  return { batchId: batch.batchId, counts, totalCostUsd, totalSavedUsd };
}

function readTargets(): RunTarget[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(TARGETS_KEY) ?? '[]') as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter((item): item is RunTarget => typeof item?.providerId === 'number' && typeof item?.model === 'string' && item.model.trim() !== '')
      .slice(0, MAX_RUN_TARGETS);
  } catch {
    return [];
  }
}

/** The samples chosen last (in any window), 1 when none or not a valid count. */
function readSamples(): number {
  try {
    const samples = Number(localStorage.getItem(SAMPLES_KEY));
    return Number.isInteger(samples) && samples >= 1 && samples <= MAX_RUN_SAMPLES ? samples : 1;
  } catch {
    return 1;
  }
}

function writeSamples(samples: number): void {
  try {
    localStorage.setItem(SAMPLES_KEY, String(samples));
  } catch {
    // The choice is only not remembered for the next window.
  }
}

/**
 * Whether the cache was bypassed last (in any window). Kept with the other choices, so a
 * reloaded window whose last comparison says "cache bypassed" does not quietly take its next
 * answers from the cache.
 */
function readCacheBypassed(): boolean {
  try {
    return localStorage.getItem(BYPASS_CACHE_KEY) === 'true';
  } catch {
    return false;
  }
}

function writeCacheBypassed(isBypassed: boolean): void {
  try {
    localStorage.setItem(BYPASS_CACHE_KEY, String(isBypassed));
  } catch {
    // The choice is only not remembered for the next window.
  }
}

function writeTargets(targets: RunTarget[]): void {
  try {
    localStorage.setItem(TARGETS_KEY, JSON.stringify(targets));
  } catch {
    // The choice is only not remembered for the next window.
  }
}

/** Whether this origin's storage had choices of its own when the window opened (else the engine's stand in). */
function hasStoredChoices(): boolean {
  try {
    return localStorage.getItem(TARGETS_KEY) !== null;
  } catch {
    return false;
  }
}

let engineChoicesTimer: ReturnType<typeof setTimeout> | null = null;
let hasAdoptedChoices = false;

/**
 * Keeps the choices with the engine too, a moment after the last change: a browser host started
 * again on another port is another origin, with empty storage, and opens with them from there.
 */
function keepChoicesWithEngine(choices: RunChoices): void {
  if (engineChoicesTimer !== null) clearTimeout(engineChoicesTimer);
  engineChoicesTimer = setTimeout(() => {
    engineChoicesTimer = null;
    // Only not remembered for a window of another origin: nothing to tell the user.
    bridge()
      .call('settings:update', { runChoices: choices })
      .catch(() => undefined);
  }, 300);
}

/** The versions to send: the chosen ones that still exist, the draft when none does. */
function versionsToRun(state: Pick<AppState, 'versions' | 'runVersions'>): VersionRef[] {
  const numbers = new Set(state.versions.map((version) => version.number));
  const chosen = state.runVersions.filter((version) => version === 'draft' || numbers.has(version));
  return chosen.length > 0 ? chosen : ['draft'];
}

/** Reads the Samples field: a whole number from 1 to MAX_RUN_SAMPLES, or null. */
export function parseRunSamples(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value >= 1 && value <= MAX_RUN_SAMPLES ? value : null;
}

/**
 * Why the chosen samples cannot run, said before trying: an invalid count, or more cells than a batch may have.
 *
 * The engine refuses the same batches; saying so here keeps Run disabled instead of failing after the click.
 */
export function runSamplesProblem(state: Pick<AppState, 'versions' | 'runVersions' | 'runTargets' | 'runSamples'>): string | null {
  if (state.runSamples === null) return `Samples must be a whole number from 1 to ${MAX_RUN_SAMPLES}`;
  const models = Math.max(1, state.runTargets.length);
  const versions = versionsToRun(state).length;
  const cells = models * versions * state.runSamples;
  if (cells <= MAX_BATCH_CELLS) return null;
  const factors = [countOf(models, 'model'), countOf(versions, 'version'), countOf(state.runSamples, 'sample')].join(' × ');
  return `${cells} cells (${factors}) is over the limit of ${MAX_BATCH_CELLS} cells per run: lower the samples or the models`;
}

/** Why the draft cannot run for what the Model tab holds as typed (see `heldRefusal`); null when it can, or the draft is not among the versions to run. */
export function draftHeldRefusal(state: Pick<AppState, 'versions' | 'runVersions' | 'heldRefusal'>): string | null {
  if (state.heldRefusal === null || !versionsToRun(state).includes('draft')) return null;
  return state.heldRefusal;
}

/** True when two targets name the same model on the same provider. */
export function isSameTarget(left: RunTarget, right: RunTarget): boolean {
  return left.providerId === right.providerId && left.model === right.model;
}

/** True while a batch has cells running. */
export function isBatchRunning(batch: BatchView | undefined): boolean {
  return batch !== undefined && batch.done === null;
}

/** Why Run did nothing while no model is chosen, and what to do. */
export const NO_MODEL_REFUSAL = 'Add a model to run on first (+ Model).';

/** Creates the runs slice. */
export const createRunsSlice: SliceCreator<RunsSlice> = (set, get) => {
  /** The choices as they stand, kept with the engine for a window of another origin. */
  function keepChoices() {
    const { runTargets, runSamples, isCacheBypassed } = get();
    keepChoicesWithEngine({ targets: runTargets, samples: runSamples !== null && runSamples >= 1 && runSamples <= MAX_RUN_SAMPLES ? runSamples : 1, bypassCache: isCacheBypassed });
  }

  function setTargets(targets: RunTarget[]) {
    // Refused for want of a model, Run is not refused for it any more once one is added.
    const isCauseGone = targets.length > 0 && get().runRefusal === NO_MODEL_REFUSAL;
    set({ runTargets: targets, ...(isCauseGone && { runRefusal: null }) });
    writeTargets(targets);
    keepChoices();
    get().refreshEstimate();
  }

  async function estimateNow() {
    const sequence = ++estimateSequence;
    const state = get();
    const prompt = state.currentPrompt;
    // A refused sample count has its own message; the engine's would only repeat it.
    if (!prompt || state.runTargets.length === 0 || state.runSamples === null || runSamplesProblem(state) !== null) {
      set({ runEstimate: null, runEstimateError: null });
      return;
    }
    try {
      const estimate = await bridge().call('runs:estimate', {
        promptId: prompt.id,
        versions: versionsToRun(state),
        targets: state.runTargets,
        variables: { ...state.variables },
        samples: state.runSamples,
        bypassCache: state.isCacheBypassed,
      });
      if (sequence === estimateSequence) set({ runEstimate: estimate, runEstimateError: null });
    } catch (error) {
      if (sequence !== estimateSequence || hasErrorCode(error, 'unavailable')) return;
      set({ runEstimate: null, runEstimateError: error instanceof Error ? error.message : String(error) });
    }
  }

  function register(started: { batchId: number; cells: RunCell[] }, promptId: number | null, isCacheBypassed: boolean) {
    // Known already: this window started it and heard `run:started` too.
    if (get().batches[started.batchId] !== undefined) return;
    for (const cell of started.cells) announceRun(cell.runId);
    const batch: BatchView = { batchId: started.batchId, promptId, cells: started.cells, isCacheBypassed, done: null, replaced: NOTHING_REPLACED };
    set({
      batches: { ...get().batches, [batch.batchId]: batch },
      ...(promptId === null ? {} : { latestBatchOf: { ...get().latestBatchOf, [promptId]: batch.batchId } }),
    });
  }

  /** Puts a column's new run in its place in the batch (once: the call's answer and `run:started` both say so). */
  function placeRetry(started: { batchId: number; cells: RunCell[] }, retryOf: { batchId: number; runId: number }) {
    const batch = get().batches[retryOf.batchId];
    const retry = started.cells[0];
    if (batch === undefined || retry === undefined || !batch.cells.some((cell) => cell.runId === retryOf.runId)) return;
    retriedBatchOf.set(started.batchId, retryOf.batchId);
    // The new run takes the column's place (and its position); the batch runs again until it ends.
    const cells = batch.cells.map((cell) => (cell.runId === retryOf.runId ? { ...retry, cellIndex: cell.cellIndex } : cell));
    const replacedRecord = liveSnapshot(retryOf.runId).record;
    const replaced: ReplacedCost = {
      costUsd: batch.replaced.costUsd + (replacedRecord?.costUsd ?? 0),
      count: batch.replaced.count + ((replacedRecord?.costUsd ?? 0) > 0 ? 1 : 0),
      isEstimated: batch.replaced.isEstimated || (replacedRecord !== null && storedCost(replacedRecord).isEstimated),
    };
    set({ batches: { ...get().batches, [batch.batchId]: { ...batch, cells, done: null, replaced } } });
  }

  return {
    runTargets: readTargets(),
    runVersions: ['draft'],
    runSamples: readSamples(),
    isCacheBypassed: readCacheBypassed(),
    runEstimate: null,
    runEstimateError: null,
    batches: {},
    latestBatchOf: {},
    runRefusal: null,
    isStartingRun: false,
    isRunsMaximized: false,
    setRunsMaximized(isMaximized) {
      set({ isRunsMaximized: isMaximized });
    },

    addRunTarget(target) {
      const model = target.model.trim();
      const targets = get().runTargets;
      if (model === '' || targets.length >= MAX_RUN_TARGETS || targets.some((item) => isSameTarget(item, { ...target, model }))) return;
      setTargets([...targets, { providerId: target.providerId, model }]);
    },
    removeRunTarget(target) {
      setTargets(get().runTargets.filter((item) => !isSameTarget(item, target)));
    },
    forgetRunTargetsOf(providerId) {
      const targets = get().runTargets;
      if (targets.some((item) => item.providerId === providerId)) setTargets(targets.filter((item) => item.providerId !== providerId));
    },
    toggleRunVersion(version) {
      const current = get().runVersions;
      let next: VersionRef[];
      if (current.includes(version)) next = current.filter((item) => item !== version);
      else next = [...current, version].slice(-MAX_RUN_VERSIONS);
      // Draft first, then saved versions newest first: the order the columns come in.
      next.sort((left, right) => (left === 'draft' ? -1 : right === 'draft' ? 1 : right - left));
      set({ runVersions: next.length > 0 ? next : ['draft'] });
      get().refreshEstimate();
    },
    resetRunVersions() {
      set({ runVersions: ['draft'], runRefusal: null });
      get().refreshEstimate();
    },
    setCacheBypassed(isBypassed) {
      set({ isCacheBypassed: isBypassed });
      writeCacheBypassed(isBypassed);
      keepChoices();
      get().refreshEstimate();
    },
    setRunSamples(samples) {
      if (samples === get().runSamples) return;
      set({ runSamples: samples, runRefusal: null });
      // A count being typed (empty, out of range) is not remembered; the last valid one is.
      if (samples !== null && Number.isInteger(samples) && samples >= 1 && samples <= MAX_RUN_SAMPLES) {
        writeSamples(samples);
        keepChoices();
      }
      get().refreshEstimate();
    },
    adoptRunChoices(choices) {
      // Once, and only in a window whose origin remembered nothing: its own choices (or the user's) come first.
      if (hasAdoptedChoices) return;
      hasAdoptedChoices = true;
      if (choices === null || hasStoredChoices() || get().runTargets.length > 0) return;
      const targets = choices.targets.slice(0, MAX_RUN_TARGETS);
      const samples = Number.isInteger(choices.samples) && choices.samples >= 1 && choices.samples <= MAX_RUN_SAMPLES ? choices.samples : 1;
      set({ runTargets: targets, runSamples: samples, isCacheBypassed: choices.bypassCache });
      writeTargets(targets);
      writeSamples(samples);
      writeCacheBypassed(choices.bypassCache);
      get().refreshEstimate();
    },
    refreshEstimate() {
      if (estimateTimer !== null) clearTimeout(estimateTimer);
      estimateTimer = setTimeout(() => {
        estimateTimer = null;
        void estimateNow();
      }, ESTIMATE_DELAY_MS);
    },

    async startRun() {
      const prompt = get().currentPrompt;
      if (!prompt || get().isStartingRun) return;
      const latest = get().latestBatchOf[prompt.id];
      if (latest !== undefined && isBatchRunning(get().batches[latest])) return;
      const notConnected = notConnectedText(get());
      if (notConnected !== null) {
        get().showToast('error', notConnected);
        return;
      }
      if (get().runTargets.length === 0) {
        set({ runRefusal: NO_MODEL_REFUSAL });
        return;
      }
      const samples = get().runSamples;
      if (samples === null || runSamplesProblem(get()) !== null) return;
      const heldRefusal = draftHeldRefusal(get());
      if (heldRefusal !== null) {
        set({ runRefusal: heldRefusal });
        return;
      }
      set({ isStartingRun: true, runRefusal: null });
      try {
        // The engine runs the stored draft: everything typed must be there first.
        await get().saveDraftNow();
        const isCacheBypassed = get().isCacheBypassed;
        const started = await bridge().call('runs:start', {
          promptId: prompt.id,
          versions: versionsToRun(get()),
          targets: get().runTargets,
          variables: { ...get().variables },
          samples,
          bypassCache: isCacheBypassed,
        });
        register(started, prompt.id, isCacheBypassed);
      } catch (error) {
        set({ runRefusal: error instanceof Error ? error.message : String(error) });
      } finally {
        set({ isStartingRun: false });
      }
    },
    async stopBatch(batchId) {
      try {
        await bridge().call('runs:cancel', { batchId });
        // A column running again runs in a batch of its own.
        const retrying = [...retriedBatchOf].filter(([, original]) => original === batchId).map(([retry]) => retry);
        await Promise.all(retrying.map((retry) => bridge().call('runs:cancel', { batchId: retry })));
      } catch (error) {
        get().reportError(error, 'Could not stop the runs');
      }
    },
    async stopRun(runId) {
      try {
        await bridge().call('runs:cancel', { runId });
      } catch (error) {
        get().reportError(error, 'Could not stop the run');
      }
    },
    async rerun(runId, bypassCache) {
      try {
        const started = await bridge().call('runs:rerun', { id: runId, bypassCache });
        register(started, null, bypassCache);
        return started.cells[0]?.runId ?? null;
      } catch (error) {
        get().reportError(error, 'Could not run it again');
        return null;
      }
    },
    async retryCell(batchId, runId) {
      const batch = get().batches[batchId];
      if (batch === undefined || batch.done === null || !batch.cells.some((cell) => cell.runId === runId)) return;
      try {
        const started = await bridge().call('runs:rerun', { id: runId, bypassCache: batch.isCacheBypassed, inPlaceOf: batchId });
        register(started, null, batch.isCacheBypassed);
        placeRetry(started, { batchId, runId });
      } catch (error) {
        get().reportError(error, 'Could not run the column again');
      }
    },
    dismissRunRefusal() {
      if (get().runRefusal !== null) set({ runRefusal: null });
    },
    adoptBatch(started) {
      register(started, started.promptId, started.isCacheBypassed);
      if (started.retryOf !== undefined) placeRetry(started, started.retryOf);
    },
    finishBatch(done) {
      const batch = get().batches[done.batchId];
      if (batch) set({ batches: { ...get().batches, [done.batchId]: { ...batch, done } } });
      // A retried column ended: its batch has ended too once no other column of it runs.
      const retriedId = retriedBatchOf.get(done.batchId);
      retriedBatchOf.delete(done.batchId);
      const retried = retriedId === undefined ? undefined : get().batches[retriedId];
      if (retried !== undefined && retried.done === null && retried.cells.every((cell) => liveSnapshot(cell.runId).status !== 'running')) {
        set({ batches: { ...get().batches, [retried.batchId]: { ...retried, done: doneFromCells(retried) } } });
      }
      // Today's spending and the output history expects have moved.
      get().refreshEstimate();
    },
    async restoreLatestBatch(promptId) {
      if (get().latestBatchOf[promptId] !== undefined) return;
      let restored;
      try {
        restored = await bridge().call('runs:latestBatch', { promptId });
      } catch (error) {
        if (!hasErrorCode(error, 'unavailable')) get().reportError(error, 'Could not show the last comparison');
        return;
      }
      // A batch started (or heard of) meanwhile is newer: it stays.
      if (restored === null || get().latestBatchOf[promptId] !== undefined || get().batches[restored.batchId] !== undefined) return;
      for (const record of restored.records) {
        applyRecord(record);
        // A column running again in its place (started in another window): its end ends this batch too.
        if (record.status === 'running' && record.batchId !== restored.batchId) retriedBatchOf.set(record.batchId, restored.batchId);
      }
      // Where the running columns are now: their counters, and a retry's countdown, before their next delta.
      for (const delta of restored.live) applyDelta(delta);
      const batch: BatchView = {
        batchId: restored.batchId,
        promptId,
        cells: restored.cells,
        isCacheBypassed: restored.isCacheBypassed,
        done: null,
        restoredFrom: restored.startedAt,
        replaced: restored.replaced,
      };
      const isRunning = batch.cells.some((cell) => liveSnapshot(cell.runId).status === 'running');
      set({
        batches: { ...get().batches, [batch.batchId]: isRunning ? batch : { ...batch, done: doneFromCells(batch) } },
        latestBatchOf: { ...get().latestBatchOf, [promptId]: batch.batchId },
      });
    },
    async reconcileRuns() {
      for (const batch of Object.values(get().batches)) {
        if (batch.done !== null) continue;
        const running = batch.cells.filter((cell) => liveSnapshot(cell.runId).status === 'running');
        try {
          const records = await Promise.all(running.map((cell) => bridge().call('runs:get', { id: cell.runId })));
          for (const record of records) applyRecord(record);
        } catch {
          continue;
        }
        if (batch.cells.every((cell) => liveSnapshot(cell.runId).status !== 'running')) {
          // The batch ended while we were away; its totals come from the stored runs.
          get().finishBatch(doneFromCells(batch));
        }
      }
    },
  };
};
