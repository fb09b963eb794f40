/**
 * The open prompt and its working draft: messages, model, parameters and variable values,
 * with autosave.
 *
 * Autosave: every edit bumps a serial and schedules `drafts:save` shortly after the last edit;
 * blur, visibility changes, switching prompts and saving a version save at once. A save that
 * fails because the host is unreachable keeps the draft in memory and is retried when the
 * connection comes back, so nothing typed is lost while the host restarts.
 *
 * Two windows on one prompt: every save says which draft revision its text started from, and
 * the engine refuses one based on a draft another window has written since. A window without
 * edits of its own shows the other window's draft as soon as the engine says it changed
 * (`draft:changed`); one with edits stops saving and asks which draft to keep (`draftConflict`),
 * its own text still in its editors until the user chooses.
 */

import type { CallInput } from '../../../shared/contract';
import type {
  MessageRole,
  ModelParameters,
  PromptContent,
  PromptDetail,
  PromptDraft,
  PromptSummary,
  PromptVersionSummary,
  ResponseFormat,
} from '../../../shared/types';
import { collectVariables, isValidVariableName, renameVariable } from '../../../shared/template';
import { hasErrorCode } from '../../bridge/client';
import { bridge } from '../../bridge/connection';
import type { SliceCreator } from '../../store/app-state';
import { NUMBER_PARAMETERS, refusedParameterRefusal, type NumberParameter, type RefusedParameters } from '../model/parameter-text';
import { heldFormatProblem, readSchemaText, responseFormatRefusal, schemaNameProblem } from '../model/response-format-text';
import { clearHeldText, clearJournal, readHeldText, readJournal, writeHeldText, writeJournal, type HeldParameterEntry, type JournalEntry } from './draft-journal';
import { flushEditors } from './editor-flush';
import { keepMessages, takeKeptMessages } from './kept-messages';
import { expectOwnEdit } from './own-edits';

/** A message as the editor holds it: with a stable key for React and its Monaco model. */
export interface EditorMessage {
  key: string;
  role: MessageRole;
  content: string;
}

/** Where the draft stands with the engine. */
export type DraftSaveState = 'saved' | 'pending' | 'saving' | 'offline' | 'failed' | 'conflict';

/** How to open a prompt. */
export interface OpenPromptOptions {
  /** The detail when the caller already has it (just created or duplicated). */
  detail?: PromptDetail;
  /** Where keyboard focus goes once it is open. */
  focus?: 'editor' | 'library' | 'none';
}

/** The outcome of saving a version, for the note dialog. */
export type SaveVersionOutcome = { ok: true; version: PromptVersionSummary } | { ok: false; message: string };

/** The draft slice. */
export interface DraftSlice {
  currentPrompt: PromptSummary | null;
  versions: PromptVersionSummary[];
  isPromptLoading: boolean;
  model: string;
  parameters: ModelParameters;
  /** The draft's response format; undefined for text. */
  responseFormat: ResponseFormat | undefined;
  /**
   * Why what the Model tab holds cannot be sent (a number parameter its rule refuses, a schema that
   * does not parse, a bad schema name), while the draft keeps the last values that could, as the
   * refusal of runs of the draft and of new versions, which are refused meanwhile; null when none.
   */
  heldRefusal: string | null;
  /**
   * The schema editor's text while it does not parse, which the draft (keeping the last schema
   * that did) cannot hold; kept in the local journal, so a reload or another prompt loses nothing
   * typed. Null when the schema parses, or the format is not a JSON schema.
   */
  unparsedSchema: string | null;
  /**
   * The schema name as typed while the name rule refuses it, which the draft (keeping the last
   * name allowed) cannot hold; kept in the local journal like `unparsedSchema`. Null when the
   * draft has the name shown, or the format is not a JSON schema.
   */
  refusedSchemaName: string | null;
  /** Number parameters as typed while their rules refuse them (the draft keeps the last value allowed); kept in the local journal like `unparsedSchema`. */
  refusedParameters: RefusedParameters;
  messages: EditorMessage[];
  variables: Record<string, string>;
  baseVersion: number | null;
  isDraftDirty: boolean;
  /** The draft revision this window's text started from (see `PromptDraft.revision`). */
  draftRevision: number;
  /** The draft another window saved over this one's unsaved edits, while the user chooses which to keep. */
  draftConflict: PromptDraft | null;
  /**
   * When the edits in conflict were last made, if not in this window as it is now but in one that
   * closed or reloaded before they were saved (they come from the journal, shared by every window
   * of the address); null for this window's own.
   */
  draftConflictEditedAt: string | null;
  saveState: DraftSaveState;
  saveError: string | null;
  /** The message editor that should take focus when it mounts. */
  focusMessageKey: string | null;
  openPrompt(id: number, options?: OpenPromptOptions): Promise<void>;
  setMessageContent(key: string, content: string): void;
  setMessageRole(key: string, role: MessageRole): void;
  moveMessage(key: string, delta: -1 | 1): void;
  removeMessage(key: string): void;
  addMessage(role?: MessageRole): void;
  clearFocusRequest(): void;
  setVariable(name: string, value: string | null): void;
  /**
   * Renames a variable in every message (each placeholder in its own spacing) and carries its
   * value over, as one change that Undo in the toast takes back; null when done, else why not.
   */
  renameVariable(from: string, to: string): string | null;
  setModelId(model: string): void;
  setParameter<K extends keyof ModelParameters>(name: K, value: ModelParameters[K] | undefined): void;
  /** Keeps a number parameter's text that its rule refuses (`refusedParameters`): the draft keeps its value meanwhile. */
  setRefusedParameter(name: NumberParameter, text: string): void;
  /** Sets the response format (undefined: text), which the format editor has checked. */
  setResponseFormat(format: ResponseFormat | undefined): void;
  /** Takes the schema editor's text: into the draft when it parses, kept apart (`unparsedSchema`) while it does not. */
  setSchemaText(text: string): void;
  /** Takes the schema name as typed: into the draft when the name rule allows it, kept apart (`refusedSchemaName`) while it does not. */
  setSchemaName(name: string): void;
  setDescription(description: string): Promise<void>;
  saveDraftNow(): Promise<void>;
  retryUnsavedDrafts(): Promise<void>;
  saveVersion(note: string): Promise<SaveVersionOutcome>;
  restoreVersion(number: number): Promise<void>;
  refreshCurrentPrompt(): Promise<void>;
  /** Takes in a draft written elsewhere (another window, an import): shown at once unless this window has edits of its own. */
  applyDraftFromElsewhere(draft: PromptDraft): void;
  /** Resolves a conflict with the other window's draft; a toast offers this window's text back. */
  takeOtherDraft(): void;
  /** Resolves a conflict by saving this window's draft over the other window's. */
  keepMyDraft(): Promise<void>;
}

type DraftInput = CallInput<'drafts:save'>;

const AUTOSAVE_DELAY_MS = 400;
const LAST_PROMPT_KEY = 'workbench.lastPrompt';

let nextMessageKey = 1;
let editSerial = 0;
let savedSerial = 0;
let saveTimer: ReturnType<typeof setTimeout> | null = null;
let inFlight: Promise<void> | null = null;
let openSequence = 0;
/** Drafts the engine has not received because it was unreachable, by prompt id. */
const unsavedDrafts = new Map<number, DraftInput>();
/** Base versions to send with the next autosave (an undone restore puts one back), by prompt id. */
const pendingBaseVersions = new Map<number, number | null>();
/** Prompts whose unsaved draft (in `unsavedDrafts`) another window wrote over: kept for the user to choose, never retried. */
const conflictedDrafts = new Set<number>();
/** A newer draft of the open prompt heard while this window's own save was under way, to show once it is done. */
let heardWhileSaving: PromptDraft | null = null;
/** When this window's draft was last edited, for the journal. */
let lastEditedAt = new Date();

/** Why a version is not saved while the draft must be chosen first, and what to do. */
export const NO_VERSION_WHILE_CONFLICT = 'No version saved: this draft was changed in another window. Choose which draft to keep, above the messages, then save again.';

/** Why a version is not saved from a draft another window had just written (shown now), and what to do. */
const NO_VERSION_DRAFT_CHANGED = 'No version saved: this draft was just changed in another window, and shows here now. Check it, then save again.';

/** Why a version is not restored over a draft another window had just written (shown now), and what to do. */
function notRestoredDraftChanged(number: number): string {
  return `v${number} not restored: this draft was just changed in another window, and shows here now. Restore again to replace it.`;
}

/** Why a version is not restored while the draft must be chosen first, and what to do. */
function notRestoredWhileConflict(number: number): string {
  return `v${number} not restored: this draft was changed in another window. Choose which draft to keep, above the messages, then restore again.`;
}

function newKey(): string {
  return `m${nextMessageKey++}`;
}

function toEditorMessages(content: PromptContent): EditorMessage[] {
  return content.messages.map((message) => ({ key: newKey(), role: message.role, content: message.content }));
}

/**
 * The editors for the messages of a draft written elsewhere, given those shown: messages as they
 * were keep theirs (cursor, undo); between the unchanged ones at the start and at the end, the
 * changed ones keep the editors at their places, in turn, which take the new text keeping the
 * user's place in it (see `takeTextFromElsewhere`); messages added get new editors.
 */
function matchEditors(shown: readonly EditorMessage[], messages: PromptContent['messages']): EditorMessage[] {
  const isSame = (editor: EditorMessage, message: PromptContent['messages'][number]) => editor.role === message.role && editor.content === message.content;
  let head = 0;
  while (head < shown.length && head < messages.length && isSame(shown[head], messages[head])) head += 1;
  let tail = 0;
  while (tail < shown.length - head && tail < messages.length - head && isSame(shown[shown.length - 1 - tail], messages[messages.length - 1 - tail])) tail += 1;
  return messages.map((message, index) => {
    if (index < head) return shown[index];
    if (index >= messages.length - tail) return shown[shown.length - (messages.length - index)];
    if (index < shown.length - tail) return { ...shown[index], role: message.role, content: message.content };
    return { key: newKey(), role: message.role, content: message.content };
  });
}

/** The draft as the engine takes it. */
export function draftContent(state: Pick<DraftSlice, 'model' | 'parameters' | 'messages' | 'responseFormat'>): PromptContent {
  return {
    model: state.model,
    parameters: state.parameters,
    messages: state.messages.map(({ role, content }) => ({ role, content })),
    ...(state.responseFormat !== undefined && { responseFormat: state.responseFormat }),
  };
}

/** The id of the prompt opened last, to reopen it on start. */
export function lastOpenedPromptId(): number | null {
  try {
    const value = Number(localStorage.getItem(LAST_PROMPT_KEY));
    return Number.isInteger(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}

/** Whether a draft to save holds what the engine's draft holds. */
function isSameDraft(input: DraftInput, draft: PromptDraft): boolean {
  return JSON.stringify(input.content) === JSON.stringify(draft.content) && JSON.stringify(input.variables) === JSON.stringify(draft.variables);
}

/**
 * A journalled draft of an earlier window that the engine never confirmed, if it still matters:
 * one that says its revision is kept (against a newer draft it opens as a conflict); an older
 * entry without one only when written after the engine's draft.
 */
function journalNewerThan(draft: PromptDraft): JournalEntry | undefined {
  const entry = readJournal(draft.promptId);
  if (!entry) return undefined;
  const isOutdated = entry.input.basedOnRevision === undefined && entry.writtenAt < draft.updatedAt;
  if (isSameDraft(entry.input, draft) || isOutdated) {
    clearJournal(draft.promptId);
    return undefined;
  }
  return entry;
}

/** Writes the open draft to the local journal when the engine may not have it yet (the window is closing). */
export function journalIfUnsaved(
  state: Pick<DraftSlice, 'currentPrompt' | 'saveState' | 'model' | 'parameters' | 'responseFormat' | 'messages' | 'variables' | 'draftRevision'>,
): void {
  if (!state.currentPrompt || state.saveState === 'saved') return;
  writeJournal({ promptId: state.currentPrompt.id, content: draftContent(state), variables: { ...state.variables }, basedOnRevision: state.draftRevision }, lastEditedAt);
}

/** What the Model tab holds that the draft cannot take: schema text that does not parse, a schema name refused, number parameters refused. */
export interface HeldText {
  schema: string | null;
  name: string | null;
  parameters: RefusedParameters;
}

const NOTHING_HELD: HeldText = { schema: null, name: null, parameters: {} };

/** What a prompt's Model tab kept because the draft could not take it, where the draft still has the values it stands in for. */
function journalledHeldText(promptId: number, format: ResponseFormat | undefined, draftParameters: ModelParameters): HeldText {
  const entry = readHeldText(promptId);
  if (entry === null) return NOTHING_HELD;
  // Replaced since (another window, a restore): what replaced it is the draft's now.
  const isSameName = entry.draftName === undefined || (format?.type === 'json_schema' && format.name === entry.draftName);
  const isSameFormat = format?.type === 'json_schema' && entry.schema !== undefined && JSON.stringify(format.schema) === JSON.stringify(entry.schema) && isSameName;
  const parameters: RefusedParameters = {};
  for (const name of NUMBER_PARAMETERS) {
    const held = entry.parameters?.[name];
    if (held !== undefined && held.draftValue === (draftParameters[name] ?? null)) parameters[name] = held.text;
  }
  return { schema: isSameFormat ? entry.text : null, name: isSameFormat ? (entry.name ?? null) : null, parameters };
}

/** The state for what the Model tab holds that the draft cannot take (see `HeldText`), kept in the journal against the draft's values. */
function heldTextState(
  promptId: number,
  format: ResponseFormat | undefined,
  draftParameters: ModelParameters,
  held: HeldText,
): Pick<DraftSlice, 'unparsedSchema' | 'refusedSchemaName' | 'refusedParameters' | 'heldRefusal'> {
  const isFormatHeld = format?.type === 'json_schema' && (held.schema !== null || held.name !== null);
  const unparsedSchema = isFormatHeld ? held.schema : null;
  const refusedSchemaName = isFormatHeld ? held.name : null;
  const parameterEntries = NUMBER_PARAMETERS.flatMap((name): [NumberParameter, HeldParameterEntry][] => {
    const text = held.parameters[name];
    return text === undefined ? [] : [[name, { text, draftValue: draftParameters[name] ?? null }]];
  });
  const refusedParameters: RefusedParameters = Object.fromEntries(parameterEntries.map(([name, entry]) => [name, entry.text]));
  if (isFormatHeld || parameterEntries.length > 0) {
    writeHeldText(promptId, {
      text: unparsedSchema,
      name: refusedSchemaName,
      ...(isFormatHeld && format?.type === 'json_schema' && { schema: format.schema, draftName: format.name }),
      ...(parameterEntries.length > 0 && { parameters: Object.fromEntries(parameterEntries) }),
    });
  } else {
    clearHeldText(promptId);
  }
  const formatProblem = heldFormatProblem(unparsedSchema, refusedSchemaName);
  const heldRefusal = refusedParameterRefusal(refusedParameters) ?? (formatProblem === null ? null : responseFormatRefusal(formatProblem));
  return { unparsedSchema, refusedSchemaName, refusedParameters, heldRefusal };
}

/** Whether the engine's draft of a prompt was written after `revision` (a save based on it would be refused). */
async function isDraftStale(promptId: number, revision: number | undefined): Promise<boolean> {
  if (revision === undefined) return false;
  try {
    const detail = await bridge().call('prompts:get', { id: promptId });
    return detail.draft.revision !== revision;
  } catch {
    return false;
  }
}

/** Creates the draft slice. */
export const createDraftSlice: SliceCreator<DraftSlice> = (set, get) => {
  function scheduleSave(): void {
    if (saveTimer !== null) clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      saveTimer = null;
      void get().saveDraftNow();
    }, AUTOSAVE_DELAY_MS);
  }

  function markEdited(): void {
    editSerial += 1;
    lastEditedAt = new Date();
    const { saveState } = get();
    // Waiting for the user to choose which draft to keep: nothing is saved until then.
    if (saveState === 'conflict') return;
    if (saveState !== 'pending' && saveState !== 'offline') set({ saveState: 'pending' });
    scheduleSave();
  }

  /** Whether this window has edits the engine does not have yet (typed, waiting or on their way). */
  function hasOwnEdits(): boolean {
    flushEditors();
    return editSerial !== savedSerial || inFlight !== null || saveTimer !== null || get().saveState === 'conflict';
  }

  function draftInput(): DraftInput | null {
    const state = get();
    if (!state.currentPrompt) return null;
    const input: DraftInput = {
      promptId: state.currentPrompt.id,
      content: draftContent(state),
      variables: { ...state.variables },
      basedOnRevision: state.draftRevision,
    };
    if (pendingBaseVersions.has(input.promptId)) input.baseVersion = pendingBaseVersions.get(input.promptId);
    return input;
  }

  /** Forgets a base version still to send once the engine has it, unless another replaced it meanwhile. */
  function baseVersionDelivered(input: DraftInput): void {
    if (input.baseVersion !== undefined && pendingBaseVersions.get(input.promptId) === input.baseVersion) pendingBaseVersions.delete(input.promptId);
  }

  /**
   * After a refusal because another window wrote the draft since: with edits of its own, this
   * window shows the other window's draft beside them, its text staying in its editors (and going
   * to the journal if the window closes) until the user chooses ('choose'); without, it shows the
   * other window's draft, as it would have on hearing of it ('shown'). Null when neither is shown.
   */
  async function showDraftWrittenSince(promptId: number): Promise<'choose' | 'shown' | null> {
    try {
      const detail = await bridge().call('prompts:get', { id: promptId });
      if (get().currentPrompt?.id !== promptId) return null;
      if (!hasOwnEdits()) {
        showDraft(detail.draft);
        return 'shown';
      }
      if (saveTimer !== null) clearTimeout(saveTimer);
      saveTimer = null;
      heardWhileSaving = null;
      set({ saveState: 'conflict', draftConflict: detail.draft, draftConflictEditedAt: null, saveError: null });
      return 'choose';
    } catch (error) {
      if (get().currentPrompt?.id !== promptId) return null;
      set({ saveState: 'failed', saveError: error instanceof Error ? error.message : String(error) });
      get().reportError(error, 'Draft not saved');
      return null;
    }
  }

  /** Shows a draft written elsewhere in place of this window's (which has no edits of its own). */
  function showDraft(draft: PromptDraft): void {
    const current = get().messages;
    const messages = matchEditors(current, draft.content.messages);
    editSerial = 0;
    savedSerial = 0;
    set({
      model: draft.content.model,
      parameters: { ...draft.content.parameters },
      responseFormat: draft.content.responseFormat,
      ...heldTextState(draft.promptId, draft.content.responseFormat, draft.content.parameters, journalledHeldText(draft.promptId, draft.content.responseFormat, draft.content.parameters)),
      messages: messages.length === current.length && messages.every((message, index) => message === current[index]) ? current : messages,
      variables: { ...draft.variables },
      baseVersion: draft.baseVersion,
      isDraftDirty: draft.isDirty,
      draftRevision: draft.revision,
      draftConflict: null,
      draftConflictEditedAt: null,
      saveState: 'saved',
      saveError: null,
    });
  }

  /** After a save: a newer draft heard meanwhile is shown when this window is caught up. */
  function showDraftHeardWhileSaving(): void {
    const heard = heardWhileSaving;
    heardWhileSaving = null;
    if (heard) get().applyDraftFromElsewhere(heard);
  }

  function applyDraft(prompt: PromptSummary, versions: PromptVersionSummary[], draft: PromptDraft, focus: OpenPromptOptions['focus']) {
    const kept = unsavedDrafts.get(prompt.id);
    const journalled = kept === undefined ? journalNewerThan(draft) : undefined;
    const local = kept ?? journalled?.input;
    // Journalled again (the window closes, or the prompt is left while its choice waits), its text keeps its time.
    const journalledAt = journalled ? new Date(journalled.editedAt ?? journalled.writtenAt) : null;
    if (journalledAt !== null && !Number.isNaN(journalledAt.getTime())) lastEditedAt = journalledAt;
    conflictedDrafts.delete(prompt.id);
    heardWhileSaving = null;
    // Unsaved text started from a draft another window has written over since: the user chooses.
    const isConflict = local !== undefined && local.basedOnRevision !== undefined && local.basedOnRevision !== draft.revision && !isSameDraft(local, draft);
    const content = local ? local.content : draft.content;
    const hasLocalBase = local?.baseVersion !== undefined;
    if (hasLocalBase) pendingBaseVersions.set(prompt.id, local.baseVersion ?? null);
    // The prompt left keeps its editors for a while; one opened again as it was left gets its own back (undo and all).
    const left = get();
    if (left.currentPrompt) keepMessages(left.currentPrompt.id, left.messages);
    const messages = takeKeptMessages(prompt.id, content.messages) ?? toEditorMessages(content);
    editSerial = local ? 1 : 0;
    savedSerial = 0;
    set({
      currentPrompt: prompt,
      versions: [...versions].sort((a, b) => b.number - a.number),
      model: content.model,
      parameters: { ...content.parameters },
      responseFormat: content.responseFormat,
      ...heldTextState(prompt.id, content.responseFormat, content.parameters, journalledHeldText(prompt.id, content.responseFormat, content.parameters)),
      messages,
      variables: { ...(local ? local.variables : draft.variables) },
      baseVersion: hasLocalBase ? (local.baseVersion ?? null) : draft.baseVersion,
      isDraftDirty: draft.isDirty,
      draftRevision: local?.basedOnRevision ?? draft.revision,
      draftConflict: isConflict ? draft : null,
      draftConflictEditedAt: isConflict && journalled ? (journalled.editedAt ?? journalled.writtenAt) : null,
      saveState: isConflict ? 'conflict' : local ? 'pending' : 'saved',
      saveError: null,
      isPromptLoading: false,
      focusMessageKey: focus === 'editor' && messages.length > 0 ? messages[0].key : null,
    });
    if (local && !isConflict) scheduleSave();
  }

  /** Puts content into the draft (a restore, or its undo), with what the Model tab held that it could not take, if any. */
  function replaceContent(content: PromptContent, variables: Record<string, string>, held: HeldText = NOTHING_HELD) {
    const promptId = get().currentPrompt?.id;
    set({
      model: content.model,
      parameters: { ...content.parameters },
      responseFormat: content.responseFormat,
      ...(promptId === undefined ? { unparsedSchema: null, refusedSchemaName: null, refusedParameters: {}, heldRefusal: null } : heldTextState(promptId, content.responseFormat, content.parameters, held)),
      messages: toEditorMessages(content),
      variables: { ...variables },
    });
  }

  /** Takes what the Model tab holds that the draft cannot take, against the draft's format and parameters as they are now. */
  function takeHeldText(held: HeldText): void {
    const { currentPrompt, responseFormat, parameters, heldRefusal: before } = get();
    if (!currentPrompt) return;
    const next = heldTextState(currentPrompt.id, responseFormat, parameters, held);
    set(next);
    // A run refused for what the tab held is not refused for it any more once that is fixed (or another problem is first now).
    if (before !== null && next.heldRefusal !== before && get().runRefusal === before) get().dismissRunRefusal();
  }

  /** What the Model tab holds now. */
  function heldNow(): HeldText {
    const state = get();
    return { schema: state.unparsedSchema, name: state.refusedSchemaName, parameters: state.refusedParameters };
  }

  function updateMessages(update: (messages: EditorMessage[]) => EditorMessage[]) {
    set({ messages: update(get().messages) });
    markEdited();
  }

  return {
    currentPrompt: null,
    versions: [],
    isPromptLoading: false,
    model: '',
    parameters: {},
    responseFormat: undefined,
    heldRefusal: null,
    unparsedSchema: null,
    refusedSchemaName: null,
    refusedParameters: {},
    messages: [],
    variables: {},
    baseVersion: null,
    isDraftDirty: false,
    draftRevision: 0,
    draftConflict: null,
    draftConflictEditedAt: null,
    saveState: 'saved',
    saveError: null,
    focusMessageKey: null,

    async openPrompt(id, options = {}) {
      if (get().currentPrompt?.id === id && !options.detail) {
        // Already open: keep the editors (and their cursors) as they are.
        get().closeVersionView();
        const first = get().messages[0];
        if (options.focus === 'editor' && first) set({ focusMessageKey: first.key });
        return;
      }
      const sequence = ++openSequence;
      if (get().currentPrompt) await get().saveDraftNow();
      // Edits still waiting for the user's choice are kept, to ask again when the prompt is opened again.
      const left = get();
      if (left.saveState === 'conflict' && left.currentPrompt) {
        const input = draftInput();
        if (input) {
          unsavedDrafts.set(left.currentPrompt.id, input);
          conflictedDrafts.add(left.currentPrompt.id);
          writeJournal(input, lastEditedAt);
        }
      }
      get().closeVersionView();
      set({ isPromptLoading: true });
      try {
        const detail = options.detail ?? (await bridge().call('prompts:get', { id }));
        if (sequence !== openSequence) return;
        applyDraft(detail.prompt, detail.versions, detail.draft, options.focus ?? 'none');
        get().resetCompareSelection();
        // Its last comparison, after a reload or a restart: the runs panel is not left empty.
        void get().restoreLatestBatch(id);
        try {
          localStorage.setItem(LAST_PROMPT_KEY, String(id));
        } catch {
          // Only the next start's choice of prompt suffers.
        }
      } catch (error) {
        if (sequence === openSequence) set({ isPromptLoading: false });
        get().reportError(error, 'Could not open the prompt');
      }
    },

    setMessageContent(key, content) {
      const messages = get().messages;
      const index = messages.findIndex((message) => message.key === key);
      if (index === -1 || messages[index].content === content) return;
      updateMessages((list) => list.map((message, at) => (at === index ? { ...message, content } : message)));
    },
    setMessageRole(key, role) {
      updateMessages((list) => list.map((message) => (message.key === key ? { ...message, role } : message)));
    },
    moveMessage(key, delta) {
      const messages = get().messages;
      const from = messages.findIndex((message) => message.key === key);
      const to = from + delta;
      if (from === -1 || to < 0 || to >= messages.length) return;
      updateMessages((list) => {
        const next = [...list];
        [next[from], next[to]] = [next[to], next[from]];
        return next;
      });
    },
    removeMessage(key) {
      flushEditors();
      const messages = get().messages;
      const index = messages.findIndex((message) => message.key === key);
      if (index === -1) return;
      const removed = messages[index];
      updateMessages((list) => list.filter((message) => message.key !== key));
      if (removed.content.trim() !== '') {
        const promptId = get().currentPrompt?.id;
        get().showToast('info', `Removed the ${removed.role} message`, {
          label: 'Undo',
          run: () => {
            if (get().currentPrompt?.id !== promptId) return;
            const key = newKey();
            updateMessages((list) => {
              const next = [...list];
              next.splice(Math.min(index, next.length), 0, { ...removed, key });
              return next;
            });
            set({ focusMessageKey: key });
          },
        });
      }
    },
    addMessage(role) {
      const messages = get().messages;
      const last = messages.at(-1)?.role;
      const nextRole: MessageRole = role ?? (last === undefined ? 'system' : last === 'user' ? 'assistant' : 'user');
      const message: EditorMessage = { key: newKey(), role: nextRole, content: '' };
      set({ focusMessageKey: message.key });
      updateMessages((list) => [...list, message]);
    },
    clearFocusRequest() {
      if (get().focusMessageKey !== null) set({ focusMessageKey: null });
    },
    setVariable(name, value) {
      const variables = { ...get().variables };
      if (value === null || value === '') delete variables[name];
      else variables[name] = value;
      set({ variables });
      // A run refused for a missing value is not refused for it any more; the estimate says what is still missing.
      get().dismissRunRefusal();
      markEdited();
    },
    renameVariable(from, to) {
      flushEditors();
      const name = to.trim();
      if (name === from) return null;
      if (!isValidVariableName(name)) return 'Use letters, digits, _, - or ., starting with a letter or _';
      const state = get();
      if (collectVariables(state.messages).includes(name)) return `The messages use {{${name}}} already: choose another name`;
      const promptId = state.currentPrompt?.id;
      // An unused value under the new name gives way to the variable's own (or to none), and comes back with Undo.
      const replacedValue = Object.hasOwn(state.variables, name) ? state.variables[name] : undefined;
      /** Renames `before` to `after` in the messages and the values, putting `restored` back under `before` if given. */
      const rename = (before: string, after: string, restored: string | undefined) => {
        const variables = { ...get().variables };
        delete variables[after];
        if (Object.hasOwn(variables, before)) variables[after] = variables[before];
        delete variables[before];
        if (restored !== undefined) variables[before] = restored;
        set({ variables });
        updateMessages((list) =>
          list.map((message) => {
            const content = renameVariable(message.content, before, after);
            if (content === message.content) return message;
            // The user's own edit: undoable in the message's editor, unlike another window's text.
            expectOwnEdit(message.key, content);
            return { ...message, content };
          }),
        );
      };
      const count = state.messages.filter((message) => renameVariable(message.content, from, name) !== message.content).length;
      rename(from, name, undefined);
      get().showToast('info', `Renamed {{${from}}} to {{${name}}} in ${count === 1 ? 'one message' : `${count} messages`}`, {
        label: 'Undo',
        run: () => {
          if (get().currentPrompt?.id !== promptId) return;
          rename(name, from, replacedValue);
        },
      });
      return null;
    },
    setModelId(model) {
      if (model === get().model) return;
      set({ model });
      markEdited();
    },
    setParameter(name, value) {
      const parameters = { ...get().parameters };
      if (value === undefined) delete parameters[name];
      else parameters[name] = value;
      set({ parameters });
      // A value allowed replaces the text the field held refused.
      const held = heldNow();
      if (Object.hasOwn(held.parameters, name)) {
        const refused = { ...held.parameters };
        delete refused[name as NumberParameter];
        takeHeldText({ ...held, parameters: refused });
      }
      markEdited();
    },
    setRefusedParameter(name, text) {
      const held = heldNow();
      if (held.parameters[name] === text) return;
      takeHeldText({ ...held, parameters: { ...held.parameters, [name]: text } });
    },
    setResponseFormat(format) {
      const { responseFormat: current, unparsedSchema, refusedSchemaName, refusedParameters } = get();
      if (JSON.stringify(format) === JSON.stringify(current)) return;
      // Schema text that does not parse and a name refused stand in for the draft's: another format (or schema, or name) replaces them.
      const isSameSchema = format?.type === 'json_schema' && current?.type === 'json_schema' && JSON.stringify(format.schema) === JSON.stringify(current.schema);
      const isSameName = isSameSchema && format.name === current.name;
      set({ responseFormat: format });
      takeHeldText({ schema: isSameSchema ? unparsedSchema : null, name: isSameName ? refusedSchemaName : null, parameters: refusedParameters });
      markEdited();
    },
    setSchemaText(text) {
      const { responseFormat: format, currentPrompt } = get();
      if (!currentPrompt || format?.type !== 'json_schema') return;
      const result = readSchemaText(text);
      // One change, so the editor never sees the text gone before the schema came.
      const next: ResponseFormat = result.ok ? { ...format, schema: result.schema } : format;
      const isChanged = next !== format && JSON.stringify(next) !== JSON.stringify(format);
      if (isChanged) set({ responseFormat: next });
      takeHeldText({ ...heldNow(), schema: result.ok ? null : text });
      if (isChanged) markEdited();
    },
    setSchemaName(name) {
      const { responseFormat: format, currentPrompt } = get();
      if (!currentPrompt || format?.type !== 'json_schema') return;
      const isAllowed = schemaNameProblem(name) === null;
      const next: ResponseFormat = isAllowed ? { ...format, name } : format;
      const isChanged = next.name !== format.name;
      if (isChanged) set({ responseFormat: next });
      takeHeldText({ ...heldNow(), name: isAllowed ? null : name });
      if (isChanged) markEdited();
    },
    async setDescription(description) {
      const prompt = get().currentPrompt;
      if (!prompt || prompt.description === description) return;
      try {
        const summary = await bridge().call('prompts:describe', { id: prompt.id, description });
        get().upsertPromptSummary(summary);
      } catch (error) {
        get().reportError(error, 'Could not save the description');
      }
    },

    async saveDraftNow() {
      flushEditors();
      if (saveTimer !== null) clearTimeout(saveTimer);
      saveTimer = null;
      if (inFlight) {
        await inFlight;
        return get().saveDraftNow();
      }
      if (get().saveState === 'conflict') return;
      const input = draftInput();
      if (!input || editSerial === savedSerial) return;
      const serial = editSerial;
      set({ saveState: 'saving' });
      inFlight = (async () => {
        try {
          const draft = await bridge().call('drafts:save', input);
          unsavedDrafts.delete(input.promptId);
          clearJournal(input.promptId);
          baseVersionDelivered(input);
          if (get().currentPrompt?.id !== input.promptId) return;
          savedSerial = Math.max(savedSerial, serial);
          const isCaughtUp = editSerial === savedSerial;
          set({
            isDraftDirty: draft.isDirty,
            baseVersion: draft.baseVersion,
            draftRevision: draft.revision,
            saveError: null,
            saveState: isCaughtUp ? 'saved' : 'pending',
          });
          if (!isCaughtUp) scheduleSave();
        } catch (error) {
          if (hasErrorCode(error, 'conflict')) {
            // Another window saved first: nothing of this one's was written, and nothing is dropped.
            unsavedDrafts.delete(input.promptId);
            if (get().currentPrompt?.id === input.promptId) await showDraftWrittenSince(input.promptId);
          } else if (hasErrorCode(error, 'unavailable')) {
            unsavedDrafts.set(input.promptId, input);
            writeJournal(input, lastEditedAt);
            if (get().currentPrompt?.id === input.promptId) set({ saveState: 'offline' });
          } else if (get().currentPrompt?.id === input.promptId) {
            const message = error instanceof Error ? error.message : String(error);
            set({ saveState: 'failed', saveError: message });
            get().reportError(error, 'Draft not saved');
          }
        } finally {
          inFlight = null;
        }
      })();
      await inFlight;
      if (get().saveState === 'saved') showDraftHeardWhileSaving();
    },

    async retryUnsavedDrafts() {
      const currentId = get().currentPrompt?.id;
      for (const [promptId, input] of [...unsavedDrafts]) {
        if (promptId === currentId || conflictedDrafts.has(promptId)) continue;
        try {
          await bridge().call('drafts:save', input);
          unsavedDrafts.delete(promptId);
          clearJournal(promptId);
          baseVersionDelivered(input);
        } catch (error) {
          if (hasErrorCode(error, 'conflict')) {
            // Kept for the user to choose when the prompt is opened again.
            conflictedDrafts.add(promptId);
            writeJournal(input);
            const name = get().prompts.find((prompt) => prompt.id === promptId)?.name ?? 'A prompt';
            get().showToast('error', `“${name}” was changed in another window while this one was offline: open it to choose which draft to keep`);
          } else if (!hasErrorCode(error, 'unavailable')) {
            unsavedDrafts.delete(promptId);
            get().reportError(error, 'A draft could not be saved');
          }
        }
      }
      if (editSerial !== savedSerial) await get().saveDraftNow();
    },

    async saveVersion(note) {
      flushEditors();
      const prompt = get().currentPrompt;
      const input = draftInput();
      if (!prompt || !input) return { ok: false, message: 'No prompt is open' };
      if (get().saveState === 'conflict') return { ok: false, message: NO_VERSION_WHILE_CONFLICT };
      const heldRefusal = get().heldRefusal;
      if (heldRefusal !== null) return { ok: false, message: heldRefusal };
      const serial = editSerial;
      try {
        const version = await bridge().call('versions:save', {
          promptId: input.promptId,
          content: input.content,
          variables: input.variables,
          note,
          basedOnRevision: input.basedOnRevision,
        });
        // The new version is the draft's base now, whatever an undone restore had put back.
        pendingBaseVersions.delete(prompt.id);
        const versions = [version, ...get().versions.filter((item) => item.number !== version.number)];
        // The version was written into the draft as one more revision of the one it started from.
        if (input.basedOnRevision !== undefined && get().currentPrompt?.id === prompt.id) {
          savedSerial = Math.max(savedSerial, serial);
          set({ draftRevision: input.basedOnRevision + 1 });
        }
        set({ versions, baseVersion: version.number, isDraftDirty: false });
        get().upsertPromptSummary({
          ...prompt,
          versionCount: versions.length,
          latestVersion: version.number,
          updatedAt: version.createdAt,
        });
        // The draft that produced the version is saved too, so a restart opens what was saved.
        void get().saveDraftNow();
        return { ok: true, version };
      } catch (error) {
        if (hasErrorCode(error, 'conflict') && (await isDraftStale(prompt.id, input.basedOnRevision))) {
          const shown = await showDraftWrittenSince(prompt.id);
          return { ok: false, message: shown === 'shown' ? NO_VERSION_DRAFT_CHANGED : NO_VERSION_WHILE_CONFLICT };
        }
        if (hasErrorCode(error, 'conflict')) {
          const latest = get().versions[0]?.number;
          return { ok: false, message: latest ? `No changes since v${latest} — nothing to save` : (error as Error).message };
        }
        return { ok: false, message: error instanceof Error ? error.message : String(error) };
      }
    },

    async restoreVersion(number) {
      const prompt = get().currentPrompt;
      if (!prompt) return;
      await get().saveDraftNow();
      const state = get();
      if (state.saveState === 'conflict') {
        // Asked from a version open read-only: the draft, with the choice to make, comes back into view.
        get().closeVersionView();
        get().showToast('error', notRestoredWhileConflict(number));
        return;
      }
      const previous = { content: draftContent(state), variables: { ...state.variables }, baseVersion: state.baseVersion, held: heldNow() };
      try {
        const draft = await bridge().call('versions:restore', { promptId: prompt.id, number, basedOnRevision: state.draftRevision });
        pendingBaseVersions.delete(prompt.id);
        if (get().currentPrompt?.id !== prompt.id) return;
        replaceContent(draft.content, draft.variables);
        editSerial = 0;
        savedSerial = 0;
        set({ baseVersion: draft.baseVersion, isDraftDirty: draft.isDirty, draftRevision: draft.revision, saveState: 'saved', saveError: null });
        get().closeVersionView();
        get().showToast('info', `Restored v${number} into the draft`, {
          label: 'Undo',
          run: () => {
            if (get().currentPrompt?.id !== prompt.id) return;
            replaceContent(previous.content, previous.variables, previous.held);
            // The draft is based on what it was before the restore again, in the engine too.
            pendingBaseVersions.set(prompt.id, previous.baseVersion);
            // The keyboard goes back to the text, not to the page with the toast's button.
            set({ baseVersion: previous.baseVersion, focusMessageKey: get().messages[0]?.key ?? null });
            markEdited();
          },
        });
      } catch (error) {
        if (hasErrorCode(error, 'conflict')) {
          const shown = await showDraftWrittenSince(prompt.id);
          if (shown === null) return;
          get().closeVersionView();
          get().showToast('error', shown === 'shown' ? notRestoredDraftChanged(number) : notRestoredWhileConflict(number));
        } else {
          get().reportError(error, `Could not restore v${number}`);
        }
      }
    },

    async refreshCurrentPrompt() {
      const prompt = get().currentPrompt;
      if (!prompt) return;
      try {
        const detail = await bridge().call('prompts:get', { id: prompt.id });
        if (get().currentPrompt?.id !== prompt.id) return;
        set({
          currentPrompt: detail.prompt,
          versions: [...detail.versions].sort((a, b) => b.number - a.number),
        });
        // The draft too, if written elsewhere meanwhile (an import, another window while this one was offline).
        get().applyDraftFromElsewhere(detail.draft);
      } catch (error) {
        if (!hasErrorCode(error, 'unavailable')) get().reportError(error, 'Could not refresh the prompt');
      }
    },

    applyDraftFromElsewhere(draft) {
      const state = get();
      if (state.currentPrompt?.id !== draft.promptId || draft.revision <= state.draftRevision) return;
      if (state.saveState === 'conflict') {
        // The user chooses against the latest of the other drafts.
        if (state.draftConflict === null || draft.revision > state.draftConflict.revision) set({ draftConflict: draft });
        return;
      }
      if (hasOwnEdits()) {
        // Its own save is refused if it was not the last (then the user chooses); if it was, this comes after.
        if (inFlight !== null && (heardWhileSaving === null || draft.revision > heardWhileSaving.revision)) heardWhileSaving = draft;
        return;
      }
      showDraft(draft);
    },

    takeOtherDraft() {
      // The last keystrokes of a large message too are this window's text, for Undo to bring back.
      flushEditors();
      const state = get();
      const other = state.draftConflict;
      if (!state.currentPrompt || other === null) return;
      const promptId = state.currentPrompt.id;
      const mine = { content: draftContent(state), variables: { ...state.variables }, held: heldNow() };
      const isJournalled = state.draftConflictEditedAt !== null;
      unsavedDrafts.delete(promptId);
      clearJournal(promptId);
      showDraft(other);
      get().showToast('info', isJournalled ? 'Took the saved draft' : 'Took the other window’s draft', {
        label: 'Undo',
        run: () => {
          if (get().currentPrompt?.id !== promptId) return;
          // This window's text again, saved over the draft it replaced (or asked about again if that changed too).
          replaceContent(mine.content, mine.variables, mine.held);
          set({ focusMessageKey: get().messages[0]?.key ?? null });
          markEdited();
        },
      });
    },

    async keepMyDraft() {
      const other = get().draftConflict;
      if (other === null) return;
      // Saved over the other window's draft as the user saw it; a newer one still is refused again.
      editSerial += 1;
      set({ draftConflict: null, draftConflictEditedAt: null, draftRevision: other.revision, saveState: 'pending' });
      await get().saveDraftNow();
    },
  };
};
