/**
 * Where a problem of an imported test-case file is, in the words of its format: a CSV or JSON
 * Lines file by its line, a YAML list by its item, a prompt file or promptfoo config by what the
 * user counts there (a test, an evaluator, a default check). The app's import report and the CLI
 * say it so.
 */

import type { ImportProblem, TestCaseFormat } from './eval-types';

/**
 * What a problem of a prompt file's suite is in, numbered as the user counts them, with its
 * field: `test 2 (testData[1].topic)`, `evaluator 3 (evaluators[2].string)`, `default check 1
 * (x-workbench.defaultAssertions[0].assertion.type)`; only the field when it is in none of them
 * (`x-workbench.cases[3].row`). The app's import report and the CLI say it so.
 */
export function describeProblemPlace(problem: ImportProblem): string {
  // An evaluator's problem is numbered by the evaluator, a default check's by the check, not by a test.
  const field = problem.field ?? '';
  const item = field.startsWith('evaluators[') ? 'evaluator' : /^(?:(?:x-workbench|extension)\.defaultAssertions|defaultTest\.assert)\[/.test(field) ? 'default check' : 'test';
  if (problem.row === null) return problem.field ?? 'the test suite';
  return `${item} ${problem.row}${problem.field === null ? '' : ` (${problem.field})`}`;
}

/** `Line 4 · topic`, `Item 2 · expected`, `Evaluator 3 (evaluators[2].string)`: where, for a report of a file of `format`. */
export function describeImportProblemPlace(problem: ImportProblem, format: TestCaseFormat): string {
  // The whole file's (it does not parse, it is not a list): its message says where, if anywhere.
  if (problem.row === null && problem.field === null) return '';
  if (format === 'prompt-yml' || format === 'promptfoo') {
    const place = describeProblemPlace(problem);
    // "Test 2 (…)" leads the line; a bare field path stays as written.
    return problem.row === null ? place : place.charAt(0).toUpperCase() + place.slice(1);
  }
  const unit = format === 'yaml' ? 'Item' : 'Line';
  return [problem.row === null ? null : `${unit} ${problem.row}`, problem.field].filter((part) => part !== null).join(' · ');
}
