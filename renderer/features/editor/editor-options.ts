/**
 * Monaco options shared by the message editors and the read-only views.
 */

import type { monaco } from '../../monaco/monaco-api';

/** The monospace stack: whatever the OS ships, no web fonts. */
export const MONO_FONT = "ui-monospace, 'SF Mono', 'Cascadia Mono', 'Segoe UI Mono', 'DejaVu Sans Mono', Menlo, Consolas, monospace";

/** Options for an editor that sits in a stack of blocks and grows with its text. */
export const BLOCK_EDITOR_OPTIONS: monaco.editor.IStandaloneEditorConstructionOptions = {
  fontFamily: MONO_FONT,
  fontSize: 13,
  lineHeight: 20,
  wordWrap: 'on',
  wrappingIndent: 'same',
  minimap: { enabled: false },
  scrollBeyondLastLine: false,
  lineNumbers: 'on',
  lineNumbersMinChars: 3,
  lineDecorationsWidth: 8,
  glyphMargin: false,
  folding: false,
  renderLineHighlight: 'none',
  overviewRulerLanes: 0,
  overviewRulerBorder: false,
  hideCursorInOverviewRuler: true,
  padding: { top: 8, bottom: 8 },
  scrollbar: { vertical: 'auto', horizontal: 'hidden', alwaysConsumeMouseWheel: false, verticalScrollbarSize: 10 },
  // Prose is not code: no word completions, only `{{` completions from our language.
  quickSuggestions: false,
  wordBasedSuggestions: 'off',
  suggestOnTriggerCharacters: true,
  acceptSuggestionOnEnter: 'on',
  unicodeHighlight: { ambiguousCharacters: false, invisibleCharacters: true },
  fixedOverflowWidgets: true,
  contextmenu: true,
  automaticLayout: true,
  tabSize: 2,
  // A message is a field in a form: Tab and Shift+Tab move on, as everywhere else on the page
  // (a Tab typed into a prompt is sent to the model unseen). Ctrl+] and Ctrl+[ indent and outdent.
  tabFocusMode: true,
  renderWhitespace: 'none',
  guides: { indentation: false },
  stickyScroll: { enabled: false },
  occurrencesHighlight: 'off',
  selectionHighlight: false,
  matchBrackets: 'never',
  links: false,
  // Find/replace opens in a space of its own height above line 1: the editor grows with its content,
  // so even a one-line message holds the whole widget, and gives the space back when it closes.
  find: { addExtraSpaceOnTop: true },
};
