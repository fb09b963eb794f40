/**
 * The Monaco themes, matched to the app's light and dark palettes in styles.css.
 */

import { monaco } from './monaco-api';

/** The Monaco theme names for each app theme. */
export const MONACO_THEMES = { light: 'workbench-light', dark: 'workbench-dark' } as const;

/** Defines both themes; the template tokens get a colour of their own in each. */
export function defineThemes(): void {
  monaco.editor.defineTheme(MONACO_THEMES.light, {
    base: 'vs',
    inherit: true,
    rules: [
      { token: 'variable.template', foreground: '8a2fb8', fontStyle: 'bold' },
      { token: 'invalid.template', foreground: 'c62828', fontStyle: 'underline' },
      { token: 'keyword.heading', foreground: '1f5fbf', fontStyle: 'bold' },
      { token: 'attribute.name', foreground: '5f6670' },
      { token: 'string.key.json', foreground: '8a2fb8' },
      { token: 'string.value.json', foreground: '0a6b3d' },
      { token: 'number', foreground: '1f5fbf' },
      { token: 'keyword.json', foreground: '1f5fbf' },
      { token: 'invalid', foreground: 'c62828' },
    ],
    colors: {
      'editor.background': '#ffffff',
      'editor.foreground': '#1f2328',
      'editorLineNumber.foreground': '#b4b9c0',
      'editorLineNumber.activeForeground': '#5f6670',
      'editor.lineHighlightBackground': '#f5f7fa',
      'editor.lineHighlightBorder': '#00000000',
      'editorGutter.background': '#ffffff',
      'editorWidget.background': '#ffffff',
      'editorWidget.border': '#d5d9de',
      // The find widget's edge: Monaco draws none by default, and white on white it floated over the text.
      'widget.border': '#d5d9de',
      'editorSuggestWidget.selectedBackground': '#e3ebf9',
      'editorWarning.foreground': '#b26a00',
      'editorError.foreground': '#c62828',
      'scrollbarSlider.background': '#8c959f33',
      'scrollbarSlider.hoverBackground': '#8c959f55',
      'diffEditor.insertedTextBackground': '#2da44e2e',
      'diffEditor.removedTextBackground': '#cf222e26',
      'diffEditor.insertedLineBackground': '#2da44e14',
      'diffEditor.removedLineBackground': '#cf222e12',
    },
  });
  monaco.editor.defineTheme(MONACO_THEMES.dark, {
    base: 'vs-dark',
    inherit: true,
    rules: [
      { token: 'variable.template', foreground: 'e39cf0', fontStyle: 'bold' },
      { token: 'invalid.template', foreground: 'ff7b72', fontStyle: 'underline' },
      { token: 'keyword.heading', foreground: '79b0ff', fontStyle: 'bold' },
      { token: 'attribute.name', foreground: '8b929c' },
      { token: 'string.key.json', foreground: 'e39cf0' },
      { token: 'string.value.json', foreground: '7ee2a8' },
      { token: 'number', foreground: '79b0ff' },
      { token: 'keyword.json', foreground: '79b0ff' },
      { token: 'invalid', foreground: 'ff7b72' },
    ],
    colors: {
      'editor.background': '#1f2226',
      'editor.foreground': '#d7dae0',
      'editorLineNumber.foreground': '#4f5661',
      'editorLineNumber.activeForeground': '#8b929c',
      'editor.lineHighlightBackground': '#262a30',
      'editor.lineHighlightBorder': '#00000000',
      'editorGutter.background': '#1f2226',
      'editorWidget.background': '#24282d',
      'editorWidget.border': '#363b42',
      'widget.border': '#363b42',
      'editorSuggestWidget.selectedBackground': '#2b3a52',
      'editorWarning.foreground': '#e0a030',
      'editorError.foreground': '#ff7b72',
      'scrollbarSlider.background': '#8b929c33',
      'scrollbarSlider.hoverBackground': '#8b929c55',
      'diffEditor.insertedTextBackground': '#2ea04333',
      'diffEditor.removedTextBackground': '#f8514933',
      'diffEditor.insertedLineBackground': '#2ea0431a',
      'diffEditor.removedLineBackground': '#f851491a',
    },
  });
}
