/**
 * A read-only Monaco diff of two texts.
 *
 * Built on the Monaco API directly rather than the React wrapper's DiffEditor: the wrapper
 * disposes the models before the widget on unmount, which current Monaco reports as an error
 * ("TextModel got disposed before DiffEditorWidget model got reset").
 */

import { useEffect, useRef } from 'react';
import { monaco } from '../../monaco/monaco-api';
import { VERSION_TEXT_LANGUAGE } from '../../monaco/template-language';
import { MONO_FONT } from '../editor/editor-options';

/** Props of `DiffView`. */
export interface DiffViewProps {
  original: string;
  modified: string;
  theme: string;
  /** The language of both sides; the version text language unless told. */
  language?: string;
  testId?: string;
}

/** The diff editor, filling its container. */
export function DiffView({ original, modified, theme, language = VERSION_TEXT_LANGUAGE, testId = 'diff-editor' }: DiffViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return undefined;
    const editor = monaco.editor.createDiffEditor(container, {
      readOnly: true,
      originalEditable: false,
      automaticLayout: true,
      renderSideBySide: true,
      useInlineViewWhenSpaceIsLimited: true,
      renderSideBySideInlineBreakpoint: 720,
      wordWrap: 'on',
      diffWordWrap: 'on',
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontFamily: MONO_FONT,
      fontSize: 13,
      lineHeight: 20,
      renderOverviewRuler: false,
      overviewRulerLanes: 0,
      hideCursorInOverviewRuler: true,
      hideUnchangedRegions: { enabled: true, contextLineCount: 3, minimumLineCount: 6 },
      stickyScroll: { enabled: false },
      padding: { top: 8, bottom: 8 },
      scrollbar: { useShadows: false, verticalScrollbarSize: 10 },
      lineNumbersMinChars: 3,
      folding: false,
      // Side by side, Monaco gives the original a glyph margin whatever we say: the modified side
      // has one too, so both have the same width left for text and identical lines wrap alike.
      glyphMargin: true,
    });
    const originalModel = monaco.editor.createModel(original, language);
    const modifiedModel = monaco.editor.createModel(modified, language);
    editor.setModel({ original: originalModel, modified: modifiedModel });
    return () => {
      editor.dispose();
      originalModel.dispose();
      modifiedModel.dispose();
    };
  }, [original, modified, language]);

  useEffect(() => monaco.editor.setTheme(theme), [theme]);

  return <div ref={containerRef} className="diff-view" data-testid={testId} />;
}
