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

/**
 * What the Model tab holds of a JSON schema format that the draft cannot take: the schema's text
 * while it does not parse, the schema name as typed while the name rule refuses it, and the
 * draft's format they stand in for.
 */
export interface UnparsedSchemaEntry {
  /** The schema text that does not parse; null when the schema parses. */
  text: string | null;
  /** The schema name as typed, refused by the name rule; null (or absent, in entries written before names were kept) when the name is the draft's. */
  name?: string | null;
  /** The schema the draft kept (the last that parsed): the entry is shown again only over that one. */
  schema: Record<string, unknown>;
  /** The name the draft kept (the last one allowed); absent in entries written before names were kept. */
  draftName?: string;
}

const SCHEMA_PREFIX = 'workbench.unparsedSchema.';

/**
 * Keeps a prompt's schema text that does not parse and schema name that is refused, which the
 * engine never gets (a draft holds only a format it can send), so a reload or another prompt
 * loses nothing typed.
 */
export function writeUnparsedSchema(promptId: number, entry: UnparsedSchemaEntry): void {
  try {
    localStorage.setItem(SCHEMA_PREFIX + promptId, JSON.stringify(entry));
  } catch {
    // Storage full or disabled: the text stays in the window while it lives.
  }
}

/** A prompt's schema text that does not parse and schema name that is refused, if any. */
export function readUnparsedSchema(promptId: number): UnparsedSchemaEntry | null {
  try {
    const text = localStorage.getItem(SCHEMA_PREFIX + promptId);
    if (!text) return null;
    const entry = JSON.parse(text) as UnparsedSchemaEntry;
    const isText = entry.text === null || typeof entry.text === 'string';
    const isName = entry.name === undefined || entry.name === null || typeof entry.name === 'string';
    return isText && isName && entry.schema !== null && typeof entry.schema === 'object' ? entry : null;
  } catch {
    return null;
  }
}

/** Forgets a prompt's kept schema text and name once the draft can take them (or they are replaced). */
export function clearUnparsedSchema(promptId: number): void {
  try {
    localStorage.removeItem(SCHEMA_PREFIX + promptId);
  } catch {
    // Nothing to forget.
  }
}
