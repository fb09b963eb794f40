/**
 * A local copy of a draft the engine has not confirmed, so closing the window while the host
 * is unreachable (or before the last autosave landed) loses nothing: the next start offers it
 * back to the engine.
 */

import type { CallInput } from '../../../shared/contract';

type DraftInput = CallInput<'drafts:save'>;

/** A journalled draft, when it was written, and when its text was last edited (entries of older builds lack it). */
export interface JournalEntry {
  input: DraftInput;
  writtenAt: string;
  editedAt?: string;
}

const PREFIX = 'workbench.unsaved.';

/** Keeps `input`, last edited at `editedAt`, until `clearJournal` is called for its prompt; quietly does nothing if storage is full. */
export function writeJournal(input: DraftInput, editedAt: Date = new Date()): void {
  try {
    const entry: JournalEntry = { input, writtenAt: new Date().toISOString(), editedAt: editedAt.toISOString() };
    localStorage.setItem(PREFIX + input.promptId, JSON.stringify(entry));
  } catch {
    // Storage full or disabled: the in-memory copy is still retried while the window lives.
  }
}

/** The journalled draft of a prompt, if any. */
export function readJournal(promptId: number): JournalEntry | null {
  try {
    const text = localStorage.getItem(PREFIX + promptId);
    if (!text) return null;
    const entry = JSON.parse(text) as JournalEntry;
    return entry.input?.promptId === promptId && Array.isArray(entry.input.content?.messages) ? entry : null;
  } catch {
    return null;
  }
}

/** Forgets the journalled draft of a prompt once the engine has it. */
export function clearJournal(promptId: number): void {
  try {
    localStorage.removeItem(PREFIX + promptId);
  } catch {
    // Nothing to forget.
  }
}
