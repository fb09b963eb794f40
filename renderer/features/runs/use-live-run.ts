/**
 * React access to live runs: one subscription per run, and a clock that ticks only while needed.
 */

import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { liveSnapshot, subscribeRun, type LiveRunSnapshot } from './live-runs';

/** The snapshot of one run; re-renders at most once a frame, and only for this run. */
export function useLiveRun(runId: number): LiveRunSnapshot {
  const subscribe = useCallback((listener: () => void) => subscribeRun(runId, listener), [runId]);
  const snapshot = useCallback(() => liveSnapshot(runId), [runId]);
  return useSyncExternalStore(subscribe, snapshot);
}

/** The snapshots of several runs (a batch's cells), for totals. */
export function useLiveRuns(runIds: readonly number[]): LiveRunSnapshot[] {
  const key = runIds.join(',');
  const subscribe = useCallback(
    (listener: () => void) => {
      const stops = key === '' ? [] : key.split(',').map((id) => subscribeRun(Number(id), listener));
      return () => stops.forEach((stop) => stop());
    },
    [key],
  );
  // The array must be the same object while no run changed, or React would render forever.
  const [cache] = useState(() => ({ key: '', parts: [] as LiveRunSnapshot[], value: [] as LiveRunSnapshot[] }));
  const snapshot = useCallback(() => {
    const parts = key === '' ? [] : key.split(',').map((id) => liveSnapshot(Number(id)));
    if (cache.key === key && parts.length === cache.parts.length && parts.every((part, index) => part === cache.parts[index])) return cache.value;
    cache.key = key;
    cache.parts = parts;
    cache.value = parts;
    return parts;
  }, [key, cache]);
  return useSyncExternalStore(subscribe, snapshot);
}

/** `performance.now()` at render time; while `isTicking`, the component renders again every `intervalMs`. */
export function useNow(isTicking: boolean, intervalMs = 100): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!isTicking) return undefined;
    const timer = setInterval(() => setTick((tick) => tick + 1), intervalMs);
    return () => clearInterval(timer);
  }, [isTicking, intervalMs]);
  return performance.now();
}
