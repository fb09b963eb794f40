/**
 * A response format in words, and the reading of a JSON schema as the editor holds it (text
 * that may not parse yet).
 */

import { assertNever } from '../../../shared/assert-never';
import { SCHEMA_NAME_PATTERN, SCHEMA_NAME_RULE, SCHEMA_OBJECT_RULE } from '../../../shared/contract';
import type { ResponseFormat } from '../../../shared/types';

/** The schema a new JSON schema format starts with: an object, strict as OpenAI wants it. */
export const STARTER_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: { answer: { type: 'string' } },
  required: ['answer'],
  additionalProperties: false,
};

/** The name a new JSON schema format starts with. */
export const STARTER_SCHEMA_NAME = 'response';

/** "Text", "JSON object" or "JSON schema “name”" (", not strict" when Strict is off). */
export function responseFormatLabel(format: ResponseFormat | undefined): string {
  if (format === undefined) return 'Text';
  switch (format.type) {
    case 'json_object':
      return 'JSON object';
    case 'json_schema':
      return `JSON schema “${format.name}”${format.isStrict === false ? ', not strict' : ''}`;
    default:
      return assertNever(format, 'response format');
  }
}

/** Where a schema's text fails to parse (1-based), when the parser says. */
export interface SchemaTextPlace {
  line: number;
  column: number;
}

/** The schema a text holds, or why it holds none (and where, for a syntax error). */
export type SchemaTextResult = { ok: true; schema: Record<string, unknown> } | { ok: false; problem: string; place: SchemaTextPlace | null };

/** Reads a schema as typed: JSON text of an object. */
export function readSchemaText(text: string): SchemaTextResult {
  if (text.trim() === '') return { ok: false, problem: `Write the JSON schema of the answer: ${SCHEMA_OBJECT_RULE.replace(/^The schema must be /, '')}`, place: null };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const place = placeOf(text, message);
    const reason = message.replace(/,? in JSON at position \d+(?: \(line \d+ column \d+\))?/, '').replace(/ \(line \d+ column \d+\)/, '');
    return { ok: false, problem: `${place === null ? '' : `Line ${place.line}, column ${place.column}: `}${reason}`, place };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, problem: SCHEMA_OBJECT_RULE, place: null };
  return { ok: true, schema: value as Record<string, unknown> };
}

/** Why a schema name is refused; null when OpenAI takes it. */
export function schemaNameProblem(name: string): string | null {
  return SCHEMA_NAME_PATTERN.test(name) ? null : SCHEMA_NAME_RULE;
}

/** The line and column of `at position N` in a JSON.parse message. */
function placeOf(text: string, message: string): SchemaTextPlace | null {
  const position = /at position (\d+)/.exec(message);
  if (position === null) return null;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  return { line, column: before.length - before.lastIndexOf('\n') };
}

/** The refusal of a run or a version while the response format cannot be sent: what to fix, and where. */
export function responseFormatRefusal(problem: string): string {
  return `The response format cannot be sent: ${problem}. Fix it under Response format in the Model tab, or choose Text`;
}

/** Why schema text kept because it does not parse cannot be sent; null for none. */
export function unparsedSchemaProblem(text: string | null): string | null {
  if (text === null) return null;
  const result = readSchemaText(text);
  return result.ok ? null : result.problem;
}

/** Why what the Model tab holds of a JSON schema format cannot be sent (the name first, as the tab lists them); null for none. */
export function heldFormatProblem(schemaText: string | null, name: string | null): string | null {
  return (name === null ? null : schemaNameProblem(name)) ?? unparsedSchemaProblem(schemaText);
}
