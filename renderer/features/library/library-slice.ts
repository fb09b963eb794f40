/**
 * The prompt library: the list, its search and archive filter, and the actions on a prompt.
 */

import type { PromptDetail, PromptSummary } from '../../../shared/types';
import { callErrorText } from '../../bridge/client';
import { bridge } from '../../bridge/connection';
import type { SliceCreator } from '../../store/app-state';

/**
 * How a create or rename ended; when it failed (a name another prompt has, the host out of
 * reach...), what to say under the name field, which keeps what was typed.
 */
export type NameOutcome = { ok: true } | { ok: false; message: string };

/** Where the library puts the keyboard once the list shows what an action changed. */
export type LibraryFocus = { kind: 'row'; promptId: number } | { kind: 'search' };

/** The library slice. */
export interface LibrarySlice {
  /** The library's rows: what its search and "Show archived" find. */
  prompts: PromptSummary[];
  /**
   * Every prompt, archived ones included, whatever the library shows: what History's Prompt
   * filter and the Evals view pick from, so the runs and evals of an archived prompt stay in reach.
   */
  allPrompts: PromptSummary[];
  libraryQuery: string;
  isShowingArchived: boolean;
  isLibraryLoaded: boolean;
  /** The prompt whose name is being edited in the sidebar. */
  renamingPromptId: number | null;
  /**
   * Where the keyboard goes next (the sidebar takes it and clears it): the row after one just
   * archived, a row back from the archive, a copy. Without it, focus would fall to the page
   * with the button that had it.
   */
  libraryFocus: LibraryFocus | null;
  /** Gives the keyboard to a row or the search box once the sidebar shows (a shortcut from another view). */
  requestLibraryFocus(focus: LibraryFocus): void;
  clearLibraryFocus(): void;
  loadLibrary(): Promise<void>;
  setLibraryQuery(query: string): void;
  setShowingArchived(isShowing: boolean): void;
  /** Creates and opens a prompt. */
  createPrompt(name: string): Promise<NameOutcome>;
  startRenaming(id: number | null): void;
  /** Renames a prompt; the row's name field closes once it is renamed. */
  renamePrompt(id: number, name: string): Promise<NameOutcome>;
  duplicatePrompt(id: number): Promise<void>;
  setArchived(id: number, isArchived: boolean): Promise<void>;
  /** Replaces one row after the engine returned it. */
  upsertPromptSummary(summary: PromptSummary): void;
}

let queryTimer: ReturnType<typeof setTimeout> | null = null;
let loadSequence = 0;

/** Creates the library slice. */
export const createLibrarySlice: SliceCreator<LibrarySlice> = (set, get) => ({
  prompts: [],
  allPrompts: [],
  libraryQuery: '',
  isShowingArchived: false,
  isLibraryLoaded: false,
  renamingPromptId: null,
  libraryFocus: null,
  requestLibraryFocus(focus) {
    set({ libraryFocus: focus });
  },
  clearLibraryFocus() {
    if (get().libraryFocus !== null) set({ libraryFocus: null });
  },
  async loadLibrary() {
    const sequence = ++loadSequence;
    const { libraryQuery, isShowingArchived } = get();
    try {
      const query = libraryQuery.trim();
      // Without a search the library's rows are a part of every prompt, in the same order: one call.
      const [allPrompts, found] = await Promise.all([
        bridge().call('prompts:list', { includeArchived: true }),
        query === '' ? null : bridge().call('prompts:list', { query, includeArchived: isShowingArchived }),
      ]);
      const prompts = found ?? allPrompts.filter((prompt) => isShowingArchived || !prompt.isArchived);
      // An older answer arriving after a newer query must not win.
      if (sequence === loadSequence) set({ prompts, allPrompts, isLibraryLoaded: true });
    } catch (error) {
      if (sequence === loadSequence) get().reportError(error, 'Could not load the library');
    }
  },
  setLibraryQuery(query) {
    set({ libraryQuery: query });
    if (queryTimer !== null) clearTimeout(queryTimer);
    queryTimer = setTimeout(() => void get().loadLibrary(), 120);
  },
  setShowingArchived(isShowing) {
    set({ isShowingArchived: isShowing });
    void get().loadLibrary();
  },
  async createPrompt(name) {
    let detail: PromptDetail;
    try {
      detail = await bridge().call('prompts:create', { name });
    } catch (error) {
      return { ok: false, message: callErrorText(error) };
    }
    get().upsertPromptSummary(detail.prompt);
    await get().openPrompt(detail.prompt.id, { detail, focus: 'editor' });
    void get().loadLibrary();
    return { ok: true };
  },
  startRenaming(id) {
    set({ renamingPromptId: id });
  },
  async renamePrompt(id, name) {
    const current = get().prompts.find((prompt) => prompt.id === id);
    if (current && current.name === name.trim()) {
      set({ renamingPromptId: null });
      return { ok: true };
    }
    try {
      const summary = await bridge().call('prompts:rename', { id, name });
      if (get().renamingPromptId === id) set({ renamingPromptId: null });
      get().upsertPromptSummary(summary);
      return { ok: true };
    } catch (error) {
      return { ok: false, message: callErrorText(error) };
    }
  },
  async duplicatePrompt(id) {
    try {
      const detail = await bridge().call('prompts:duplicate', { id });
      get().upsertPromptSummary(detail.prompt);
      set({ libraryFocus: { kind: 'row', promptId: detail.prompt.id } });
      await get().openPrompt(detail.prompt.id, { detail, focus: 'library' });
      void get().loadLibrary();
    } catch (error) {
      get().reportError(error, 'Could not duplicate the prompt');
    }
  },
  async setArchived(id, isArchived) {
    try {
      const summary = await bridge().call('prompts:archive', { id, isArchived });
      const index = get().prompts.findIndex((prompt) => prompt.id === id);
      get().upsertPromptSummary(summary);
      // The row stays (archived ones are shown, or it came back): it keeps the keyboard. Gone: the
      // row that took its place has it, else the one above, else the search box.
      const rows = get().prompts;
      const next = rows.find((prompt) => prompt.id === id) ?? rows[Math.max(index, 0)] ?? rows.at(-1);
      set({ libraryFocus: next === undefined ? { kind: 'search' } : { kind: 'row', promptId: next.id } });
      get().showToast('info', isArchived ? `Archived “${summary.name}”` : `Restored “${summary.name}” from the archive`, {
        label: 'Undo',
        run: () => void get().setArchived(id, !isArchived),
      });
      void get().loadLibrary();
    } catch (error) {
      get().reportError(error, isArchived ? 'Could not archive the prompt' : 'Could not unarchive the prompt');
    }
  },
  upsertPromptSummary(summary) {
    const prompts = get().prompts;
    const index = prompts.findIndex((prompt) => prompt.id === summary.id);
    const next = index === -1 ? [summary, ...prompts] : prompts.map((prompt) => (prompt.id === summary.id ? summary : prompt));
    const visible = next.filter((prompt) => get().isShowingArchived || !prompt.isArchived);
    const all = get().allPrompts;
    const allNext = all.some((prompt) => prompt.id === summary.id) ? all.map((prompt) => (prompt.id === summary.id ? summary : prompt)) : [summary, ...all];
    set({ prompts: visible, allPrompts: allNext });
    if (get().currentPrompt?.id === summary.id) set({ currentPrompt: summary });
  },
});
