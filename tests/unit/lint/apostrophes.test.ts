/**
 * The app's words use one apostrophe, the typographic one ("today’s budget"), wherever they are
 * written: the renderer, the engine's messages and the CLI. A straight one in a string beside
 * curly ones elsewhere reads as a slip.
 */

import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const FOLDERS = ['renderer', 'electron', 'shared'];

/** A straight apostrophe inside a word ("today's") or after a plural ("Models' "). */
const STRAIGHT_APOSTROPHE = /[A-Za-z]'[a-z]|[a-z]s' /;
/** SQL, whose quotes are string delimiters, not apostrophes. */
const SQL = /\b(SELECT|INSERT|UPDATE|DELETE|CREATE|CHECK)\b/;

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file) && !file.endsWith('.d.ts'))
    .map((file) => path.join(folder, file));
}

/** Every text literal (string, template part, JSX text) of `file` with a straight apostrophe, as "file:line: text". */
function straightApostrophes(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    const isText = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node) || ts.isJsxText(node);
    if (isText) {
      const value = node.text;
      if (STRAIGHT_APOSTROPHE.test(value) && !SQL.test(value)) {
        found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${value.trim().slice(0, 80)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('apostrophes', () => {
  test('no text the app shows or prints uses a straight apostrophe', () => {
    expect(FOLDERS.flatMap(sourceFiles).flatMap(straightApostrophes)).toStrictEqual([]);
  });
});
