/**
 * Assertions for people: the name of each type, a one-line description of a configured
 * assertion, and the assertion a type starts as when the user picks it.
 */

import { assertNever } from '../../../shared/assert-never';
import { formatUsd } from '../../../shared/cost';
import type { Assertion, AssertionCommon, AssertionType } from '../../../shared/eval-types';
import type { RunTarget } from '../../../shared/types';

/** The name the type picker shows. */
export function assertionTypeLabel(type: AssertionType): string {
  switch (type) {
    case 'equals':
      return 'equals';
    case 'contains':
      return 'contains';
    case 'icontains':
      return 'contains (any case)';
    case 'contains-any':
      return 'contains any of';
    case 'contains-all':
      return 'contains all of';
    case 'starts-with':
      return 'starts with';
    case 'regex':
      return 'matches regex';
    case 'is-json':
      return 'is JSON';
    case 'json-schema':
      return 'JSON schema';
    case 'word-count':
      return 'word count';
    case 'char-count':
      return 'character count';
    case 'latency':
      return 'latency at most';
    case 'cost':
      return 'cost at most';
    case 'similarity':
      return 'similar to';
    case 'llm-judge':
      return 'LLM judge';
    default:
      return assertNever(type, 'assertion type');
  }
}

function quoted(text: string, max = 40): string {
  const short = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return `“${short}”`;
}

function bounds(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${min}–${max}`;
  if (min !== undefined) return `≥ ${min}`;
  return `≤ ${max ?? '?'}`;
}

/** What an assertion checks, in a few words ("contains “refund”", "word count 5–50"). */
export function describeAssertion(assertion: Assertion): string {
  if (assertion.label) return assertion.label;
  const not = assertion.isNegated ? 'not ' : '';
  switch (assertion.type) {
    case 'equals':
    case 'similarity':
      return `${not}${assertionTypeLabel(assertion.type)} ${assertion.value === undefined ? 'expected' : quoted(assertion.value)}`;
    case 'contains':
    case 'icontains':
    case 'starts-with':
      return `${not}${assertionTypeLabel(assertion.type)} ${quoted(assertion.value)}`;
    case 'contains-any':
    case 'contains-all':
      return `${not}${assertionTypeLabel(assertion.type)} ${assertion.values.map((value) => quoted(value, 16)).join(', ')}`;
    case 'regex':
      return `${not}matches /${assertion.pattern}/${assertion.flags ?? ''}`;
    case 'is-json':
      return `${not}is JSON`;
    case 'json-schema':
      return `${not}matches a JSON schema`;
    case 'word-count':
    case 'char-count':
      return `${not}${assertionTypeLabel(assertion.type)} ${bounds(assertion.min, assertion.max)}`;
    case 'latency':
      return `${not}latency ≤ ${assertion.maxMs} ms`;
    case 'cost':
      return `${not}cost ≤ ${formatUsd(assertion.maxUsd)}`;
    case 'llm-judge':
      return `${not}judge ${assertion.judge.model}: ${quoted(assertion.rubric, 32)}`;
    default:
      return assertNever(assertion, 'assertion');
  }
}

/** The assertion a type starts as, keeping what every type shares. */
export function assertionOfType(type: AssertionType, common: AssertionCommon, judge: RunTarget | null): Assertion {
  const shared: AssertionCommon = {};
  if (common.label !== undefined) shared.label = common.label;
  if (common.weight !== undefined) shared.weight = common.weight;
  if (common.isNegated !== undefined) shared.isNegated = common.isNegated;
  // Thresholds mean different things per type (1 for exact checks, 0.8 for similarity): not carried over.
  switch (type) {
    case 'equals':
    case 'similarity':
      return { ...shared, type };
    case 'contains':
    case 'icontains':
    case 'starts-with':
      return { ...shared, type, value: '' };
    case 'contains-any':
    case 'contains-all':
      return { ...shared, type, values: [] };
    case 'regex':
      return { ...shared, type, pattern: '' };
    case 'is-json':
      return { ...shared, type };
    case 'json-schema':
      return { ...shared, type, schema: '{\n  "type": "object"\n}' };
    case 'word-count':
    case 'char-count':
      return { ...shared, type, min: 1 };
    case 'latency':
      return { ...shared, type, maxMs: 5000 };
    case 'cost':
      return { ...shared, type, maxUsd: 0.01 };
    case 'llm-judge':
      return { ...shared, type, rubric: '', judge: judge ?? { providerId: 1, model: '' } };
    default:
      return assertNever(type, 'assertion type');
  }
}

/** The threshold a type uses when none is set (see `AssertionCommon.threshold`). */
export function defaultThreshold(type: AssertionType): number {
  if (type === 'similarity') return 0.8;
  if (type === 'llm-judge') return 0.7;
  return 1;
}
