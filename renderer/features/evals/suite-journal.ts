/**
 * A local copy of test case edits not saved yet, written when the window goes away, so closing
 * it (or a reload) with unsaved rows loses nothing: the next load of the suite offers them back
 * as unsaved edits.
 */

import type { Assertion } from '../../../shared/eval-types';
import type { CaseRow } from './case-rows';

/** Unsaved edits of a prompt's suite and when they were written. */
export interface SuiteJournalEntry {
  promptId: number;
  rows: CaseRow[];
  defaultAssertions: Assertion[];
  writtenAt: string;
}

const PREFIX = 'workbench.unsavedSuite.';

/** Keeps the edits until `clearSuiteJournal`; quietly does nothing if storage is full. */
export function writeSuiteJournal(entry: Omit<SuiteJournalEntry, 'writtenAt'>): void {
  try {
    localStorage.setItem(PREFIX + entry.promptId, JSON.stringify({ ...entry, writtenAt: new Date().toISOString() }));
  } catch {
    // Storage full or disabled: only a closed window's edits are at risk, as without the journal.
  }
}

/** The journalled edits of a prompt's suite, if any. */
export function readSuiteJournal(promptId: number): SuiteJournalEntry | null {
  try {
    const text = localStorage.getItem(PREFIX + promptId);
    if (!text) return null;
    const entry = JSON.parse(text) as SuiteJournalEntry;
    const isValid = entry.promptId === promptId && Array.isArray(entry.rows) && Array.isArray(entry.defaultAssertions) && typeof entry.writtenAt === 'string';
    return isValid && entry.rows.every((row) => typeof row?.key === 'string' && typeof row.variables === 'object') ? entry : null;
  } catch {
    return null;
  }
}

/** Forgets the journalled edits of a prompt (saved or discarded). */
export function clearSuiteJournal(promptId: number): void {
  try {
    localStorage.removeItem(PREFIX + promptId);
  } catch {
    // Nothing to forget.
  }
}
