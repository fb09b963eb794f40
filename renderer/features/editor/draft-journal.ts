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

/** The schema editor's text while it does not parse, and the draft's schema it stands in for. */
export interface UnparsedSchemaEntry {
  text: string;
  /** The schema the draft kept (the last that parsed): the text is shown again only over that one. */
  schema: Record<string, unknown>;
}

const SCHEMA_PREFIX = 'workbench.unparsedSchema.';

/**
 * Keeps a prompt's schema text that does not parse, which the engine never gets (a draft holds
 * only a schema that parses), so a reload or another prompt loses nothing typed.
 */
export function writeUnparsedSchema(promptId: number, entry: UnparsedSchemaEntry): void {
  try {
    localStorage.setItem(SCHEMA_PREFIX + promptId, JSON.stringify(entry));
  } catch {
    // Storage full or disabled: the text stays in the window while it lives.
  }
}

/** A prompt's schema text that does not parse, if any. */
export function readUnparsedSchema(promptId: number): UnparsedSchemaEntry | null {
  try {
    const text = localStorage.getItem(SCHEMA_PREFIX + promptId);
    if (!text) return null;
    const entry = JSON.parse(text) as UnparsedSchemaEntry;
    return typeof entry.text === 'string' && entry.schema !== null && typeof entry.schema === 'object' ? entry : null;
  } catch {
    return null;
  }
}

/** Forgets a prompt's schema text once it parses (or is replaced). */
export function clearUnparsedSchema(promptId: number): void {
  try {
    localStorage.removeItem(SCHEMA_PREFIX + promptId);
  } catch {
    // Nothing to forget.
  }
}
