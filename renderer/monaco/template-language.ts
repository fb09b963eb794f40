/**
 * The `{{variable}}` template language: highlighting, completion of known variables, hovers,
 * and markers for malformed placeholders and variables without a value.
 *
 * Placeholders are found by `scanTemplate` from shared/template.ts, the same scanner the engine
 * renders with, so the editor never disagrees with a run. One scan per model change is shared by
 * markers, completion and hovers (`scanModel` caches it by model version).
 */

import { scanTemplate, type TemplateScan } from '../../shared/template';
import { monaco } from './monaco-api';

/** The language id of message editors. */
export const TEMPLATE_LANGUAGE = 'prompt-template';
/** The language id of the readable text of a version (headings, parameters, templates). */
export const VERSION_TEXT_LANGUAGE = 'prompt-version';
/** The marker owner for template problems. */
const MARKER_OWNER = 'prompt-template';

/** What the language needs to know about the open draft. */
export interface TemplateContext {
  /** Variables used in any message plus those with values, for completion. */
  knownVariables(): string[];
  /** The value of a variable, or undefined when it has none. */
  valueOf(name: string): string | undefined;
}

let context: TemplateContext = { knownVariables: () => [], valueOf: () => undefined };

/** Tells the language about the open draft. */
export function setTemplateContext(next: TemplateContext): void {
  context = next;
}

const scans = new WeakMap<monaco.editor.ITextModel, { versionId: number; scan: TemplateScan }>();

/** The scan of a model's current text, computed once per model version. */
export function scanModel(model: monaco.editor.ITextModel): TemplateScan {
  const versionId = model.getVersionId();
  const cached = scans.get(model);
  if (cached && cached.versionId === versionId) return cached.scan;
  const scan = scanTemplate(model.getValue());
  scans.set(model, { versionId, scan });
  return scan;
}

/** The message a variable without a value is flagged with. */
export function missingValueMessage(name: string): string {
  return `Variable '${name}' has no value — set it in Variables`;
}

/** Sets the error and warning markers of a template model from its (cached) scan. */
export function updateTemplateMarkers(model: monaco.editor.ITextModel): void {
  if (model.isDisposed()) return;
  const scan = scanModel(model);
  const markers: monaco.editor.IMarkerData[] = [];
  const toMarker = (start: number, end: number, message: string, severity: monaco.MarkerSeverity) => {
    const from = model.getPositionAt(start);
    const to = model.getPositionAt(end);
    return { severity, message, startLineNumber: from.lineNumber, startColumn: from.column, endLineNumber: to.lineNumber, endColumn: to.column };
  };
  for (const problem of scan.problems) {
    markers.push(toMarker(problem.start, problem.end, problem.message, monaco.MarkerSeverity.Error));
  }
  for (const placeholder of scan.placeholders) {
    if (context.valueOf(placeholder.name) === undefined) {
      markers.push(toMarker(placeholder.start, placeholder.end, missingValueMessage(placeholder.name), monaco.MarkerSeverity.Warning));
    }
  }
  monaco.editor.setModelMarkers(model, MARKER_OWNER, markers);
}

/** Updates markers of every template model (after variable values change). */
export function updateAllTemplateMarkers(): void {
  for (const model of monaco.editor.getModels()) {
    if (model.getLanguageId() === TEMPLATE_LANGUAGE) updateTemplateMarkers(model);
  }
}

const placeholderRule: monaco.languages.IMonarchLanguageRule = [/\{\{\s*[A-Za-z_][\w.-]*\s*\}\}/, 'variable.template'];
const malformedRule: monaco.languages.IMonarchLanguageRule = [/\{\{/, 'invalid.template'];
/** A brace before a placeholder (`{{{name}}}`) is text, as the parser reads it: the placeholder inside is coloured as one. */
const extraBraceRule: monaco.languages.IMonarchLanguageRule = [/\{(?=\{\{\s*[A-Za-z_][\w.-]*\s*\}\})/, ''];

function preview(value: string): string {
  const flat = value.length > 200 ? `${value.slice(0, 200)}…` : value;
  return flat.replace(/[`\\]/g, '\\$&');
}

let isRegistered = false;

/** Registers both languages and their providers once. */
export function registerTemplateLanguage(): void {
  if (isRegistered) return;
  isRegistered = true;

  monaco.languages.register({ id: TEMPLATE_LANGUAGE });
  monaco.languages.setMonarchTokensProvider(TEMPLATE_LANGUAGE, {
    tokenizer: { root: [placeholderRule, extraBraceRule, malformedRule, [/[^{]+/, ''], [/\{/, '']] },
  });
  monaco.languages.setLanguageConfiguration(TEMPLATE_LANGUAGE, {
    wordPattern: /[A-Za-z_][\w.-]*/,
  });

  monaco.languages.register({ id: VERSION_TEXT_LANGUAGE });
  monaco.languages.setMonarchTokensProvider(VERSION_TEXT_LANGUAGE, {
    tokenizer: {
      root: [
        [/^## .*$/, 'keyword.heading'],
        [/^(model|temperature|max tokens|top-p|reasoning|stop|response format):/, 'attribute.name'],
        placeholderRule,
        extraBraceRule,
        malformedRule,
        [/[^{]+/, ''],
        [/\{/, ''],
      ],
    },
  });

  monaco.languages.registerCompletionItemProvider(TEMPLATE_LANGUAGE, {
    triggerCharacters: ['{'],
    provideCompletionItems(model, position) {
      const before = model.getValueInRange({
        startLineNumber: position.lineNumber,
        startColumn: Math.max(1, position.column - 210),
        endLineNumber: position.lineNumber,
        endColumn: position.column,
      });
      const match = /\{\{\s*([A-Za-z0-9_.-]*)$/.exec(before);
      if (!match) return { suggestions: [] };
      const after = model.getValueInRange({
        startLineNumber: position.lineNumber,
        startColumn: position.column,
        endLineNumber: position.lineNumber,
        endColumn: position.column + 220,
      });
      const closeMatch = /^[A-Za-z0-9_.-]*\s*\}\}/.exec(after);
      const range = new monaco.Range(
        position.lineNumber,
        position.column - match[1].length,
        position.lineNumber,
        position.column + (closeMatch ? closeMatch[0].length : 0),
      );
      const suggestions = context.knownVariables().map((name): monaco.languages.CompletionItem => {
        const value = context.valueOf(name);
        return {
          label: name,
          kind: monaco.languages.CompletionItemKind.Variable,
          detail: value === undefined ? 'no value' : 'has a value',
          documentation: value === undefined ? undefined : { value: '```\n' + preview(value) + '\n```' },
          insertText: `${name}}}`,
          range,
        };
      });
      return { suggestions };
    },
  });

  monaco.languages.registerHoverProvider(TEMPLATE_LANGUAGE, {
    provideHover(model, position) {
      const offset = model.getOffsetAt(position);
      const placeholder = scanModel(model).placeholders.find((item) => item.start <= offset && offset < item.end);
      if (!placeholder) return null;
      const value = context.valueOf(placeholder.name);
      const from = model.getPositionAt(placeholder.start);
      const to = model.getPositionAt(placeholder.end);
      return {
        range: new monaco.Range(from.lineNumber, from.column, to.lineNumber, to.column),
        contents: [
          { value: `**${placeholder.name}**` },
          { value: value === undefined ? '_No value — set it in Variables_' : '```\n' + preview(value) + '\n```' },
        ],
      };
    },
  });
}
