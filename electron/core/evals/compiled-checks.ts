/**
 * The expensive parts of assertions, compiled once per text: users' regular expressions and
 * JSON schemas. An eval checks the same few assertions on thousands of outputs, so compiling
 * them per call would cost more than everything else a cell does.
 *
 * Both caches remember failures too (an invalid pattern stays invalid), and both are bounded:
 * they are cleared when full, since a few hundred distinct texts is already far more than any
 * suite holds and the entries are cheap to rebuild.
 */

import { Ajv, MissingRefError, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019';
import { Ajv2020 } from 'ajv/dist/2020';
import { boundRegex, type BoundedRegex } from './bounded-regex';

/** The most compiled texts each cache keeps before it starts over. */
const MAX_CACHED = 500;

/** A compiled pattern, bounded in time (bounded-regex.ts), or why it did not compile. */
export type CompiledRegex = { ok: true; regex: BoundedRegex } | { ok: false; error: string };

/** A compiled schema or why it did not compile. */
export type CompiledSchema = { ok: true; validate: ValidateFunction } | { ok: false; error: string };

const regexes = new Map<string, CompiledRegex>();
const schemas = new Map<string, CompiledSchema>();

/** The user's pattern compiled with its flags, from the cache when it was seen before. */
export function compileRegex(pattern: string, flags: string): CompiledRegex {
  const key = `${flags}\u0000${pattern}`;
  let compiled = regexes.get(key);
  if (compiled === undefined) {
    try {
      compiled = { ok: true, regex: boundRegex(new RegExp(pattern, flags)) };
    } catch (error) {
      // V8 says "Invalid regular expression: /(/: Unterminated group"; the part after the pattern is the news.
      const message = error instanceof Error ? error.message : String(error);
      const cut = message.lastIndexOf(': ');
      const reason = cut === -1 ? message : message.slice(cut + 2);
      compiled = { ok: false, error: `The regular expression /${pattern}/${flags} is invalid: ${reason}` };
    }
    remember(regexes, key, compiled);
  }
  return compiled;
}

/** The JSON schema in `text` compiled, from the cache when the same text was seen before. */
export function compileJsonSchema(text: string): CompiledSchema {
  let compiled = schemas.get(text);
  if (compiled === undefined) {
    compiled = compileSchemaText(text);
    remember(schemas, text, compiled);
  }
  return compiled;
}

/** The first validation errors in words: `/items/0/name must be string; / must have required property 'age'`. */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined, limit = 3): string {
  const list = errors ?? [];
  const shown = list.slice(0, limit).map((error) => `${error.instancePath === '' ? '/' : error.instancePath} ${error.message ?? 'is invalid'}`);
  const more = list.length - shown.length;
  return more > 0 ? `${shown.join('; ')} (and ${more} more)` : shown.join('; ');
}

function compileSchemaText(text: string): CompiledSchema {
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `The JSON schema is not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof schema !== 'boolean' && (schema === null || typeof schema !== 'object' || Array.isArray(schema))) {
    return { ok: false, error: 'The JSON schema must be a JSON object (or true or false)' };
  }
  try {
    // One Ajv per schema: two schemas with the same `$id` would otherwise clash in a shared instance.
    const ajv = ajvFor(schema);
    // Checked first so the message names the keyword at fault, not Ajv's "schema is invalid: data/type must be ..., data/type must be array, ...".
    if (ajv.validateSchema(schema) === false) return { ok: false, error: `The JSON schema does not compile: ${describeSchemaMistake(ajv.errors)}` };
    return { ok: true, validate: ajv.compile(schema) };
  } catch (error) {
    if (error instanceof MissingRefError) return { ok: false, error: `The JSON schema does not compile: it refers to ${error.missingRef}, which is not in the schema` };
    return { ok: false, error: `The JSON schema does not compile: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The first mistake the meta-schema found, at its place in the schema: `/properties/age/type must be one of: array, boolean, ...`. */
function describeSchemaMistake(errors: readonly ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (first === undefined) return 'it is not a valid JSON schema';
  const where = first.instancePath === '' ? 'the schema' : first.instancePath;
  const allowed: unknown = first.keyword === 'enum' ? (first.params as { allowedValues?: unknown }).allowedValues : undefined;
  if (Array.isArray(allowed)) return `${where} must be one of: ${allowed.map(String).join(', ')}`;
  return `${where} ${first.message ?? 'is not valid'}`;
}

/** An Ajv for the draft the schema declares (draft-07 unless it names 2019-09 or 2020-12). */
function ajvFor(schema: object | boolean): Pick<Ajv, 'compile' | 'validateSchema' | 'errors'> {
  const declared = typeof schema === 'object' ? (schema as { $schema?: unknown }).$schema : undefined;
  // Users' schemas carry `format`, `example` and other keywords Ajv's strict mode refuses: be lenient, and quiet.
  const options = { allErrors: true, strict: false, logger: false } as const;
  if (typeof declared === 'string' && declared.includes('2020-12')) return new Ajv2020(options);
  if (typeof declared === 'string' && declared.includes('2019-09')) return new Ajv2019(options);
  return new Ajv(options);
}

function remember<Value>(cache: Map<string, Value>, key: string, value: Value): void {
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, value);
}
