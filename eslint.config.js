// @ts-check
/**
 * Lint, including the layer rules of ARCHITECTURE.md: a wrong import between rooms is an error.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'worker_threads', 'stream'];

/** Builds a no-restricted-imports rule from groups of banned patterns with their reasons. */
function banned(...groups) {
  return ['error', { patterns: groups.map(([group, message]) => ({ group, message })) }];
}

export default tseslint.config(
  { ignores: ['dist/', 'release/', 'node_modules/', 'test-results/', 'playwright-report/', '.cache/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Named exports only (STYLE.md).' }],
    },
  },
  {
    files: ['*.config.ts', '*.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': banned(
        [nodeBuiltins, 'Bad layering: shared/ is pure TypeScript and runs in every room; no Node built-ins.'],
        [['electron', 'react', 'react-dom', 'better-sqlite3', 'monaco-editor', 'zustand', 'ws'], 'Bad layering: shared/ imports nothing app- or runtime-specific.'],
        [['../electron/*', '../renderer/*', '../tests/*'], 'Bad layering: shared/ imports nothing outside shared/.'],
      ),
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': banned(
        [['electron', 'electron/*'], 'Bad layering: the engine never imports electron; it serves the browser host, the CLI and the tests too.'],
        [['react', 'react-dom', 'monaco-editor', 'zustand', '**/renderer/*'], 'Bad layering: the engine knows nothing of the renderer.'],
      ),
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts', 'electron/core/**'],
    rules: {
      'no-restricted-imports': banned(
        [['electron', 'electron/*'], 'Bad layering: only electron/main.ts and electron/preload.ts may import electron; the browser host, the CLI and shared host code run under plain Node.'],
        [['react', 'react-dom', '**/renderer/*'], 'Bad layering: hosts know nothing of the renderer.'],
      ),
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': banned(
        [[...nodeBuiltins, 'electron', 'electron/*', 'better-sqlite3', 'ws'], 'Bad layering: the renderer reaches the engine only through the bridge client.'],
        [['**/electron/*', '**/electron/**'], 'Bad layering: the renderer never imports engine code.'],
      ),
    },
  },
);
