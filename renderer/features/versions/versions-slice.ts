/**
 * Looking at saved versions: one opened read-only, or two compared in a diff.
 */

import type { PromptVersion } from '../../../shared/types';
import { bridge } from '../../bridge/connection';
import type { SliceCreator } from '../../store/app-state';
import { NO_VERSION_WHILE_CONFLICT } from '../editor/draft-slice';
import { notConnectedText } from '../status/not-connected';

/** What the centre of the window shows. */
export type CentreView =
  | { kind: 'draft' }
  | { kind: 'version'; version: PromptVersion }
  | { kind: 'compare'; original: PromptVersion; modified: PromptVersion };

/** The versions slice. */
export interface VersionsSlice {
  centreView: CentreView;
  /** Version numbers ticked for comparison, at most two, oldest tick first. */
  compareSelection: number[];
  isVersionLoading: boolean;
  isSaveDialogOpen: boolean;
  /**
   * Asks for a note to save the draft as a new version; says at once, in a toast, when the
   * draft has no changes since the latest version, waits for the user to choose which draft to
   * keep (changed in another window), or the engine is out of reach, without opening the dialog.
   */
  openSaveDialog(): Promise<void>;
  closeSaveDialog(): void;
  openVersion(number: number): Promise<void>;
  toggleCompareSelection(number: number): void;
  resetCompareSelection(): void;
  compareVersions(first: number, second: number): Promise<void>;
  closeVersionView(): void;
}

// Versions are immutable, so a fetched one never goes stale.
const versionCache = new Map<string, PromptVersion>();

/** Creates the versions slice. */
export const createVersionsSlice: SliceCreator<VersionsSlice> = (set, get) => {
  async function fetchVersion(promptId: number, number: number): Promise<PromptVersion> {
    const key = `${promptId}:${number}`;
    const cached = versionCache.get(key);
    if (cached) return cached;
    const version = await bridge().call('versions:get', { promptId, number });
    versionCache.set(key, version);
    return version;
  }

  return {
    centreView: { kind: 'draft' },
    compareSelection: [],
    isVersionLoading: false,
    isSaveDialogOpen: false,
    async openSaveDialog() {
      const prompt = get().currentPrompt;
      if (!prompt || get().isSaveDialogOpen) return;
      const notConnected = notConnectedText(get());
      if (notConnected !== null) {
        get().showToast('error', notConnected);
        return;
      }
      // Whether the draft differs from the latest version is the engine's answer to its last autosave.
      await get().saveDraftNow();
      const state = get();
      if (state.currentPrompt?.id !== prompt.id || state.isSaveDialogOpen) return;
      // Waiting for the user to choose which draft to keep: said at once, not after a note is typed.
      if (state.saveState === 'conflict') {
        state.showToast('error', NO_VERSION_WHILE_CONFLICT);
        return;
      }
      const latest = state.versions[0]?.number;
      if (latest !== undefined && state.saveState === 'saved' && !state.isDraftDirty) {
        state.showToast('info', `No changes since v${latest} — nothing to save`);
        return;
      }
      set({ isSaveDialogOpen: true });
    },
    closeSaveDialog() {
      set({ isSaveDialogOpen: false });
    },
    async openVersion(number) {
      const prompt = get().currentPrompt;
      if (!prompt) return;
      set({ isVersionLoading: true });
      try {
        const version = await fetchVersion(prompt.id, number);
        if (get().currentPrompt?.id === prompt.id) set({ centreView: { kind: 'version', version } });
      } catch (error) {
        get().reportError(error, `Could not open v${number}`);
      } finally {
        set({ isVersionLoading: false });
      }
    },
    toggleCompareSelection(number) {
      const selection = get().compareSelection;
      const next = selection.includes(number) ? selection.filter((item) => item !== number) : [...selection, number].slice(-2);
      set({ compareSelection: next });
    },
    resetCompareSelection() {
      set({ compareSelection: [] });
    },
    async compareVersions(first, second) {
      const prompt = get().currentPrompt;
      if (!prompt) return;
      const [older, newer] = first < second ? [first, second] : [second, first];
      set({ isVersionLoading: true });
      try {
        const [original, modified] = await Promise.all([fetchVersion(prompt.id, older), fetchVersion(prompt.id, newer)]);
        if (get().currentPrompt?.id === prompt.id) set({ centreView: { kind: 'compare', original, modified } });
      } catch (error) {
        get().reportError(error, `Could not compare v${older} and v${newer}`);
      } finally {
        set({ isVersionLoading: false });
      }
    },
    closeVersionView() {
      if (get().centreView.kind !== 'draft') set({ centreView: { kind: 'draft' } });
    },
  };
};
