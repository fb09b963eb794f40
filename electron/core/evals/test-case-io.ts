/**
 * Importing and exporting a prompt's test cases, in every format: CSV, JSONL, YAML, the
 * `testData` and `evaluators` of a GitHub Models `.prompt.yml`, and the `tests` of a promptfoo
 * config. Each format's rules are in its own file; this one picks the file.
 *
 * Every import returns the cases that read cleanly, the suite-level assertions the file holds,
 * and a problem for each row (or field) that did not, so one bad row never costs the others.
 * Imported cases carry every field (description '', expected null, tags [], assertions []),
 * and each passes the same check as a saved case. Exports write back what imports read: a
 * suite exported and imported again is the same suite (CSV and JSONL, which have no place for
 * default assertions, fold them into each case's own, which checks every case the same way).
 */

import { stringify } from 'yaml';
import { assertNever } from '../../../shared/assert-never';
import type { TestCaseExport, TestCaseFormat, TestSuite } from '../../../shared/eval-types';
import { exportCsvTestCases, parseCsvTestCases } from './csv-test-cases';
import type { JudgeContext, JudgeProvider } from './file-judge';
import { readGitHubModelsSuite, suiteToGitHubModels, testDataKeysLacking, WORKBENCH_EXTENSION_KEY } from './github-models-evals';
import { exportPromptfooConfig, parsePromptfooConfig } from './promptfoo-tests';
import { exportJsonlTestCases, exportYamlTestCases, parseJsonlTestCases, parseYamlTestCases } from './record-test-cases';
import { formatFieldPath, importedMark, isPlainObject, kindOf, noteUnknownVariables, type ParsedSuite } from './test-case-record';
import { atLine, readYaml } from './yaml-source';

export type { ParsedSuite } from './test-case-record';

/**
 * Reads test cases from a file's text; `variableNames` are the prompt's, to tell variables from
 * other columns and note those it lacks; an LLM judge is found among `judges.providers` by the
 * name the file gives it, and `judges.judge` grades the checks a file leaves to a model grader
 * and those whose judge is not here (reported, not imported, without one; see file-judge.ts).
 */
export function parseTestCases(format: TestCaseFormat, text: string, options: { variableNames: string[]; judges: JudgeContext }): ParsedSuite {
  const { variableNames, judges } = options;
  switch (format) {
    case 'csv':
      return parseCsvTestCases(text, variableNames, judges);
    case 'jsonl':
      return parseJsonlTestCases(text, variableNames, judges);
    case 'yaml':
      return parseYamlTestCases(text, variableNames, judges);
    case 'prompt-yml':
      return parsePromptYml(text, variableNames, judges);
    case 'promptfoo':
      return parsePromptfooConfig(text, variableNames, judges);
    default:
      return assertNever(format, 'test case format');
  }
}

/**
 * A suite's test cases written in a format, with a file name made from the prompt's slug; an
 * LLM judge is written by its provider's name and kind, from `providers` (this machine's).
 */
export function exportTestCases(format: TestCaseFormat, suite: TestSuite, promptSlug: string, providers: readonly JudgeProvider[]): TestCaseExport {
  switch (format) {
    case 'csv':
      return { fileName: `${promptSlug}.tests.csv`, text: exportCsvTestCases(suite.defaultAssertions, suite.cases, providers) };
    case 'jsonl':
      return { fileName: `${promptSlug}.tests.jsonl`, text: exportJsonlTestCases(suite.defaultAssertions, suite.cases, providers) };
    case 'yaml':
      return { fileName: `${promptSlug}.tests.yaml`, text: exportYamlTestCases(suite.defaultAssertions, suite.cases, providers) };
    case 'prompt-yml':
      return { fileName: `${promptSlug}.tests.prompt.yml`, text: exportPromptYml(suite, providers) };
    case 'promptfoo':
      return { fileName: `${promptSlug}.promptfooconfig.yaml`, text: exportPromptfooConfig(suite, providers) };
    default:
      return assertNever(format, 'test case format');
  }
}

/**
 * The test cases of a `.prompt.yml`: its `testData`, `evaluators` and workbench extension.
 * The rest of the file (messages, model) is the prompt's business, not read here. As in
 * GitHub Models, a prompt variable named `expected` takes the test data's expected output.
 */
function parsePromptYml(text: string, variableNames: readonly string[], judges: JudgeContext): ParsedSuite {
  const source = readYaml(text);
  if (!source.ok) return { cases: [], defaultAssertions: [], problems: source.problems };
  const { data, lineOf } = source;
  if (data === null || data === undefined) return { cases: [], defaultAssertions: [], problems: [] };
  if (!isPlainObject(data)) {
    return { cases: [], defaultAssertions: [], problems: [{ row: null, field: null, message: `A .prompt.yml file must be a map (name, messages, testData...), not ${kindOf(data)}` }] };
  }
  const located = readGitHubModelsSuite(data, { judges });
  const isExpectedVariable = variableNames.includes('expected');
  const cases = located.cases.map((testCase) =>
    isExpectedVariable && testCase.expected !== null && testCase.expected !== undefined && testCase.variables.expected === undefined
      ? { ...testCase, variables: { ...testCase.variables, expected: testCase.expected } }
      : testCase,
  );
  const problems = located.problems.map((problem) => ({ row: problem.row, field: formatFieldPath(problem.path), message: atLine(problem.message, lineOf(problem.path)), ...importedMark(problem) }));
  problems.push(
    ...noteUnknownVariables(
      cases.map((testCase, index) => {
        const row = located.rows[index];
        // A variable of a case is a key of its testData item (the row, counted from 1).
        return {
          row,
          variables: testCase.variables,
          place: (name: string) => ({ field: formatFieldPath(['testData', row - 1, name]), line: lineOf(['testData', row - 1, name]) }),
          reserved: testDataKeysLacking(testCase),
        };
      }),
      variableNames,
    ),
  );
  return { cases, defaultAssertions: located.defaultAssertions, problems };
}

/** `testData`, `evaluators` and the extension, ready to paste into a `.prompt.yml`. */
function exportPromptYml(suite: TestSuite, providers: readonly JudgeProvider[]): string {
  const { testData, evaluators, extension } = suiteToGitHubModels(suite, providers);
  const document: Record<string, unknown> = { testData };
  if (evaluators.length > 0) document.evaluators = evaluators;
  if (extension !== null) document[WORKBENCH_EXTENSION_KEY] = extension;
  return stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
}
