/**
 * A message's text written in another window, taken into this window's editor of it while the
 * user may be reading there: the cursor, selections and scroll stay where they were (moved with
 * the edit when it comes before them, clamped to the new text when it replaced what they were
 * in), and the editor keeps the keyboard.
 *
 * The text is set anew (`setValue`), which starts the editor's undo history from it. Pushed as
 * an undoable edit instead, Ctrl+Z here would take the other window's text out and autosave
 * that over its draft, unseen there; applied without an undo step (`applyEdits`), the older
 * steps would point at text that has moved, and undo would garble the message.
 *
 * A text this window's own action put into the draft (a variable rename) is the user's edit,
 * and goes in as one undoable step (`takeOwnText`): Ctrl+Z in the message takes it back, and the
 * typing before it stays undoable.
 */

import type { monaco } from '../../monaco/monaco-api';

/** Where two texts differ: from `start` to `oldEnd` in the old one, from `start` to `newEnd` in the new one. */
export interface ChangedSpan {
  start: number;
  oldEnd: number;
  newEnd: number;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** The one span in which `newText` differs from `oldText`: the text both start and end with is left out. */
export function changedSpan(oldText: string, newText: string): ChangedSpan {
  const shorter = Math.min(oldText.length, newText.length);
  let start = 0;
  while (start < shorter && oldText.charCodeAt(start) === newText.charCodeAt(start)) start += 1;
  // Never between the two halves of a character outside the basic plane (an emoji).
  if (start > 0 && start < shorter && isHighSurrogate(oldText.charCodeAt(start - 1))) start -= 1;
  let end = 0;
  while (end < shorter - start && oldText.charCodeAt(oldText.length - 1 - end) === newText.charCodeAt(newText.length - 1 - end)) end += 1;
  if (end > 0 && end < shorter - start && isLowSurrogate(oldText.charCodeAt(oldText.length - end))) end -= 1;
  return { start, oldEnd: oldText.length - end, newEnd: newText.length - end };
}

/** Where a place in the old text is in the new one. */
export function offsetAfterEdit(offset: number, span: ChangedSpan): number {
  if (offset <= span.start) return offset;
  if (offset >= span.oldEnd) return offset + span.newEnd - span.oldEnd;
  return Math.min(offset, span.newEnd);
}

/** Shows `text`, written elsewhere, in `editor` in place of its own, keeping the user’s place in it. */
export function takeTextFromElsewhere(editor: monaco.editor.ICodeEditor, text: string): void {
  const model = editor.getModel();
  if (!model || model.isDisposed()) return;
  const oldText = model.getValue();
  if (oldText === text) return;
  const span = changedSpan(oldText, text);
  const places = (editor.getSelections() ?? []).map((selection) => ({
    anchor: model.getOffsetAt({ lineNumber: selection.selectionStartLineNumber, column: selection.selectionStartColumn }),
    active: model.getOffsetAt({ lineNumber: selection.positionLineNumber, column: selection.positionColumn }),
  }));
  const scroll = { scrollTop: editor.getScrollTop(), scrollLeft: editor.getScrollLeft() };
  model.setValue(text);
  if (places.length > 0) {
    editor.setSelections(
      places.map((place) => {
        const anchor = model.getPositionAt(offsetAfterEdit(place.anchor, span));
        const active = model.getPositionAt(offsetAfterEdit(place.active, span));
        return { selectionStartLineNumber: anchor.lineNumber, selectionStartColumn: anchor.column, positionLineNumber: active.lineNumber, positionColumn: active.column };
      }),
    );
  }
  editor.setScrollPosition(scroll);
}

/** Puts `text`, from this window's own action, in place of `editor`'s as one undoable step (only the span that differs is replaced). */
export function takeOwnText(editor: monaco.editor.ICodeEditor, text: string): void {
  const model = editor.getModel();
  if (!model || model.isDisposed()) return;
  const oldText = model.getValue();
  if (oldText === text) return;
  const span = changedSpan(oldText, text);
  const start = model.getPositionAt(span.start);
  const end = model.getPositionAt(span.oldEnd);
  const range = { startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: end.lineNumber, endColumn: end.column };
  // Stops on both sides: the step is the rename alone, apart from the typing before and after it.
  editor.pushUndoStop();
  editor.executeEdits('workbench', [{ range, text: text.slice(span.start, span.newEnd) }]);
  editor.pushUndoStop();
}
