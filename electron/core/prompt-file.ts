/**
 * GitHub Models `.prompt.yml` files: parsing with located problems, and serializing.
 *
 * Format: `name`, `description`, `model`, `modelParameters` (`temperature`, `maxTokens`,
 * `topP`, `stop`, `reasoningEffort`), `messages` (`role`, `content`), `testData` (a list of variable maps) and
 * `evaluators` (kept as written). Top-level keys starting with `x-` are extensions, kept as
 * written and written back after the rest. Other keys this engine does not use are ignored,
 * so files written for other tools still load. A test case or evaluator that cannot be read
 * does not stop the file from loading: the suite reader (evals/github-models-evals.ts) reports
 * it at its line, and it is left out here.
 */

import { isAlias, isNode, LineCounter, parseDocument, stringify, type Document } from 'yaml';
import { z } from 'zod';
import { MAX_MESSAGE_CHARS, MAX_MESSAGES, parametersSchema } from '../../shared/contract';
import { boundRule, issueSentence } from '../../shared/errors';
import type { FileProblem, PromptContent } from '../../shared/types';
import { describeExpected, kindOf } from './evals/test-case-record';
import { yamlSyntaxProblems } from './yaml-errors';

/** A prompt file's meaning, in the engine's terms. */
export interface PromptFile {
  name: string;
  description: string;
  content: PromptContent;
  /** The readable test cases: variable name -> value (numbers and booleans in the file become strings). */
  testData: Record<string, string>[];
  /** Evaluators as written (empty when `evaluators` is not a list); not interpreted yet. */
  evaluators: unknown[];
  /** Top-level `x-...` keys as written (what other formats cannot hold); absent when the file has none. */
  extensions?: Record<string, unknown>;
}

/** Top-level keys that are extensions of the format. */
const EXTENSION_KEY = /^x-/;

/** The outcome of parsing a prompt file. */
export type PromptFileResult = { ok: true; promptFile: PromptFile } | { ok: false; problems: FileProblem[] };

const ROLE_HINT = 'use system, user or assistant';

const fileMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant'], {
    error: (issue) =>
      issue.input === undefined ? `A message needs a role: ${ROLE_HINT}` : `Unknown role ${JSON.stringify(issue.input)}: ${ROLE_HINT}`,
  }),
  content: z
    .string({
      error: (issue) =>
        issue.input !== null && typeof issue.input === 'object'
          ? 'Content must be text, but YAML read a value starting with { or [ as a structure: quote it or use a block scalar (|)'
          : 'Content must be text',
    })
    .max(MAX_MESSAGE_CHARS, `A message is longer than ${MAX_MESSAGE_CHARS} characters`),
});

const promptFileSchema = z.object({
  name: z.string().trim().min(1, 'Name must not be empty').max(200, 'Name is longer than 200 characters'),
  description: z
    .string()
    .max(2000, 'Description is longer than 2000 characters')
    .nullish()
    .transform((value) => value ?? ''),
  model: z.string().trim().min(1, 'Model must not be empty').max(200),
  modelParameters: parametersSchema.nullish(),
  messages: z.array(fileMessageSchema).min(1, 'A prompt needs at least one message').max(MAX_MESSAGES),
  // Read item by item: one that cannot be read is reported by the suite reader and left out, not the file.
  testData: z.unknown().optional(),
  evaluators: z.unknown().optional(),
});

/** Parses the text of a prompt file; `file` names it in the problems reported. */
export function parsePromptFile(text: string, file: string): PromptFileResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const at = (offset: number, message: string): FileProblem => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, message };
  };
  if (document.errors.length > 0) {
    return { ok: false, problems: yamlSyntaxProblems(text, document.errors).map((problem) => at(problem.offset, problem.message)) };
  }
  let data: unknown;
  try {
    data = document.toJS();
  } catch (error) {
    // Alias bombs and other documents that parse but cannot become values.
    return { ok: false, problems: [at(0, error instanceof Error ? error.message : String(error))] };
  }
  const parsed = promptFileSchema.safeParse(data ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const where = formatPath(issue.path);
        const offset = nodeOffset(document, issue.path);
        // Zod's own wording ("Invalid input: expected number, received string") is said again naming the value; ours stands.
        if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) return at(offset, describeTypeIssue(issue.expected, valueAt(data, issue.path), where));
        // A bound ("Too small: expected number to be >0") in words, with the value: "modelParameters.maxTokens must be more than 0, not -5".
        if ((issue.code === 'too_small' || issue.code === 'too_big') && boundRule(issue.message) !== issue.message) {
          return at(offset, `${issueSentence(where, issue.message)}, not ${shownValue(valueAt(data, issue.path))}`);
        }
        // A message's content given as an alias (*name) of a map or list: the alias is what to fix.
        const node = issue.code === 'invalid_type' ? document.getIn(issue.path, true) : undefined;
        if (isAlias(node)) return at(offset, `${where}: must be text, but *${node.source} stands for ${kindOf(valueAt(data, issue.path))}: write the text here, or make the anchor &${node.source} a text`);
        return at(offset, issue.path.length > 0 ? `${where}: ${issue.message}` : issue.message);
      }),
    };
  }
  const { name, description, model, modelParameters, messages, testData, evaluators } = parsed.data;
  const promptFile: PromptFile = {
    name,
    description,
    content: { model, parameters: modelParameters ?? {}, messages },
    testData: readableTestData(testData),
    evaluators: Array.isArray(evaluators) ? evaluators : [],
  };
  const extensions = Object.entries(data as Record<string, unknown>).filter(([key]) => EXTENSION_KEY.test(key));
  if (extensions.length > 0) promptFile.extensions = Object.fromEntries(extensions);
  return { ok: true, promptFile };
}

/** Writes a prompt file in GitHub Models key order, extensions last; empty optional sections are left out. */
export function serializePromptFile(promptFile: PromptFile): string {
  const { parameters, messages, model } = promptFile.content;
  const output: Record<string, unknown> = { name: promptFile.name };
  if (promptFile.description !== '') output.description = promptFile.description;
  output.model = model;
  if (Object.keys(parameters).length > 0) output.modelParameters = parameters;
  output.messages = messages.map((message) => ({ role: message.role, content: message.content }));
  if (promptFile.testData.length > 0) output.testData = promptFile.testData;
  if (promptFile.evaluators.length > 0) output.evaluators = promptFile.evaluators;
  for (const [key, value] of Object.entries(promptFile.extensions ?? {})) {
    if (EXTENSION_KEY.test(key)) output[key] = value;
  }
  // No anchors and aliases: a value used twice is written twice, as other tools expect.
  return stringify(output, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** The testData items that are maps of texts, numbers and booleans, their values as texts. */
function readableTestData(value: unknown): Record<string, string>[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((item): item is Record<string, string | number | boolean> =>
      item !== null && typeof item === 'object' && !Array.isArray(item) && Object.values(item).every((entry) => ['string', 'number', 'boolean'].includes(typeof entry)),
    )
    .map((item) => Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, String(entry)])));
}

/** The start of the node at `path`, or of its nearest existing ancestor (a missing key points at its map). */
function nodeOffset(document: Document, path: readonly PropertyKey[]): number {
  for (let length = path.length; length > 0; length -= 1) {
    const node: unknown = document.getIn(path.slice(0, length), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return isNode(document.contents) && document.contents.range ? document.contents.range[0] : 0;
}

/** Zod's "Invalid input: expected number, received string" at `where` in words that name the value. */
function describeTypeIssue(expected: string, value: unknown, where: string): string {
  if (value === undefined) return `The file has no "${where}"; a prompt file needs one`;
  return `${where}: must be ${describeExpected(expected)}, not ${shownValue(value)}`;
}

/** A value of the file as a message shows it: a text quoted (and cut), a number as written, anything else by its kind. */
function shownValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : kindOf(value);
}

/** The value at a schema issue's path in the parsed file. */
function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** `messages[1].role` */
function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

