/**
 * Prepares Monaco before any editor mounts: the local bundle, its worker, our language and themes.
 */

import { loader } from '@monaco-editor/react';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { monaco } from './monaco-api';
import { registerJsonLanguage } from './json-language';
import { registerTemplateLanguage } from './template-language';
import { defineThemes } from './themes';

let isReady = false;

/** Configures Monaco once; safe to call again. */
export function setupMonaco(): void {
  if (isReady) return;
  isReady = true;
  self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
  // The React wrapper would otherwise fetch Monaco from a CDN.
  loader.config({ monaco });
  defineThemes();
  registerTemplateLanguage();
  registerJsonLanguage();
}
