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

/** A number parameter's text as typed, refused by its rule, and the draft's value it stands in for (null: the provider default). */
export interface HeldParameterEntry {
  text: string;
  draftValue: number | null;
}

/**
 * What the Model tab holds that the draft cannot take: the schema's text while it does not
 * parse, the schema name as typed while the name rule refuses it, number parameters as typed
 * while their rules refuse them, and the draft's values they stand in for.
 */
export interface HeldTextEntry {
  /** The schema text that does not parse; null when the schema parses. */
  text: string | null;
  /** The schema name as typed, refused by the name rule; null (or absent, in entries written before names were kept) when the name is the draft's. */
  name?: string | null;
  /** The schema the draft kept (the last that parsed): the schema text and name are shown again only over that one. Absent when neither is held. */
  schema?: Record<string, unknown>;
  /** The name the draft kept (the last one allowed); absent in entries written before names were kept. */
  draftName?: string;
  /** Number parameters as typed and refused, by parameter (absent in entries written before parameters were kept). */
  parameters?: Record<string, HeldParameterEntry>;
}

// The key of the first kind of entry (schema text only), kept so those still read.
const HELD_PREFIX = 'workbench.unparsedSchema.';

/**
 * Keeps what a prompt's Model tab holds that the draft cannot take, which the engine never gets
 * (a draft holds only what it can send), so a reload or another prompt loses nothing typed.
 */
export function writeHeldText(promptId: number, entry: HeldTextEntry): void {
  try {
    localStorage.setItem(HELD_PREFIX + promptId, JSON.stringify(entry));
  } catch {
    // Storage full or disabled: the text stays in the window while it lives.
  }
}

function isHeldParameters(value: unknown): value is Record<string, HeldParameterEntry> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every(
    (item: unknown) => item !== null && typeof item === 'object' && typeof (item as HeldParameterEntry).text === 'string' && ((item as HeldParameterEntry).draftValue === null || typeof (item as HeldParameterEntry).draftValue === 'number'),
  );
}

/** What a prompt's Model tab held that the draft could not take, if any. */
export function readHeldText(promptId: number): HeldTextEntry | null {
  try {
    const text = localStorage.getItem(HELD_PREFIX + promptId);
    if (!text) return null;
    const entry = JSON.parse(text) as HeldTextEntry;
    const isText = entry.text === null || typeof entry.text === 'string';
    const isName = entry.name === undefined || entry.name === null || typeof entry.name === 'string';
    const isSchema = entry.schema === undefined || (entry.schema !== null && typeof entry.schema === 'object');
    const isParameters = entry.parameters === undefined || isHeldParameters(entry.parameters);
    return isText && isName && isSchema && isParameters ? entry : null;
  } catch {
    return null;
  }
}

/** Forgets what a prompt's Model tab held once the draft can take it (or it is replaced). */
export function clearHeldText(promptId: number): void {
  try {
    localStorage.removeItem(HELD_PREFIX + promptId);
  } catch {
    // Nothing to forget.
  }
}
