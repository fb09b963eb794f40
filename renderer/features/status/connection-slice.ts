/**
 * The link to the engine: its state for the status bar, what the host told us, and start-up.
 */

import type { AppInfo } from '../../../shared/types';
import { getConnection, type ConnectionState } from '../../bridge/connection';
import type { SliceCreator } from '../../store/app-state';
import { lastOpenedPromptId } from '../editor/draft-slice';
import { listenToEvalEvents } from '../evals/eval-events';
import { listenToRunEvents } from '../runs/run-events';

/** The connection slice. */
export interface ConnectionSlice {
  connection: ConnectionState;
  /**
   * When (performance.now()) the link that had been up dropped; null while connected. Running
   * columns stop their clocks there: what happens to their runs meanwhile is heard of on return.
   */
  disconnectedAt: number | null;
  /**
   * Why the browser host cannot be reached, once asked: it was started again (with a new access
   * token, so this page can never reconnect), or it does not answer at all; null when unknown.
   */
  offlineReason: OfflineReason | null;
  appInfo: AppInfo | null;
  isStarted: boolean;
  /** Connects, loads what the first screen needs and keeps it fresh; call once. */
  start(): () => void;
}

/** Why the browser host is out of reach. */
export type OfflineReason = 'host-restarted' | 'host-down';

/**
 * Asks the page's own origin whether the browser host answers: a 401 means a host runs there
 * with another token (it was started again); no answer means none runs. Null while it answers
 * as before (the socket is just reconnecting).
 */
async function probeHost(): Promise<OfflineReason | null> {
  try {
    const response = await fetch('/', { cache: 'no-store', credentials: 'same-origin' });
    return response.status === 401 ? 'host-restarted' : null;
  } catch {
    return 'host-down';
  }
}

// Module-level so a second start (React StrictMode remounts) does not load twice.
let hasLoaded = false;
let isLoading = false;

/** Creates the connection slice. */
export const createConnectionSlice: SliceCreator<ConnectionSlice> = (set, get, store) => ({
  connection: 'connecting',
  disconnectedAt: null,
  offlineReason: null,
  appInfo: null,
  isStarted: false,
  start() {
    const connection = getConnection();
    let libraryTimer: ReturnType<typeof setTimeout> | null = null;

    async function loadFirstScreen() {
      if (isLoading || hasLoaded) return;
      isLoading = true;
      const state = get();
      try {
        const info = await connection.client.call('app:info', {});
        set({ appInfo: info });
        state.setProblems(info.problems);
      } catch (error) {
        state.reportError(error, 'Could not reach the workbench host');
        return;
      } finally {
        isLoading = false;
      }
      hasLoaded = true;
      await Promise.all([state.loadSettings(), state.loadLibrary(), state.loadProviders(), state.loadReleaseOverview()]);
      if (get().currentPrompt) return;
      const prompts = get().prompts;
      const last = lastOpenedPromptId();
      const first = prompts.find((prompt) => prompt.id === last) ?? prompts[0];
      if (first) await get().openPrompt(first.id);
    }

    const stopState = connection.onStateChange((state) => {
      const previous = get().connection;
      const disconnectedAt = state === 'connected' ? null : previous === 'connected' ? performance.now() : get().disconnectedAt;
      set({ connection: state, disconnectedAt, ...(state === 'connected' && { offlineReason: null }) });
      // The browser host may have been started again under another token: then only its new address helps, so say so.
      if (state === 'offline' && get().appInfo?.host === 'web') {
        void probeHost().then((reason) => {
          if (get().connection !== 'connected') set({ offlineReason: reason });
        });
      }
      if (state !== 'connected' || previous === 'connected') return;
      if (!hasLoaded) {
        void loadFirstScreen();
      } else {
        // Back after a drop: send what could not be saved, then catch up with changes.
        void get().retryUnsavedDrafts();
        void get().loadLibrary();
        void get().refreshCurrentPrompt();
        // Events sent while we were away are lost: runs that ended meanwhile are fetched.
        void get().reconcileRuns();
        void get().reconcileEvals();
        // Prices after the providers: a provider removed meanwhile has none to load.
        void get()
          .loadProviders()
          .then(() => get().refreshPrices());
        void get().loadSettings();
      }
    });
    const stopEvents = connection.client.on('library:changed', ({ promptId }) => {
      if (libraryTimer !== null) clearTimeout(libraryTimer);
      libraryTimer = setTimeout(() => {
        void get().loadLibrary();
        // Approvals and releases change library rows too.
        void get().loadReleaseOverview();
      }, 150);
      if (promptId !== null && promptId === get().currentPrompt?.id) {
        void get().refreshCurrentPrompt();
        void get().loadVersionStates(promptId);
      }
    });

    // Another window's autosave, restore or new version: shown here unless this window has edits of its own.
    const stopDraftEvents = connection.client.on('draft:changed', (draft) => get().applyDraftFromElsewhere(draft));
    const stopSettingsEvents = connection.client.on('settings:changed', (settings) => get().applySettings(settings));
    const stopProviderEvents = connection.client.on('providers:changed', (providers) => get().applyProviders(providers));
    const stopPriceEvents = connection.client.on('pricing:changed', (change) => get().applyPriceChange(change));
    const stopRunEvents = listenToRunEvents(connection.client, store);
    const stopEvalEvents = listenToEvalEvents(connection.client, store);

    set({ connection: connection.getState(), isStarted: true });
    // Calls made before the socket opens wait for it, so the first screen can load at once.
    void loadFirstScreen();
    return () => {
      stopState();
      stopEvents();
      stopDraftEvents();
      stopSettingsEvents();
      stopProviderEvents();
      stopPriceEvents();
      stopRunEvents();
      stopEvalEvents();
    };
  },
});
