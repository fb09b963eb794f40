/**
 * YAML test-case files read with their line numbers: syntax errors say where they are, and a
 * problem found later in a value can name the line its node starts on.
 */

import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { ImportProblem } from '../../../shared/eval-types';
import type { FieldPath } from './test-case-record';
import { yamlSyntaxProblems } from '../yaml-errors';

/**
 * A parsed YAML file: its value and the line of any path in it, or why it did not parse. A
 * syntax error is the file's, not an item's: its problem has no row (its message says the line
 * and column), and `lines` holds the line of each problem for readers that place them.
 */
export type YamlSource = { ok: true; data: unknown; lineOf: (path: FieldPath) => number | null } | { ok: false; problems: ImportProblem[]; lines: number[] };

/** Parses `text`; syntax errors come back as problems on their lines. */
export function readYaml(text: string): YamlSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  if (document.errors.length > 0) {
    const found = yamlSyntaxProblems(text, document.errors).map((problem) => ({ ...problem, ...lineCounter.linePos(problem.offset) }));
    return {
      ok: false,
      problems: found.map(({ line, col, message }) => ({ row: null, field: null, message: `The YAML does not parse at line ${line}, column ${col}: ${message}` })),
      lines: found.map(({ line }) => line),
    };
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    // Alias bombs and other documents that parse but cannot become values.
    return { ok: false, problems: [{ row: null, field: null, message: `The YAML cannot be read: ${error instanceof Error ? error.message : String(error)}` }], lines: [1] };
  }
  return { ok: true, data, lineOf: (path) => lineOf(document, lineCounter, path) };
}

/** `message (line 12)` when the line is known. */
export function atLine(message: string, line: number | null): string {
  return line === null ? message : `${message} (line ${line})`;
}

/** The line the node at `path` (or its nearest existing ancestor) starts on; a key's own line for a map entry. */
function lineOf(document: Document, lineCounter: LineCounter, path: FieldPath): number | null {
  for (let length = path.length; length >= 0; length -= 1) {
    const key = path[length - 1];
    if (typeof key === 'string') {
      // `options:` with a block map under it: the line of `options`, not of the map's first entry.
      const parent: unknown = length === 1 ? document.contents : document.getIn(path.slice(0, length - 1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === key);
        if (pair !== undefined && isNode(pair.key) && pair.key.range) return lineCounter.linePos(pair.key.range[0]).line;
      }
    }
    const node: unknown = length === 0 ? document.contents : document.getIn(path.slice(0, length), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return null;
}

