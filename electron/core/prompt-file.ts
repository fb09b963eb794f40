/**
 * GitHub Models `.prompt.yml` files: parsing with located problems, and serializing.
 *
 * Format: `name`, `description`, `model`, `modelParameters` (`temperature`, `maxTokens` (or
 * `maxCompletionTokens`), `topP`, `stop`, `reasoningEffort`), `messages` (`role`, `content`), `testData` (a list of variable maps) and
 * `evaluators` (kept as written). Top-level keys starting with `x-` are extensions, kept as
 * written and written back after the rest. `responseFormat` is `text` (or absent), `json_object`
 * or `json_schema`; with `json_schema`, `jsonSchema` is what GitHub Models writes: JSON text
 * (a `|-` block) of `{ "name", "strict", "schema" }` (`"strict": false`: the schema guides the
 * answer but is not enforced), refused at its line when it does not
 * parse or lacks a part (a `jsonSchema` beside another format is ignored, as GitHub Models does).
 * Any other key, at the top, in `modelParameters`, in a message, in
 * `x-workbench-model-parameters` or in an evaluator (its `string` checks, its `llm` and that
 * one's choices), is refused with its line (and the key meant, when it is a near miss): a
 * misspelt `temperatur` would otherwise be dropped, and every run would go out differently from
 * what the file says; a misspelt `contians` would leave a check that checks nothing. Test data
 * keys are variable names, any of which GitHub Models allows: a near miss of a prompt variable is
 * noted by the suite reader, not refused here. A test case or evaluator that cannot be read does not
 * stop the file from loading: the suite reader (evals/github-models-evals.ts) reports it at its
 * line, and it is left out here.
 */

import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, stringify, type Document, type Pair, type YAMLMap } from 'yaml';
import { z } from 'zod';
import { MAX_MESSAGE_CHARS, MAX_MESSAGES, parametersSchema } from '../../shared/contract';
import { boundRule, issueSentence } from '../../shared/errors';
import { listed } from '../../shared/sentence';
import { SCHEMA_NAME_PATTERN, SCHEMA_NAME_RULE } from '../../shared/contract';
import type { FileProblem, JsonSchemaFormat, PromptContent } from '../../shared/types';
import { unknownEvaluatorKey, type EvaluatorPart } from './evals/evaluator-keys';
import { describeExpected, kindOf } from './evals/test-case-record';
import { nearMiss } from './near-miss';
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

/** The extension key holding model parameters GitHub Models has no field for (written on release). */
export const MODEL_PARAMETERS_EXTENSION_KEY = 'x-workbench-model-parameters';

/** The top-level keys of the format (GitHub Models' own), besides extensions. */
const FILE_KEYS = ['name', 'description', 'model', 'modelParameters', 'responseFormat', 'jsonSchema', 'messages', 'testData', 'evaluators'] as const;
/**
 * GitHub Models' other name for `maxTokens` (its `ai-inference` action writes it), read as
 * `maxTokens`; the file is written back with `maxTokens`.
 */
const MAX_COMPLETION_TOKENS = 'maxCompletionTokens';
/** The keys of `modelParameters`: GitHub Models' temperature, maxTokens (or maxCompletionTokens) and topP, and this engine's stop and reasoningEffort. */
const PARAMETER_KEYS = [...Object.keys(parametersSchema.shape), MAX_COMPLETION_TOKENS];
/** The keys of a message. */
const MESSAGE_KEYS = ['role', 'content'] as const;
/** The keys of the model parameters extension. */
const EXTENSION_PARAMETER_KEYS = ['stop', 'reasoningEffort'] as const;
/** GitHub Models' response formats. */
const RESPONSE_FORMATS = ['text', 'json_object', 'json_schema'] as const;
/** The members of `jsonSchema`'s JSON, in the order GitHub Models writes them. */
const JSON_SCHEMA_KEYS = ['name', 'strict', 'schema'] as const;
/** What `jsonSchema` is, said in refusals. */
const JSON_SCHEMA_SHAPE = 'JSON text of name, strict and schema, as GitHub Models writes it (jsonSchema: |- followed by the JSON, indented)';

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
  modelParameters: z.preprocess((value) => {
    if (typeof value !== 'object' || value === null || !(MAX_COMPLETION_TOKENS in value)) return value;
    const { [MAX_COMPLETION_TOKENS]: maxCompletionTokens, ...rest } = value as Record<string, unknown>;
    // Both written: the schema below refuses the pair, as it cannot tell which one the author meant.
    return 'maxTokens' in rest ? value : { ...rest, maxTokens: maxCompletionTokens };
  }, parametersSchema.extend({ [MAX_COMPLETION_TOKENS]: z.never({ error: 'is maxTokens by another name, and maxTokens is there too: keep one of the two' }).optional() }).nullish()),
  responseFormat: z.enum(RESPONSE_FORMATS, { error: (issue) => `must be text, json_object or json_schema, not ${shownValue(issue.input)}` }).nullish(),
  jsonSchema: z.unknown().optional(),
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
  const unknownKeys = unknownKeyProblems(document).map((problem) => at(problem.offset, problem.message));
  const parsed = promptFileSchema.safeParse(data ?? {});
  if (parsed.success && unknownKeys.length > 0) return { ok: false, problems: unknownKeys };
  if (!parsed.success) {
    return {
      ok: false,
      problems: [...unknownKeys, ...parsed.error.issues.map((issue) => {
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
      })],
    };
  }
  const { name, description, model, modelParameters, responseFormat, messages, testData, evaluators } = parsed.data;
  const content: PromptContent = { model, parameters: modelParameters ?? {}, messages };
  if (responseFormat === 'json_object') content.responseFormat = { type: 'json_object' };
  if (responseFormat === 'json_schema') {
    const schema = readJsonSchema(document, text, lineCounter);
    if (!schema.ok) return { ok: false, problems: [at(schema.offset, schema.message)] };
    content.responseFormat = schema.format;
  }
  const promptFile: PromptFile = {
    name,
    description,
    content,
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
  const format = promptFile.content.responseFormat;
  if (format !== undefined) output.responseFormat = format.type;
  // As GitHub Models writes it: the JSON as text, which YAML writes as a |- block.
  if (format?.type === 'json_schema') output.jsonSchema = JSON.stringify({ name: format.name, strict: format.isStrict !== false, schema: format.schema }, null, 2);
  output.messages = messages.map((message) => ({ role: message.role, content: message.content }));
  if (promptFile.testData.length > 0) output.testData = promptFile.testData;
  if (promptFile.evaluators.length > 0) output.evaluators = promptFile.evaluators;
  for (const [key, value] of Object.entries(promptFile.extensions ?? {})) {
    if (EXTENSION_KEY.test(key)) output[key] = value;
  }
  // No anchors and aliases: a value used twice is written twice, as other tools expect.
  return stringify(output, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** A `json_schema` format read from `jsonSchema`, or why not and where. */
type JsonSchemaResult = { ok: true; format: JsonSchemaFormat } | { ok: false; offset: number; message: string };

/**
 * Reads `jsonSchema` for `responseFormat: json_schema`: JSON text of `{ name, strict, schema }`.
 * A JSON syntax error points at its line inside a block; any other problem at `jsonSchema`.
 */
function readJsonSchema(document: Document, text: string, lineCounter: LineCounter): JsonSchemaResult {
  const root = mapOf(document, document.contents);
  const pair = root?.items.find((item) => keyText(item) === 'jsonSchema');
  const formatNode = root?.get('responseFormat', true);
  if (pair === undefined) {
    const offset = isNode(formatNode) && formatNode.range ? formatNode.range[0] : 0;
    return { ok: false, offset, message: `responseFormat: json_schema needs a jsonSchema: add one, ${JSON_SCHEMA_SHAPE}` };
  }
  const node = resolved(document, pair.value);
  const offset = isNode(node) && node.range ? node.range[0] : keyOffset(pair, document);
  const refuse = (message: string): JsonSchemaResult => ({ ok: false, offset, message: `jsonSchema: ${message}` });
  if (!isScalar(node) || typeof node.value !== 'string') return refuse(`must be ${JSON_SCHEMA_SHAPE}, not ${kindOf(isNode(node) ? node.toJSON() : node)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(node.value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const where = jsonErrorOffset(node.value, reason, node, text, lineCounter);
    const said = reason.replace(/,? in JSON at position \d+(?: \(line \d+ column \d+\))?/, '').replace(/ \(line \d+ column \d+\)/, '');
    return { ok: false, offset: where ?? offset, message: `jsonSchema: the JSON does not parse (${said}): fix it there` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return refuse(`must be ${JSON_SCHEMA_SHAPE}, not ${kindOf(parsed)}`);
  const members = parsed as Record<string, unknown>;
  const unknown = Object.keys(members).filter((key) => !(JSON_SCHEMA_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) return refuse(`unknown ${unknown.length === 1 ? 'member' : 'members'} ${listed(unknown.map((key) => JSON.stringify(key)))}: it holds only ${listed(JSON_SCHEMA_KEYS)}`);
  if (typeof members.name !== 'string' || !SCHEMA_NAME_PATTERN.test(members.name)) {
    return refuse(members.name === undefined ? 'needs a "name" (1 to 64 ASCII letters, digits, _ or -)' : `${SCHEMA_NAME_RULE.charAt(0).toLowerCase()}${SCHEMA_NAME_RULE.slice(1)}, not ${shownValue(members.name)}`);
  }
  if (members.strict !== undefined && typeof members.strict !== 'boolean') {
    return refuse(`"strict" must be true or false (or left out, for true), not ${shownValue(members.strict)}`);
  }
  const { schema } = members;
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    return refuse(schema === undefined ? 'needs a "schema", the JSON Schema of the answer' : `"schema" must be a JSON object (the JSON Schema of the answer), not ${kindOf(schema)}`);
  }
  return { ok: true, format: { type: 'json_schema', name: members.name, schema: schema as Record<string, unknown>, ...(members.strict === false && { isStrict: false }) } };
}

/**
 * Where in the file a JSON syntax error of a block scalar's text is: the block's lines are the
 * file's lines after its indicator, indented. Null for other scalars, or when the error names
 * no position.
 */
function jsonErrorOffset(value: string, reason: string, node: { type?: string; range?: [number, number, number] | null }, text: string, lineCounter: LineCounter): number | null {
  const position = /at position (\d+)/.exec(reason);
  if (position === null || !node.range || (node.type !== 'BLOCK_LITERAL' && node.type !== 'BLOCK_FOLDED')) return null;
  const before = value.slice(0, Number(position[1]));
  const lineInBlock = before.split('\n').length - 1;
  const column = before.length - before.lastIndexOf('\n') - 1;
  const indicatorLine = lineCounter.linePos(node.range[0]).line;
  const lineStart = lineCounter.lineStarts[indicatorLine + lineInBlock];
  if (lineStart === undefined) return null;
  // The block's own indentation: the file line's, less the JSON line's.
  const leading = (line: string) => /^ */.exec(line)?.[0].length ?? 0;
  const indent = leading(text.slice(lineStart)) - leading(value.split('\n')[lineInBlock] ?? '');
  return lineStart + indent + column;
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

/** A key the format does not have: where it is, and what to do. */
interface UnknownKey {
  offset: number;
  message: string;
}

/**
 * The keys of the file's known maps (the top level, `modelParameters`, each message, the model
 * parameters extension and each evaluator with its string checks, llm and choices) that the
 * format does not have, in the order they are written.
 */
function unknownKeyProblems(document: Document): UnknownKey[] {
  const root = mapOf(document, document.contents);
  if (root === null) return [];
  const problems: UnknownKey[] = [];
  const check = (map: YAMLMap | null, known: readonly string[], prefix: string, describe: (key: string) => string): void => {
    for (const pair of map?.items ?? []) {
      const key = keyText(pair);
      // Extensions are the top level's: `x-` keys elsewhere would be dropped as any other.
      if (known.includes(key) || (map === root && EXTENSION_KEY.test(key))) continue;
      problems.push({ offset: keyOffset(pair, document), message: `Unknown key "${prefix}${key}": ${describe(key)}` });
    }
  };
  const topCandidates = [...FILE_KEYS.map((key) => ({ key, shown: key })), ...PARAMETER_KEYS.map((key) => ({ key, shown: `modelParameters.${key}` }))];
  check(root, FILE_KEYS, '', (key) => suggestion(key, topCandidates) ?? `remove it, or name it x-${key} to keep it as an extension`);
  const parameterCandidates = PARAMETER_KEYS.map((key) => ({ key, shown: `modelParameters.${key}` }));
  check(mapOf(document, root.get('modelParameters', true)), PARAMETER_KEYS, 'modelParameters.', (key) => suggestion(key, parameterCandidates) ?? `the model parameters are ${listed(Object.keys(parametersSchema.shape))}`);
  const messages = resolved(document, root.get('messages', true));
  if (isSeq(messages)) {
    messages.items.forEach((item, index) => {
      const prefix = `messages[${index}].`;
      const candidates = MESSAGE_KEYS.map((key) => ({ key, shown: `${prefix}${key}` }));
      check(mapOf(document, item), MESSAGE_KEYS, prefix, (key) => suggestion(key, candidates) ?? 'a message has only role and content');
    });
  }
  const extensionPrefix = `${MODEL_PARAMETERS_EXTENSION_KEY}.`;
  const extensionCandidates = EXTENSION_PARAMETER_KEYS.map((key) => ({ key, shown: `${extensionPrefix}${key}` }));
  check(mapOf(document, root.get(MODEL_PARAMETERS_EXTENSION_KEY, true)), EXTENSION_PARAMETER_KEYS, extensionPrefix, (key) => suggestion(key, extensionCandidates) ?? `it holds only ${listed(EXTENSION_PARAMETER_KEYS)}`);
  const evaluators = resolved(document, root.get('evaluators', true));
  if (isSeq(evaluators)) {
    evaluators.items.forEach((item, index) => {
      const prefix = `evaluators[${index}].`;
      const evaluator = mapOf(document, item);
      const checkPart = (map: YAMLMap | null, part: EvaluatorPart, partPrefix: string): void => {
        for (const pair of map?.items ?? []) {
          const message = unknownEvaluatorKey(part, partPrefix, keyText(pair));
          if (message !== null) problems.push({ offset: keyOffset(pair, document), message });
        }
      };
      checkPart(evaluator, 'evaluator', prefix);
      checkPart(mapOf(document, evaluator?.get('string', true)), 'string', `${prefix}string.`);
      const llm = mapOf(document, evaluator?.get('llm', true));
      checkPart(llm, 'llm', `${prefix}llm.`);
      const choices = resolved(document, llm?.get('choices', true));
      if (isSeq(choices)) choices.items.forEach((choice, choiceIndex) => checkPart(mapOf(document, choice), 'choice', `${prefix}llm.choices[${choiceIndex}].`));
    });
  }
  return problems.sort((left, right) => left.offset - right.offset);
}

/** "did you mean modelParameters.temperature?" when `key` is a near miss of a candidate (near-miss.ts); else null. */
function suggestion(key: string, candidates: readonly { key: string; shown: string }[]): string | null {
  const meant = nearMiss(key, candidates);
  return meant === null ? null : `did you mean ${meant.shown}?`;
}

/** The map a node is (through an alias), or null. */
function mapOf(document: Document, node: unknown): YAMLMap | null {
  const target = resolved(document, node);
  return isMap(target) ? target : null;
}

function resolved(document: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(document) : node;
}

/** A map key as the file writes it. */
function keyText(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function keyOffset(pair: Pair, document: Document): number {
  if (isNode(pair.key) && pair.key.range) return pair.key.range[0];
  return isNode(document.contents) && document.contents.range ? document.contents.range[0] : 0;
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

