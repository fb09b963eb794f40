/**
 * Run history: filters and full-text search, keyset pages for the virtualized list, the run
 * opened read-only, and two runs' outputs compared.
 */

import type { RunExportFormat, RunRecord, RunSearchHit, RunStatus, RunSummary, VersionRef } from '../../../shared/types';
import { MAX_PAGE_SIZE, type CallInput } from '../../../shared/contract';
import { searchedText, unanswerableSearch } from '../../../shared/search-query';
import { bridge } from '../../bridge/connection';
import { downloadText } from '../../lib/download';
import { countOf, formatNumber } from '../../lib/format';
import type { SliceCreator } from '../../store/app-state';

/** The filters of the history list; empty values filter nothing. */
export interface HistoryFilters {
  promptId: number | null;
  version: VersionRef | null;
  model: string;
  /** True: `model` is a whole model id (picked from the suggestions), matched exactly; false: any id containing it. */
  isModelExact: boolean;
  status: RunStatus | null;
  /** Local dates (yyyy-mm-dd), both ends included. */
  from: string;
  to: string;
  /** Words to find in outputs and prompts. */
  query: string;
}

/** A row of the list: a run, with a snippet when it came from a search. */
export type HistoryItem = RunSummary & { snippet?: string };

/** What the right side of the history shows. */
export type HistoryDetail =
  | { kind: 'none' }
  | { kind: 'run'; run: RunRecord }
  | { kind: 'compare'; original: RunRecord; modified: RunRecord };

/** The history slice. */
export interface HistorySlice {
  historyFilters: HistoryFilters;
  historyItems: HistoryItem[];
  /** Every model history has runs of: the model filter's suggestions. */
  historyModels: string[];
  historyCursor: string | null;
  /** How many runs the filters and search find in all, loaded or not; null while it is being counted. */
  historyTotal: number | null;
  /** Bumped each time the list starts afresh (new filters or search): the list goes back to its top. */
  historyListStart: number;
  isHistoryLoading: boolean;
  historyError: string | null;
  /** True once the first page for the current filters has arrived. */
  isHistoryLoaded: boolean;
  selectedRunId: number | null;
  historyDetail: HistoryDetail;
  /** Runs ticked for comparison, at most two, oldest tick first. */
  historyCompare: number[];
  setHistoryFilters(patch: Partial<HistoryFilters>): void;
  clearHistoryFilters(): void;
  loadHistory(): Promise<void>;
  loadMoreHistory(): Promise<void>;
  /** Fetches the newest page again and merges it in, keeping what is loaded below it. */
  refreshHistoryHead(): Promise<void>;
  selectRun(id: number | null): Promise<void>;
  /**
   * A run another view asked History to give the keyboard to, once it shows it (its row, or the
   * open run when the filters leave it out of the list); null when none.
   */
  historyFocusRunId: number | null;
  /** Opens History on a run (from a run column, an eval cell), the keyboard going to it. */
  openRunInHistory(id: number): Promise<void>;
  clearHistoryFocus(): void;
  /** Replaces the open run when a newer copy of it arrives (it ended). */
  updateOpenRun(record: RunRecord): void;
  toggleHistoryCompare(id: number): void;
  compareRuns(): Promise<void>;
  closeRunCompare(): void;
  rerunOpenRun(bypassCache: boolean): Promise<void>;
  /** An export under way: its format and how many runs it has so far; null when none. */
  historyExport: { format: RunExportFormat; count: number } | null;
  /** Saves every run the filters and search find as one file, page by page. */
  exportHistory(format: RunExportFormat): Promise<void>;
  /** Stops the export under way; nothing is saved. */
  cancelHistoryExport(): void;
}

/** Rows per page. */
export const HISTORY_PAGE_SIZE = 100;
const TYPING_DELAY_MS = 200;

/** The filters that show everything. */
export const NO_HISTORY_FILTERS: HistoryFilters = { promptId: null, version: null, model: '', isModelExact: false, status: null, from: '', to: '', query: '' };

let filterTimer: ReturnType<typeof setTimeout> | null = null;
let loadSequence = 0;
/** Bumped by each count asked for, so that only the latest one's answer is shown. */
let countSequence = 0;
/** Bumped to stop the export under way. */
let exportSequence = 0;

function localMidnight(date: string, dayOffset = 0): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + dayOffset).toISOString();
}

/** The `runs:list` filters of the history filters (the search words aside). */
export function listFilters(filters: HistoryFilters): CallInput<'runs:list'> {
  const model = filters.model.trim();
  const from = localMidnight(filters.from);
  // The "to" day is included: runs before the next local midnight.
  const to = localMidnight(filters.to, 1);
  return {
    ...(filters.promptId === null ? {} : { promptId: filters.promptId }),
    ...(filters.version === null ? {} : { version: filters.version }),
    ...(model === '' ? {} : { model, ...(filters.isModelExact && { isModelExact: true }) }),
    ...(filters.status === null ? {} : { status: filters.status }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  };
}

/** Creates the history slice. */
export const createHistorySlice: SliceCreator<HistorySlice> = (set, get) => {
  async function fetchPage(cursor?: string, limit = HISTORY_PAGE_SIZE) {
    const { historyFilters } = get();
    const filters = { ...listFilters(historyFilters), limit, ...(cursor === undefined ? {} : { cursor }) };
    const query = searchedText(historyFilters.query);
    if (query === '') return bridge().call('runs:list', filters);
    // Only exclusions, or nothing the index holds: the view says why, with nothing to ask the engine.
    if (unanswerableSearch(query) !== null) return { items: [], nextCursor: null };
    const page = await bridge().call('runs:search', { ...filters, query });
    return { items: page.items as RunSearchHit[], nextCursor: page.nextCursor };
  }

  /**
   * Lets go of the selected run, and closes it, when the list the filters now give (`page` is its
   * first page) does not have it: a detail stays open only for a run the list can show.
   */
  async function letGoOfHiddenRun(page: { items: HistoryItem[]; nextCursor: string | null }, sequence: number): Promise<void> {
    const id = get().selectedRunId;
    if (id === null || page.items.some((item) => item.id === id)) return;
    const oldest = page.items.at(-1)?.id;
    // Older than the first page: the page that starts at the run says whether the list has it further down.
    const isFurtherDown =
      page.nextCursor !== null &&
      oldest !== undefined &&
      id < oldest &&
      // Not knowing, the run stays open.
      (await fetchPage(String(id + 1), 1).then((next) => next.items[0]?.id === id, () => true));
    if (isFurtherDown || sequence !== loadSequence || get().selectedRunId !== id) return;
    const detail = get().historyDetail;
    set({ selectedRunId: null, ...(detail.kind === 'run' && detail.run.id === id && { historyDetail: { kind: 'none' } }) });
  }

  /**
   * Counts what the filters find, in calls of their own after the first page (the list does not
   * wait for them; the engine counts a slice at a time, free for pages between); the count is
   * dropped, and no more slices asked for, once the filters or the runs changed. A first page that
   * is the whole list counts itself.
   */
  function countHistory(page: { items: HistoryItem[]; nextCursor: string | null }, sequence: number): void {
    const counting = ++countSequence;
    if (page.nextCursor === null) {
      set({ historyTotal: page.items.length });
      return;
    }
    set({ historyTotal: null });
    const { historyFilters } = get();
    const query = searchedText(historyFilters.query);
    const input = { ...listFilters(historyFilters), ...(query === '' ? {} : { query }) };
    const isCurrent = () => sequence === loadSequence && counting === countSequence;
    void (async () => {
      let count = 0;
      let cursor: string | null | undefined;
      do {
        const slice = await bridge().call('runs:count', { ...input, ...(cursor == null ? {} : { cursor }) });
        if (!isCurrent()) return;
        count += slice.count;
        cursor = slice.nextCursor;
      } while (cursor !== null);
      set({ historyTotal: count });
    })()
      // Not counted, the header says what is loaded ("100 runs+"), as it does while counting.
      .catch(() => undefined);
  }

  async function fetchRun(id: number): Promise<RunRecord> {
    return bridge().call('runs:get', { id });
  }

  /** Fetches the model suggestions again; they stay as they were if that fails (the list says what went wrong). */
  function loadModels(): void {
    bridge()
      .call('runs:models', {})
      .then((models) => {
        if (models.join('\n') !== get().historyModels.join('\n')) set({ historyModels: models });
      })
      .catch(() => undefined);
  }

  return {
    historyFilters: NO_HISTORY_FILTERS,
    historyItems: [],
    historyModels: [],
    historyCursor: null,
    historyTotal: null,
    historyListStart: 0,
    isHistoryLoading: false,
    historyError: null,
    isHistoryLoaded: false,
    selectedRunId: null,
    historyDetail: { kind: 'none' },
    historyCompare: [],
    historyExport: null,
    historyFocusRunId: null,

    setHistoryFilters(patch) {
      const next = { ...get().historyFilters, ...patch };
      // A version belongs to a prompt: another prompt drops it.
      if (patch.promptId !== undefined && patch.promptId !== get().historyFilters.promptId && patch.version === undefined) next.version = null;
      set({ historyFilters: next });
      const isTyping = patch.query !== undefined || patch.model !== undefined;
      if (filterTimer !== null) clearTimeout(filterTimer);
      filterTimer = setTimeout(
        () => {
          filterTimer = null;
          void get().loadHistory();
        },
        isTyping ? TYPING_DELAY_MS : 0,
      );
    },
    clearHistoryFilters() {
      get().setHistoryFilters(NO_HISTORY_FILTERS);
    },
    async loadHistory() {
      const sequence = ++loadSequence;
      set({ isHistoryLoading: true, historyError: null });
      loadModels();
      try {
        const page = await fetchPage();
        if (sequence !== loadSequence) return;
        set({ historyItems: page.items, historyCursor: page.nextCursor, isHistoryLoaded: true, historyListStart: get().historyListStart + 1 });
        countHistory(page, sequence);
        // Within the load, so the list says "loading…" until it is known.
        await letGoOfHiddenRun(page, sequence);
      } catch (error) {
        if (sequence !== loadSequence) return;
        set({ historyItems: [], historyCursor: null, historyTotal: null, isHistoryLoaded: true, historyError: error instanceof Error ? error.message : String(error) });
      } finally {
        if (sequence === loadSequence) set({ isHistoryLoading: false });
      }
    },
    async loadMoreHistory() {
      const { historyCursor, isHistoryLoading } = get();
      if (historyCursor === null || isHistoryLoading) return;
      const sequence = loadSequence;
      set({ isHistoryLoading: true });
      try {
        const page = await fetchPage(historyCursor);
        if (sequence !== loadSequence) return;
        const seen = new Set(get().historyItems.map((item) => item.id));
        const items = [...get().historyItems, ...page.items.filter((item) => !seen.has(item.id))];
        // Every page loaded, the list is the count (should counting have failed, or runs come or gone since).
        set({ historyItems: items, historyCursor: page.nextCursor, ...(page.nextCursor === null && { historyTotal: items.length }) });
      } catch (error) {
        if (sequence === loadSequence) get().reportError(error, 'Could not load more history');
      } finally {
        if (sequence === loadSequence) set({ isHistoryLoading: false });
      }
    },
    async refreshHistoryHead() {
      if (!get().isHistoryLoaded) return get().loadHistory();
      const sequence = loadSequence;
      loadModels();
      try {
        const page = await fetchPage();
        if (sequence !== loadSequence) return;
        const oldest = page.items.at(-1)?.id;
        const newestLoaded = get().historyItems[0]?.id;
        // The rows loaded below the new first page are kept only when it reaches down to them: more new
        // runs than a page would leave a gap between (runs missing from the list and its count). A first
        // page that is the whole history leaves no older rows to keep (runs another process deleted, say).
        const reachesLoaded = oldest !== undefined && newestLoaded !== undefined && oldest <= newestLoaded;
        const rest = !reachesLoaded || page.nextCursor === null ? [] : get().historyItems.filter((item) => item.id < oldest);
        const isTailKept = rest.length > 0;
        set({ historyItems: [...page.items, ...rest], historyCursor: isTailKept ? get().historyCursor : page.nextCursor, historyError: null });
        // Runs came or went: counted again (every page loaded: the list is the count).
        countHistory({ items: get().historyItems, nextCursor: get().historyCursor }, sequence);
      } catch {
        // The list stays as it was; the next change tries again.
      }
    },
    async selectRun(id) {
      set({ selectedRunId: id });
      if (id === null) {
        set({ historyDetail: { kind: 'none' } });
        return;
      }
      try {
        const run = await fetchRun(id);
        if (get().selectedRunId === id) set({ historyDetail: { kind: 'run', run } });
      } catch (error) {
        get().reportError(error, `Could not open run ${id}`);
      }
    },
    async openRunInHistory(id) {
      get().setWorkspace('history');
      // The list is brought up to date too, so that a run that just ended has its row to take the keyboard.
      await Promise.all([get().selectRun(id), get().refreshHistoryHead()]);
      // Asked once the run is open, so that its heading is there to take the keyboard if its row is not.
      if (get().selectedRunId === id) set({ historyFocusRunId: id });
    },
    clearHistoryFocus() {
      if (get().historyFocusRunId !== null) set({ historyFocusRunId: null });
    },
    updateOpenRun(record) {
      const detail = get().historyDetail;
      if (detail.kind === 'run' && detail.run.id === record.id) set({ historyDetail: { kind: 'run', run: record } });
      const items = get().historyItems;
      const index = items.findIndex((item) => item.id === record.id);
      if (index !== -1) {
        const next = [...items];
        next[index] = { ...record, outputPreview: record.output.slice(0, 200), snippet: items[index].snippet };
        set({ historyItems: next });
      }
    },
    toggleHistoryCompare(id) {
      const selection = get().historyCompare;
      if (selection.includes(id)) {
        set({ historyCompare: selection.filter((item) => item !== id) });
        return;
      }
      const [dropped, ...kept] = [...selection, id].length > 2 ? [...selection, id] : [undefined, ...selection, id];
      set({ historyCompare: kept });
      // A comparison takes two runs: ticking a third lets go of the first, and says so.
      if (dropped !== undefined) get().showToast('info', `Compare takes two runs: unticked run ${dropped}, kept ${kept[0]} and ${kept[1]}`);
    },
    async compareRuns() {
      const [first, second] = get().historyCompare;
      if (first === undefined || second === undefined) return;
      const [older, newer] = first < second ? [first, second] : [second, first];
      try {
        const [original, modified] = await Promise.all([fetchRun(older), fetchRun(newer)]);
        set({ historyDetail: { kind: 'compare', original, modified } });
      } catch (error) {
        get().reportError(error, 'Could not compare the runs');
      }
    },
    closeRunCompare() {
      const id = get().selectedRunId;
      set({ historyDetail: { kind: 'none' } });
      if (id !== null) void get().selectRun(id);
    },
    async exportHistory(format) {
      if (get().historyExport !== null) return;
      const sequence = ++exportSequence;
      const { historyFilters } = get();
      const query = searchedText(historyFilters.query);
      const input = { ...listFilters(historyFilters), format, limit: MAX_PAGE_SIZE, ...(query === '' ? {} : { query }) };
      const parts: string[] = [];
      let count = 0;
      let cursor: string | undefined;
      let fileName: string;
      set({ historyExport: { format, count } });
      try {
        do {
          const page = await bridge().call('runs:export', { ...input, ...(cursor === undefined ? {} : { cursor }) });
          if (sequence !== exportSequence) return;
          parts.push(page.text);
          count += page.count;
          fileName = page.fileName;
          cursor = page.nextCursor ?? undefined;
          set({ historyExport: { format, count } });
        } while (cursor !== undefined);
        if (count === 0) {
          get().showToast('info', 'No run matches the filters: there is nothing to export.');
          return;
        }
        downloadText(fileName, parts, format === 'csv' ? 'text/csv;charset=utf-8' : 'application/x-ndjson;charset=utf-8');
        get().showToast('info', `Exported ${countOf(count, 'run')} to ${fileName}`);
      } catch (error) {
        if (sequence === exportSequence) get().reportError(error, `Could not export history (${formatNumber(count)} runs read so far; nothing was saved)`);
      } finally {
        if (sequence === exportSequence) set({ historyExport: null });
      }
    },
    cancelHistoryExport() {
      exportSequence += 1;
      set({ historyExport: null });
    },
    async rerunOpenRun(bypassCache) {
      const detail = get().historyDetail;
      if (detail.kind !== 'run') return;
      const runId = await get().rerun(detail.run.id, bypassCache);
      if (runId === null) return;
      await get().refreshHistoryHead();
      await get().selectRun(runId);
    },
  };
};
