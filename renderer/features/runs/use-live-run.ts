/**
 * React access to live runs: figures that refresh at a reading pace while runs stream, and at
 * once when a run ends.
 *
 * Text streams into the DOM every frame (live-output.tsx) without React. The figures beside it
 * (tokens, cost, speed, elapsed time) are re-rendered ten times a second instead of every
 * frame: digits that change sixty times a second cannot be read anyway, and six columns of
 * them made a good share of each frame's layout while six streams were already being laid out.
 */

import { useEffect, useReducer, useRef } from 'react';
import type { RunRecord } from '../../../shared/types';
import { liveSnapshot, subscribeRun, type LiveRunSnapshot } from './live-runs';

/** How often streaming figures are re-rendered. */
export const FIGURES_INTERVAL_MS = 100;

/**
 * The current snapshots of `runIds`, read at render. The component renders again at once when
 * one of them ends (or its stored record arrives), and every `intervalMs` while any still runs,
 * which also moves its elapsed time: read `performance.now()` in the same render.
 */
export function useLiveRuns(runIds: readonly number[], intervalMs = FIGURES_INTERVAL_MS): LiveRunSnapshot[] {
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  const key = runIds.join(',');
  const snapshots = runIds.map((runId) => liveSnapshot(runId));
  const isRunning = snapshots.some((snapshot) => snapshot.status === 'running');
  /** The records the last render showed, by run id. */
  const shown = useRef(new Map<number, RunRecord | null>());
  useEffect(() => {
    shown.current = new Map(snapshots.map((snapshot) => [snapshot.runId, snapshot.record]));
  });
  useEffect(() => {
    const ids = key === '' ? [] : key.split(',').map(Number);
    const onChange = (runId: number) => {
      if (liveSnapshot(runId).record !== (shown.current.get(runId) ?? null)) rerender();
    };
    const stops = ids.map((runId) => subscribeRun(runId, () => onChange(runId)));
    // A run may have ended between the render and this subscription.
    ids.forEach(onChange);
    return () => stops.forEach((stop) => stop());
  }, [key]);
  useEffect(() => {
    if (!isRunning) return undefined;
    const timer = setInterval(rerender, intervalMs);
    return () => clearInterval(timer);
  }, [isRunning, intervalMs]);
  return snapshots;
}

/** The snapshot of one run, as `useLiveRuns`. */
export function useLiveRun(runId: number, intervalMs = FIGURES_INTERVAL_MS): LiveRunSnapshot {
  return useLiveRuns([runId], intervalMs)[0];
}
