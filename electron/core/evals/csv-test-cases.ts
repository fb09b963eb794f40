/**
 * Test cases as CSV: a header row, then a case per record.
 *
 * Columns, by header:
 * - `expected`: the expected output (an empty cell: none);
 * - `description` (or promptfoo's `__description`), `tags` (separated by commas or semicolons);
 * - `assert` (or `assertions`): a JSON list of assertions (ours, or promptfoo's shape);
 * - `__expected`, `__expected1`, `__expected2`...: promptfoo's assertion cells (`contains: refund`,
 *   `not-icontains: sorry`, `regex: ^\d+$`, `is-json`, `similar(0.7): text`...). A cell without a
 *   known prefix means "the output equals this": it becomes the case's expected output (when
 *   the `expected` cell is empty) checked by an `equals` assertion;
 * - `vars.<name>`: the variable `<name>`, whatever its name (`vars.expected` is a variable);
 * - any other column is a variable of that name. One the prompt does not use is imported all
 *   the same (a case may be written before its prompt) with a note on the header row, once.
 * Reserved names are matched ignoring case (spreadsheets say "Expected"). Other promptfoo
 * columns (`__prefix`, `__metric`, `__config:...`) are noted on the header row, not imported.
 *
 * A row's problem names its line in the file (the line its record starts on) and its column.
 * The delimiter is a comma, or a semicolon or tab when the header row uses that instead. A
 * UTF-8 byte-order mark (Excel's "CSV UTF-8", this app's export) is skipped.
 */

import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { CSV_BYTE_ORDER_MARK } from '../csv-byte-order-mark';
import type { Assertion, ImportProblem, TestCaseInput } from '../../../shared/eval-types';
import { assertionForFile, type JudgeContext, type JudgeProvider } from './file-judge';
import { promptfooAssertionFromString } from './promptfoo-assertions';
import { finishCase, formatFieldPath, importedMark, readAssertion, readAssertions, splitTags, type ParsedSuite, type RecordSink, type ReservedKey, variableNearMiss } from './test-case-record';

/** Columns with a meaning of their own (lower case). */
const RESERVED = new Set(['expected', 'description', '__description', 'tags', 'assert', 'assertions']);
const EXPECTED_ASSERTION = /^__expected\d*$/;

/** The reserved columns a misspelt header may have meant, each with the headers that give it. */
const RESERVED_KEYS: readonly (ReservedKey & { headers: readonly string[] })[] = [
  { key: 'expected', what: 'expected output', headers: ['expected'] },
  { key: 'description', what: 'description', headers: ['description', '__description'] },
  { key: 'tags', what: 'tags', headers: ['tags'] },
  { key: 'assert', what: 'checks', headers: ['assert', 'assertions'] },
];
const VARIABLE_PREFIX = 'vars.';

/** What a column holds. */
type ColumnRole =
  | { kind: 'variable'; name: string }
  | { kind: 'expected' }
  | { kind: 'description' }
  | { kind: 'tags' }
  | { kind: 'assert' }
  | { kind: 'promptfoo-assertion' }
  | { kind: 'ignored' };

interface Column {
  header: string;
  role: ColumnRole;
}

/** Reads test cases from CSV text; judges are found among `judges` (file-judge.ts). */
export function parseCsvTestCases(text: string, variableNames: readonly string[], judges: JudgeContext): ParsedSuite {
  // One newline convention, so record lines count the same whatever the file's origin.
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const problems: ImportProblem[] = [];
  let records: { record: string[]; raw: string; info: { lines: number } }[];
  try {
    records = parse(normalized, {
      delimiter: detectDelimiter(normalized),
      info: true,
      raw: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error: { message: string; lines?: number } | undefined) => {
        if (error !== undefined) problems.push({ row: error.lines ?? 1, field: null, message: `This row is not valid CSV: ${error.message}` });
      },
    }) as unknown as { record: string[]; raw: string; info: { lines: number } }[];
  } catch (error) {
    return { cases: [], defaultAssertions: [], problems: [{ row: 1, field: null, message: `The CSV cannot be read: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  const [header, ...rows] = records;
  if (header === undefined) return { cases: [], defaultAssertions: [], problems: [{ row: 1, field: null, message: 'The file is empty: the first row must name the columns' }] };

  const columns = readHeader(header.record, variableNames, problems);
  const cases: TestCaseInput[] = [];
  const noted = new Set<string>();
  for (const { record, raw, info } of rows) {
    if (record.every((cell) => cell.trim() === '')) continue;
    const row = startLine(info.lines, raw);
    if (record.length > columns.length && record.slice(columns.length).some((cell) => cell.trim() !== '')) {
      problems.push({ row, field: null, message: `This row has ${record.length} cells, but the header names ${columns.length} columns` });
      continue;
    }
    const sink: RecordSink = { problems: [], noted, dialect: 'promptfoo', judges };
    const testCase = readRow(record, columns, sink);
    for (const problem of sink.problems) problems.push({ row, field: formatFieldPath(problem.path), message: problem.message, ...importedMark(problem) });
    if (testCase !== null) cases.push(testCase);
  }
  return { cases, defaultAssertions: [], problems };
}

/**
 * Cases as CSV: a column per variable, then expected, description, tags and an `assert`
 * column of JSON (an LLM judge named by `providers`, see file-judge.ts). CSV has no place for
 * the suite's default assertions: each row's `assert` lists them first, then its own, which
 * checks every case exactly as before. The file starts with a UTF-8 byte-order mark, for Excel.
 */
export function exportCsvTestCases(defaultAssertions: readonly Assertion[], cases: readonly TestCaseInput[], providers: readonly JudgeProvider[]): string {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const testCase of cases) {
    for (const name of Object.keys(testCase.variables)) {
      if (!seen.has(name)) {
        seen.add(name);
        names.push(name);
      }
    }
  }
  const header = [...names.map(variableHeader), 'expected', 'description', 'tags', 'assert'];
  const rows = cases.map((testCase) => {
    const assertions = [...defaultAssertions, ...(testCase.assertions ?? [])];
    return [
      ...names.map((name) => testCase.variables[name] ?? ''),
      testCase.expected ?? '',
      testCase.description ?? '',
      (testCase.tags ?? []).join(', '),
      assertions.length === 0 ? '' : JSON.stringify(assertions.map((assertion) => assertionForFile(assertion, providers))),
    ];
  });
  return CSV_BYTE_ORDER_MARK + stringify([header, ...rows], { record_delimiter: '\n' });
}

/** A variable's column: its name, or `vars.<name>` when the name would mean something else. */
function variableHeader(name: string): string {
  const lower = name.toLowerCase();
  return RESERVED.has(lower) || lower.startsWith('__') || lower.startsWith(VARIABLE_PREFIX) || name.trim() !== name || name === '' ? `${VARIABLE_PREFIX}${name}` : name;
}

function readHeader(cells: readonly string[], variableNames: readonly string[], problems: ImportProblem[]): Column[] {
  const known = new Set(variableNames);
  const seen = new Set<string>();
  // Every column gives every row: the names the header gives, for telling a misspelt column.
  const given = Object.fromEntries(cells.map((cell) => cell.trim()).map((header) => [header.toLowerCase().startsWith(VARIABLE_PREFIX) ? header.slice(VARIABLE_PREFIX.length) : header, '']));
  // A header such as "expcted" is read as a variable: the reserved columns the header lacks are what it may have meant.
  const headers = new Set(cells.map((cell) => cell.trim().toLowerCase()));
  const lacking = RESERVED_KEYS.filter((reserved) => !reserved.headers.some((name) => headers.has(name)));
  const column = (header: string, name: string, reserved: readonly ReservedKey[] = lacking): Column => variableColumn(header, name, { known, given, variableNames, reserved }, problems);
  return cells.map((cell, index): Column => {
    const header = cell.trim();
    const note = (message: string): Column => {
      problems.push({ row: 1, field: header === '' ? `column ${index + 1}` : header, message });
      return { header, role: { kind: 'ignored' } };
    };
    if (header === '') return { header, role: { kind: 'ignored' } };
    if (seen.has(header)) return note(`The column "${header}" appears twice; the second was not imported`);
    seen.add(header);
    const lower = header.toLowerCase();
    // A vars. column is a variable by its own say.
    if (lower.startsWith(VARIABLE_PREFIX)) return column(header, header.slice(VARIABLE_PREFIX.length), []);
    if (!known.has(header) || RESERVED.has(header)) {
      if (lower === 'expected') return { header, role: { kind: 'expected' } };
      if (lower === 'description' || lower === '__description') return { header, role: { kind: 'description' } };
      if (lower === 'tags') return { header, role: { kind: 'tags' } };
      if (lower === 'assert' || lower === 'assertions') return { header, role: { kind: 'assert' } };
      if (EXPECTED_ASSERTION.test(lower)) return { header, role: { kind: 'promptfoo-assertion' } };
      if (lower.startsWith('__')) return note(`promptfoo’s "${header}" column is not supported here; its values were not imported`);
    }
    return column(header, header);
  });
}

function variableColumn(
  header: string,
  name: string,
  prompt: { known: ReadonlySet<string>; given: Record<string, string>; variableNames: readonly string[]; reserved: readonly ReservedKey[] },
  problems: ImportProblem[],
): Column {
  if (!prompt.known.has(name)) {
    const nearMissNote = variableNearMiss(name, prompt.given, prompt.variableNames, prompt.reserved);
    problems.push({ row: 1, field: header, message: `The prompt has no {{${name}}} variable${nearMissNote === null ? '' : `: ${nearMissNote}`}; the values were imported anyway`, isImported: true });
  }
  return { header, role: { kind: 'variable', name } };
}

/** One record as a case; problems' paths start with the column's header. */
function readRow(record: readonly string[], columns: readonly Column[], sink: RecordSink): TestCaseInput | null {
  const variables: Record<string, string> = {};
  let expected: string | null = null;
  let description = '';
  let tags: string[] = [];
  const promptfooCells: { header: string; text: string }[] = [];
  let assertCell: { header: string; text: string } | null = null;
  for (const [index, column] of columns.entries()) {
    const cell = record[index] ?? '';
    const { role } = column;
    switch (role.kind) {
      case 'variable':
        variables[role.name] = cell;
        break;
      case 'expected':
        expected = cell === '' ? null : cell;
        break;
      case 'description':
        description = cell;
        break;
      case 'tags':
        tags = splitTags(cell);
        break;
      case 'assert':
        if (cell.trim() !== '') assertCell = { header: column.header, text: cell };
        break;
      case 'promptfoo-assertion':
        if (cell.trim() !== '') promptfooCells.push({ header: column.header, text: cell.trim() });
        break;
      case 'ignored':
        break;
    }
  }
  const assertions: Assertion[] = [];
  let isValid = true;
  for (const { header, text } of promptfooCells) {
    const item = promptfooAssertionFromString(text);
    // promptfoo's plain cell is "equals this text": with no expected output of its own, the row's expected output is that text.
    const isPlain = item.type === 'equals' && item.value === text && !text.startsWith('equals');
    if (isPlain && expected === null) {
      expected = text;
      assertions.push({ type: 'equals' });
      continue;
    }
    const read = readAssertion(item, [header], sink, { variables, expected });
    if (read === null) isValid = false;
    else assertions.push(...read);
  }
  if (assertCell !== null) {
    const read = readAssertCell(assertCell.header, assertCell.text, sink, { variables, expected });
    if (read === null) isValid = false;
    else assertions.push(...read);
  }
  if (!isValid) return null;
  return finishCase({ description, variables, expected, tags, assertions }, sink, {
    variables: [],
    description: [headerOf(columns, 'description') ?? 'description'],
    tags: [headerOf(columns, 'tags') ?? 'tags'],
    expected: [headerOf(columns, 'expected') ?? 'expected'],
  });
}

/** The `assert` cell: a JSON list of assertions (one object is a list of one). */
function readAssertCell(header: string, text: string, sink: RecordSink, scope: { variables: Record<string, string>; expected: string | null }): Assertion[] | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    sink.problems.push({ path: [header], message: `The assertions are not JSON: ${error instanceof Error ? error.message : String(error)}` });
    return null;
  }
  const list = Array.isArray(value) ? value : [value];
  // Our own JSON: values are literal text, even when they look like promptfoo templates.
  return readAssertions(list, [header], { ...sink, dialect: 'workbench' }, scope);
}

function headerOf(columns: readonly Column[], kind: ColumnRole['kind']): string | undefined {
  return columns.find((column) => column.role.kind === kind)?.header;
}

/** The line a record starts on: where it ends, less the line breaks inside it (csv-parse counts lines at the record's end). */
function startLine(endLine: number, raw: string): number {
  const body = raw.replace(/^\n+/, '').replace(/\n$/, '');
  let breaks = 0;
  for (let index = body.indexOf('\n'); index !== -1; index = body.indexOf('\n', index + 1)) breaks += 1;
  return endLine - breaks;
}

/** The delimiter the header row uses: a comma unless it has more semicolons or tabs (outside quotes). */
function detectDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let isQuoted = false;
  for (const char of text) {
    if (char === '"') isQuoted = !isQuoted;
    else if (!isQuoted && char === '\n') break;
    else if (!isQuoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > (counts.get(best) ?? 0)) best = delimiter;
  return best;
}
