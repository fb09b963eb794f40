/**
 * The parts every test-case import shares: the parsed suite, problems located by field, and
 * reading one case's fields (variables, expected output, description, tags, assertions) from
 * whatever a file gave, with the same rules and messages in every format.
 *
 * Two kinds of problem: one that keeps the case out (a value of the wrong kind, an assertion
 * that does not validate or whose pattern or schema does not compile: we cannot tell what was meant), and a note on a case that did import
 * without something this workbench cannot do (a promptfoo `javascript` assertion, say), which
 * says so in its message. Every case that imports passes `testCaseInputSchema`, the same check
 * the bridge applies to a saved suite.
 */

import type { z } from 'zod';
import { assertionSchema, testCaseInputSchema } from '../../../shared/contract';
import { ASSERTION_TYPES, type Assertion, type ImportProblem, type TestCaseInput } from '../../../shared/eval-types';
import { compileJsonSchema, compileRegex } from './compiled-checks';
import { assertionForFile, resolveFileJudge, type JudgeContext, type JudgeProvider } from './file-judge';
import { assertionFromPromptfoo, isPromptfooType } from './promptfoo-assertions';
import { nearMiss } from '../near-miss';
import { describeExpected, isPlainObject, kindOf } from './value-kind';

export { describeExpected, isPlainObject, kindOf } from './value-kind';

/** Test cases and suite-level assertions read from a file, and what did not import. */
export interface ParsedSuite {
  cases: TestCaseInput[];
  defaultAssertions: Assertion[];
  problems: ImportProblem[];
}

/** A path into a record: keys and list indexes. */
export type FieldPath = (string | number)[];

/** A problem in one record, at a path relative to it. */
export interface RecordProblem {
  path: FieldPath;
  message: string;
  /** A note on something imported all the same (a judge found another way), not a problem that left it out. */
  isImported?: true;
}

/** `{ isImported: true }` for a note on something imported all the same, for spreading into the import problem made of it. */
export function importedMark(problem: { isImported?: true }): { isImported?: true } {
  return problem.isImported === true ? { isImported: true } : {};
}

/** Where a case's problems go, the notes a whole file gives only once, and whose assertions the file holds. */
export interface RecordSink {
  problems: RecordProblem[];
  /** Keys of notes already given for this file ("unknown field x"), so each is given once. */
  noted: Set<string>;
  /**
   * Whose assertion a type both know means: ours (values are literal text) or promptfoo's
   * (values are templates, `{{expected}}` is the expected output).
   */
  dialect: 'workbench' | 'promptfoo';
  /** How a note on a left-out assertion ends; "the case was imported without it" unless said otherwise. */
  leftOut?: string;
  /** This machine's providers, which an llm-judge's judge is found among, and the import's judge (see file-judge.ts). */
  judges: JudgeContext;
}

/** A case's fields as read, before the final check. */
export interface CaseDraft {
  description: string;
  variables: Record<string, string>;
  expected: string | null;
  tags: string[];
  assertions: Assertion[];
}

/** What promptfoo-style values may refer to: the case's variables and its expected output. */
export interface TemplateScope {
  variables: Record<string, string>;
  expected: string | null;
}

const TAG_SEPARATOR = /[,;]/;

/** `assert[1].value`, `vars.topic`; null for the record itself. */
export function formatFieldPath(path: readonly (string | number)[]): string | null {
  if (path.length === 0) return null;
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${key}`)).join('');
}

/** The 1-based number of the last list item on `path` (`defaultTest.assert[2]` is 3); 1 when it names none. */
export function itemNumber(path: FieldPath): number {
  const last = path.findLast((key) => typeof key === 'number');
  return typeof last === 'number' ? last + 1 : 1;
}

/** An import problem of `row` at `path` (relative to the row). */
export function rowProblem(row: number, problem: RecordProblem): ImportProblem {
  return { row, field: formatFieldPath(problem.path), message: problem.message, ...importedMark(problem) };
}

/** Adds a problem unless this file already reported one with the same key. */
export function noteOnce(sink: RecordSink, key: string, problem: RecordProblem): void {
  if (sink.noted.has(key)) return;
  sink.noted.add(key);
  sink.problems.push(problem);
}

/** Text from a string, a number or a boolean (YAML reads `3` and `yes` as those); undefined and a problem otherwise. */
export function readText(value: unknown, path: FieldPath, sink: RecordSink, what: string): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  sink.problems.push({ path, message: `${what} must be text, not ${kindOf(value)}` });
  return undefined;
}

/** Variables from an object of texts; null (with problems) when one is not text. */
export function readVariables(value: unknown, path: FieldPath, sink: RecordSink): Record<string, string> | null {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) {
    sink.problems.push({ path, message: `Variables must be a map of names to values, not ${kindOf(value)}` });
    return null;
  }
  const variables: Record<string, string> = {};
  let isValid = true;
  for (const [name, raw] of Object.entries(value)) {
    const text = readText(raw, [...path, name], sink, `The value of {{${name}}}`);
    if (text === undefined) isValid = false;
    else variables[name] = text;
  }
  return isValid ? variables : null;
}

/** Tags from a list of texts or one text split at commas and semicolons; null (with a problem) otherwise. */
export function readTags(value: unknown, path: FieldPath, sink: RecordSink): string[] | null {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return splitTags(value);
  if (!Array.isArray(value)) {
    sink.problems.push({ path, message: `Tags must be a list or text separated by commas, not ${kindOf(value)}` });
    return null;
  }
  const tags: string[] = [];
  for (const [index, item] of value.entries()) {
    const text = readText(item, [...path, index], sink, 'A tag');
    if (text === undefined) return null;
    if (text.trim() !== '') tags.push(text.trim());
  }
  return tags;
}

/** Tags written in one cell: `billing, urgent` or `billing; urgent`. */
export function splitTags(text: string): string[] {
  return text
    .split(TAG_SEPARATOR)
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

/**
 * A list of assertions in this workbench's shape, or promptfoo's (`type: not-contains`,
 * `similar`, `metric`...). Null (with a problem) when one does not validate; an assertion
 * this workbench cannot run is left out with a note.
 */
export function readAssertions(value: unknown, path: FieldPath, sink: RecordSink, scope: TemplateScope): Assertion[] | null {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    sink.problems.push({ path, message: `Assertions must be a list, not ${kindOf(value)}` });
    return null;
  }
  const assertions: Assertion[] = [];
  let isValid = true;
  for (const [index, item] of value.entries()) {
    const read = readAssertion(item, [...path, index], sink, scope);
    if (read === null) isValid = false;
    else assertions.push(...read);
  }
  return isValid ? assertions : null;
}

/**
 * One assertion: [] when left out with a note, null (with a problem) when invalid. In our own
 * files an object is ours when it validates as ours, promptfoo's otherwise (`not-contains`,
 * `similar`...); in promptfoo's files a type both know is read promptfoo's way (its values are
 * templates), and the types only we have (json-schema, char-count, llm-judge...) ours.
 */
export function readAssertion(written: unknown, path: FieldPath, sink: RecordSink, scope: TemplateScope): Assertion[] | null {
  const judged = readJudgeOf(written, path, sink);
  if (judged === 'left-out') return [];
  if (judged === 'invalid') return null;
  const { item } = judged;
  const type = isPlainObject(item) ? item.type : undefined;
  const isForeign = typeof type === 'string' && isPromptfooType(type);
  const ours = sink.dialect === 'promptfoo' && isForeign ? null : assertionSchema.safeParse(item);
  if (ours?.success === true) {
    if (judged.note !== null) noteOnce(sink, judged.note.key, judged.note.problem);
    return runnable(ours.data as Assertion, path, sink);
  }
  if (isForeign && isPlainObject(item)) {
    const foreign = assertionFromPromptfoo(item, scope, sink.judges);
    // A type of ours that failed our check is reported by our check: its fields are ours, not promptfoo's.
    const isOurs = ours !== null && isWorkbenchType(String(type));
    switch (foreign.kind) {
      case 'assertion':
        if (foreign.note !== null) {
          if (foreign.note.key === null) sink.problems.push({ path, message: foreign.note.message, isImported: true });
          else noteOnce(sink, foreign.note.key, { path, message: foreign.note.message, isImported: true });
        }
        // promptfoo writes a regex's pattern as its `value`.
        return runnable(foreign.assertion, path, sink, 'value');
      case 'unsupported':
        if (isOurs) break;
        sink.problems.push({ path, message: `${foreign.message}; ${sink.leftOut ?? 'the case was imported without it'}` });
        return [];
      case 'invalid':
        if (isOurs) break;
        sink.problems.push({ path: [...path, ...foreign.path], message: foreign.message });
        return null;
    }
  }
  sink.problems.push(describeAssertionIssue(item, path, ours?.error ?? null));
  return null;
}

/**
 * An llm-judge as written in a file, its judge found among this machine's providers (see
 * file-judge.ts): the assertion with that judge, and the note to give once it validates;
 * 'left-out' (with a problem naming the judge that is missing) when none grades it here;
 * 'invalid' (with a problem) when the judge is not one. Any other assertion as it is.
 */
export function readJudgeOf(item: unknown, path: FieldPath, sink: RecordSink): { item: unknown; note: { key: string; problem: RecordProblem } | null } | 'left-out' | 'invalid' {
  if (!isPlainObject(item) || item.type !== 'llm-judge') return { item, note: null };
  const resolved = resolveFileJudge(item.judge, sink.judges);
  const at: FieldPath = [...path, 'judge'];
  switch (resolved.kind) {
    case 'resolved':
      return { item: { ...item, judge: resolved.target }, note: resolved.note === null ? null : { key: resolved.note.key, problem: { path: at, message: resolved.note.message, isImported: true } } };
    case 'missing':
      sink.problems.push({ path: at, message: `${resolved.message}; ${sink.leftOut ?? 'the case was imported without it'}` });
      return 'left-out';
    case 'invalid':
      sink.problems.push({ path: resolved.field === null ? at : [...at, resolved.field], message: resolved.message });
      return 'invalid';
  }
}

/**
 * Why an assertion could never pass or fail, whatever the output (a pattern or a JSON schema
 * that does not compile), with the field at fault; null when it can run. The saved suite lets
 * such a check in (the eval reports it); an import reports it instead, like any check it cannot read.
 */
export function unrunnableProblem(assertion: Assertion): RecordProblem | null {
  if (assertion.type === 'regex') {
    const compiled = compileRegex(assertion.pattern, assertion.flags ?? '');
    return compiled.ok ? null : { path: ['pattern'], message: compiled.error };
  }
  if (assertion.type === 'json-schema') {
    const compiled = compileJsonSchema(assertion.schema);
    return compiled.ok ? null : { path: ['schema'], message: compiled.error };
  }
  return null;
}

/**
 * The assertion as a list of one, or null (with a problem at its field) when it could never
 * run. `valueField` is what the file calls the pattern or schema when not that (promptfoo's `value`).
 */
function runnable(assertion: Assertion, path: FieldPath, sink: RecordSink, valueField?: string): Assertion[] | null {
  const problem = unrunnableProblem(assertion);
  if (problem === null) return [assertion];
  sink.problems.push({ path: [...path, ...(valueField === undefined ? problem.path : [valueField])], message: problem.message });
  return null;
}

function isWorkbenchType(type: string): boolean {
  return (ASSERTION_TYPES as readonly string[]).includes(type);
}

/** The first thing wrong with an assertion, in words. */
export function describeAssertionIssue(item: unknown, path: FieldPath, error: z.ZodError | null): RecordProblem {
  if (!isPlainObject(item)) return { path, message: `An assertion must be an object with a type, not ${kindOf(item)}` };
  if (typeof item.type !== 'string') return { path: [...path, 'type'], message: 'An assertion needs a type' };
  const issue = error?.issues[0];
  if (issue === undefined) return { path, message: 'The assertion is not valid' };
  if (issue.code === 'invalid_union' && issue.path.length === 1 && issue.path[0] === 'type') {
    return { path: [...path, 'type'], message: `Unknown assertion type "${item.type}"` };
  }
  if (issue.code === 'unrecognized_keys') {
    return { path, message: `A ${item.type} assertion has no ${issue.keys.map((key) => `"${key}"`).join(', ')}` };
  }
  const at = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
  const key = at[0];
  // Zod says "Invalid input: expected string, received undefined"; a person needs the field's name.
  if (issue.code === 'invalid_type' && at.length === 1 && typeof key === 'string') {
    const missing = issue.message.endsWith('received undefined');
    return { path: [...path, ...at], message: missing ? `A ${item.type} assertion needs "${key}"` : `"${key}" of a ${item.type} assertion must be ${describeExpected(issue.expected)}` };
  }
  return { path: [...path, ...at], message: issue.message };
}

/**
 * The case as imported, or null (with problems located in the draft's fields) when the check
 * every saved case passes refuses it.
 */
export function finishCase(draft: CaseDraft, sink: RecordSink, fieldNames: Partial<Record<keyof CaseDraft, FieldPath>> = {}): TestCaseInput | null {
  const testCase: TestCaseInput = {
    description: draft.description,
    variables: draft.variables,
    expected: draft.expected,
    tags: draft.tags,
    assertions: draft.assertions,
  };
  const checked = testCaseInputSchema.safeParse(testCase);
  if (checked.success) return testCase;
  for (const issue of checked.error.issues) {
    const [first, ...rest] = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
    const base = typeof first === 'string' && first in fieldNames ? (fieldNames[first as keyof CaseDraft] ?? [first]) : first === undefined ? [] : [first];
    sink.problems.push({ path: [...base, ...rest], message: issue.message });
  }
  return null;
}

/** The shape of a case record in JSONL and YAML: ours (`vars`, `assert`), or flat variables. */
const RECORD_FIELDS = new Set(['vars', 'variables', 'expected', 'description', 'tags', 'assert', 'assertions']);

/**
 * One case record of a JSONL or YAML file: `{vars|variables, expected, description, tags,
 * assert|assertions}`. A record without `vars` is flat: its other keys are the variables (as
 * in GitHub Models' testData). With `vars`, a key this format does not know is noted once.
 */
export function readCaseRecord(record: unknown, sink: RecordSink): TestCaseInput | null {
  if (!isPlainObject(record)) {
    sink.problems.push({ path: [], message: `A test case must be an object, not ${kindOf(record)}` });
    return null;
  }
  const variablesKey = 'vars' in record ? 'vars' : 'variables' in record ? 'variables' : null;
  const assertionsKey = 'assert' in record ? 'assert' : 'assertions';
  let variables: Record<string, string> | null;
  if (variablesKey !== null) {
    variables = readVariables(record[variablesKey], [variablesKey], sink);
    for (const key of Object.keys(record)) {
      if (!RECORD_FIELDS.has(key)) {
        noteOnce(sink, `field:${key}`, { path: [key], message: `"${key}" is not a field of a test case (vars, expected, description, tags, assert); it was not imported` });
      }
    }
  } else {
    const flat = Object.fromEntries(Object.entries(record).filter(([key]) => !RECORD_FIELDS.has(key)));
    variables = readVariables(flat, [], sink);
  }
  const expected = record.expected === undefined || record.expected === null ? null : readText(record.expected, ['expected'], sink, 'The expected output');
  const description = record.description === undefined || record.description === null ? '' : readText(record.description, ['description'], sink, 'The description');
  const tags = readTags(record.tags, ['tags'], sink);
  if (variables === null || expected === undefined || description === undefined || tags === null) return null;
  const assertions = readAssertions(record[assertionsKey], [assertionsKey], sink, { variables, expected });
  if (assertions === null) return null;
  return finishCase({ description, variables, expected, tags, assertions }, sink, {
    variables: variablesKey === null ? [] : [variablesKey],
    assertions: [assertionsKey],
  });
}

/**
 * A key a format reads as a field of the case rather than a variable (a `.prompt.yml` test data
 * row's `expected`), with what a case lacks without it, for the near-miss note on a misspelling.
 */
export interface ReservedKey {
  key: string;
  /** What the case has none of without it: "expected output". */
  what: string;
}

/**
 * A case's variables, for `noteUnknownVariables`; `place` says where the file gives one (its field
 * path and line), where the format knows; `reserved`, the keys of the format's own the case does
 * not give (a near miss of one is noted with it).
 */
export interface VariableEntry {
  row: number;
  variables: Record<string, string>;
  place?: (name: string) => { field: string | null; line: number | null };
  reserved?: readonly ReservedKey[];
}

/**
 * A note for each variable the cases give that the prompt does not use, once per name, at the
 * first case giving it; with `isNearMissOnly`, only for those that look like a typo
 * (`variableNearMiss`), as GitHub Models' test data may hold other columns on purpose.
 */
export function noteUnknownVariables(entries: readonly VariableEntry[], variableNames: readonly string[], options: { isNearMissOnly?: boolean } = {}): ImportProblem[] {
  const known = new Set(variableNames);
  const notes: ImportProblem[] = [];
  for (const { row, variables, place, reserved } of entries) {
    for (const name of Object.keys(variables)) {
      if (known.has(name)) continue;
      const nearMissNote = variableNearMiss(name, variables, variableNames, reserved);
      if (nearMissNote === null && options.isNearMissOnly === true) continue;
      known.add(name);
      const where = place?.(name) ?? { field: name, line: null };
      const message = `The prompt has no {{${name}}} variable${nearMissNote === null ? '' : `: ${nearMissNote}`}; the values were imported anyway`;
      notes.push({ row, field: where.field, message: where.line === null ? message : `${message} (line ${where.line})`, isImported: true });
    }
  }
  return notes;
}

/**
 * "did you mean {{question}}? A case with no value for it cannot run" when `name`, a
 * variable the prompt does not use, is a near miss of one it uses that the case has no value
 * for: almost surely a typo that fails the case; "did you mean expected? A case has no expected
 * output without it" when it is a near miss of a key of the format's own the case does not give
 * (`reserved`: `expcted` in a test data row was read as a variable). A variable comes first of
 * two as near. Null otherwise (an extra column, which GitHub Models allows for evaluators to use,
 * or a near miss of a key the case gives too).
 */
export function variableNearMiss(name: string, variables: Record<string, string>, variableNames: readonly string[], reserved: readonly ReservedKey[] = []): string | null {
  if (variableNames.includes(name)) return null;
  const missing = variableNames.filter((variable) => !Object.hasOwn(variables, variable)).map((key) => ({ key, what: null }));
  const meant = nearMiss<{ key: string; what: string | null }>(name, [...missing, ...reserved]);
  if (meant === null) return null;
  return meant.what === null ? `did you mean {{${meant.key}}}? A case with no value for it cannot run` : `did you mean ${meant.key}? A case has no ${meant.what} without it`;
}

/** A case as files write it: only the fields it uses, `vars` and `assert` as promptfoo names them, judges by name (file-judge.ts). */
export function caseRecord(testCase: { description: string; variables: Record<string, string>; expected: string | null; tags: string[]; assertions: Assertion[] }, providers: readonly JudgeProvider[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  if (testCase.description !== '') record.description = testCase.description;
  record.vars = testCase.variables;
  if (testCase.expected !== null) record.expected = testCase.expected;
  if (testCase.tags.length > 0) record.tags = testCase.tags;
  if (testCase.assertions.length > 0) record.assert = testCase.assertions.map((assertion) => assertionForFile(assertion, providers));
  return record;
}
