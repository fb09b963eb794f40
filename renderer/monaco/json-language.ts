/**
 * JSON for the schema editor: colouring by a small Monarch grammar, and the parse problem as a
 * marker. Monaco's own JSON language service would need a worker of its own and its bundle; a
 * schema editor needs neither (the text is checked with `JSON.parse`, as the engine reads it).
 */

import { monaco } from './monaco-api';

/** The language id of the schema editor. */
export const JSON_LANGUAGE = 'workbench-json';

const MARKER_OWNER = 'workbench-json';

let isRegistered = false;

/** Registers the language once. */
export function registerJsonLanguage(): void {
  if (isRegistered) return;
  isRegistered = true;
  monaco.languages.register({ id: JSON_LANGUAGE });
  monaco.languages.setMonarchTokensProvider(JSON_LANGUAGE, {
    tokenizer: {
      root: [
        [/"(?:[^"\\]|\\.)*"(?=\s*:)/, 'string.key.json'],
        [/"(?:[^"\\]|\\.)*"?/, 'string.value.json'],
        [/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/, 'number'],
        [/\b(?:true|false|null)\b/, 'keyword.json'],
        [/[{}[\],:]/, 'delimiter'],
        [/\s+/, ''],
        [/./, 'invalid'],
      ],
    },
  });
  monaco.languages.setLanguageConfiguration(JSON_LANGUAGE, {
    brackets: [
      ['{', '}'],
      ['[', ']'],
    ],
  });
}

/** Marks where the text fails to parse (1-based line and column), or clears the mark. */
export function setJsonMarker(model: monaco.editor.ITextModel, problem: { message: string; line: number; column: number } | null): void {
  if (model.isDisposed()) return;
  const markers: monaco.editor.IMarkerData[] =
    problem === null
      ? []
      : [
          {
            severity: monaco.MarkerSeverity.Error,
            message: problem.message,
            startLineNumber: problem.line,
            startColumn: problem.column,
            endLineNumber: problem.line,
            endColumn: Math.max(problem.column + 1, model.getLineMaxColumn(Math.min(problem.line, model.getLineCount()))),
          },
        ];
  monaco.editor.setModelMarkers(model, MARKER_OWNER, markers);
}
