/**
 * The Monaco editor of one message: template language, markers, and a height that follows the
 * text up to a cap, then scrolls.
 *
 * The editor owns its text while mounted; it copies it into the store on each change, or, for
 * large messages, on a short debounce (registered with `flushEditors` so a save never misses
 * the last keystrokes). Text the store gets from elsewhere (another window's edit of this
 * message) is taken into the editor keeping the user's place in it (`takeTextFromElsewhere`);
 * text from this window's own action (a variable rename) as an undoable edit (`takeOwnText`).
 * Markers are recomputed on a debounce from one cached scan.
 */

import { Editor, type OnMount } from '@monaco-editor/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { monaco } from '../../monaco/monaco-api';
import { TEMPLATE_LANGUAGE, updateTemplateMarkers } from '../../monaco/template-language';
import { useWorkbench } from '../../store/workbench-store';
import { useMonacoTheme } from '../settings/use-theme';
import { registerEditorFlush } from './editor-flush';
import { isKeptMessage, messageModelPath, setModelDisposer } from './kept-messages';
import { BLOCK_EDITOR_OPTIONS } from './editor-options';
import { takeOwnEdit } from './own-edits';
import { takeOwnText, takeTextFromElsewhere } from './text-from-elsewhere';

/** Above this many characters, text is copied to the store on a debounce instead of per keystroke. */
const LARGE_TEXT_CHARS = 100_000;
const LARGE_SYNC_DELAY_MS = 150;
const MIN_HEIGHT = 38;

function markerDelay(length: number): number {
  return length > LARGE_TEXT_CHARS ? 400 : 120;
}

function maxHeight(): number {
  return Math.max(220, Math.round(window.innerHeight * 0.6));
}

/** Props of `TemplateEditor`. */
export interface TemplateEditorProps {
  messageKey: string;
  /** The text when the editor mounts; later changes come from the editor itself. */
  initialValue: string;
  placeholder: string;
  ariaLabel: string;
}

/** A message's editor. */
export function TemplateEditor({ messageKey, initialValue, placeholder, ariaLabel }: TemplateEditorProps) {
  const theme = useMonacoTheme();
  const [height, setHeight] = useState(() => Math.min(maxHeight(), Math.max(MIN_HEIGHT, (initialValue.split('\n').length * 20) + 16)));
  const cleanup = useRef<(() => void) | null>(null);
  const options = useMemo(
    (): monaco.editor.IStandaloneEditorConstructionOptions => ({ ...BLOCK_EDITOR_OPTIONS, placeholder, ariaLabel }),
    [placeholder, ariaLabel],
  );

  const onMount = useCallback<OnMount>(
    (editor, monacoApi) => {
      const model = editor.getModel();
      if (!model) return;
      setModelDisposer((key) => monacoApi.editor.getModel(monacoApi.Uri.parse(messageModelPath(key)))?.dispose());
      let syncTimer: ReturnType<typeof setTimeout> | null = null;
      let markerTimer: ReturnType<typeof setTimeout> | null = null;
      /** The text the store last had from this editor: a different one there was written elsewhere. */
      let syncedText = model.getValue();

      const sync = () => {
        if (syncTimer !== null) clearTimeout(syncTimer);
        syncTimer = null;
        if (model.isDisposed()) return;
        syncedText = model.getValue();
        useWorkbench.getState().setMessageContent(messageKey, syncedText);
      };
      const takeStoredText = (messages: readonly { key: string; content: string }[]) => {
        const stored = messages.find((message) => message.key === messageKey)?.content;
        if (stored === undefined || stored === syncedText || model.isDisposed()) return;
        if (syncTimer !== null) clearTimeout(syncTimer);
        syncTimer = null;
        syncedText = stored;
        if (takeOwnEdit(messageKey, stored)) takeOwnText(editor, stored);
        else takeTextFromElsewhere(editor, stored);
      };
      const scheduleMarkers = () => {
        if (markerTimer !== null) clearTimeout(markerTimer);
        markerTimer = setTimeout(() => updateTemplateMarkers(model), markerDelay(model.getValueLength()));
      };

      const changes = editor.onDidChangeModelContent(() => {
        if (model.getValueLength() > LARGE_TEXT_CHARS) {
          if (syncTimer !== null) clearTimeout(syncTimer);
          syncTimer = setTimeout(sync, LARGE_SYNC_DELAY_MS);
        } else {
          sync();
        }
        scheduleMarkers();
      });
      const sizes = editor.onDidContentSizeChange((event) => {
        if (event.contentHeightChanged) setHeight(Math.min(maxHeight(), Math.max(MIN_HEIGHT, event.contentHeight)));
      });
      const blur = editor.onDidBlurEditorText(sync);
      const unregister = registerEditorFlush(() => {
        if (syncTimer !== null) sync();
      });

      // Written elsewhere before this editor came (Monaco loads lazily), or while it is open.
      takeStoredText(useWorkbench.getState().messages);
      const stopTextFromElsewhere = useWorkbench.subscribe((state, previous) => {
        if (state.messages !== previous.messages) takeStoredText(state.messages);
      });

      updateTemplateMarkers(model);
      setHeight(Math.min(maxHeight(), Math.max(MIN_HEIGHT, editor.getContentHeight())));
      const takeFocusIfAsked = (key: string | null) => {
        if (key !== messageKey) return;
        editor.focus();
        useWorkbench.getState().clearFocusRequest();
      };
      takeFocusIfAsked(useWorkbench.getState().focusMessageKey);
      const stopFocusRequests = useWorkbench.subscribe((state, previous) => {
        if (state.focusMessageKey !== previous.focusMessageKey) takeFocusIfAsked(state.focusMessageKey);
      });

      cleanup.current = () => {
        if (syncTimer !== null) sync();
        if (markerTimer !== null) clearTimeout(markerTimer);
        changes.dispose();
        sizes.dispose();
        blur.dispose();
        unregister();
        stopFocusRequests();
        stopTextFromElsewhere();
        // The model outlives the editor (undo history for a prompt opened again); once the editor
        // is gone, a message no longer in the draft nor kept for a prompt left lets it go.
        setTimeout(() => {
          const isWanted = useWorkbench.getState().messages.some((message) => message.key === messageKey) || isKeptMessage(messageKey);
          if (!isWanted && !model.isDisposed()) model.dispose();
        }, 0);
      };
    },
    [messageKey],
  );

  useEffect(() => () => cleanup.current?.(), []);

  return (
    <div className="template-editor" style={{ height }} data-testid="message-editor">
      <Editor
        path={messageModelPath(messageKey)}
        keepCurrentModel
        defaultValue={initialValue}
        defaultLanguage={TEMPLATE_LANGUAGE}
        theme={theme}
        options={options}
        onMount={onMount}
        loading={<div className="editor-loading" />}
      />
    </div>
  );
}
