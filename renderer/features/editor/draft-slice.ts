/**
 * The open prompt and its working draft: messages, model, parameters and variable values,
 * with autosave.
 *
 * Autosave: every edit bumps a serial and schedules `drafts:save` shortly after the last edit;
 * blur, visibility changes, switching prompts and saving a version save at once. A save that
 * fails because the host is unreachable keeps the draft in memory and is retried when the
 * connection comes back, so nothing typed is lost while the host restarts.
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
} from '../../../shared/types';
import { hasErrorCode } from '../../bridge/client';
import { bridge } from '../../bridge/connection';
import type { SliceCreator } from '../../store/app-state';
import { clearJournal, readJournal, writeJournal } from './draft-journal';
import { flushEditors } from './editor-flush';
import { keepMessages, takeKeptMessages } from './kept-messages';

/** A message as the editor holds it: with a stable key for React and its Monaco model. */
export interface EditorMessage {
  key: string;
  role: MessageRole;
  content: string;
}

/** Where the draft stands with the engine. */
export type DraftSaveState = 'saved' | 'pending' | 'saving' | 'offline' | 'failed';

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
  messages: EditorMessage[];
  variables: Record<string, string>;
  baseVersion: number | null;
  isDraftDirty: boolean;
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
  setModelId(model: string): void;
  setParameter<K extends keyof ModelParameters>(name: K, value: ModelParameters[K] | undefined): void;
  setDescription(description: string): Promise<void>;
  saveDraftNow(): Promise<void>;
  retryUnsavedDrafts(): Promise<void>;
  saveVersion(note: string): Promise<SaveVersionOutcome>;
  restoreVersion(number: number): Promise<void>;
  refreshCurrentPrompt(): Promise<void>;
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

function newKey(): string {
  return `m${nextMessageKey++}`;
}

function toEditorMessages(content: PromptContent): EditorMessage[] {
  return content.messages.map((message) => ({ key: newKey(), role: message.role, content: message.content }));
}

/** The draft as the engine takes it. */
export function draftContent(state: Pick<DraftSlice, 'model' | 'parameters' | 'messages'>): PromptContent {
  return {
    model: state.model,
    parameters: state.parameters,
    messages: state.messages.map(({ role, content }) => ({ role, content })),
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

/** A journalled draft of an earlier window that the engine never confirmed, if newer than its draft. */
function journalNewerThan(draft: PromptDraft): DraftInput | undefined {
  const entry = readJournal(draft.promptId);
  if (!entry) return undefined;
  const isSame = JSON.stringify(entry.input.content) === JSON.stringify(draft.content) && JSON.stringify(entry.input.variables) === JSON.stringify(draft.variables);
  if (isSame || entry.writtenAt < draft.updatedAt) {
    clearJournal(draft.promptId);
    return undefined;
  }
  return entry.input;
}

/** Writes the open draft to the local journal when the engine may not have it yet (the window is closing). */
export function journalIfUnsaved(state: Pick<DraftSlice, 'currentPrompt' | 'saveState' | 'model' | 'parameters' | 'messages' | 'variables'>): void {
  if (!state.currentPrompt || state.saveState === 'saved') return;
  writeJournal({ promptId: state.currentPrompt.id, content: draftContent(state), variables: { ...state.variables } });
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
    const { saveState } = get();
    if (saveState !== 'pending' && saveState !== 'offline') set({ saveState: 'pending' });
    scheduleSave();
  }

  function draftInput(): DraftInput | null {
    const state = get();
    if (!state.currentPrompt) return null;
    const input: DraftInput = { promptId: state.currentPrompt.id, content: draftContent(state), variables: { ...state.variables } };
    if (pendingBaseVersions.has(input.promptId)) input.baseVersion = pendingBaseVersions.get(input.promptId);
    return input;
  }

  /** Forgets a base version still to send once the engine has it, unless another replaced it meanwhile. */
  function baseVersionDelivered(input: DraftInput): void {
    if (input.baseVersion !== undefined && pendingBaseVersions.get(input.promptId) === input.baseVersion) pendingBaseVersions.delete(input.promptId);
  }

  function applyDraft(prompt: PromptSummary, versions: PromptVersionSummary[], draft: PromptDraft, focus: OpenPromptOptions['focus']) {
    const local = unsavedDrafts.get(prompt.id) ?? journalNewerThan(draft);
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
      messages,
      variables: { ...(local ? local.variables : draft.variables) },
      baseVersion: hasLocalBase ? (local.baseVersion ?? null) : draft.baseVersion,
      isDraftDirty: draft.isDirty,
      saveState: local ? 'pending' : 'saved',
      saveError: null,
      isPromptLoading: false,
      focusMessageKey: focus === 'editor' && messages.length > 0 ? messages[0].key : null,
    });
    if (local) scheduleSave();
  }

  function replaceContent(content: PromptContent, variables: Record<string, string>) {
    set({
      model: content.model,
      parameters: { ...content.parameters },
      messages: toEditorMessages(content),
      variables: { ...variables },
    });
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
    messages: [],
    variables: {},
    baseVersion: null,
    isDraftDirty: false,
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
      markEdited();
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
          set({ isDraftDirty: draft.isDirty, baseVersion: draft.baseVersion, saveError: null, saveState: isCaughtUp ? 'saved' : 'pending' });
          if (!isCaughtUp) scheduleSave();
        } catch (error) {
          if (hasErrorCode(error, 'unavailable')) {
            unsavedDrafts.set(input.promptId, input);
            writeJournal(input);
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
    },

    async retryUnsavedDrafts() {
      const currentId = get().currentPrompt?.id;
      for (const [promptId, input] of [...unsavedDrafts]) {
        if (promptId === currentId) continue;
        try {
          await bridge().call('drafts:save', input);
          unsavedDrafts.delete(promptId);
          clearJournal(promptId);
          baseVersionDelivered(input);
        } catch (error) {
          if (!hasErrorCode(error, 'unavailable')) {
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
      try {
        const version = await bridge().call('versions:save', { promptId: input.promptId, content: input.content, variables: input.variables, note });
        // The new version is the draft's base now, whatever an undone restore had put back.
        pendingBaseVersions.delete(prompt.id);
        const versions = [version, ...get().versions.filter((item) => item.number !== version.number)];
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
      const previous = { content: draftContent(state), variables: { ...state.variables }, baseVersion: state.baseVersion };
      try {
        const draft = await bridge().call('versions:restore', { promptId: prompt.id, number });
        pendingBaseVersions.delete(prompt.id);
        if (get().currentPrompt?.id !== prompt.id) return;
        replaceContent(draft.content, draft.variables);
        editSerial = 0;
        savedSerial = 0;
        set({ baseVersion: draft.baseVersion, isDraftDirty: draft.isDirty, saveState: 'saved', saveError: null });
        get().closeVersionView();
        get().showToast('info', `Restored v${number} into the draft`, {
          label: 'Undo',
          run: () => {
            if (get().currentPrompt?.id !== prompt.id) return;
            replaceContent(previous.content, previous.variables);
            // The draft is based on what it was before the restore again, in the engine too.
            pendingBaseVersions.set(prompt.id, previous.baseVersion);
            // The keyboard goes back to the text, not to the page with the toast's button.
            set({ baseVersion: previous.baseVersion, focusMessageKey: get().messages[0]?.key ?? null });
            markEdited();
          },
        });
      } catch (error) {
        get().reportError(error, `Could not restore v${number}`);
      }
    },

    async refreshCurrentPrompt() {
      const prompt = get().currentPrompt;
      if (!prompt) return;
      try {
        const detail = await bridge().call('prompts:get', { id: prompt.id });
        if (get().currentPrompt?.id !== prompt.id) return;
        // Only what others change: the editor's own text stays as typed.
        set({
          currentPrompt: detail.prompt,
          versions: [...detail.versions].sort((a, b) => b.number - a.number),
        });
      } catch (error) {
        if (!hasErrorCode(error, 'unavailable')) get().reportError(error, 'Could not refresh the prompt');
      }
    },
  };
};
