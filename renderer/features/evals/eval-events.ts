/**
 * Wires the eval events of the bridge to the evals slice.
 */

import type { StoreApi } from 'zustand';
import type { BridgeClient } from '../../bridge/client';
import type { AppState } from '../../store/app-state';
import { journalUnsavedSuites } from './evals-slice';

/** Subscribes to `eval:progress` and `eval:done` (and keeps unsaved test cases when the window goes); returns the unsubscribe function. */
export function listenToEvalEvents(client: BridgeClient, store: StoreApi<AppState>): () => void {
  const onPageHide = () => journalUnsavedSuites(store.getState());
  window.addEventListener('pagehide', onPageHide);
  const stops = [
    client.on('eval:progress', (progress) => store.getState().applyEvalProgress(progress)),
    client.on('eval:done', (summary) => store.getState().finishEval(summary)),
    () => window.removeEventListener('pagehide', onPageHide),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
