/**
 * Test cases as the table edits them, and the way back to what `evals:saveSuite` takes.
 *
 * Rows keep a key of their own (a new row has no id yet) and their tags as typed, so editing
 * never fights the user; the conversion to `TestCaseInput` happens on save, checked with the
 * contract's own schemas so a problem is shown on its row before anything is sent.
 */

import { assertionSchema, MAX_ASSERTIONS, testCaseInputSchema } from '../../../shared/contract';
import type { Assertion, TestCase, TestCaseInput, TestSuite } from '../../../shared/eval-types';

/** One row of the case table. */
export interface CaseRow {
  key: string;
  /** The stored case this row edits; absent for a row not saved yet. */
  id?: number;
  description: string;
  variables: Record<string, string>;
  /** The expected output; empty means none. */
  expected: string;
  /** Tags as typed, comma-separated. */
  tagsText: string;
  assertions: Assertion[];
}

/** A problem found before saving, on a row (null: the default assertions) and field. */
export interface RowProblem {
  /** The row's index in the table, or null for the suite's default assertions. */
  row: number | null;
  key: string | null;
  field: string;
  message: string;
}

let nextRowKey = 1;

/** A fresh key for a row. */
export function newRowKey(): string {
  return `case${nextRowKey++}`;
}

/** A row for a stored case. */
export function rowOfCase(testCase: TestCase): CaseRow {
  return {
    key: newRowKey(),
    id: testCase.id,
    description: testCase.description,
    variables: { ...testCase.variables },
    expected: testCase.expected ?? '',
    tagsText: testCase.tags.join(', '),
    assertions: testCase.assertions,
  };
}

/** The rows of a suite, in table order. */
export function rowsOfSuite(suite: TestSuite): CaseRow[] {
  return [...suite.cases].sort((left, right) => left.position - right.position).map(rowOfCase);
}

/** An empty row with the given variables blank. */
export function emptyRow(variableNames: readonly string[]): CaseRow {
  return {
    key: newRowKey(),
    description: '',
    variables: Object.fromEntries(variableNames.map((name) => [name, ''])),
    expected: '',
    tagsText: '',
    assertions: [],
  };
}

/** A copy of a row as a new, unsaved case. */
export function duplicateRow(row: CaseRow): CaseRow {
  return { ...row, key: newRowKey(), id: undefined, variables: { ...row.variables }, assertions: row.assertions.map((item) => ({ ...item })) };
}

/** Tags from what was typed: comma-separated, trimmed, no blanks or repeats. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((tag) => tag.trim()).filter((tag) => tag !== ''))];
}

/** What `evals:saveSuite` takes for a row. */
export function caseInputOfRow(row: CaseRow): TestCaseInput {
  return {
    ...(row.id === undefined ? {} : { id: row.id }),
    description: row.description,
    variables: { ...row.variables },
    expected: row.expected === '' ? null : row.expected,
    tags: parseTags(row.tagsText),
    assertions: row.assertions,
  };
}

/** The variable columns: the prompt's variables first, then any other a case has, each once. */
export function variableColumns(promptVariables: readonly string[], rows: readonly CaseRow[]): string[] {
  const names = [...promptVariables];
  const seen = new Set(names);
  for (const row of rows) {
    for (const name of Object.keys(row.variables)) {
      if (!seen.has(name)) {
        seen.add(name);
        names.push(name);
      }
    }
  }
  return names;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `#${part + 1}` : String(part))).join(' ');
}

/** The problems of one assertion, or none. */
export function assertionProblem(assertion: Assertion): string | null {
  const parsed = assertionSchema.safeParse(assertion);
  if (parsed.success) return null;
  return parsed.error.issues.map((issue) => (issue.path.length > 0 ? `${pathText(issue.path)}: ${issue.message}` : issue.message)).join('; ');
}

/** Why a check's judge cannot grade as it is saved: its provider was removed (said once the providers are known). */
export const JUDGE_PROVIDER_REMOVED_PROBLEM = 'The judge’s provider was removed: choose another';

/**
 * The LLM-judge checks of the table whose judge's provider is not among `providerIds` (it was
 * removed: ids are never given out twice), by row and field. Not a reason to refuse saving (the
 * engine keeps such a check, and other edits must not wait on a judge), but an eval is refused
 * until each has another judge.
 */
export function judgeProblems(rows: readonly CaseRow[], defaultAssertions: readonly Assertion[], providerIds: ReadonlySet<number>): RowProblem[] {
  const problems: RowProblem[] = [];
  const check = (assertions: readonly Assertion[], row: number | null, key: string | null) => {
    assertions.forEach((assertion, index) => {
      if (assertion.type === 'llm-judge' && !providerIds.has(assertion.judge.providerId)) {
        problems.push({ row, key, field: `assertion ${index + 1}`, message: JUDGE_PROVIDER_REMOVED_PROBLEM });
      }
    });
  };
  check(defaultAssertions, null, null);
  rows.forEach((row, index) => check(row.assertions, index, row.key));
  return problems;
}

/** Every problem of the table that the engine would refuse, by row and field. */
export function validateSuite(rows: readonly CaseRow[], defaultAssertions: readonly Assertion[]): RowProblem[] {
  const problems: RowProblem[] = [];
  if (defaultAssertions.length > MAX_ASSERTIONS) {
    problems.push({ row: null, key: null, field: 'assertions', message: `At most ${MAX_ASSERTIONS} default assertions` });
  }
  defaultAssertions.forEach((assertion, index) => {
    const problem = assertionProblem(assertion);
    if (problem !== null) problems.push({ row: null, key: null, field: `assertion ${index + 1}`, message: problem });
  });
  rows.forEach((row, index) => {
    const parsed = testCaseInputSchema.safeParse(caseInputOfRow(row));
    if (parsed.success) return;
    for (const issue of parsed.error.issues) {
      const [head, second, ...rest] = issue.path;
      let field = String(head ?? 'case');
      if (head === 'assertions' && typeof second === 'number') field = `assertion ${second + 1}${rest.length > 0 ? ` ${pathText(rest)}` : ''}`;
      else if (head === 'variables' && second !== undefined) field = `{{${String(second)}}}`;
      problems.push({ row: index, key: row.key, field, message: issue.message });
    }
  });
  return problems;
}
