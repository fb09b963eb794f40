/**
 * Which response formats a provider kind can send, and how, known before anything is sent: a
 * run's estimate says it of a cell, and the provider refuses the cell, or notes how it sent the
 * format, in the same words.
 */

import { assertNever } from '../../../shared/assert-never';
import type { ProviderKind, ResponseFormat } from '../../../shared/types';
import type { ChatRequest } from './provider';
import { ProviderError } from './provider-error';

/** How many stop sequences OpenAI takes in one request. */
export const OPENAI_MAX_STOP_SEQUENCES = 4;

/** A request the provider would refuse, known before it is sent: a few words for the model’s chip (`tag`) and the error its run fails with at once. */
export interface RequestRefusal {
  tag: string;
  error: ProviderError;
}

/**
 * Why a provider of `kind` would refuse `request`, so its run fails at once, before sending it,
 * and its estimate says so before Run, in the same words; null when it would not. Only what is
 * known of the provider itself: OpenAI’s limits are checked for OpenAI, not for compatible servers,
 * which vary.
 *
 * More than 4 stop sequences to OpenAI are refused rather than cut to the first 4: the answer
 * would not be the one the prompt asks for, beside columns that got them all.
 */
export function requestRefusal(kind: ProviderKind, request: Pick<ChatRequest, 'messages' | 'parameters' | 'responseFormat' | 'isFormatBestEffort'>): RequestRefusal | null {
  const stopCount = request.parameters.stop?.length ?? 0;
  if (kind === 'openai' && stopCount > OPENAI_MAX_STOP_SEQUENCES) {
    const extra = stopCount - OPENAI_MAX_STOP_SEQUENCES;
    return {
      tag: `over ${OPENAI_MAX_STOP_SEQUENCES} stop sequences`,
      error: new ProviderError(
        'bad-request',
        `OpenAI takes at most ${OPENAI_MAX_STOP_SEQUENCES} stop sequences, and this prompt has ${stopCount}: remove ${extra} in the Model tab’s Stop sequences`,
      ),
    };
  }
  const formatRefusal = responseFormatRefusal(kind, request.responseFormat, request.isFormatBestEffort);
  if (formatRefusal !== null) return { tag: kind === 'anthropic' ? 'no JSON object mode' : formatTag(request.responseFormat), error: formatRefusal };
  if (kind === 'openai' && request.responseFormat?.type === 'json_object' && request.isFormatBestEffort !== true && !request.messages.some((message) => /json/i.test(message.content))) {
    return {
      tag: 'no “JSON” in the messages',
      error: new ProviderError('bad-request', 'OpenAI’s JSON object mode needs the word JSON in the messages: mention JSON in a message (for example “Answer in JSON.”)'),
    };
  }
  return null;
}

/** The chip’s words for a response format OpenAI refuses (a JSON schema strict mode does not take). */
function formatTag(format: ResponseFormat | undefined): string {
  return format?.type === 'json_schema' ? 'schema not strict-ready' : 'format refused';
}

/** The refusal of a JSON object response format, which Claude does not have: what to choose instead. */
function jsonObjectRefusal(): ProviderError {
  return new ProviderError(
    'bad-request',
    `Anthropic has no JSON object mode: set the prompt’s Response format to JSON schema (the shape the answer must have), or to Text and ask for JSON in the messages`,
    { isNotSent: true },
  );
}

/**
 * Why a provider of `kind` cannot take `format` (Claude has no JSON object mode; OpenAI’s strict
 * mode takes only closed objects whose properties are all required), so a cell with it fails
 * before it is sent; null when it can. `isBestEffort`: the messages ask for the format in words too
 * (an eval's judge), so a provider without the mode sends the request without it.
 */
export function responseFormatRefusal(kind: ProviderKind, format: ResponseFormat | undefined, isBestEffort = false): ProviderError | null {
  if (format === undefined || isBestEffort) return null;
  switch (kind) {
    case 'anthropic':
      return format.type === 'json_object' ? jsonObjectRefusal() : null;
    case 'openai':
      return format.type === 'json_schema' && format.isStrict !== false ? strictSchemaRefusal(format.schema) : null;
    case 'openai-compatible':
    case 'ollama':
      return null;
    default:
      return assertNever(kind, 'provider kind');
  }
}

const UNTICK_STRICT = 'or untick Strict (Model tab) to send the schema as guidance instead';

/** Why OpenAI’s strict mode would refuse `schema` (every object closed, every property required), where, and what to do; null when it would not. */
function strictSchemaRefusal(schema: Record<string, unknown>): ProviderError | null {
  const problem = strictSchemaProblem(schema, []);
  return problem === null ? null : new ProviderError('bad-request', `OpenAI’s strict mode ${problem}, ${UNTICK_STRICT}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object of the schema as a user finds it in its text: the top level, or the path of properties to it. */
function objectAt(path: readonly string[]): string {
  return path.length === 0 ? 'the top-level object' : `the object at “${path.join('.').replaceAll('.[', '[')}”`;
}

/** The first rule of strict mode the schema breaks, said of the object that breaks it (depth first, in the schema’s order). */
function strictSchemaProblem(node: unknown, path: readonly string[]): string | null {
  if (!isRecord(node)) return null;
  const properties = isRecord(node.properties) ? node.properties : null;
  const isObject = node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object')) || properties !== null;
  if (isObject) {
    if (node.additionalProperties !== false) return `needs additionalProperties: false on every object, and ${objectAt(path)} does not have it: add it there`;
    const required = new Set(Array.isArray(node.required) ? node.required : []);
    const missing = Object.keys(properties ?? {}).filter((name) => !required.has(name));
    if (missing.length > 0) {
      const names = missing.map((name) => `“${name}”`).join(', ');
      return `needs every property listed in required, and ${objectAt(path)} leaves out ${names}: add ${missing.length === 1 ? 'it' : 'them'} to its required`;
    }
  }
  const children: [unknown, string[]][] = [];
  for (const [name, child] of Object.entries(properties ?? {})) children.push([child, [...path, name]]);
  if (node.items !== undefined) children.push([node.items, [...path, '[]']]);
  for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const) {
    const list = node[key];
    if (Array.isArray(list)) list.forEach((child, index) => children.push([child, [...path, `${key}[${index}]`]]));
  }
  for (const key of ['$defs', 'definitions'] as const) {
    const definitions = node[key];
    if (isRecord(definitions)) for (const [name, child] of Object.entries(definitions)) children.push([child, [key, name]]);
  }
  for (const [child, childPath] of children) {
    const problem = strictSchemaProblem(child, childPath);
    if (problem !== null) return problem;
  }
  return null;
}

/**
 * What a provider of `kind` tells about a JSON schema that is not strict, sent as it is: Claude’s
 * structured outputs and Ollama’s format always hold the answer to the schema, so Strict off
 * changes nothing there, and the run says so rather than pass for a loose one (its estimate
 * before). Null when nothing to tell (OpenAI and compatible servers take `strict: false`; Claude
 * is sent no schema for a best-effort format).
 */
export function strictnessNotice(kind: ProviderKind, format: ResponseFormat | undefined, isBestEffort = false): string | null {
  if (format?.type !== 'json_schema' || format.isStrict !== false) return null;
  switch (kind) {
    case 'anthropic':
      return isBestEffort ? null : 'Strict off has no effect: Anthropic always holds the answer to the schema';
    case 'ollama':
      return 'Strict off has no effect: Ollama always holds the answer to the schema';
    case 'openai':
    case 'openai-compatible':
      return null;
    default:
      return assertNever(kind, 'provider kind');
  }
}
