/**
 * Evals of the open prompt: its test cases as the table edits them, import and export, the
 * eval run form, the evals run so far, the one open with its grid, the opened cell and the
 * trend across versions.
 *
 * The grid's cells live in a map outside the store (an eval may have 100,000 of them): progress
 * events write into it and bump `evalCellsRevision`, so only what shows them re-renders.
 */

import { MAX_EVAL_CELLS, MAX_EVAL_CONCURRENCY, MAX_RUN_VERSIONS } from '../../../shared/contract';
import type {
  Assertion,
  EvalCell,
  EvalCellDetail,
  EvalDetail,
  EvalProgress,
  EvalSummary,
  EvalTrendPoint,
  ImportProblem,
  TestCaseFormat,
  TestSuite,
} from '../../../shared/eval-types';
import type { RunTarget, VersionRef } from '../../../shared/types';
import { hasErrorCode } from '../../bridge/client';
import { bridge } from '../../bridge/connection';
import { downloadText } from '../../lib/download';
import { countOf } from '../../lib/format';
import type { AppState, SliceCreator } from '../../store/app-state';
import { caseInputOfRow, duplicateRow, emptyRow, newRowKey, rowsOfSuite, validateSuite, type CaseRow, type RowProblem } from './case-rows';
import { clearSuiteJournal, readSuiteJournal, writeSuiteJournal } from './suite-journal';
import { notConnectedText } from '../status/not-connected';

/** The two faces of the evals workspace. */
export type EvalsTab = 'cases' | 'results';

/** What the case panel edits: the suite's default assertions or one row. */
export type CaseFocus = { kind: 'defaults' } | { kind: 'case'; key: string };

/** A prompt's test cases as being edited. */
export interface SuiteEdit {
  promptId: number;
  rows: CaseRow[];
  defaultAssertions: Assertion[];
  /** True when the table differs from what is stored. */
  isDirty: boolean;
  updatedAt: string | null;
}

/** What the last import did, for its report. */
export interface ImportReport {
  fileName: string | null;
  format: TestCaseFormat;
  mode: 'append' | 'replace';
  imported: number;
  /** The file's default checks now applied to every case (added to the suite's, or replacing them). */
  defaultChecks: number;
  problems: ImportProblem[];
}

/** The baseline choice: the engine's default (the latest approved version, if any), none, or a version. */
export type BaselineChoice = 'approved' | 'none' | number;

/** The eval run form. */
export interface EvalForm {
  versions: VersionRef[];
  /** Requests in flight at once; null while the field holds no valid number. */
  concurrency: number | null;
  baseline: BaselineChoice;
  isCacheBypassed: boolean;
}

/** The opened cell of the grid. */
export interface OpenCell {
  caseId: number;
  columnKey: string;
  detail: EvalCellDetail | null;
  /** The same case on the baseline version's column of the same model, when this column is compared with one. */
  baseline: { columnKey: string; detail: EvalCellDetail | null } | null;
  error: string | null;
}

/** The key of the column `columnKey` is compared with: the baseline version's on the same model; null for none (or the baseline itself). */
export function baselineColumnOf(detail: Pick<EvalDetail, 'baselineVersion' | 'columns'>, columnKey: string): string | null {
  const column = detail.columns.find((candidate) => candidate.key === columnKey);
  if (column === undefined || detail.baselineVersion === null || column.version === detail.baselineVersion) return null;
  const baseline = detail.columns.find(
    (candidate) => candidate.version === detail.baselineVersion && candidate.target.providerId === column.target.providerId && candidate.target.model === column.target.model,
  );
  return baseline?.key ?? null;
}

/** The evals slice. */
export interface EvalsSlice {
  evalsTab: EvalsTab;
  /** The prompt whose suite, evals and trend are loaded. */
  evalsPromptId: number | null;
  suiteEdit: SuiteEdit | null;
  isSuiteLoading: boolean;
  /** Why the suite could not be loaded. */
  suiteLoadError: string | null;
  /** Why the last save was refused, by row and field. */
  suiteProblems: RowProblem[];
  /** The engine's refusal of the last save, when it was not a row problem. */
  suiteSaveError: string | null;
  isSuiteSaving: boolean;
  caseFocus: CaseFocus | null;
  importReport: ImportReport | null;
  isImporting: boolean;
  evalList: EvalSummary[];
  /** The eval shown in the results, with its columns, cases and summaries (cells are in the map). */
  openEval: EvalDetail | null;
  isEvalLoading: boolean;
  /** Bumped whenever a cell of the open eval changes. */
  evalCellsRevision: number;
  openCell: OpenCell | null;
  evalTrend: EvalTrendPoint[];
  evalForm: EvalForm;
  /** Why the last Start was refused, until the next try. */
  evalRefusal: string | null;
  isStartingEval: boolean;
  setEvalsTab(tab: EvalsTab): void;
  /** Loads the open prompt's suite, evals and trend (when not loaded already). */
  loadEvals(): Promise<void>;
  updateRow(key: string, patch: Partial<Omit<CaseRow, 'key' | 'id'>>): void;
  setRowVariable(key: string, name: string, value: string): void;
  /** Adds an empty row after `afterKey` (at the end without one); returns its key. */
  addRow(afterKey?: string): string | null;
  duplicateRow(key: string): string | null;
  deleteRow(key: string): void;
  setCaseFocus(focus: CaseFocus | null): void;
  setAssertions(focus: CaseFocus, assertions: Assertion[]): void;
  /** Saves the table; resolves to true when saved (or nothing to save). */
  saveSuite(): Promise<boolean>;
  discardSuiteEdits(): Promise<void>;
  /** Imports cases into the stored suite; resolves to why it failed, or null when it ran (its report is `importReport`). */
  /** Imports a file's cases; `judge` grades the checks it leaves to a model grader. Resolves to an error to show, or null. */
  importCases(input: { format: TestCaseFormat; text: string; mode: 'append' | 'replace'; fileName: string | null; judge: RunTarget | null }): Promise<string | null>;
  dismissImportReport(): void;
  exportCases(format: TestCaseFormat): Promise<void>;
  toggleEvalVersion(version: VersionRef): void;
  setEvalConcurrency(concurrency: number | null): void;
  setEvalBaseline(baseline: BaselineChoice): void;
  setEvalCacheBypassed(isBypassed: boolean): void;
  dismissEvalRefusal(): void;
  /** Runs the chosen versions x models x every case. */
  startEval(): Promise<void>;
  cancelEval(evalId: number): Promise<void>;
  /** Runs what an eval has not finished; with `isRetryingErrors`, its errors again too. */
  resumeEval(evalId: number, isRetryingErrors: boolean): Promise<void>;
  openEvalById(evalId: number): Promise<void>;
  openEvalCell(caseId: number, columnKey: string): Promise<void>;
  closeEvalCell(): void;
  applyEvalProgress(progress: EvalProgress): void;
  finishEval(summary: EvalSummary): void;
  /** After a reconnect: the open eval and the list again, in case events were missed. */
  reconcileEvals(): Promise<void>;
}

/** The eval concurrency a new form starts with. */
export const DEFAULT_EVAL_CONCURRENCY = 4;
/** Detail refreshes while an eval runs are skipped above this many cells (progress events carry the rest). */
const LIVE_REFRESH_MAX_CELLS = 20_000;
const LIVE_REFRESH_MS = 1500;

const cells = new Map<string, EvalCell>();
/** Progress that arrived for the open eval before its detail did. */
const earlyCells = new Map<string, EvalCell>();
/** Unsaved tables of prompts the user switched away from, so nothing typed is lost. */
const unsavedSuites = new Map<number, SuiteEdit>();
let loadingEvalId: number | null = null;
let liveRefreshTimer: ReturnType<typeof setTimeout> | null = null;
let loadSequence = 0;
/** Each read of an eval's detail; an answer to an older read than the latest is not shown. */
let detailSequence = 0;

function cellKey(caseId: number, columnKey: string): string {
  return `${caseId}\u0000${columnKey}`;
}

/** A cell of the open eval, as last reported. */
export function evalCellOf(caseId: number, columnKey: string): EvalCell | undefined {
  return cells.get(cellKey(caseId, columnKey));
}

function isFinished(cell: EvalCell): boolean {
  return cell.status === 'passed' || cell.status === 'failed' || cell.status === 'error' || cell.status === 'cancelled';
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The cells an eval of the form would have; null when the form cannot say. */
export function plannedCellCount(state: Pick<AppState, 'suiteEdit' | 'runTargets' | 'evalForm'>): number {
  return (state.suiteEdit?.rows.length ?? 0) * state.runTargets.length * state.evalForm.versions.length;
}

/** Why the form cannot start, said before trying; null when it can. */
export function evalFormProblem(state: Pick<AppState, 'suiteEdit' | 'runTargets' | 'evalForm' | 'isSuiteLoading'>): string | null {
  const caseCount = state.suiteEdit?.rows.length ?? 0;
  if (state.suiteEdit === null) return state.isSuiteLoading ? 'Loading the test cases…' : 'No test cases loaded';
  if (caseCount === 0) return 'Add test cases first (Test cases tab)';
  if (state.runTargets.length === 0) return 'Add a model to run on (+ Model)';
  if (state.evalForm.versions.length === 0) return 'Tick a version to evaluate';
  if (state.evalForm.concurrency === null) return `Concurrency must be a whole number from 1 to ${MAX_EVAL_CONCURRENCY}`;
  const total = plannedCellCount(state);
  if (total > MAX_EVAL_CELLS) return `${countOf(total, 'cell')} is over the limit of ${MAX_EVAL_CELLS.toLocaleString('en-US')} per eval`;
  return null;
}

/** Writes every unsaved table to the local journal (the window is going away). */
export function journalUnsavedSuites(state: Pick<AppState, 'suiteEdit'>): void {
  const edits = [...unsavedSuites.values(), ...(state.suiteEdit?.isDirty ? [state.suiteEdit] : [])];
  for (const edit of edits) writeSuiteJournal({ promptId: edit.promptId, rows: edit.rows, defaultAssertions: edit.defaultAssertions });
}

/** The form a prompt starts with: its latest saved version, or the draft when it has none. */
function initialForm(state: Pick<AppState, 'versions'>, previous: EvalForm): EvalForm {
  const latest = state.versions[0]?.number;
  return { ...previous, versions: latest === undefined ? ['draft'] : [latest], baseline: 'approved' };
}

/** Creates the evals slice. */
export const createEvalsSlice: SliceCreator<EvalsSlice> = (set, get) => {
  function editSuite(change: (edit: SuiteEdit) => Partial<SuiteEdit>) {
    const edit = get().suiteEdit;
    if (!edit) return;
    set({ suiteEdit: { ...edit, ...change(edit), isDirty: true } });
  }

  function showSuite(suite: TestSuite, keepRows?: CaseRow[]) {
    // After a save the rows stay the same objects' keys (focus and scroll stay put); they only gain ids.
    const rows =
      keepRows && keepRows.length === suite.cases.length
        ? keepRows.map((row, index) => ({ ...row, id: suite.cases[index].id }))
        : rowsOfSuite(suite);
    set({
      suiteEdit: { promptId: suite.promptId, rows, defaultAssertions: suite.defaultAssertions, isDirty: false, updatedAt: suite.updatedAt },
      suiteProblems: [],
      suiteSaveError: null,
    });
    const focus = get().caseFocus;
    if (focus?.kind === 'case' && !rows.some((row) => row.key === focus.key)) set({ caseFocus: null });
  }

  async function loadSuite(promptId: number) {
    const stashed = unsavedSuites.get(promptId);
    if (stashed) {
      unsavedSuites.delete(promptId);
      set({ suiteEdit: stashed, suiteLoadError: null });
      return;
    }
    set({ isSuiteLoading: true, suiteLoadError: null });
    try {
      const suite = await bridge().call('evals:suite', { promptId });
      if (get().evalsPromptId !== promptId) return;
      const journal = readSuiteJournal(promptId);
      if (journal && (suite.updatedAt === null || journal.writtenAt > suite.updatedAt)) {
        // Edits of a window closed before they were saved: offered back, still unsaved.
        const rows = journal.rows.map((row) => ({ ...row, key: newRowKey() }));
        set({ suiteEdit: { promptId, rows, defaultAssertions: journal.defaultAssertions, isDirty: true, updatedAt: suite.updatedAt }, suiteProblems: [], suiteSaveError: null });
        get().showToast('info', 'Restored your unsaved edits to the test cases: save them with Ctrl+S, or Discard');
      } else {
        if (journal) clearSuiteJournal(promptId);
        showSuite(suite);
      }
    } catch (error) {
      if (get().evalsPromptId === promptId) set({ suiteLoadError: message(error), suiteEdit: null });
    } finally {
      if (get().evalsPromptId === promptId) set({ isSuiteLoading: false });
    }
  }

  async function loadList(promptId: number) {
    try {
      const list = await bridge().call('evals:list', { promptId, limit: 100 });
      if (get().evalsPromptId === promptId) set({ evalList: list });
      return list;
    } catch (error) {
      if (!hasErrorCode(error, 'unavailable')) get().reportError(error, 'Could not list the evals');
      return [];
    }
  }

  async function loadTrend(promptId: number) {
    try {
      const trend = await bridge().call('evals:trend', { promptId });
      if (get().evalsPromptId === promptId) set({ evalTrend: trend });
    } catch {
      // The chart says it has nothing to show; the rest of the view works without it.
      if (get().evalsPromptId === promptId) set({ evalTrend: [] });
    }
  }

  async function fetchDetail(evalId: number) {
    const sequence = ++detailSequence;
    const detail = await bridge().call('evals:get', { evalId });
    // A live refresh that answers after the final read would show the eval running again.
    if (sequence !== detailSequence) return;
    if (loadingEvalId !== evalId && get().openEval?.id !== evalId) return;
    cells.clear();
    for (const cell of detail.cells) cells.set(cellKey(cell.caseId, cell.columnKey), cell);
    for (const [key, cell] of earlyCells) {
      const known = cells.get(key);
      if (isFinished(cell) && (!known || !isFinished(known))) cells.set(key, cell);
    }
    earlyCells.clear();
    // The grid reads cells from the map; the detail keeps only its lighter parts.
    set({ openEval: { ...detail, cells: [] }, evalCellsRevision: get().evalCellsRevision + 1 });
    const open = get().openCell;
    if (open && !detail.columns.some((column) => column.key === open.columnKey)) set({ openCell: null });
  }

  function scheduleLiveRefresh(evalId: number) {
    const open = get().openEval;
    if (liveRefreshTimer !== null || !open || open.cellCount > LIVE_REFRESH_MAX_CELLS) return;
    liveRefreshTimer = setTimeout(() => {
      liveRefreshTimer = null;
      if (get().openEval?.id === evalId && get().openEval?.status === 'running') void fetchDetail(evalId).catch(() => undefined);
    }, LIVE_REFRESH_MS);
  }

  function upsertSummary(summary: EvalSummary) {
    if (summary.promptId !== get().evalsPromptId) return;
    const list = get().evalList;
    const index = list.findIndex((item) => item.id === summary.id);
    const next = index === -1 ? [summary, ...list] : list.map((item) => (item.id === summary.id ? summary : item));
    set({ evalList: next });
  }

  return {
    evalsTab: 'cases',
    evalsPromptId: null,
    suiteEdit: null,
    isSuiteLoading: false,
    suiteLoadError: null,
    suiteProblems: [],
    suiteSaveError: null,
    isSuiteSaving: false,
    caseFocus: null,
    importReport: null,
    isImporting: false,
    evalList: [],
    openEval: null,
    isEvalLoading: false,
    evalCellsRevision: 0,
    openCell: null,
    evalTrend: [],
    evalForm: { versions: ['draft'], concurrency: DEFAULT_EVAL_CONCURRENCY, baseline: 'approved', isCacheBypassed: false },
    evalRefusal: null,
    isStartingEval: false,

    setEvalsTab(tab) {
      set({ evalsTab: tab });
    },

    async loadEvals() {
      const prompt = get().currentPrompt;
      if (!prompt) return;
      if (get().evalsPromptId === prompt.id) {
        // Shown again: evals stored meanwhile by another process (workbench eval in CI or a terminal) are listed and plotted too.
        await Promise.all([
          get().suiteEdit === null && !get().isSuiteLoading ? loadSuite(prompt.id) : undefined,
          loadList(prompt.id),
          loadTrend(prompt.id),
        ]);
        return;
      }
      const sequence = ++loadSequence;
      const previous = get().suiteEdit;
      if (previous?.isDirty) unsavedSuites.set(previous.promptId, previous);
      cells.clear();
      earlyCells.clear();
      loadingEvalId = null;
      set({
        evalsPromptId: prompt.id,
        suiteEdit: null,
        suiteProblems: [],
        suiteSaveError: null,
        caseFocus: null,
        importReport: null,
        evalList: [],
        openEval: null,
        openCell: null,
        evalTrend: [],
        evalRefusal: null,
        evalForm: initialForm(get(), get().evalForm),
      });
      const [list] = await Promise.all([loadList(prompt.id), loadSuite(prompt.id), loadTrend(prompt.id)]);
      if (sequence !== loadSequence || get().openEval !== null) return;
      const latest = list[0];
      if (latest) await get().openEvalById(latest.id);
    },

    updateRow(key, patch) {
      editSuite((edit) => ({ rows: edit.rows.map((row) => (row.key === key ? { ...row, ...patch } : row)) }));
    },
    setRowVariable(key, name, value) {
      editSuite((edit) => ({ rows: edit.rows.map((row) => (row.key === key ? { ...row, variables: { ...row.variables, [name]: value } } : row)) }));
    },
    addRow(afterKey) {
      const edit = get().suiteEdit;
      if (!edit) return null;
      const names = [...new Set(edit.rows.flatMap((row) => Object.keys(row.variables)))];
      const row = emptyRow(names);
      const index = afterKey === undefined ? -1 : edit.rows.findIndex((item) => item.key === afterKey);
      const rows = index === -1 ? [...edit.rows, row] : [...edit.rows.slice(0, index + 1), row, ...edit.rows.slice(index + 1)];
      set({ suiteEdit: { ...edit, rows, isDirty: true } });
      return row.key;
    },
    duplicateRow(key) {
      const edit = get().suiteEdit;
      const index = edit?.rows.findIndex((row) => row.key === key) ?? -1;
      if (!edit || index === -1) return null;
      const copy = duplicateRow(edit.rows[index]);
      set({ suiteEdit: { ...edit, rows: [...edit.rows.slice(0, index + 1), copy, ...edit.rows.slice(index + 1)], isDirty: true } });
      return copy.key;
    },
    deleteRow(key) {
      editSuite((edit) => ({ rows: edit.rows.filter((row) => row.key !== key) }));
      const focus = get().caseFocus;
      if (focus?.kind === 'case' && focus.key === key) set({ caseFocus: null });
      set({ suiteProblems: get().suiteProblems.filter((problem) => problem.key !== key) });
    },
    setCaseFocus(focus) {
      set({ caseFocus: focus });
    },
    setAssertions(focus, assertions) {
      if (focus.kind === 'defaults') editSuite(() => ({ defaultAssertions: assertions }));
      else editSuite((edit) => ({ rows: edit.rows.map((row) => (row.key === focus.key ? { ...row, assertions } : row)) }));
    },

    async saveSuite() {
      const edit = get().suiteEdit;
      if (!edit) return false;
      if (!edit.isDirty) return true;
      const problems = validateSuite(edit.rows, edit.defaultAssertions);
      set({ suiteProblems: problems, suiteSaveError: null });
      if (problems.length > 0) return false;
      set({ isSuiteSaving: true });
      try {
        const suite = await bridge().call('evals:saveSuite', {
          promptId: edit.promptId,
          defaultAssertions: edit.defaultAssertions,
          cases: edit.rows.map(caseInputOfRow),
        });
        clearSuiteJournal(edit.promptId);
        const current = get().suiteEdit;
        if (current?.promptId !== edit.promptId) return true;
        // Typed while saving: keep the newer rows, only give them their ids.
        if (current !== edit) {
          set({ suiteEdit: { ...current, rows: current.rows.map((row) => ({ ...row, id: row.id ?? suite.cases[edit.rows.findIndex((item) => item.key === row.key)]?.id })), updatedAt: suite.updatedAt } });
        } else {
          showSuite(suite, edit.rows);
        }
        return true;
      } catch (error) {
        set({ suiteSaveError: message(error) });
        return false;
      } finally {
        set({ isSuiteSaving: false });
      }
    },
    async discardSuiteEdits() {
      const edit = get().suiteEdit;
      if (!edit) return;
      unsavedSuites.delete(edit.promptId);
      clearSuiteJournal(edit.promptId);
      set({ suiteEdit: null, suiteProblems: [], suiteSaveError: null, caseFocus: null });
      await loadSuite(edit.promptId);
    },

    async importCases({ format, text, mode, fileName, judge }) {
      const edit = get().suiteEdit;
      if (!edit) return 'The test cases are not loaded';
      set({ isImporting: true, importReport: null });
      try {
        // The import adds to the stored cases: what was typed must be stored first.
        if (edit.isDirty && !(await get().saveSuite())) {
          return 'Your edits to the table could not be saved, so nothing was imported: fix the rows marked in the table first.';
        }
        const result = await bridge().call('evals:import', { promptId: edit.promptId, format, text, mode, ...(judge !== null && { judge }) });
        if (get().suiteEdit?.promptId === edit.promptId) showSuite(result.suite);
        set({ importReport: { fileName, format, mode, imported: result.imported, defaultChecks: result.defaultChecks, problems: result.problems } });
        return null;
      } catch (error) {
        return message(error);
      } finally {
        set({ isImporting: false });
      }
    },
    dismissImportReport() {
      set({ importReport: null });
    },
    async exportCases(format) {
      const edit = get().suiteEdit;
      if (!edit) return;
      if (edit.isDirty && !(await get().saveSuite())) {
        get().showToast('error', 'Fix the rows marked in the table before exporting: the export writes the saved cases.');
        return;
      }
      try {
        const exported = await bridge().call('evals:export', { promptId: edit.promptId, format });
        downloadText(exported.fileName, exported.text);
      } catch (error) {
        get().reportError(error, 'Could not export the test cases');
      }
    },

    toggleEvalVersion(version) {
      const form = get().evalForm;
      let versions = form.versions.includes(version) ? form.versions.filter((item) => item !== version) : [...form.versions, version].slice(-MAX_RUN_VERSIONS);
      // Draft first, then saved versions oldest first: the order columns read left to right.
      versions = versions.sort((left, right) => (left === 'draft' ? 1 : right === 'draft' ? -1 : left - right));
      const baseline = typeof form.baseline === 'number' && !versions.includes(form.baseline) ? 'approved' : form.baseline;
      set({ evalForm: { ...form, versions, baseline }, evalRefusal: null });
    },
    setEvalConcurrency(concurrency) {
      set({ evalForm: { ...get().evalForm, concurrency } });
    },
    setEvalBaseline(baseline) {
      set({ evalForm: { ...get().evalForm, baseline } });
    },
    setEvalCacheBypassed(isBypassed) {
      set({ evalForm: { ...get().evalForm, isCacheBypassed: isBypassed } });
    },
    dismissEvalRefusal() {
      set({ evalRefusal: null });
    },

    async startEval() {
      const prompt = get().currentPrompt;
      if (!prompt || get().isStartingEval || get().openEval?.status === 'running') return;
      // Its button is disabled and says why; the shortcut says it in a toast.
      const notConnected = notConnectedText(get());
      if (notConnected !== null) {
        get().showToast('error', notConnected);
        return;
      }
      const problem = evalFormProblem(get());
      if (problem !== null) {
        set({ evalRefusal: problem });
        return;
      }
      const form = get().evalForm;
      set({ isStartingEval: true, evalRefusal: null });
      try {
        // The engine runs the stored draft and the stored cases: what was typed must be there first.
        if (form.versions.includes('draft')) await get().saveDraftNow();
        if (!(await get().saveSuite())) {
          set({ evalRefusal: 'The test cases have problems: fix the rows marked in the Test cases tab first.' });
          return;
        }
        const summary = await bridge().call('evals:start', {
          promptId: prompt.id,
          versions: form.versions,
          targets: get().runTargets,
          concurrency: form.concurrency ?? DEFAULT_EVAL_CONCURRENCY,
          ...(typeof form.baseline === 'number' ? { baselineVersion: form.baseline } : form.baseline === 'none' ? { baselineVersion: null } : {}),
          bypassCache: form.isCacheBypassed,
        });
        upsertSummary(summary);
        await get().openEvalById(summary.id);
      } catch (error) {
        set({ evalRefusal: message(error) });
      } finally {
        set({ isStartingEval: false });
      }
    },
    async cancelEval(evalId) {
      try {
        const summary = await bridge().call('evals:cancel', { evalId });
        get().finishEval(summary);
      } catch (error) {
        get().reportError(error, 'Could not cancel the eval');
      }
    },
    async resumeEval(evalId, isRetryingErrors) {
      try {
        const summary = await bridge().call('evals:resume', { evalId, isRetryingErrors });
        upsertSummary(summary);
        if (get().openEval?.id === evalId) {
          set({ openEval: { ...get().openEval!, ...summary, cells: [] } });
          await fetchDetail(evalId);
        }
      } catch (error) {
        get().reportError(error, isRetryingErrors ? 'Could not retry the errors' : 'Could not resume the eval');
      }
    },
    async openEvalById(evalId) {
      if (get().openEval?.id !== evalId) {
        cells.clear();
        earlyCells.clear();
        set({ openEval: null, openCell: null, evalCellsRevision: get().evalCellsRevision + 1 });
      }
      loadingEvalId = evalId;
      set({ isEvalLoading: true });
      try {
        await fetchDetail(evalId);
      } catch (error) {
        get().reportError(error, `Could not open eval #${evalId}`);
      } finally {
        if (loadingEvalId === evalId) {
          loadingEvalId = null;
          set({ isEvalLoading: false });
        }
      }
    },
    async openEvalCell(caseId, columnKey) {
      const evalDetail = get().openEval;
      if (!evalDetail) return;
      const baselineKey = baselineColumnOf(evalDetail, columnKey);
      set({ openCell: { caseId, columnKey, detail: null, baseline: null, error: null } });
      try {
        const [detail, baseline] = await Promise.all([
          bridge().call('evals:cell', { evalId: evalDetail.id, caseId, columnKey }),
          // The comparison is extra: a baseline cell that cannot be read leaves the cell shown without it.
          baselineKey === null ? null : bridge().call('evals:cell', { evalId: evalDetail.id, caseId, columnKey: baselineKey }).catch(() => null),
        ]);
        const open = get().openCell;
        if (open?.caseId === caseId && open.columnKey === columnKey) {
          set({ openCell: { ...open, detail, baseline: baselineKey === null ? null : { columnKey: baselineKey, detail: baseline }, error: null } });
        }
      } catch (error) {
        const open = get().openCell;
        if (open?.caseId === caseId && open.columnKey === columnKey) set({ openCell: { ...open, error: message(error) } });
      }
    },
    closeEvalCell() {
      set({ openCell: null });
    },

    applyEvalProgress(progress) {
      const list = get().evalList;
      if (list.some((item) => item.id === progress.evalId)) {
        set({
          evalList: list.map((item) =>
            item.id === progress.evalId
              ? { ...item, status: 'running', doneCount: progress.doneCount, passedCount: progress.passedCount, failedCount: progress.failedCount, errorCount: progress.errorCount, costUsd: progress.costUsd, judgeCostUsd: progress.judgeCostUsd }
              : item,
          ),
        });
      }
      const open = get().openEval;
      if (open === null && loadingEvalId === progress.evalId) {
        for (const cell of progress.cells) earlyCells.set(cellKey(cell.caseId, cell.columnKey), cell);
        return;
      }
      if (open?.id !== progress.evalId) return;
      for (const cell of progress.cells) cells.set(cellKey(cell.caseId, cell.columnKey), cell);
      set({
        openEval: {
          ...open,
          status: 'running',
          doneCount: progress.doneCount,
          cellCount: progress.cellCount,
          passedCount: progress.passedCount,
          failedCount: progress.failedCount,
          errorCount: progress.errorCount,
          costUsd: progress.costUsd,
          judgeCostUsd: progress.judgeCostUsd,
        },
        evalCellsRevision: get().evalCellsRevision + 1,
      });
      const openCell = get().openCell;
      const isOpenCell = (cell: { caseId: number; columnKey: string }) =>
        openCell !== null && cell.caseId === openCell.caseId && (cell.columnKey === openCell.columnKey || cell.columnKey === openCell.baseline?.columnKey);
      if (openCell && progress.cells.some(isOpenCell)) {
        void get().openEvalCell(openCell.caseId, openCell.columnKey);
      }
      scheduleLiveRefresh(progress.evalId);
    },
    finishEval(summary) {
      upsertSummary(summary);
      const open = get().openEval;
      if (open?.id === summary.id) {
        // The status line says "Done" together with the final summaries and grid, not before
        // them: the detail read brings both. If it fails, the summary alone says how it ended.
        void fetchDetail(summary.id).catch((error: unknown) => {
          const current = get().openEval;
          if (current?.id === summary.id) set({ openEval: { ...current, ...summary, cells: [] } });
          get().reportError(error, 'Could not load the eval’s results');
        });
        const openCell = get().openCell;
        if (openCell) void get().openEvalCell(openCell.caseId, openCell.columnKey);
      }
      if (summary.promptId === get().evalsPromptId) void loadTrend(summary.promptId);
    },
    async reconcileEvals() {
      const promptId = get().evalsPromptId;
      if (promptId === null) return;
      await loadList(promptId);
      const open = get().openEval;
      if (open) await fetchDetail(open.id).catch(() => undefined);
    },
  };
};
