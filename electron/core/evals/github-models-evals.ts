/**
 * A test suite in the GitHub Models prompt format (`.prompt.yml`): `testData` and `evaluators`,
 * plus an `x-workbench` extension for what the format cannot express. Used by the prompt-yml
 * import/export and by releases, which write these three into released files.
 *
 * How GitHub Models reads them (gh-models `eval`): a testData item is a map of template
 * variables, `expected` among them by convention; string evaluators compare the whole output
 * with `equals` exactly, and with `contains` / `startsWith` / `endsWith` ignoring case, after
 * filling `{{var}}` templates from the test data; `uses: github/similarity` and the other
 * github/* evaluators, like `llm` ones, are graded by a model.
 *
 * Mapping of the suite's default assertions, in order:
 * - exactly expressible (no negation, weight or threshold): equals (`{{expected}}` when it
 *   compares with the expected output), icontains -> `contains`, a regex `^literal` / `literal$`
 *   with the `i` flag -> `startsWith` / `endsWith`, similarity to the expected output ->
 *   `uses: github/similarity` (which GitHub grades with a model, this workbench with the
 *   Levenshtein ratio);
 * - close but not exact (case-sensitive contains and starts-with, a case-sensitive anchored
 *   literal, a weight or threshold, an llm-judge with a built-in's rubric, which GitHub grades
 *   with its own prompt and model): written as the nearest evaluator, so GitHub Models checks
 *   something, and the exact assertion kept in the extension with the evaluator's index;
 * - everything else (negated checks, regexes, JSON schema, counts, latency, cost, judges...):
 *   kept in the extension with its position.
 * Case descriptions, tags and assertions go into the extension too, by testData row. Reading
 * back puts every assertion where it was, so a suite survives the trip exactly. An evaluator
 * graded by a model (github/coherence..., an `llm` one) becomes an llm-judge when the import
 * names a judge (model-graded.ts), and is reported, never dropped silently, when it does not; an
 * llm-judge holding a built-in's rubric is written back as that built-in. An extension entry
 * whose evaluator was edited by hand yields to the evaluator. An llm-judge in the extension
 * names its judge's provider by name and kind, found again on the machine that reads it
 * (file-judge.ts).
 */

import { assertNever } from '../../../shared/assert-never';
import { assertionSchema } from '../../../shared/contract';
import type { Assertion, ImportProblem, TestCaseInput, TestSuite } from '../../../shared/eval-types';
import type { RunTarget } from '../../../shared/types';
import { canonicalJson } from '../canonical-json';
import { describeAssertion } from './assertions';
import { STRING_CHECK_KEYS, unknownEvaluatorKeys } from './evaluator-keys';
import { assertionForFile, type JudgeContext, type JudgeProvider } from './file-judge';
import { builtInOfRubric, builtInRubric, GITHUB_GRADED_BUILT_INS, gradedBuiltInOf, judgeAssertion, needsJudgeMessage, rubricFromLlmEvaluator } from './model-graded';
import {
  importedMark,
  describeAssertionIssue,
  finishCase,
  formatFieldPath,
  isPlainObject,
  kindOf,
  noteOnce,
  readAssertions,
  readJudgeOf,
  readTags,
  readText,
  type FieldPath,
  type ParsedSuite,
  type RecordProblem,
  type RecordSink,
  type ReservedKey,
  unrunnableProblem,
} from './test-case-record';

/**
 * The top-level key of the workbench's extension in a `.prompt.yml`. The format's JSON Schema
 * (resources/schemas/github-models-prompt.schema.json) allows `x-` keys, which other tools ignore.
 */
export const WORKBENCH_EXTENSION_KEY = 'x-workbench';

/** The version of the extension's shape, written with it. */
const EXTENSION_VERSION = 1;

/** The template GitHub Models fills with a test's expected output. */
const EXPECTED_TEMPLATE = '{{expected}}';

/** The one key of a test data row GitHub Models reads as the case's own, not as a variable: `expected`, its expected output. */
const EXPECTED_KEY: ReservedKey = { key: 'expected', what: 'expected output' };

/**
 * The keys of a test data row read as the case's own that `testCase` does not give, for the
 * near-miss note of `noteUnknownVariables`: a row with `expcted` and no expected output almost
 * surely misspelt it.
 */
export function testDataKeysLacking(testCase: Pick<TestCaseInput, 'expected'>): readonly ReservedKey[] {
  return testCase.expected === null || testCase.expected === undefined ? [EXPECTED_KEY] : [];
}

/** The order in which gh-models looks at a string evaluator's checks (it uses the first one set). */
const STRING_CHECKS = STRING_CHECK_KEYS;
type StringCheck = (typeof STRING_CHECKS)[number];

/** A problem in a GitHub Models document, at an absolute path (`evaluators[1].uses`). */
export interface DocumentProblem extends RecordProblem {
  /**
   * The number the user counts it by: the testData item (for an extension case, the item it
   * describes), the evaluator or the extension's default check; null when it is in none (a
   * list that is not one, an extension case that names no testData item).
   */
  row: number | null;
}

/** A suite read from a GitHub Models document, problems located by path. */
export interface LocatedSuite {
  cases: TestCaseInput[];
  /** The testData row each case came from (1-based). */
  rows: number[];
  defaultAssertions: Assertion[];
  problems: DocumentProblem[];
}

/** How a GitHub Models document is read. */
export interface GitHubModelsReadOptions {
  /**
   * This machine's providers, which the extension's llm-judges name theirs among, and the judge
   * of model-graded evaluators (github/coherence..., `llm`) and of llm-judges whose own is not
   * here; without one those are reported, not imported (file-judge.ts).
   */
  judges: JudgeContext;
}

/** An evaluator for an assertion, and whether GitHub Models' check means exactly the same. */
interface MappedEvaluator {
  evaluator: Record<string, unknown>;
  isExact: boolean;
}

/** Suite-level assertions the format can express become `evaluators`; everything else goes into the extension object, judges named by `providers`. */
export function suiteToGitHubModels(suite: Pick<TestSuite, 'defaultAssertions'> & { cases: readonly TestCaseInput[] }, providers: readonly JudgeProvider[]): {
  testData: Record<string, string>[];
  evaluators: Record<string, unknown>[];
  extension: Record<string, unknown> | null;
} {
  const evaluators: Record<string, unknown>[] = [];
  const defaults: Record<string, unknown>[] = [];
  for (const [position, assertion] of suite.defaultAssertions.entries()) {
    const mapped = toEvaluator(assertion);
    const written = assertionForFile(assertion, providers);
    if (mapped === null) {
      defaults.push({ position, assertion: written });
      continue;
    }
    evaluators.push(mapped.evaluator);
    if (!mapped.isExact) defaults.push({ position, evaluator: evaluators.length - 1, assertion: written });
  }
  const testData: Record<string, string>[] = [];
  const cases: Record<string, unknown>[] = [];
  for (const [row, testCase] of suite.cases.entries()) {
    const data: Record<string, string> = {};
    const entry: Record<string, unknown> = { row };
    for (const [name, value] of Object.entries(testCase.variables)) if (name !== 'expected') data[name] = value;
    const expected = testCase.expected ?? null;
    if (testCase.variables.expected !== undefined) {
      // A prompt variable named `expected`: GitHub Models fills it from testData, so that is where it goes.
      data.expected = testCase.variables.expected;
      entry.variables = { expected: testCase.variables.expected };
      entry.expected = expected;
    } else if (expected !== null) {
      data.expected = expected;
    }
    if ((testCase.description ?? '') !== '') entry.description = testCase.description;
    if ((testCase.tags ?? []).length > 0) entry.tags = testCase.tags;
    if ((testCase.assertions ?? []).length > 0) entry.assertions = (testCase.assertions ?? []).map((assertion) => assertionForFile(assertion, providers));
    if (Object.keys(entry).length > 1) cases.push(entry);
    testData.push(data);
  }
  const extension: Record<string, unknown> = { version: EXTENSION_VERSION };
  if (defaults.length > 0) extension.defaultAssertions = defaults;
  if (cases.length > 0) extension.cases = cases;
  return { testData, evaluators, extension: Object.keys(extension).length > 1 ? extension : null };
}

/**
 * Reads a suite from a GitHub Models document: `testData`, `evaluators` and the extension,
 * given as `extension` or under its own key (a whole parsed `.prompt.yml` will do).
 */
export function suiteFromGitHubModels(document: { testData?: unknown; evaluators?: unknown; extension?: unknown; [WORKBENCH_EXTENSION_KEY]?: unknown }, options: GitHubModelsReadOptions): ParsedSuite {
  const located = readGitHubModelsSuite(document, options);
  return {
    cases: located.cases,
    defaultAssertions: located.defaultAssertions,
    problems: located.problems.map((problem): ImportProblem => ({ row: problem.row, field: formatFieldPath(problem.path), message: problem.message, ...importedMark(problem) })),
  };
}

/** `suiteFromGitHubModels` with each problem's path, so a reader of the file can add its line. */
export function readGitHubModelsSuite(document: { testData?: unknown; evaluators?: unknown; extension?: unknown; [WORKBENCH_EXTENSION_KEY]?: unknown }, options: GitHubModelsReadOptions): LocatedSuite {
  const problems: DocumentProblem[] = [];
  const report = (path: FieldPath, message: string, row = listItemNumber(path), mark: { isImported?: true } = {}) => problems.push({ row, path, message, ...mark });
  const source = isPlainObject(document) ? document : {};
  const extensionPath: FieldPath = source.extension !== undefined ? ['extension'] : [WORKBENCH_EXTENSION_KEY];
  const extension = source.extension ?? source[WORKBENCH_EXTENSION_KEY];
  let extensionMap: Record<string, unknown> = {};
  if (isPlainObject(extension)) extensionMap = extension;
  else if (extension !== undefined && extension !== null) report(extensionPath, `The ${WORKBENCH_EXTENSION_KEY} extension must be a map, not ${kindOf(extension)}; it was not imported`);

  const evaluators = listAt(source.evaluators, ['evaluators'], report);
  const testData = listAt(source.testData, ['testData'], report);
  // Notes given once per file, in the default checks and the cases alike.
  const noted = new Set<string>();
  const overrides = readOverrides(extensionMap.defaultAssertions, [...extensionPath, 'defaultAssertions'], evaluators, report, { noted, judges: options.judges });

  // Evaluators in order, those an extension entry stands for left out; templated ones wait for each case.
  const fromEvaluators: Assertion[] = [];
  const perCase: { evaluator: Record<string, unknown>; path: FieldPath }[] = [];
  for (const [index, evaluator] of evaluators.entries()) {
    if (overrides.claimed.has(index)) continue;
    const path: FieldPath = ['evaluators', index];
    if (!isPlainObject(evaluator)) {
      report(path, `An evaluator must be a map, not ${kindOf(evaluator)}`);
      continue;
    }
    if (isTemplated(evaluator)) {
      perCase.push({ evaluator, path });
      continue;
    }
    const assertion = fromEvaluator(evaluator, {}, path, report, options.judges.judge);
    if (assertion !== null) fromEvaluators.push(assertion);
  }
  const defaultAssertions = [...fromEvaluators];
  for (const { position, assertion } of overrides.placed) defaultAssertions.splice(Math.min(position, defaultAssertions.length), 0, assertion);

  const caseExtensions = readCaseExtensions(extensionMap.cases, [...extensionPath, 'cases'], testData.length, report);
  const cases: TestCaseInput[] = [];
  const rows: number[] = [];
  for (const [index, item] of testData.entries()) {
    const path: FieldPath = ['testData', index];
    const sink: RecordSink = { problems: [], noted, dialect: 'workbench', judges: options.judges };
    const testCase = readTestDataItem(item, caseExtensions.get(index), perCase, sink);
    for (const problem of sink.problems) {
      const isExtension = problem.path[0] === '(extension)';
      const at = isExtension ? [...extensionPath, 'cases', caseExtensions.get(index)?.index ?? 0, ...problem.path.slice(1)] : problem.path[0] === '(evaluators)' ? problem.path.slice(1) : [...path, ...problem.path];
      problems.push({ row: problem.path[0] === '(evaluators)' ? listItemNumber(at) : index + 1, path: at, message: problem.message, ...importedMark(problem) });
    }
    if (testCase !== null) {
      cases.push(testCase);
      rows.push(index + 1);
    }
  }
  return { cases, rows, defaultAssertions, problems };
}

/** The evaluator GitHub Models would run for an assertion; null when the format has none close enough. */
function toEvaluator(assertion: Assertion): MappedEvaluator | null {
  // No evaluator is negated: writing the plain check would tell GitHub Models the opposite.
  if (assertion.isNegated === true) return null;
  let isExact = assertion.weight === undefined && assertion.threshold === undefined;
  let check: Record<string, unknown>;
  switch (assertion.type) {
    case 'equals':
      if (assertion.value === undefined) check = { string: { equals: EXPECTED_TEMPLATE } };
      else if (isPlainText(assertion.value)) check = { string: { equals: assertion.value } };
      else return null;
      break;
    case 'icontains':
    case 'contains':
      if (!isPlainText(assertion.value)) return null;
      check = { string: { contains: assertion.value } };
      if (assertion.type === 'contains') isExact = false;
      break;
    case 'starts-with':
      if (!isPlainText(assertion.value)) return null;
      check = { string: { startsWith: assertion.value } };
      isExact = false;
      break;
    case 'regex': {
      const anchored = readAnchoredLiteral(assertion.pattern);
      const flags = assertion.flags ?? '';
      if (anchored === null || (flags !== '' && flags !== 'i') || !isPlainText(anchored.text)) return null;
      check = { string: { [anchored.anchor === 'start' ? 'startsWith' : 'endsWith']: anchored.text } };
      if (flags === '') isExact = false;
      break;
    }
    case 'similarity':
      if (assertion.value !== undefined) return null;
      check = { uses: 'github/similarity' };
      break;
    case 'contains-any':
    case 'contains-all':
    case 'is-json':
    case 'json-schema':
    case 'word-count':
    case 'char-count':
    case 'latency':
    case 'cost':
      return null;
    case 'llm-judge': {
      // A built-in's rubric goes back as the built-in; GitHub grades it with its own prompt and model.
      const builtIn = builtInOfRubric(assertion.rubric);
      if (builtIn === null) return null;
      check = { uses: `github/${builtIn}` };
      isExact = false;
      break;
    }
    default:
      return assertNever(assertion, 'assertion');
  }
  return { evaluator: { name: describeAssertion(assertion), ...check }, isExact };
}

/** An evaluator as an assertion, as GitHub Models would check it; null (with a problem) when this workbench cannot. */
function fromEvaluator(evaluator: Record<string, unknown>, testData: Record<string, string>, path: FieldPath, report: (path: FieldPath, message: string) => void, judge: RunTarget | null): Assertion | null {
  const named = typeof evaluator.name === 'string' && evaluator.name.trim() !== '' ? `"${evaluator.name}"` : 'An evaluator';
  // A misspelt key would be dropped and leave a check that checks nothing: the evaluator is left out, the key named.
  const unknownKeys = unknownEvaluatorKeys(evaluator, '');
  for (const unknown of unknownKeys) report([...path, ...unknown.path], `${named} was not imported. ${unknown.message}`);
  if (unknownKeys.length > 0) return null;
  let body: Record<string, unknown>;
  if (isPlainObject(evaluator.string)) {
    const checks = STRING_CHECKS.filter((check) => typeof (evaluator.string as Record<string, unknown>)[check] === 'string' && (evaluator.string as Record<string, string>)[check] !== '');
    if (checks.length === 0) {
      const others = Object.keys(evaluator.string).filter((key) => !(STRING_CHECKS as readonly string[]).includes(key));
      const naming = others.length === 0 ? '' : `; ${others.map((key) => `"${key}"`).join(' and ')} ${others.length === 1 ? 'is not one' : 'are not'}`;
      report([...path, 'string'], `${named} has no string check (equals, contains, startsWith or endsWith)${naming}`);
      return null;
    }
    const [check, ...ignored] = checks;
    if (ignored.length > 0) {
      report([...path, 'string'], `${named} has several checks; GitHub Models uses only "${check}", so ${ignored.map((name) => `"${name}"`).join(' and ')} ${ignored.length === 1 ? 'was' : 'were'} not imported`);
    }
    const raw = (evaluator.string as Record<string, string>)[check];
    body = stringCheckAssertion(check, raw === EXPECTED_TEMPLATE && check === 'equals' ? null : fillTemplate(raw, testData));
  } else if (typeof evaluator.uses === 'string') {
    const builtIn = gradedBuiltInOf(evaluator.uses);
    if (evaluator.uses === 'github/similarity') {
      body = { type: 'similarity' };
    } else if (builtIn === null) {
      report([...path, 'uses'], `${named} uses "${evaluator.uses}", which is not one of GitHub Models’ built-in evaluators (github/similarity, ${GITHUB_GRADED_BUILT_INS.map((name) => `github/${name}`).join(', ')})`);
      return null;
    } else if (judge === null) {
      report([...path, 'uses'], needsJudgeMessage(`${named} (${evaluator.uses})`));
      return null;
    } else {
      body = judgeAssertion(builtInRubric(builtIn), judge);
    }
  } else if (evaluator.llm !== undefined) {
    const read = rubricFromLlmEvaluator(evaluator.llm);
    if ('problem' in read) {
      report(read.field === null ? [...path, 'llm'] : [...path, 'llm', read.field], `${named} cannot be imported: ${read.problem}`);
      return null;
    }
    if (judge === null) {
      report([...path, 'llm'], needsJudgeMessage(named));
      return null;
    }
    body = judgeAssertion(read.rubric, judge);
  } else {
    report(path, `${named} has no check: give it "string", "uses" or "llm"`);
    return null;
  }
  const parsed = assertionSchema.safeParse(body);
  if (!parsed.success) {
    report(path, `${named} cannot be imported: ${parsed.error.issues[0]?.message ?? 'it is not valid'}`);
    return null;
  }
  const assertion = parsed.data as Assertion;
  // The name becomes the label unless it is the one this workbench would give the assertion anyway.
  const name = typeof evaluator.name === 'string' ? evaluator.name.trim() : '';
  if (name !== '' && name !== describeAssertion(assertion)) assertion.label = name.slice(0, 200);
  return assertion;
}

/** A GitHub Models string check as an assertion: `equals` exact, the others ignoring case. */
function stringCheckAssertion(check: StringCheck, value: string | null): Record<string, unknown> {
  switch (check) {
    case 'equals':
      return value === null ? { type: 'equals' } : { type: 'equals', value };
    case 'contains':
      return { type: 'icontains', value };
    case 'startsWith':
      return { type: 'regex', pattern: `^${escapeRegex(value ?? '')}`, flags: 'i' };
    case 'endsWith':
      return { type: 'regex', pattern: `${escapeRegex(value ?? '')}$`, flags: 'i' };
  }
}

/** The extension's default assertions: where each goes, and the evaluators they stand for. */
function readOverrides(
  value: unknown,
  path: FieldPath,
  evaluators: readonly unknown[],
  report: (path: FieldPath, message: string, row?: number | null, mark?: { isImported?: true }) => void,
  file: Pick<RecordSink, 'noted' | 'judges'>,
): { placed: { position: number; assertion: Assertion }[]; claimed: Set<number> } {
  const placed: { position: number; assertion: Assertion }[] = [];
  const claimed = new Set<number>();
  const sink: RecordSink = { problems: [], noted: file.noted, dialect: 'workbench', leftOut: 'it was not imported', judges: file.judges };
  const flush = () => {
    for (const problem of sink.problems.splice(0)) report(problem.path, problem.message, undefined, importedMark(problem));
  };
  for (const [index, entry] of listAt(value, path, report).entries()) {
    const at: FieldPath = [...path, index];
    if (!isPlainObject(entry) || !Number.isInteger(entry.position) || (entry.position as number) < 0) {
      report(at, 'An extension default assertion needs a "position" (a whole number) and an "assertion"; it was not imported');
      continue;
    }
    const judged = readJudgeOf(entry.assertion, [...at, 'assertion'], sink);
    flush();
    if (judged === 'left-out' || judged === 'invalid') continue;
    const parsed = assertionSchema.safeParse(judged.item);
    if (!parsed.success) {
      const problem = describeAssertionIssue(judged.item, [...at, 'assertion'], parsed.error);
      report(problem.path, problem.message);
      continue;
    }
    const assertion = parsed.data as Assertion;
    const unrunnable = unrunnableProblem(assertion);
    if (unrunnable !== null) {
      report([...at, 'assertion', ...unrunnable.path], unrunnable.message);
      continue;
    }
    if (entry.evaluator !== undefined) {
      const evaluatorIndex = entry.evaluator;
      const expected = toEvaluator(assertion);
      const isIntact =
        typeof evaluatorIndex === 'number' &&
        expected !== null &&
        !claimed.has(evaluatorIndex) &&
        evaluators[evaluatorIndex] !== undefined &&
        canonicalJson(evaluators[evaluatorIndex]) === canonicalJson(expected.evaluator);
      if (!isIntact) {
        report(at, `This entry stands for evaluator ${String(evaluatorIndex)}, which was changed in the file; the evaluator was imported as written instead`);
        continue;
      }
      claimed.add(evaluatorIndex);
    }
    if (judged.note !== null) {
      noteOnce(sink, judged.note.key, judged.note.problem);
      flush();
    }
    placed.push({ position: entry.position as number, assertion });
  }
  placed.sort((first, second) => first.position - second.position);
  return { placed, claimed };
}

/** What the extension says about one testData row. */
interface CaseExtension {
  /** Its index in the extension's `cases`. */
  index: number;
  entry: Record<string, unknown>;
}

/** The extension's cases by the testData index they describe; an entry's problem is numbered by that item, not by the entry's place in the list. */
function readCaseExtensions(value: unknown, path: FieldPath, rowCount: number, report: (path: FieldPath, message: string, row?: number | null) => void): Map<number, CaseExtension> {
  const byRow = new Map<number, CaseExtension>();
  for (const [index, entry] of listAt(value, path, report).entries()) {
    const at: FieldPath = [...path, index];
    if (!isPlainObject(entry) || !Number.isInteger(entry.row) || (entry.row as number) < 0) {
      report(at, 'An extension case needs a "row" (the testData index it describes); it was not imported', null);
      continue;
    }
    const row = entry.row as number;
    if (row >= rowCount) {
      report([...at, 'row'], `The extension describes testData row ${row}, but testData has ${rowCount} ${rowCount === 1 ? 'row' : 'rows'}; it was not imported`, null);
      continue;
    }
    if (byRow.has(row)) {
      report([...at, 'row'], `The extension describes testData row ${row} twice; the second was not imported`, row + 1);
      continue;
    }
    byRow.set(row, { index, entry });
  }
  return byRow;
}

/** One testData item with what the extension adds; problems on the extension are under `(extension)`, on evaluators under `(evaluators)`. */
function readTestDataItem(item: unknown, extension: CaseExtension | undefined, perCase: readonly { evaluator: Record<string, unknown>; path: FieldPath }[], sink: RecordSink): TestCaseInput | null {
  if (!isPlainObject(item)) {
    sink.problems.push({ path: [], message: `A testData item must be a map of variable values, not ${kindOf(item)}` });
    return null;
  }
  const data: Record<string, string> = {};
  for (const [name, value] of Object.entries(item)) {
    const text = readText(value, [name], sink, `The value of ${name === 'expected' ? 'expected' : `{{${name}}}`}`);
    if (text === undefined) return null;
    data[name] = text;
  }
  const { expected: dataExpected, ...variables } = data;
  let expected: string | null = dataExpected ?? null;
  let description = '';
  let tags: string[] = [];
  const assertions: Assertion[] = [];
  const evaluatorProblems: RecordProblem[] = [];
  for (const { evaluator, path } of perCase) {
    // Only string evaluators are filled in per case; model-graded ones are read once, above.
    const assertion = fromEvaluator(evaluator, data, path, (at, message) => evaluatorProblems.push({ path: ['(evaluators)', ...at], message }), null);
    if (assertion !== null) assertions.push(assertion);
  }
  // The same evaluator problem would repeat on every row: the first row reports it.
  for (const problem of evaluatorProblems) {
    const key = `${formatFieldPath(problem.path)}\u0000${problem.message}`;
    if (!sink.noted.has(key)) {
      sink.noted.add(key);
      sink.problems.push(problem);
    }
  }
  if (extension !== undefined) {
    const { entry } = extension;
    const at = (...keys: FieldPath): FieldPath => ['(extension)', ...keys];
    if (entry.description !== undefined) {
      const text = readText(entry.description, at('description'), sink, 'The description');
      if (text === undefined) return null;
      description = text;
    }
    const readTagList = readTags(entry.tags, at('tags'), sink);
    if (readTagList === null) return null;
    tags = readTagList;
    if ('expected' in entry) {
      const text = entry.expected === null ? null : readText(entry.expected, at('expected'), sink, 'The expected output');
      if (text === undefined) return null;
      expected = text;
    }
    if (entry.variables !== undefined) {
      if (!isPlainObject(entry.variables)) {
        sink.problems.push({ path: at('variables'), message: `Variables must be a map, not ${kindOf(entry.variables)}` });
        return null;
      }
      for (const [name, value] of Object.entries(entry.variables)) {
        const text = readText(value, at('variables', name), sink, `The value of {{${name}}}`);
        if (text === undefined) return null;
        variables[name] = text;
      }
    }
    const own = readAssertions(entry.assertions, at('assertions'), sink, { variables, expected });
    if (own === null) return null;
    assertions.push(...own);
  }
  return finishCase({ description, variables, expected, tags, assertions }, sink, {
    variables: [],
    description: ['(extension)', 'description'],
    tags: ['(extension)', 'tags'],
    assertions: ['(extension)', 'assertions'],
  });
}

/** A list at `path`, or [] (with a problem when something else is there). */
function listAt(value: unknown, path: FieldPath, report: (path: FieldPath, message: string) => void): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  report(path, `${formatFieldPath(path) ?? 'This'} must be a list, not ${kindOf(value)}`);
  return [];
}

/**
 * The 1-based number of the item of a top-level list (testData, evaluators, the extension's
 * default assertions) that `path` is in: `evaluators[2].llm.messages[0]` is 3. Null outside any.
 */
function listItemNumber(path: FieldPath): number | null {
  const first = path.find((key) => typeof key === 'number');
  return typeof first === 'number' ? first + 1 : null;
}

/** True when a string evaluator's value uses test data other than `equals: {{expected}}`, so it differs per case. */
function isTemplated(evaluator: Record<string, unknown>): boolean {
  if (!isPlainObject(evaluator.string)) return false;
  const checks = evaluator.string;
  const first = STRING_CHECKS.find((check) => typeof checks[check] === 'string' && checks[check] !== '');
  if (first === undefined) return false;
  const value = checks[first] as string;
  if (first === 'equals' && value === EXPECTED_TEMPLATE) return false;
  return /\{\{[^}]+\}\}/.test(value);
}

/** gh-models' templating: each `{{key}}` of the test data replaced by its value; anything else left as written. */
function fillTemplate(text: string, data: Record<string, string>): string {
  return text.replace(/\{\{([^}]+)\}\}/g, (whole, key: string) => data[key] ?? whole);
}

/** Text GitHub Models compares literally: not empty (it would mean "no check") and no `{{` (it would fill it in). */
function isPlainText(text: string): boolean {
  return text !== '' && !text.includes('{{');
}

/** Text as a regex that matches it literally. */
function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `^literal` or `literal$` written by `escapeRegex`; null for any other pattern. */
function readAnchoredLiteral(pattern: string): { anchor: 'start' | 'end'; text: string } | null {
  const isStart = pattern.startsWith('^') && !pattern.endsWith('$');
  const isEnd = pattern.endsWith('$') && !pattern.endsWith('\\$') && !pattern.startsWith('^');
  if (!isStart && !isEnd) return null;
  const body = isStart ? pattern.slice(1) : pattern.slice(0, -1);
  const text = body.replace(/\\([.*+?^${}()|[\]\\])/g, '$1');
  if (text === '' || escapeRegex(text) !== body) return null;
  return { anchor: isStart ? 'start' : 'end', text };
}
