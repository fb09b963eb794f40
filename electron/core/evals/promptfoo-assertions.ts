/**
 * promptfoo's assertions in this workbench's terms, both ways.
 *
 * promptfoo writes `type: not-contains`, `icontains-any`, `similar` with a `threshold`,
 * `latency` with the ceiling in `threshold`, names results with `metric`, and fills `{{var}}`
 * templates in values from the test's `vars`. Mapped here:
 * - `not-` prefix <-> isNegated; `metric` <-> label; `weight` <-> weight;
 * - `equals` / `similar` with the value `{{expected}}` <-> the case's expected output (no value);
 * - `icontains-any` / `icontains-all` <-> contains-any / contains-all, case-insensitive;
 * - `is-json` with a schema as its value <-> json-schema;
 * - `latency` / `cost` thresholds <-> maxMs / maxUsd;
 * - `llm-rubric` <-> llm-judge, when the judge is one of ours (named, as every file names it,
 *   under the assertion's `config['x-workbench']`, which promptfoo passes along and otherwise
 *   ignores; see file-judge.ts) or the import names one;
 * - a regex with flags and a character count, which promptfoo has no type for, <-> a
 *   `javascript` expression that promptfoo runs with the same meaning and this module reads back;
 * - `levenshtein` (a maximum edit distance) -> a similarity ratio, with a note saying so.
 * Other promptfoo types (python, javascript of any other kind, model-graded ones without a
 * judge, contains-json...) are reported as unsupported, never dropped silently.
 */

import { assertNever } from '../../../shared/assert-never';
import { assertionSchema } from '../../../shared/contract';
import type { Assertion } from '../../../shared/eval-types';
import type { RunTarget } from '../../../shared/types';
import { fileJudge, resolveFileJudge, type JudgeContext, type JudgeProvider } from './file-judge';
import { needsJudgeMessage } from './model-graded';
import type { FieldPath, TemplateScope } from './test-case-record';

/** The key inside a promptfoo assertion's `config` holding what promptfoo cannot express. */
export const PROMPTFOO_EXTENSION_KEY = 'x-workbench';

/**
 * A promptfoo assertion read: ours (with a note on how it was read; one with a key is given once
 * per file), unsupported here (left out with a note), or invalid (the case is refused).
 */
export type ForeignAssertion =
  | { kind: 'assertion'; assertion: Assertion; note: { key: string | null; message: string } | null }
  | { kind: 'unsupported'; message: string }
  | { kind: 'invalid'; path: FieldPath; message: string };

/** The promptfoo types this module reads (with or without `not-`). */
const SUPPORTED_TYPES = new Set([
  'equals',
  'contains',
  'icontains',
  'starts-with',
  'contains-any',
  'contains-all',
  'icontains-any',
  'icontains-all',
  'regex',
  'is-json',
  'similar',
  'levenshtein',
  'latency',
  'cost',
  'word-count',
  'llm-rubric',
  'javascript',
]);

/** promptfoo types this workbench knows of but cannot run; named so the message can say "not supported" rather than "unknown". */
const KNOWN_UNSUPPORTED_TYPES = new Set([
  'answer-relevance',
  'assert-set',
  'bleu',
  'classifier',
  'contains-html',
  'contains-json',
  'contains-sql',
  'contains-xml',
  'context-faithfulness',
  'context-recall',
  'context-relevance',
  'factuality',
  'finish-reason',
  'g-eval',
  'gleu',
  'guardrails',
  'human',
  'is-html',
  'is-refusal',
  'is-sql',
  'is-valid-function-call',
  'is-valid-openai-function-call',
  'is-valid-openai-tools-call',
  'is-xml',
  'max-score',
  'meteor',
  'model-graded-closedqa',
  'model-graded-factuality',
  'moderation',
  'perplexity',
  'perplexity-score',
  'pi',
  'python',
  'rouge-n',
  'ruby',
  'select-best',
  'webhook',
]);

/** Types that need no `value`. */
const VALUELESS_TYPES = new Set(['is-json', 'latency', 'cost']);

/** promptfoo's default maximum edit distance for `levenshtein`. */
const DEFAULT_LEVENSHTEIN_DISTANCE = 5;

/** Keys of a promptfoo assertion that change what is checked in ways this workbench cannot follow. */
const UNSUPPORTED_KEYS = ['transform', 'contextTransform', 'rubricPrompt'];

/** `{{ name }}` in a promptfoo value. */
const TEMPLATE = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;
/** A value that is exactly the case's expected output. */
const EXPECTED_TEMPLATE = /^\s*\{\{\s*expected\s*\}\}\s*$/;

const REGEX_PREFIX = 'new RegExp(';
const REGEX_SUFFIX = ').test(output)';
const CHAR_COUNT = 'Array.from(output).length';

/** True when `type` (with or without `not-`) is a promptfoo assertion type, supported or not. */
export function isPromptfooType(type: string): boolean {
  const base = type.startsWith('not-') ? type.slice(4) : type;
  return SUPPORTED_TYPES.has(base) || KNOWN_UNSUPPORTED_TYPES.has(base);
}

/**
 * A promptfoo assertion (an object from a config's `assert` list) as one of ours. Template
 * values are filled from `scope`; `{{expected}}` alone on `equals` and `similar` becomes "the
 * case's expected output".
 */
export function assertionFromPromptfoo(item: Record<string, unknown>, scope: TemplateScope, judges: JudgeContext): ForeignAssertion {
  const fullType = String(item.type);
  const isNegated = fullType.startsWith('not-');
  const type = isNegated ? fullType.slice(4) : fullType;
  if (!SUPPORTED_TYPES.has(type)) return { kind: 'unsupported', message: `promptfoo’s "${fullType}" assertion is not supported here` };
  for (const key of UNSUPPORTED_KEYS) {
    if (item[key] !== undefined) return { kind: 'unsupported', message: `A "${fullType}" assertion with "${key}" is not supported here` };
  }
  const extension = readExtension(item.config);
  const common: Record<string, unknown> = {};
  if (item.metric !== undefined) common.label = item.metric;
  if (item.weight !== undefined) common.weight = item.weight;
  if (isNegated) common.isNegated = true;
  const threshold = type === 'latency' || type === 'cost' || type === 'levenshtein' ? extension.threshold : item.threshold;
  if (threshold !== undefined) common.threshold = threshold;
  if (item.value === undefined && !VALUELESS_TYPES.has(type)) return { kind: 'invalid', path: ['value'], message: `A "${fullType}" assertion needs a value` };
  const value = fill(item.value, scope);
  let note: { key: string | null; message: string } | null = null;
  let body: Record<string, unknown>;
  switch (type) {
    case 'equals':
    case 'similar': {
      const ours = type === 'equals' ? 'equals' : 'similarity';
      if (typeof item.value === 'string' && EXPECTED_TEMPLATE.test(item.value)) body = { type: ours };
      else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') body = { type: ours, value: String(value) };
      else return { kind: 'unsupported', message: `A "${fullType}" assertion comparing with ${Array.isArray(value) ? 'a list' : 'structured JSON'} is not supported here` };
      break;
    }
    case 'contains':
    case 'icontains':
    case 'starts-with':
      body = { type, value: typeof value === 'number' ? String(value) : value };
      break;
    case 'contains-any':
    case 'contains-all':
    case 'icontains-any':
    case 'icontains-all': {
      const values = typeof value === 'string' ? value.split(',').map((part) => part.trim()) : Array.isArray(value) ? value.map((part) => (typeof part === 'number' ? String(part) : part)) : value;
      body = { type: type.replace(/^i/, ''), values };
      if (type.startsWith('i')) body.isCaseInsensitive = true;
      break;
    }
    case 'regex':
      body = { type: 'regex', pattern: value };
      break;
    case 'is-json':
      if (value === undefined || value === null) body = { type: 'is-json' };
      else if (typeof value === 'string' && value.startsWith('file://')) return { kind: 'unsupported', message: 'An "is-json" schema read from a file is not supported here; paste the schema instead' };
      else body = { type: 'json-schema', schema: typeof value === 'string' ? value : JSON.stringify(value, null, 2) };
      break;
    case 'levenshtein': {
      const target = typeof item.value === 'string' && EXPECTED_TEMPLATE.test(item.value) ? scope.expected : typeof value === 'string' ? value : null;
      const maxDistance = typeof item.threshold === 'number' ? item.threshold : DEFAULT_LEVENSHTEIN_DISTANCE;
      if (target === null) return { kind: 'invalid', path: ['value'], message: 'A "levenshtein" assertion needs the text to compare with' };
      const ratio = target.length === 0 ? 0 : Math.max(0, Math.round((1 - maxDistance / target.length) * 10_000) / 10_000);
      body = EXPECTED_TEMPLATE.test(String(item.value)) ? { type: 'similarity' } : { type: 'similarity', value: target };
      if (common.threshold === undefined) common.threshold = ratio;
      note = { key: null, message: `"${fullType}" (at most ${maxDistance} edits) became a similarity of at least ${ratio} to the same text: this workbench scores the Levenshtein ratio, not the distance` };
      break;
    }
    case 'latency':
    case 'cost':
      if (typeof item.threshold !== 'number') return { kind: 'invalid', path: ['threshold'], message: `A "${fullType}" assertion needs its ceiling as a number in "threshold"` };
      body = type === 'latency' ? { type, maxMs: item.threshold } : { type, maxUsd: item.threshold };
      break;
    case 'word-count':
      if (typeof value === 'number') body = { type, min: value, max: value };
      else if (value !== null && typeof value === 'object' && !Array.isArray(value)) body = { type, ...(value as Record<string, unknown>) };
      else return { kind: 'invalid', path: ['value'], message: 'A "word-count" assertion needs a number or {min, max}' };
      break;
    case 'llm-rubric': {
      // Our own judge, named in the extension, is found here (or stood in for, with a note); else the one chosen at import grades it.
      let chosen: RunTarget;
      if (extension.hasJudge) {
        const resolved = resolveFileJudge(extension.judge, judges);
        if (resolved.kind === 'missing') return { kind: 'unsupported', message: resolved.message };
        if (resolved.kind === 'invalid') {
          return { kind: 'invalid', path: ['config', PROMPTFOO_EXTENSION_KEY, 'judge', ...(resolved.field === null ? [] : [resolved.field])], message: resolved.message };
        }
        chosen = resolved.target;
        note = resolved.note;
      } else if (judges.judge !== null) {
        chosen = judges.judge;
      } else {
        const provider = describeProvider(item.provider);
        return { kind: 'unsupported', message: needsJudgeMessage(`"${fullType}"${provider === null ? '' : ` (its provider ${provider} is not one of this workbench’s)`}`) };
      }
      body = { type: 'llm-judge', rubric: value, judge: chosen };
      break;
    }
    case 'javascript': {
      const read = typeof item.value === 'string' ? readJavascript(item.value.trim()) : null;
      if (read === null) return { kind: 'unsupported', message: `promptfoo’s "${fullType}" assertion cannot run here` };
      body = read;
      break;
    }
    default:
      return { kind: 'unsupported', message: `promptfoo’s "${fullType}" assertion is not supported here` };
  }
  const parsed = assertionSchema.safeParse({ ...body, ...common });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path[0];
    // Our field names differ from promptfoo's: point at the promptfoo field the user wrote.
    const field = key === 'label' ? 'metric' : key === 'pattern' || key === 'values' || key === 'schema' || key === 'rubric' ? 'value' : key;
    return { kind: 'invalid', path: typeof field === 'string' ? [field] : [], message: issue?.message ?? 'The assertion is not valid' };
  }
  return { kind: 'assertion', assertion: parsed.data as Assertion, note };
}

/**
 * True when an assertion's value uses the case's variables, so it means something different
 * for each case (`{{expected}}` alone on equals / similar is the expected output, which our
 * assertions refer to without a value; a levenshtein distance becomes a ratio of its length).
 */
export function needsCaseScope(item: Record<string, unknown>): boolean {
  const type = String(item.type).replace(/^not-/, '');
  if ((type === 'equals' || type === 'similar') && typeof item.value === 'string' && EXPECTED_TEMPLATE.test(item.value)) return false;
  return type === 'levenshtein' || JSON.stringify(item.value ?? null).includes('{{');
}

/**
 * A promptfoo `__expected` cell (`contains: refund`, `not-icontains:x`, `similar(0.7):text`,
 * `llm-rubric: ...`) as a promptfoo assertion object; plain text is `equals`.
 */
export function promptfooAssertionFromString(text: string): Record<string, unknown> {
  for (const prefix of ['javascript:', 'fn:', 'eval:']) {
    if (text.startsWith(prefix)) return { type: 'javascript', value: text.slice(prefix.length).trim() };
  }
  for (const prefix of ['grade:', 'llm-rubric:']) {
    if (text.startsWith(prefix)) return { type: 'llm-rubric', value: text.slice(prefix.length).trim() };
  }
  if (text.startsWith('python:')) return { type: 'python', value: text.slice('python:'.length).trim() };
  const match = /^(not-)?([a-z][a-z0-9-]*)(?:\((\d+(?:\.\d+)?)\))?(?::([\s\S]*))?$/.exec(text);
  if (match === null || !isPromptfooType(match[2])) return { type: 'equals', value: text };
  const [, not = '', type, threshold, rest] = match;
  const assertion: Record<string, unknown> = { type: `${not}${type}` };
  if (rest !== undefined) {
    const value = type === 'is-json' || type === 'contains-json' ? rest : rest.trim();
    assertion.value = type.endsWith('-any') || type.endsWith('-all') ? value.split(',').map((part) => part.trim()) : value;
  }
  if (threshold !== undefined) assertion.threshold = Number(threshold);
  return assertion;
}

/** One of our assertions as promptfoo writes it (the inverse of `assertionFromPromptfoo`); a judge named by `providers`. */
export function assertionToPromptfoo(assertion: Assertion, providers: readonly JudgeProvider[]): Record<string, unknown> {
  const extension: Record<string, unknown> = {};
  let type: string;
  let value: unknown;
  let threshold = assertion.threshold;
  switch (assertion.type) {
    case 'equals':
      type = 'equals';
      value = assertion.value ?? '{{expected}}';
      break;
    case 'similarity':
      type = 'similar';
      value = assertion.value ?? '{{expected}}';
      break;
    case 'contains':
    case 'icontains':
    case 'starts-with':
      type = assertion.type;
      value = assertion.value;
      break;
    case 'contains-any':
    case 'contains-all':
      type = assertion.isCaseInsensitive === true ? `i${assertion.type}` : assertion.type;
      value = assertion.values;
      break;
    case 'regex':
      if (assertion.flags === undefined || assertion.flags === '') {
        type = 'regex';
        value = assertion.pattern;
      } else {
        type = 'javascript';
        value = `${REGEX_PREFIX}${JSON.stringify(assertion.pattern)}, ${JSON.stringify(assertion.flags)}${REGEX_SUFFIX}`;
      }
      break;
    case 'is-json':
      type = 'is-json';
      break;
    case 'json-schema':
      type = 'is-json';
      value = assertion.schema;
      break;
    case 'word-count':
      type = 'word-count';
      value = { ...(assertion.min !== undefined && { min: assertion.min }), ...(assertion.max !== undefined && { max: assertion.max }) };
      break;
    case 'char-count': {
      type = 'javascript';
      const bounds = [assertion.min === undefined ? null : `${CHAR_COUNT} >= ${assertion.min}`, assertion.max === undefined ? null : `${CHAR_COUNT} <= ${assertion.max}`];
      value = bounds.filter((bound) => bound !== null).join(' && ');
      break;
    }
    case 'latency':
    case 'cost':
      type = assertion.type;
      if (threshold !== undefined) extension.threshold = threshold;
      threshold = assertion.type === 'latency' ? assertion.maxMs : assertion.maxUsd;
      break;
    case 'llm-judge':
      type = 'llm-rubric';
      value = assertion.rubric;
      extension.judge = fileJudge(assertion.judge, providers);
      break;
    default:
      return assertNever(assertion, 'assertion');
  }
  const written: Record<string, unknown> = { type: `${assertion.isNegated === true ? 'not-' : ''}${type}` };
  if (value !== undefined) written.value = value;
  if (threshold !== undefined) written.threshold = threshold;
  if (assertion.weight !== undefined) written.weight = assertion.weight;
  if (assertion.label !== undefined) written.metric = assertion.label;
  if (Object.keys(extension).length > 0) written.config = { [PROMPTFOO_EXTENSION_KEY]: extension };
  return written;
}

/** What our own export keeps under `config['x-workbench']`: the judge as written (file-judge.ts reads it). */
function readExtension(config: unknown): { threshold?: unknown; hasJudge: boolean; judge?: unknown } {
  if (config === null || typeof config !== 'object') return { hasJudge: false };
  const extension = (config as Record<string, unknown>)[PROMPTFOO_EXTENSION_KEY];
  if (extension === null || typeof extension !== 'object') return { hasJudge: false };
  const { threshold, judge } = extension as Record<string, unknown>;
  return { ...(threshold !== undefined && { threshold }), hasJudge: judge !== undefined, judge };
}

/** A regex with flags or a character count, as `assertionToPromptfoo` writes them; null for any other JavaScript. */
function readJavascript(code: string): Record<string, unknown> | null {
  if (code.startsWith(REGEX_PREFIX) && code.endsWith(REGEX_SUFFIX)) {
    try {
      const parts: unknown = JSON.parse(`[${code.slice(REGEX_PREFIX.length, -REGEX_SUFFIX.length)}]`);
      if (Array.isArray(parts) && parts.length === 2 && typeof parts[0] === 'string' && typeof parts[1] === 'string') {
        return { type: 'regex', pattern: parts[0], flags: parts[1] };
      }
    } catch {
      return null;
    }
    return null;
  }
  const escaped = CHAR_COUNT.replace(/[.()]/g, '\\$&');
  const match = new RegExp(`^(?:${escaped} >= (\\d+))?(?: && )?(?:${escaped} <= (\\d+))?$`).exec(code);
  if (match === null || (match[1] === undefined && match[2] === undefined)) return null;
  const isJoined = code.includes(' && ');
  if (isJoined !== (match[1] !== undefined && match[2] !== undefined)) return null;
  return { type: 'char-count', ...(match[1] !== undefined && { min: Number(match[1]) }), ...(match[2] !== undefined && { max: Number(match[2]) }) };
}

/** A value with `{{var}}` templates filled from the case (promptfoo fills them with nunjucks; unknown names stay as written). */
function fill(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === 'string') {
    return value.replace(TEMPLATE, (whole, name: string) => {
      if (name === 'expected' && scope.variables.expected === undefined) return scope.expected ?? whole;
      return scope.variables[name] ?? whole;
    });
  }
  if (Array.isArray(value)) return value.map((item) => fill(item, scope));
  return value;
}

function describeProvider(provider: unknown): string | null {
  if (typeof provider === 'string') return `"${provider}"`;
  if (provider !== null && typeof provider === 'object' && typeof (provider as { id?: unknown }).id === 'string') return `"${(provider as { id: string }).id}"`;
  return null;
}
