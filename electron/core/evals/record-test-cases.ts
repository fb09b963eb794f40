/**
 * Test cases as JSONL (a case object per line) and YAML (a list of case objects, or
 * `{ defaultAssertions, tests }`). A case object is `{vars|variables, expected, description,
 * tags, assert|assertions}`, or flat variables (see `readCaseRecord`).
 *
 * JSONL problems name the line; YAML problems the case's number in the list, with its line.
 * JSONL has no place for default assertions: each line lists them first, then its own.
 */

import { stringify } from 'yaml';
import type { Assertion, ImportProblem, TestCaseInput } from '../../../shared/eval-types';
import { assertionForFile, type JudgeContext, type JudgeProvider } from './file-judge';
import {
  importedMark,
  caseRecord,
  isPlainObject,
  itemNumber,
  kindOf,
  noteUnknownVariables,
  readAssertions,
  readCaseRecord,
  formatFieldPath,
  type FieldPath,
  type ParsedSuite,
  type RecordSink,
} from './test-case-record';
import { atLine, readYaml } from './yaml-source';

/** Reads test cases from JSONL: one object per line, blank lines skipped; judges are found among `judges` (file-judge.ts). */
export function parseJsonlTestCases(text: string, variableNames: readonly string[], judges: JudgeContext): ParsedSuite {
  const problems: ImportProblem[] = [];
  const cases: TestCaseInput[] = [];
  const entries: { row: number; variables: Record<string, string> }[] = [];
  const noted = new Set<string>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    const row = index + 1;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      problems.push({ row, field: null, message: `This line is not JSON: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    const sink: RecordSink = { problems: [], noted, dialect: 'workbench', judges };
    const testCase = readCaseRecord(value, sink);
    for (const problem of sink.problems) problems.push({ row, field: formatFieldPath(problem.path), message: problem.message, ...importedMark(problem) });
    if (testCase !== null) {
      cases.push(testCase);
      entries.push({ row, variables: testCase.variables });
    }
  }
  problems.push(...noteUnknownVariables(entries, variableNames));
  return { cases, defaultAssertions: [], problems };
}

/** Cases as JSONL, the default assertions folded into each line's; judges named by `providers`. */
export function exportJsonlTestCases(defaultAssertions: readonly Assertion[], cases: readonly TestCaseInput[], providers: readonly JudgeProvider[]): string {
  return cases.map((testCase) => `${JSON.stringify(caseRecord(withDefaults(defaultAssertions, testCase), providers))}\n`).join('');
}

/** Reads test cases from YAML: a list of case objects, or `{ defaultAssertions?, tests }`; judges are found among `judges`. */
export function parseYamlTestCases(text: string, variableNames: readonly string[], judges: JudgeContext): ParsedSuite {
  const source = readYaml(text);
  if (!source.ok) return { cases: [], defaultAssertions: [], problems: source.problems };
  const { data, lineOf } = source;
  const problems: ImportProblem[] = [];
  const report = (path: FieldPath, message: string, row = itemNumber(path)) => problems.push({ row, field: formatFieldPath(path), message: atLine(message, lineOf(path)) });
  let tests: unknown;
  let testsPath: FieldPath = [];
  let defaultAssertions: Assertion[] = [];
  const noted = new Set<string>();
  if (Array.isArray(data)) {
    tests = data;
  } else if (isPlainObject(data) && ('tests' in data || 'defaultAssertions' in data)) {
    tests = data.tests ?? [];
    testsPath = ['tests'];
    for (const key of Object.keys(data)) {
      if (key !== 'tests' && key !== 'defaultAssertions') report([key], `"${key}" is not part of a test-case file (tests, defaultAssertions); it was not imported`);
    }
    const sink: RecordSink = { problems: [], noted, dialect: 'workbench', leftOut: 'the default checks were imported without it', judges };
    const read = readAssertions(data.defaultAssertions, ['defaultAssertions'], sink, { variables: {}, expected: null });
    for (const problem of sink.problems) report(problem.path, problem.message);
    if (read !== null) defaultAssertions = read;
  } else if (data === null || data === undefined) {
    return { cases: [], defaultAssertions: [], problems: [] };
  } else {
    return { cases: [], defaultAssertions: [], problems: [{ row: null, field: null, message: `The YAML must be a list of test cases (or a map with "tests"), not ${kindOf(data)}` }] };
  }
  if (!Array.isArray(tests)) {
    report(testsPath, `"tests" must be a list, not ${kindOf(tests)}`, 1);
    return { cases: [], defaultAssertions, problems };
  }
  const cases: TestCaseInput[] = [];
  const entries: { row: number; variables: Record<string, string> }[] = [];
  for (const [index, item] of tests.entries()) {
    const sink: RecordSink = { problems: [], noted, dialect: 'workbench', judges };
    const testCase = readCaseRecord(item, sink);
    for (const problem of sink.problems) {
      problems.push({ row: index + 1, field: formatFieldPath(problem.path), message: atLine(problem.message, lineOf([...testsPath, index, ...problem.path])), ...importedMark(problem) });
    }
    if (testCase !== null) {
      cases.push(testCase);
      entries.push({ row: index + 1, variables: testCase.variables });
    }
  }
  problems.push(...noteUnknownVariables(entries, variableNames));
  return { cases, defaultAssertions, problems };
}

/** Cases as YAML: `defaultAssertions` (when there are any) and `tests`; judges named by `providers`. */
export function exportYamlTestCases(defaultAssertions: readonly Assertion[], cases: readonly TestCaseInput[], providers: readonly JudgeProvider[]): string {
  const document: Record<string, unknown> = {};
  if (defaultAssertions.length > 0) document.defaultAssertions = defaultAssertions.map((assertion) => assertionForFile(assertion, providers));
  document.tests = cases.map((testCase) => caseRecord(withDefaults([], testCase), providers));
  return stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** A case with every field set, the given default assertions before its own. */
function withDefaults(defaultAssertions: readonly Assertion[], testCase: TestCaseInput) {
  return {
    description: testCase.description ?? '',
    variables: testCase.variables,
    expected: testCase.expected ?? null,
    tags: testCase.tags ?? [],
    assertions: [...defaultAssertions, ...(testCase.assertions ?? [])],
  };
}
