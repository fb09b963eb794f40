/**
 * Monaco, bundled and offline: the editor API plus only the contributions this app uses.
 *
 * The full `monaco-editor` entry pulls in eighty language grammars, the TypeScript/CSS/HTML/
 * JSON language services and an LSP client; a template editor needs none of them. Nothing here
 * loads from a CDN: Vite bundles every file, fonts included, under the page's strict CSP.
 */

import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/codeEditor/register';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/diffEditor/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/placeholderText/register';
import 'monaco-editor/features/readOnlyMessage/register';
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/editor/browser/coreCommands';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';

export { monaco };
