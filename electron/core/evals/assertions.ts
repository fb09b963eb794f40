/**
 * Assertion verdicts: every check of an output but the LLM judge's call itself, the threshold
 * and negation every assertion shares, a case's weighted score, and a short name for each.
 *
 * All of it is pure and cheap: an eval checks the same assertions on thousands of outputs, so
 * patterns and schemas are compiled once per text (compiled-checks.ts) and nothing here throws.
 * A check that cannot be made (an invalid pattern, no expected output, no measured latency) is
 * an outcome with `error` set, which fails whether or not the assertion is negated.
 */

import { distance } from 'fastest-levenshtein';
import { assertNever } from '../../../shared/assert-never';
import { formatUsd } from '../../../shared/cost';
import type { Assertion, AssertionType } from '../../../shared/eval-types';
import { execBounded, REGEX_TIME_LIMIT_MS } from './bounded-regex';
import { compileJsonSchema, compileRegex, describeSchemaErrors } from './compiled-checks';

/** What an assertion is checked against: the cell's output and its run's figures. */
export interface AssertionContext {
  output: string;
  /** The case's expected output; null when it has none. */
  expected: string | null;
  latencyMs: number | null;
  /** Null when the model has no price. */
  costUsd: number | null;
}

/** An assertion's verdict on one output. */
export interface CheckOutcome {
  isPassed: boolean;
  /** 0..1, after negation. */
  score: number;
  /** What was found, in a sentence a user can act on. */
  reason: string;
  /** Why the check could not be made; null when it was. */
  error: string | null;
}

/** An assertion checked here; the judge's assertions are checked by a model (judge.ts). */
export type LocalAssertion = Exclude<Assertion, { type: 'llm-judge' }>;
/** An LLM-judge assertion. */
export type JudgeAssertion = Extract<Assertion, { type: 'llm-judge' }>;

/** What a check found before threshold and negation: a score 0..1 and why, or why it could not check. */
type Finding = { score: number; reason: string } | { error: string };

const NO_EXPECTED = 'No expected output: give this case an expected output, or give the assertion a value to compare with';

/** The score an assertion needs to pass when it sets no threshold. */
export function defaultThreshold(type: AssertionType): number {
  if (type === 'similarity') return 0.8;
  if (type === 'llm-judge') return 0.7;
  return 1;
}

/** Every assertion but llm-judge. Never throws: an invalid regex / JSON schema given by the user is an outcome with `error` set and isPassed false. */
export function evaluateAssertion(assertion: LocalAssertion, context: AssertionContext): CheckOutcome {
  let finding: Finding;
  try {
    finding = check(assertion, context);
  } catch (error) {
    // A pattern can still blow the regex engine's stack on a huge output: an error on the assertion, not a dead eval.
    finding = { error: `The check could not run: ${error instanceof Error ? error.message : String(error)}` };
  }
  return verdict(assertion, finding);
}

/** Threshold and negation applied to a judge's parsed verdict. */
export function applyJudgeVerdict(assertion: JudgeAssertion, judged: { score: number; reason: string }): CheckOutcome {
  if (!Number.isFinite(judged.score) || judged.score < 0 || judged.score > 1) {
    return verdict(assertion, { error: `The judge’s score ${judged.score} is not between 0 and 1` });
  }
  const threshold = assertion.threshold ?? defaultThreshold('llm-judge');
  const reason = judged.reason.trim() === '' ? 'The judge gave no reason' : judged.reason.trim();
  return verdict(assertion, { score: judged.score, reason: `Judge score ${formatScore(judged.score)} (threshold ${formatScore(threshold)}): ${reason}` });
}

/**
 * Weighted case score and pass: passes when every assertion passes (errors fail); score = weighted
 * mean (weight 0 reports without counting); no assertions: passed, score 1.
 *
 * A check that could not grade (its judge failed, its regex does not compile) has no score to
 * give, and a mean without it would be over other checks than the next cell's: the case then
 * has no score (null), so an outage never reads as a drop in quality, nor a rise.
 */
export function scoreCase(results: readonly { assertion: Assertion; isPassed: boolean; score: number; error: string | null }[]): {
  isPassed: boolean;
  score: number | null;
} {
  let isPassed = true;
  let isUngraded = false;
  let weighted = 0;
  let totalWeight = 0;
  for (const result of results) {
    const weight = result.assertion.weight ?? 1;
    // Weight 0 is the user saying "show me, but don't grade on it": neither the pass nor the score counts it.
    if (weight <= 0) continue;
    if (result.error !== null) {
      isPassed = false;
      isUngraded = true;
      continue;
    }
    if (!result.isPassed) isPassed = false;
    weighted += weight * result.score;
    totalWeight += weight;
  }
  if (isUngraded) return { isPassed, score: null };
  return { isPassed, score: totalWeight === 0 ? 1 : round(weighted / totalWeight) };
}

/** A short human label of an assertion for the grid ("contains \"refund\"", "not regex /x/i", "judge: gpt-4o-mini"). */
export function describeAssertion(assertion: Assertion): string {
  if (assertion.label !== undefined && assertion.label.trim() !== '') return assertion.label.trim();
  const not = assertion.isNegated === true ? 'not ' : '';
  return `${not}${describeCheck(assertion)}`;
}

function describeCheck(assertion: Assertion): string {
  switch (assertion.type) {
    case 'equals':
      return `equals ${assertion.value === undefined ? 'expected output' : quote(assertion.value, 40)}`;
    case 'similarity':
      return `similar to ${assertion.value === undefined ? 'expected output' : quote(assertion.value, 40)}`;
    case 'contains':
      return `contains ${quote(assertion.value, 40)}`;
    case 'icontains':
      return `icontains ${quote(assertion.value, 40)}`;
    case 'starts-with':
      return `starts with ${quote(assertion.value, 40)}`;
    case 'contains-any':
    case 'contains-all': {
      const which = assertion.type === 'contains-any' ? 'any' : 'all';
      const anyCase = assertion.isCaseInsensitive === true ? ' (any case)' : '';
      return `contains ${which} of ${listQuoted(assertion.values, 3, 20)}${anyCase}`;
    }
    case 'regex':
      return `regex /${truncate(assertion.pattern, 40)}/${assertion.flags ?? ''}`;
    case 'is-json':
      return 'is JSON';
    case 'json-schema':
      return 'matches JSON schema';
    case 'word-count':
      return describeBounds(assertion.min, assertion.max, 'words');
    case 'char-count':
      return describeBounds(assertion.min, assertion.max, 'characters');
    case 'latency':
      return `latency at most ${formatMs(assertion.maxMs)}`;
    case 'cost':
      return `cost at most ${formatUsd(assertion.maxUsd)}`;
    case 'llm-judge':
      return `judge: ${assertion.judge.model}`;
    default:
      return assertNever(assertion, 'assertion');
  }
}

/** Threshold and negation over a finding; errors fail either way. */
function verdict(assertion: Assertion, finding: Finding): CheckOutcome {
  if ('error' in finding) return { isPassed: false, score: 0, reason: finding.error, error: finding.error };
  const score = round(finding.score);
  const isMet = score >= (assertion.threshold ?? defaultThreshold(assertion.type));
  if (assertion.isNegated === true) return { isPassed: !isMet, score: round(1 - score), reason: finding.reason, error: null };
  return { isPassed: isMet, score, reason: finding.reason, error: null };
}

function check(assertion: LocalAssertion, context: AssertionContext): Finding {
  const { output } = context;
  switch (assertion.type) {
    case 'equals':
      return checkEquals(output, assertion.value, context.expected);
    case 'contains':
      if (output.includes(assertion.value)) return pass(`Output contains ${quote(assertion.value)}`);
      return fail(`${outputOrEmpty(output)} does not contain ${quote(assertion.value)}`);
    case 'icontains':
      if (output.toLowerCase().includes(assertion.value.toLowerCase())) return pass(`Output contains ${quote(assertion.value)}, ignoring case`);
      return fail(`${outputOrEmpty(output)} does not contain ${quote(assertion.value)}, in any case`);
    case 'starts-with':
      return checkStartsWith(output, assertion.value);
    case 'contains-any':
    case 'contains-all':
      return checkContainsSome(output, assertion.type, assertion.values, assertion.isCaseInsensitive === true);
    case 'regex':
      return checkRegex(output, assertion.pattern, assertion.flags ?? '');
    case 'is-json': {
      const parsed = parseOutputJson(output);
      return parsed.ok ? pass(`Output is valid JSON (${jsonKind(parsed.value)})`) : fail(parsed.reason);
    }
    case 'json-schema':
      return checkJsonSchema(output, assertion.schema);
    case 'word-count':
      return checkCount(countWords(output), assertion.min, assertion.max, 'word', 'words');
    case 'char-count':
      return checkCount(countCharacters(output), assertion.min, assertion.max, 'character', 'characters');
    case 'latency':
      return checkLatency(context.latencyMs, assertion.maxMs);
    case 'cost':
      return checkCost(context.costUsd, assertion.maxUsd);
    case 'similarity':
      return checkSimilarity(output, assertion.value, context.expected, assertion.threshold ?? defaultThreshold('similarity'));
    default:
      return assertNever(assertion, 'assertion');
  }
}

function checkEquals(output: string, value: string | undefined, expected: string | null): Finding {
  const target = value ?? expected;
  if (target === null) return { error: NO_EXPECTED };
  const what = value === undefined ? 'the expected output' : quote(value);
  if (output === target) return pass(`Output equals ${what}`);
  return fail(describeDifference(output, target, what));
}

/** Where an output stops matching what it should equal. */
function describeDifference(output: string, target: string, what: string): string {
  if (output === '') return `Output is empty; ${what} has ${plural(target.length, 'character', 'characters')}`;
  if (output.trim() === target.trim()) return `Output differs from ${what} only in leading or trailing whitespace`;
  let index = 0;
  while (index < output.length && index < target.length && output.charCodeAt(index) === target.charCodeAt(index)) index += 1;
  if (index === target.length) return `Output goes on after ${what} ends, with ${quote(output.slice(index), 30)}`;
  if (index === output.length) return `Output stops after ${plural(index, 'character', 'characters')}, where ${what} goes on with ${quote(target.slice(index), 30)}`;
  return `Output differs from ${what} at character ${index + 1}: ${quote(output.slice(index), 30)} instead of ${quote(target.slice(index), 30)}`;
}

function checkStartsWith(output: string, value: string): Finding {
  if (output.startsWith(value)) return pass(`Output starts with ${quote(value)}`);
  if (output === '') return fail(`Output is empty, so it does not start with ${quote(value)}`);
  const trimmed = output.trimStart();
  if (trimmed.startsWith(value)) {
    return fail(`Output starts with ${plural(output.length - trimmed.length, 'whitespace character', 'whitespace characters')} before ${quote(value)}`);
  }
  return fail(`Output starts with ${quote(output.slice(0, Math.max(value.length, 1)))} instead of ${quote(value)}`);
}

function checkContainsSome(output: string, type: 'contains-any' | 'contains-all', values: readonly string[], isCaseInsensitive: boolean): Finding {
  const haystack = isCaseInsensitive ? output.toLowerCase() : output;
  const has = (value: string) => haystack.includes(isCaseInsensitive ? value.toLowerCase() : value);
  const anyCase = isCaseInsensitive ? ', ignoring case' : '';
  if (type === 'contains-any') {
    const found = values.find(has);
    if (found !== undefined) return pass(`Output contains ${quote(found)}${anyCase}`);
    return fail(`${outputOrEmpty(output)} contains none of ${listQuoted(values, 5)}${anyCase}`);
  }
  const missing = values.filter((value) => !has(value));
  if (missing.length === 0) return pass(`Output contains all ${plural(values.length, 'value', 'values')}${anyCase}`);
  return fail(`${outputOrEmpty(output)} lacks ${missing.length} of ${values.length}: ${listQuoted(missing, 5)}${anyCase}`);
}

function checkRegex(output: string, pattern: string, flags: string): Finding {
  const compiled = compileRegex(pattern, flags);
  if (!compiled.ok) return { error: compiled.error };
  const match = execBounded(compiled.regex, output);
  const shown = `/${truncate(pattern, 60)}/${flags}`;
  if (match === 'timeout') {
    return {
      error: `The regular expression ${shown} ran for over ${REGEX_TIME_LIMIT_MS / 1000} s on this output and was stopped: it backtracks too much (nested repeats such as (a+)+ usually do). Simplify it.`,
    };
  }
  if (match === null) return fail(`${outputOrEmpty(output)} does not match ${shown}`);
  return pass(match[0] === '' ? `Output matches ${shown}` : `Output matches ${shown} at ${quote(match[0], 40)}`);
}

function checkJsonSchema(output: string, schema: string): Finding {
  const compiled = compileJsonSchema(schema);
  if (!compiled.ok) return { error: compiled.error };
  const parsed = parseOutputJson(output);
  if (!parsed.ok) return fail(parsed.reason);
  if (compiled.validate(parsed.value)) return pass('Output is JSON that matches the schema');
  return fail(`Output does not match the schema: ${describeSchemaErrors(compiled.validate.errors)}`);
}

/** The output as JSON, or why it is not JSON in words that point at the usual culprits. */
function parseOutputJson(output: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (output.trim() === '') return { ok: false, reason: 'Output is empty, not JSON' };
  try {
    return { ok: true, value: JSON.parse(output) };
  } catch (error) {
    if (/^\s*```/.test(output)) return { ok: false, reason: 'Output is not JSON: it is wrapped in a Markdown code fence (```)' };
    return { ok: false, reason: `Output is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'object':
      return 'an object';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return typeof value;
  }
}

function checkCount(count: number, min: number | undefined, max: number | undefined, one: string, many: string): Finding {
  if (min === undefined && max === undefined) return { error: 'Give a minimum, a maximum or both' };
  if (min !== undefined && max !== undefined && min > max) return { error: `The minimum (${min}) is above the maximum (${max})` };
  const has = `Output has ${plural(count, one, many)}`;
  if (min !== undefined && count < min) return fail(`${has}; at least ${min} needed`);
  if (max !== undefined && count > max) return fail(`${has}; at most ${max} allowed`);
  if (min !== undefined && max !== undefined) return pass(`${has} (between ${min} and ${max})`);
  return pass(min !== undefined ? `${has} (at least ${min})` : `${has} (at most ${max})`);
}

/** Words: runs of non-whitespace. */
function countWords(text: string): number {
  let count = 0;
  let isInWord = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (isSpaceCode(code)) isInWord = false;
    else if (!isInWord) {
      isInWord = true;
      count += 1;
    }
  }
  return count;
}

/** Whitespace as `\s` knows it: ASCII controls and space, NBSP and the Unicode spaces. */
function isSpaceCode(code: number): boolean {
  if (code <= 32) return true;
  if (code < 0xa0) return false;
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

/** Characters as people count them: code points, so an emoji is one, not two UTF-16 units. */
function countCharacters(text: string): number {
  let count = text.length;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 0xdc00 && code <= 0xdfff && index > 0) {
      const previous = text.charCodeAt(index - 1);
      if (previous >= 0xd800 && previous <= 0xdbff) count -= 1;
    }
  }
  return count;
}

function checkLatency(latencyMs: number | null, maxMs: number): Finding {
  if (latencyMs === null) return { error: 'No latency was measured for this run, so the latency ceiling cannot be checked' };
  const was = `Latency was ${formatMs(latencyMs)}`;
  return latencyMs <= maxMs ? pass(`${was} (at most ${formatMs(maxMs)})`) : fail(`${was}; at most ${formatMs(maxMs)} allowed`);
}

function checkCost(costUsd: number | null, maxUsd: number): Finding {
  if (costUsd === null) return { error: 'The model has no price, so the cost ceiling cannot be checked: set a price for it in Settings' };
  const [cost, ceiling] = distinctUsd(costUsd, maxUsd);
  return costUsd <= maxUsd ? pass(`Cost was ${cost} (at most ${ceiling})`) : fail(`Cost was ${cost}; at most ${ceiling} allowed`);
}

function checkSimilarity(output: string, value: string | undefined, expected: string | null, threshold: number): Finding {
  const target = value ?? expected;
  if (target === null) return { error: NO_EXPECTED };
  const longest = Math.max(output.length, target.length);
  const ratio = longest === 0 ? 1 : 1 - distance(output, target) / longest;
  const what = value === undefined ? 'the expected output' : quote(value);
  return { score: ratio, reason: `Similarity to ${what} is ${formatScore(ratio)} (Levenshtein ratio; threshold ${formatScore(threshold)})` };
}

function pass(reason: string): Finding {
  return { score: 1, reason };
}

function fail(reason: string): Finding {
  return { score: 0, reason };
}

function outputOrEmpty(output: string): string {
  return output === '' ? 'Output is empty, so it' : 'Output';
}

function describeBounds(min: number | undefined, max: number | undefined, unit: string): string {
  if (min !== undefined && max !== undefined) return min === max ? `exactly ${min} ${unit}` : `${min} to ${max} ${unit}`;
  if (min !== undefined) return `at least ${min} ${unit}`;
  return `at most ${max ?? '?'} ${unit}`;
}

/** `"text"` with quotes and control characters escaped, cut to `max` characters. */
function quote(text: string, max = 60): string {
  return JSON.stringify(truncate(text, max));
}

function listQuoted(values: readonly string[], shown: number, max = 40): string {
  const listed = values.slice(0, shown).map((value) => quote(value, max));
  return values.length > shown ? `${listed.join(', ')} and ${values.length - shown} more` : listed.join(', ');
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function plural(count: number, one: string, many: string): string {
  return `${groupThousands(count)} ${count === 1 ? one : many}`;
}

function formatMs(ms: number): string {
  return `${groupThousands(Math.round(ms))} ms`;
}

/** 12,345: what toLocaleString('en-US') writes for whole numbers, without the cost of Intl on every cell. */
function groupThousands(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Two amounts in dollars, with more digits where the usual rounding would make them look equal. */
function distinctUsd(first: number, second: number): [string, string] {
  const plain: [string, string] = [formatUsd(first), formatUsd(second)];
  if (plain[0] !== plain[1] || first === second) return plain;
  return [`$${first.toPrecision(6)}`, `$${second.toPrecision(6)}`];
}

function formatScore(score: number): string {
  return score.toFixed(2);
}

/** Scores to four decimals, so 1 - 0.7 reads 0.3 and a threshold compares with what is shown. */
function round(score: number): number {
  return Math.round(score * 10_000) / 10_000;
}
