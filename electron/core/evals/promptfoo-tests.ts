/**
 * The `tests` and `defaultTest` of a promptfoo config (promptfooconfig.yaml), read and written.
 *
 * A test's `vars` are its variables (a list value makes one case per combination, as promptfoo
 * does); `vars.expected`, when the prompt has no such variable, or `metadata.expected`, is the
 * expected output; `metadata.tags` its tags; `assert` its assertions (promptfoo-assertions.ts).
 * `defaultTest.vars` are merged under every test's; `defaultTest.assert` become the suite's
 * default assertions, except those whose values use a case's variables, which every case gets
 * with its own values filled in. Files referred to (`file://...`) are not read: reported.
 * The config's prompts and providers are not test data and are left alone.
 */

import { stringify } from 'yaml';
import type { Assertion, ImportProblem, TestCaseInput, TestSuite } from '../../../shared/eval-types';
import type { JudgeContext, JudgeProvider } from './file-judge';
import { assertionToPromptfoo, needsCaseScope } from './promptfoo-assertions';
import {
  importedMark,
  finishCase,
  formatFieldPath,
  isPlainObject,
  itemNumber,
  kindOf,
  noteOnce,
  noteUnknownVariables,
  readAssertion,
  readAssertions,
  readTags,
  readText,
  type FieldPath,
  type ParsedSuite,
  type VariableEntry,
  type RecordProblem,
  type RecordSink,
} from './test-case-record';
import { atLine, readYaml } from './yaml-source';

/** The most cases one test's list-valued vars may expand into. */
const MAX_COMBINATIONS = 1000;

/** Keys of a promptfoo test that this workbench has no counterpart for. */
const UNSUPPORTED_TEST_KEYS = ['threshold', 'options', 'provider', 'providers', 'providerOutput', 'assertScoringFunction', 'prompts'];

/** Reads the test cases of a promptfoo config (or of a plain list of promptfoo tests); judges are found among `judges` (file-judge.ts). */
export function parsePromptfooConfig(text: string, variableNames: readonly string[], judges: JudgeContext): ParsedSuite {
  const source = readYaml(text);
  if (!source.ok) return { cases: [], defaultAssertions: [], problems: source.problems };
  const { data, lineOf } = source;
  const problems: ImportProblem[] = [];
  /** A problem outside any test: its row is the item's number in its list (`defaultTest.assert[2]` is row 3), its line in the message. */
  const suiteProblem = (problem: RecordProblem) =>
    problems.push({ row: itemNumber(problem.path), field: formatFieldPath(problem.path), message: atLine(problem.message, lineOf(problem.path)), ...importedMark(problem) });
  let tests: unknown;
  let testsPath: FieldPath;
  let defaultTest: unknown;
  if (Array.isArray(data)) {
    tests = data;
    testsPath = [];
  } else if (isPlainObject(data)) {
    tests = data.tests;
    testsPath = ['tests'];
    defaultTest = data.defaultTest;
  } else {
    return { cases: [], defaultAssertions: [], problems: [{ row: null, field: null, message: `A promptfoo config must be a map with "tests" (or a list of tests), not ${kindOf(data)}` }] };
  }

  // Notes given once per file, in the default test and the tests alike.
  const noted = new Set<string>();
  const defaults = readDefaultTest(defaultTest, suiteProblem, { noted, judges });
  const cases: TestCaseInput[] = [];
  const entries: VariableEntry[] = [];
  if (typeof tests === 'string') {
    suiteProblem({ path: testsPath, message: `Tests read from ${tests} are not imported: import that file itself` });
  } else if (tests !== undefined && tests !== null && !Array.isArray(tests)) {
    suiteProblem({ path: testsPath, message: `"tests" must be a list, not ${kindOf(tests)}` });
  } else {
    for (const [index, test] of (tests ?? []).entries()) {
      const path: FieldPath = [...testsPath, index];
      const sink: RecordSink = { problems: [], noted, dialect: 'promptfoo', judges };
      const read = readTest(test, defaults, variableNames, sink);
      const seen = new Set<string>();
      for (const problem of sink.problems) {
        const key = `${formatFieldPath(problem.path)}\u0000${problem.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        problems.push({ row: index + 1, field: formatFieldPath(problem.path), message: atLine(problem.message, lineOf([...path, ...problem.path])), ...importedMark(problem) });
      }
      // A variable comes from the test's own vars, or else from defaultTest's.
      const ownVars = isPlainObject(test) && isPlainObject(test.vars) ? test.vars : {};
      const place = (name: string) =>
        Object.hasOwn(ownVars, name)
          ? { field: formatFieldPath(['vars', name]), line: lineOf([...path, 'vars', name]) }
          : { field: formatFieldPath(['defaultTest', 'vars', name]), line: lineOf(['defaultTest', 'vars', name]) };
      for (const testCase of read) {
        cases.push(testCase);
        entries.push({ row: index + 1, variables: testCase.variables, place });
      }
    }
  }
  problems.push(...noteUnknownVariables(entries, variableNames));
  return { cases, defaultAssertions: defaults.assertions, problems };
}

/** A suite as a promptfoo config's `defaultTest` and `tests`; judges named by `providers`. */
export function exportPromptfooConfig(suite: Pick<TestSuite, 'defaultAssertions' | 'cases'>, providers: readonly JudgeProvider[]): string {
  const toPromptfoo = (assertion: Assertion) => assertionToPromptfoo(assertion, providers);
  const config: Record<string, unknown> = {};
  if (suite.defaultAssertions.length > 0) config.defaultTest = { assert: suite.defaultAssertions.map(toPromptfoo) };
  config.tests = suite.cases.map((testCase) => {
    const test: Record<string, unknown> = {};
    if (testCase.description !== '') test.description = testCase.description;
    const vars: Record<string, string> = { ...testCase.variables };
    const metadata: Record<string, unknown> = {};
    // `vars.expected` is promptfoo's idiom for the expected output; a prompt variable of that name keeps it, and the output moves to metadata.
    if (testCase.variables.expected !== undefined) metadata.expected = testCase.expected;
    else if (testCase.expected !== null) vars.expected = testCase.expected;
    test.vars = vars;
    if (testCase.assertions.length > 0) test.assert = testCase.assertions.map(toPromptfoo);
    if (testCase.tags.length > 0) metadata.tags = testCase.tags;
    if (Object.keys(metadata).length > 0) test.metadata = metadata;
    return test;
  });
  return stringify(config, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** What `defaultTest` gives every test. */
interface Defaults {
  variables: Record<string, string>;
  assertions: Assertion[];
  /** Assertions whose values use a case's variables: read again for each case. */
  perCase: { item: Record<string, unknown>; path: FieldPath }[];
}

function readDefaultTest(defaultTest: unknown, report: (problem: RecordProblem) => void, file: Pick<RecordSink, 'noted' | 'judges'>): Defaults {
  const defaults: Defaults = { variables: {}, assertions: [], perCase: [] };
  if (defaultTest === undefined || defaultTest === null) return defaults;
  if (typeof defaultTest === 'string') {
    report({ path: ['defaultTest'], message: `The default test read from ${defaultTest} is not imported: put its assertions in the config` });
    return defaults;
  }
  if (!isPlainObject(defaultTest)) {
    report({ path: ['defaultTest'], message: `"defaultTest" must be a map, not ${kindOf(defaultTest)}` });
    return defaults;
  }
  const sink: RecordSink = { problems: [], noted: file.noted, dialect: 'promptfoo', leftOut: 'the default assertions were imported without it', judges: file.judges };
  for (const key of Object.keys(defaultTest)) {
    if (key !== 'vars' && key !== 'assert') sink.problems.push({ path: ['defaultTest', key], message: `"${key}" of the default test is not supported here and was not imported` });
  }
  const variables = readFlatVars(defaultTest.vars, ['defaultTest', 'vars'], sink);
  if (variables !== null) defaults.variables = variables;
  const list = defaultTest.assert;
  if (list !== undefined && list !== null && !Array.isArray(list)) {
    sink.problems.push({ path: ['defaultTest', 'assert'], message: `"assert" must be a list, not ${kindOf(list)}` });
  } else {
    for (const [index, item] of (list ?? []).entries()) {
      const path: FieldPath = ['defaultTest', 'assert', index];
      if (isPlainObject(item) && needsCaseScope(item)) {
        defaults.perCase.push({ item, path });
        continue;
      }
      const read = readAssertion(item, path, sink, { variables: {}, expected: null });
      // A default assertion that does not validate is left out of the defaults; the cases still import.
      if (read !== null) defaults.assertions.push(...read);
    }
  }
  for (const problem of sink.problems) report(problem);
  return defaults;
}

/** One promptfoo test: one case, or one per combination of its list-valued vars. */
function readTest(test: unknown, defaults: Defaults, variableNames: readonly string[], sink: RecordSink): TestCaseInput[] {
  if (!isPlainObject(test)) {
    const message = typeof test === 'string' ? `Tests read from ${test} are not imported: import that file itself` : `A test must be a map, not ${kindOf(test)}`;
    sink.problems.push({ path: [], message });
    return [];
  }
  for (const key of UNSUPPORTED_TEST_KEYS) {
    if (test[key] !== undefined) noteOnce(sink, `test:${key}`, { path: [key], message: `A test’s "${key}" is not supported here; the tests were imported without it` });
  }
  const combinations = readVars(test.vars, sink);
  const description = test.description === undefined || test.description === null ? '' : readText(test.description, ['description'], sink, 'The description');
  const metadata = test.metadata === undefined || test.metadata === null ? {} : test.metadata;
  if (!isPlainObject(metadata)) {
    sink.problems.push({ path: ['metadata'], message: `"metadata" must be a map, not ${kindOf(metadata)}` });
    return [];
  }
  for (const key of Object.keys(metadata)) {
    if (key !== 'tags' && key !== 'expected') noteOnce(sink, `metadata:${key}`, { path: ['metadata', key], message: `metadata "${key}" has no place in a test case here and was not imported` });
  }
  const tags = readTags(metadata.tags, ['metadata', 'tags'], sink);
  const hasMetadataExpected = 'expected' in metadata;
  const metadataExpected =
    !hasMetadataExpected || metadata.expected === null ? null : readText(metadata.expected, ['metadata', 'expected'], sink, 'The expected output');
  if (combinations === null || description === undefined || tags === null || metadataExpected === undefined) return [];
  const isExpectedVariable = variableNames.includes('expected');
  const cases: TestCaseInput[] = [];
  for (const combination of combinations) {
    const variables = { ...defaults.variables, ...combination };
    let expected: string | null = metadataExpected;
    if (!hasMetadataExpected && variables.expected !== undefined) {
      expected = variables.expected;
      if (!isExpectedVariable) delete variables.expected;
    }
    const scope = { variables, expected };
    const assertions: Assertion[] = [];
    let isValid = true;
    for (const { item, path } of defaults.perCase) {
      const read = readAssertion(item, path, sink, scope);
      if (read === null) isValid = false;
      else assertions.push(...read);
    }
    const own = readAssertions(test.assert, ['assert'], sink, scope);
    if (own === null || !isValid) return [];
    assertions.push(...own);
    const testCase = finishCase({ description, variables, expected, tags, assertions }, sink, { variables: ['vars'], assertions: ['assert'] });
    if (testCase === null) return [];
    cases.push(testCase);
  }
  return cases;
}

/** A test's vars: one map per combination of list values (promptfoo's matrix); null when one is unusable. */
function readVars(value: unknown, sink: RecordSink): Record<string, string>[] | null {
  if (value === undefined || value === null) return [{}];
  if (typeof value === 'string') {
    sink.problems.push({ path: ['vars'], message: `Variables read from ${value} are not imported: put the values in the config` });
    return null;
  }
  if (!isPlainObject(value)) {
    sink.problems.push({ path: ['vars'], message: `"vars" must be a map, not ${kindOf(value)}` });
    return null;
  }
  let combinations: Record<string, string>[] = [{}];
  for (const [name, raw] of Object.entries(value)) {
    const path: FieldPath = ['vars', name];
    const options = Array.isArray(raw) ? raw : [raw];
    const texts: string[] = [];
    for (const [index, option] of options.entries()) {
      const text = readVarValue(option, Array.isArray(raw) ? [...path, index] : path, name, sink);
      if (text === undefined) return null;
      texts.push(text);
    }
    if (combinations.length * texts.length > MAX_COMBINATIONS) {
      sink.problems.push({ path, message: `These vars make more than ${MAX_COMBINATIONS} combinations; split the test` });
      return null;
    }
    combinations = combinations.flatMap((combination) => texts.map((text) => ({ ...combination, [name]: text })));
  }
  return combinations;
}

/** `defaultTest.vars`: plain values only. */
function readFlatVars(value: unknown, path: FieldPath, sink: RecordSink): Record<string, string> | null {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) {
    sink.problems.push({ path, message: `"vars" must be a map, not ${kindOf(value)}` });
    return null;
  }
  const variables: Record<string, string> = {};
  for (const [name, raw] of Object.entries(value)) {
    const text = readVarValue(raw, [...path, name], name, sink);
    if (text === undefined) return null;
    variables[name] = text;
  }
  return variables;
}

function readVarValue(value: unknown, path: FieldPath, name: string, sink: RecordSink): string | undefined {
  if (typeof value === 'string' && value.startsWith('file://')) {
    sink.problems.push({ path, message: `The value of {{${name}}} is read from ${value}, which is not imported: put the text in the config` });
    return undefined;
  }
  return readText(value, path, sink, `The value of {{${name}}}`);
}
