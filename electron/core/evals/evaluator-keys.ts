/**
 * The keys a GitHub Models evaluator has (gh-models reads these: an evaluator has a name and one
 * of string, uses and llm), and what is said of one it does not have. The prompt file reader
 * refuses a file with such a key at its line; Evals → Import leaves that evaluator out and lists
 * it. Both name the key meant when the one written is a near miss (`contians`), since a misspelt
 * key would otherwise be dropped and leave a check that checks nothing.
 */

import { listed } from '../../../shared/sentence';
import { nearMiss } from '../near-miss';

/** The checks of a `string` evaluator. */
export const STRING_CHECK_KEYS = ['equals', 'contains', 'startsWith', 'endsWith'] as const;

/** The maps an evaluator is made of. */
export type EvaluatorPart = 'evaluator' | 'string' | 'llm' | 'choice';

const PARTS: Record<EvaluatorPart, { keys: readonly string[]; otherwise: string }> = {
  evaluator: { keys: ['name', 'string', 'uses', 'llm'], otherwise: 'an evaluator has a name and one of string, uses or llm' },
  string: { keys: STRING_CHECK_KEYS, otherwise: `the string checks are ${listed(STRING_CHECK_KEYS)}` },
  llm: { keys: ['modelId', 'prompt', 'systemPrompt', 'choices'], otherwise: `an llm evaluator has ${listed(['modelId', 'prompt', 'systemPrompt', 'choices'])}` },
  choice: { keys: ['choice', 'score'], otherwise: 'a choice has only choice and score' },
};

/**
 * What is said of `key` in a part of an evaluator whose keys are written `prefix` + key
 * ("evaluators[0].string."), when the format does not have it; null when it does. A check written
 * without its `string:` (`contains: x`) is pointed to where it belongs.
 */
export function unknownEvaluatorKey(part: EvaluatorPart, prefix: string, key: string): string | null {
  const { keys, otherwise } = PARTS[part];
  if (keys.includes(key)) return null;
  const candidates = keys.map((known) => ({ key: known, shown: `${prefix}${known}` }));
  if (part === 'evaluator') candidates.push(...STRING_CHECK_KEYS.map((known) => ({ key: known, shown: `${prefix}string.${known}` })));
  const meant = nearMiss(key, candidates);
  return `Unknown key "${prefix}${key}": ${meant === null ? otherwise : `did you mean ${meant.shown}?`}`;
}

/** An unknown key of an evaluator read as data: where it is below the evaluator, and what is said of it. */
export interface UnknownEvaluatorKey {
  path: (string | number)[];
  message: string;
}

/** The keys of an evaluator (a plain map, as parsed) that the format does not have, in the order written. */
export function unknownEvaluatorKeys(evaluator: Record<string, unknown>, prefix: string): UnknownEvaluatorKey[] {
  const found: UnknownEvaluatorKey[] = [];
  const check = (map: unknown, part: EvaluatorPart, at: (string | number)[], partPrefix: string): void => {
    if (!isMap(map)) return;
    for (const key of Object.keys(map)) {
      const message = unknownEvaluatorKey(part, partPrefix, key);
      if (message !== null) found.push({ path: [...at, key], message });
    }
  };
  check(evaluator, 'evaluator', [], prefix);
  check(evaluator.string, 'string', ['string'], `${prefix}string.`);
  check(evaluator.llm, 'llm', ['llm'], `${prefix}llm.`);
  const choices = isMap(evaluator.llm) ? evaluator.llm.choices : undefined;
  if (Array.isArray(choices)) choices.forEach((choice, index) => check(choice, 'choice', ['llm', 'choices', index], `${prefix}llm.choices[${index}].`));
  return found;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
