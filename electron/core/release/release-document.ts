/**
 * A released prompt file: a version and its test suite as a GitHub Models `.prompt.yml`, and
 * back. What the format cannot say is kept in `x-` extension keys, never dropped:
 *
 * - the test suite's assertions that have no GitHub Models evaluator, under the eval engine's
 *   extension key (see github-models-evals.ts);
 * - the `stop` sequences and the reasoning effort, under `x-workbench-model-parameters` (GitHub
 *   Models' modelParameters holds only temperature, maxTokens and topP).
 *
 * Every released file is checked against the JSON Schema of the format before it is written.
 */

import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';
import schema from '../../../resources/schemas/github-models-prompt.schema.json';
import { WorkbenchError } from '../../../shared/errors';
import type { Assertion, ImportProblem, TestCaseInput, TestSuite } from '../../../shared/eval-types';
import type { ModelParameters, PromptContent, ReasoningEffort } from '../../../shared/types';
import { REASONING_EFFORTS } from '../../../shared/contract';
import type { JudgeContext, JudgeProvider } from '../evals/file-judge';
import { readGitHubModelsSuite, suiteToGitHubModels, testDataKeysLacking, WORKBENCH_EXTENSION_KEY } from '../evals/github-models-evals';
import { formatFieldPath, isPlainObject, noteUnknownVariables } from '../evals/test-case-record';
import { readYaml } from '../evals/yaml-source';
import { normalizeContent } from '../prompt-content';
import { MODEL_PARAMETERS_EXTENSION_KEY, parsePromptFile, serializePromptFile, type PromptFile } from '../prompt-file';
import { collectVariables } from '../../../shared/template';
import type { FileProblem } from '../../../shared/types';

/** What a released file is made of. */
export interface ReleaseDocumentInput {
  name: string;
  description: string;
  content: PromptContent;
  /** The prompt's test suite; null or empty for none. */
  suite: TestSuite | null;
  /** This machine's providers: an LLM judge is written by its provider's name and kind, never its id. */
  providers: readonly JudgeProvider[];
}

/** A test case or evaluator of a prompt file that could not be read, with the line it starts on when known. */
export interface SuiteProblem extends ImportProblem {
  line: number | null;
}

/** A prompt file read back: the version's content and the suite it carried. */
export interface ReadDocument {
  name: string;
  description: string;
  content: PromptContent;
  /** The first test case's values, for the draft's variables. */
  testData: Record<string, string>[];
  cases: TestCaseInput[];
  defaultAssertions: Assertion[];
  /** Test cases or assertions that could not be read (the rest was). */
  suiteProblems: SuiteProblem[];
  /** True when the file carries test data or evaluators. */
  hasSuite: boolean;
}

// Strict, except that a `required` inside `oneOf` may name properties declared beside it (the evaluator kinds).
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const validate = ajv.compile(schema);

/** The text of the released file of a version. Throws when it would not be a valid GitHub Models prompt file. */
export function buildReleaseDocument(input: ReleaseDocumentInput): string {
  const content = normalizeContent(input.content);
  const { stop, reasoningEffort, ...parameters } = content.parameters;
  const extensions: Record<string, unknown> = {};
  let testData: Record<string, string>[] = [];
  let evaluators: unknown[] = [];
  if (input.suite !== null && (input.suite.cases.length > 0 || input.suite.defaultAssertions.length > 0)) {
    const mapped = suiteToGitHubModels(input.suite, input.providers);
    testData = mapped.testData;
    evaluators = mapped.evaluators;
    if (mapped.extension !== null && mapped.extension !== undefined) extensions[WORKBENCH_EXTENSION_KEY] = mapped.extension;
  }
  const extraParameters = {
    ...(stop !== undefined && stop.length > 0 && { stop }),
    ...(reasoningEffort !== undefined && { reasoningEffort }),
  };
  if (Object.keys(extraParameters).length > 0) extensions[MODEL_PARAMETERS_EXTENSION_KEY] = extraParameters;
  const promptFile: PromptFile = {
    name: input.name,
    description: input.description,
    content: { model: content.model, parameters, messages: content.messages, ...(content.responseFormat !== undefined && { responseFormat: content.responseFormat }) },
    testData,
    evaluators,
  };
  if (Object.keys(extensions).length > 0) promptFile.extensions = extensions;
  const text = serializePromptFile(promptFile);
  const problems = schemaProblems(parse(text));
  if (problems.length > 0) {
    throw new WorkbenchError('invalid-input', `The released file would not be a valid GitHub Models prompt file: ${problems.join('; ')}. Nothing was written.`);
  }
  return text;
}

/** Why a parsed document is not a valid GitHub Models prompt file; empty when it is. */
export function schemaProblems(document: unknown): string[] {
  if (validate(document)) return [];
  // The branches of a oneOf each fail in their own words; the oneOf's own error says it once.
  return (validate.errors ?? []).filter((error) => !error.schemaPath.includes('/oneOf/')).map(describeError);
}

/**
 * Reads a prompt file's text (released by this app or written by hand) back into a version's
 * content and a test suite; problems are located by line. LLM judges are found among
 * `judges.providers` by name (see file-judge.ts).
 */
export function readPromptDocument(text: string, file: string, judges: JudgeContext): { ok: true; document: ReadDocument } | { ok: false; problems: FileProblem[] } {
  const parsed = parsePromptFile(text, file);
  if (!parsed.ok) return parsed;
  const { promptFile } = parsed;
  const parameters: ModelParameters = { ...promptFile.content.parameters };
  const extra = promptFile.extensions?.[MODEL_PARAMETERS_EXTENSION_KEY];
  const stop = extractStop(extra);
  if (stop === 'invalid') {
    return { ok: false, problems: [{ file, line: 1, column: 1, message: `${MODEL_PARAMETERS_EXTENSION_KEY}.stop must be a list of up to 16 texts` }] };
  }
  if (stop !== null && parameters.stop === undefined) parameters.stop = stop;
  const reasoningEffort = extractReasoningEffort(extra);
  if (reasoningEffort === 'invalid') {
    return { ok: false, problems: [{ file, line: 1, column: 1, message: `${MODEL_PARAMETERS_EXTENSION_KEY}.reasoningEffort must be one of ${REASONING_EFFORTS.join(', ')}` }] };
  }
  if (reasoningEffort !== null && parameters.reasoningEffort === undefined) parameters.reasoningEffort = reasoningEffort;
  const suite = readSuite(text, collectVariables(promptFile.content.messages), judges);
  return {
    ok: true,
    document: {
      name: promptFile.name,
      description: promptFile.description,
      content: normalizeContent({ ...promptFile.content, parameters }),
      testData: promptFile.testData,
      cases: suite.cases,
      defaultAssertions: suite.defaultAssertions,
      suiteProblems: suite.problems,
      hasSuite: suite.hasSuite,
    },
  };
}

/**
 * The suite of a prompt file's text, each problem with the line its field is on; `hasSuite` when
 * the file has test data, evaluators or the extension, readable or not. A testData key that is
 * a near miss of a prompt variable the row has no value for (`qestion` for `{{question}}`), or
 * of `expected` in a row without it (`expcted`), is noted with the name meant, and imported as written: GitHub Models allows any key there (for
 * evaluators to use), and the case, kept, can be put right in Evals.
 */
function readSuite(text: string, variableNames: readonly string[], judges: JudgeContext): { hasSuite: boolean; cases: TestCaseInput[]; defaultAssertions: Assertion[]; problems: SuiteProblem[] } {
  const source = readYaml(text);
  // The file parsed as a prompt file already; this is only for its lines.
  if (!source.ok) return { hasSuite: false, cases: [], defaultAssertions: [], problems: source.problems.map((problem, index) => ({ ...problem, line: source.lines[index] })) };
  const data = isPlainObject(source.data) ? source.data : {};
  const hasSuite = isPresent(data.testData) || isPresent(data.evaluators) || data[WORKBENCH_EXTENSION_KEY] !== undefined;
  if (!hasSuite) return { hasSuite, cases: [], defaultAssertions: [], problems: [] };
  const located = readGitHubModelsSuite(data, { judges });
  const problems: SuiteProblem[] = located.problems.map((problem) => ({ row: problem.row, field: formatFieldPath(problem.path), message: problem.message, line: source.lineOf(problem.path) }));
  const lines = new Map<string | null, number | null>();
  const typos = noteUnknownVariables(
    located.cases.map((testCase, index) => {
      const row = located.rows[index];
      return {
        row,
        variables: testCase.variables,
        reserved: testDataKeysLacking(testCase),
        place: (name: string) => {
          const path = ['testData', row - 1, name];
          lines.set(formatFieldPath(path), source.lineOf(path));
          return { field: formatFieldPath(path), line: null };
        },
      };
    }),
    variableNames,
    { isNearMissOnly: true },
  );
  problems.push(...typos.map((note) => ({ ...note, line: lines.get(note.field) ?? null })));
  return { hasSuite, cases: located.cases, defaultAssertions: located.defaultAssertions, problems };
}

/** True for a value other than nothing and an empty list. */
function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}

function extractStop(value: unknown): string[] | null | 'invalid' {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return 'invalid';
  const stop = (value as { stop?: unknown }).stop;
  if (stop === undefined) return null;
  if (!Array.isArray(stop) || stop.length > 16 || !stop.every((item) => typeof item === 'string' && item.length > 0 && item.length <= 200)) {
    return 'invalid';
  }
  return stop as string[];
}

function extractReasoningEffort(value: unknown): ReasoningEffort | null | 'invalid' {
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const effort = (value as { reasoningEffort?: unknown }).reasoningEffort;
  if (effort === undefined) return null;
  return REASONING_EFFORTS.find((known) => known === effort) ?? 'invalid';
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'the file' : error.instancePath.slice(1).replace(/\//g, '.');
  if (error.keyword === 'oneOf') return `${where}: an evaluator has exactly one of string, llm or uses`;
  if (error.keyword === 'additionalProperties') {
    return `${where}: unexpected key ${String((error.params as { additionalProperty: string }).additionalProperty)}`;
  }
  return `${where}: ${error.message ?? error.keyword}`;
}
