/**
 * The live state of running cells, kept outside the React store on purpose.
 *
 * Deltas arrive about once a frame per cell (six cells: hundreds a second). Putting each one
 * through zustand would copy state and wake every selector in the app per delta. Instead each
 * run has an entry here: text goes straight to the output element that shows it (an
 * `OutputSink`) once per animation frame, and the figures a column shows are kept as a small
 * immutable snapshot, announced to the run's own subscribers at most once a frame. Columns read
 * it at a reading pace and at once when the run ends (use-live-run.ts).
 */

import type { RunCounters, RunDelta, RunRecord, RunStatus } from '../../../shared/types';

/** Where a run's text is shown: the output element of a column or of the history detail. */
export interface OutputSink {
  /** Appends text received since the last call. */
  append(text: string): void;
  /**
   * Replaces everything shown (the stored output differs from what streamed, or a sink joins).
   * `isWhole`: the text is a finished answer nobody watched stream (a cache hit, a stored run),
   * so it is shown from its start rather than followed at its end.
   */
  reset(text: string, isWhole?: boolean): void;
}

/** What a column renders, replaced (never mutated) when anything in it changes. */
export interface LiveRunSnapshot {
  runId: number;
  status: RunStatus;
  /** The latest live counters; null before the first delta. */
  counters: RunCounters | null;
  /** `performance.now()` when `counters` arrived, to tick the elapsed time between deltas. */
  countersAt: number;
  /** `performance.now()` when the run was announced here. */
  startedAt: number;
  /** The stored run once it ended; its usage is the provider's when it sent one. */
  record: RunRecord | null;
  /** Characters received so far. */
  length: number;
  /** Characters of thinking received so far (a reasoning model's, sent apart from the answer). */
  reasoningLength: number;
  /** What the provider changed about the request to have it accepted, and each retry (see `RunRecord.notices`). */
  notices: string[];
  /** True while the request waits for a concurrency slot (another request holds the model). */
  isQueued: boolean;
  /** While the request waits to go out again after an attempt failed: when it does (`performance.now()` time) and why. */
  retry: { at: number; reason: string } | null;
}

/** What a sink shows: the answer, or the thinking that came apart from it. */
export type SinkChannel = 'output' | 'reasoning';

/** The text of one channel of a run and the sinks showing it. */
interface Channel {
  text: string;
  /** Text not yet handed to the sinks. */
  pending: string;
  sinks: Set<OutputSink>;
}

interface LiveRun {
  snapshot: LiveRunSnapshot;
  text: string;
  /** Text not yet handed to the sink. */
  pending: string;
  sinks: Set<OutputSink>;
  /** The thinking, shown apart. */
  reasoning: Channel;
  listeners: Set<() => void>;
  isDirty: boolean;
}

const runs = new Map<number, LiveRun>();
const dirty = new Set<LiveRun>();
let frame: number | null = null;
/** Entries of finished runs are kept for columns and history; the oldest go past this many. */
const MAX_KEPT_RUNS = 400;

function entry(runId: number): LiveRun {
  let run = runs.get(runId);
  if (run === undefined) {
    run = {
      snapshot: { runId, status: 'running', counters: null, countersAt: 0, startedAt: performance.now(), record: null, length: 0, reasoningLength: 0, notices: [], isQueued: false, retry: null },
      text: '',
      pending: '',
      sinks: new Set(),
      reasoning: { text: '', pending: '', sinks: new Set() },
      listeners: new Set(),
      isDirty: false,
    };
    runs.set(runId, run);
    trim();
  }
  return run;
}

function trim(): void {
  if (runs.size <= MAX_KEPT_RUNS) return;
  for (const [runId, run] of runs) {
    if (runs.size <= MAX_KEPT_RUNS) break;
    if (run.snapshot.status !== 'running' && run.sinks.size === 0 && run.listeners.size === 0) runs.delete(runId);
  }
}

function markDirty(run: LiveRun): void {
  run.isDirty = true;
  dirty.add(run);
  if (frame === null) frame = requestAnimationFrame(flush);
}

/** Hands pending text to the sinks and publishes snapshots: once per frame, whatever the delta rate. */
function flush(): void {
  frame = null;
  const batch = [...dirty];
  dirty.clear();
  for (const run of batch) {
    run.isDirty = false;
    if (run.pending !== '') {
      const text = run.pending;
      run.pending = '';
      for (const sink of run.sinks) sink.append(text);
    }
    if (run.reasoning.pending !== '') {
      const text = run.reasoning.pending;
      run.reasoning.pending = '';
      for (const sink of run.reasoning.sinks) sink.append(text);
    }
  }
  for (const run of batch) for (const listener of [...run.listeners]) listener();
}

/** Announces a run that is about to stream (from `runs:start`), so its column shows it as running. */
export function announceRun(runId: number): void {
  entry(runId);
}

/** Takes a `run:delta`: text for the sinks and fresh counters, shown at the next frame. */
export function applyDelta(delta: RunDelta): void {
  const run = entry(delta.runId);
  // A delta straggling in after the run's end has nothing to add: the stored output is whole.
  if (run.snapshot.record !== null) return;
  run.text += delta.text;
  run.pending += delta.text;
  if (delta.reasoning !== undefined) {
    run.reasoning.text += delta.reasoning;
    run.reasoning.pending += delta.reasoning;
  }
  run.snapshot = {
    ...run.snapshot,
    counters: delta.counters,
    countersAt: performance.now(),
    length: run.text.length,
    reasoningLength: run.reasoning.text.length,
    ...(delta.notices !== undefined && { notices: delta.notices }),
    ...(delta.isQueued !== undefined && { isQueued: delta.isQueued }),
    ...(delta.retry !== undefined && { retry: delta.retry && { at: performance.now() + delta.retry.inMs, reason: delta.retry.reason } }),
  };
  markDirty(run);
}

/** Takes a `run:done` (or a stored run fetched after a reconnect): final figures and the whole output. */
export function applyRecord(record: RunRecord): void {
  const run = entry(record.id);
  if (record.status === 'running') {
    // Still going (seen after a reconnect): keep streaming, but make sure no text was lost.
    if (record.output.length > run.text.length) replaceText(run, record.output);
    if (record.reasoning.length > run.reasoning.text.length) replaceReasoning(run, record.reasoning);
    return;
  }
  // Nothing streamed here (a cache hit, a run that ended elsewhere): the whole answer, read from its start.
  const isWhole = run.text === '';
  if (run.text !== record.output) replaceText(run, record.output, isWhole);
  if (run.reasoning.text !== record.reasoning) replaceReasoning(run, record.reasoning);
  run.snapshot = {
    ...run.snapshot,
    status: record.status,
    isQueued: false,
    retry: null,
    record,
    length: record.output.length,
    reasoningLength: record.reasoning.length,
    notices: record.notices,
  };
  markDirty(run);
}

function replaceText(run: LiveRun, text: string, isWhole = false): void {
  run.text = text;
  run.pending = '';
  for (const sink of run.sinks) sink.reset(text, isWhole);
}

function replaceReasoning(run: LiveRun, text: string): void {
  run.reasoning.text = text;
  run.reasoning.pending = '';
  for (const sink of run.reasoning.sinks) sink.reset(text);
}

/** The current snapshot of a run (a stable object between changes). */
export function liveSnapshot(runId: number): LiveRunSnapshot {
  return entry(runId).snapshot;
}

/** The text of a run received so far. */
export function liveText(runId: number): string {
  return runs.get(runId)?.text ?? '';
}

/** True when this window knows the run (it was started or streamed here). */
export function isKnownRun(runId: number): boolean {
  return runs.has(runId);
}

/** Subscribes to a run's snapshots; returns the unsubscribe function. */
export function subscribeRun(runId: number, listener: () => void): () => void {
  const run = entry(runId);
  run.listeners.add(listener);
  return () => run.listeners.delete(listener);
}

/** Connects an output element to a run's answer (or thinking): it gets the text so far at once, then every append. */
export function attachSink(runId: number, sink: OutputSink, channel: SinkChannel = 'output'): () => void {
  const run = entry(runId);
  const { text, pending, sinks } = channel === 'output' ? run : run.reasoning;
  // Whatever is pending reaches this sink with the next frame, like every other sink.
  // A finished run's answer is read from its start; a running one's is followed at its end.
  sink.reset(text.slice(0, text.length - pending.length), run.snapshot.record !== null);
  sinks.add(sink);
  return () => sinks.delete(sink);
}
