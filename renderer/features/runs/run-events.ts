/**
 * Wires the run events of the bridge to the live cells and the store, and keeps the estimate
 * in step with what it depends on (the open prompt, the saved draft).
 */

import type { StoreApi } from 'zustand';
import type { BridgeClient } from '../../bridge/client';
import type { AppState } from '../../store/app-state';
import { applyDelta, applyRecord } from './live-runs';

/** Subscribes to `run:started`, `run:delta`, `run:done` and `batch:done`; returns the unsubscribe function. */
export function listenToRunEvents(client: BridgeClient, store: StoreApi<AppState>): () => void {
  const stops = [
    // Batches started in another window show here too (this window's own are known already).
    client.on('run:started', (started) => store.getState().adoptBatch(started)),
    // Straight to the live cell: no store update, no React work until the next frame.
    client.on('run:delta', applyDelta),
    client.on('run:done', (record) => {
      applyRecord(record);
      store.getState().updateOpenRun(record);
    }),
    client.on('batch:done', (done) => {
      const state = store.getState();
      state.finishBatch(done);
      if (state.workspace === 'history') void state.refreshHistoryHead();
      if (state.workspace === 'settings') void state.loadCacheStats();
    }),
    store.subscribe((state, previous) => {
      if (state.currentPrompt?.id !== previous.currentPrompt?.id) state.resetRunVersions();
      else if (state.saveState === 'saved' && previous.saveState !== 'saved') state.refreshEstimate();
      else if (state.providers !== previous.providers) state.refreshEstimate();
    }),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
