/**
 * Users' regular expressions cannot hang the engine: a catastrophic pattern is stopped and the
 * check says why, and ordinary patterns mean what they mean in JavaScript on either path.
 */

import { describe, expect, it } from 'vitest';
import { evaluateAssertion } from '../../../../electron/core/evals/assertions';
import { boundRegex, execBounded } from '../../../../electron/core/evals/bounded-regex';

/** An output that makes `(a+)+$` try every way of splitting the a's: 2^40 of them. */
const EVIL_INPUT = `${'a'.repeat(40)}!`;

describe('bounded regular expressions', () => {
  it('stops a catastrophic pattern the linear engine cannot take, and the check names the reason', () => {
    // Case-insensitive: V8's linear engine refuses the flag, so this runs under the time limit.
    const outcome = evaluateAssertion({ type: 'regex', pattern: '(a+)+$', flags: 'i' }, { output: EVIL_INPUT, expected: null, latencyMs: 1, costUsd: 0 });
    expect(outcome).toStrictEqual({
      isPassed: false,
      score: 0,
      reason: outcome.error,
      error: 'The regular expression /(a+)+$/i ran for over 1 s on this output and was stopped: it backtracks too much (nested repeats such as (a+)+ usually do). Simplify it.',
    });
  });

  it('runs a catastrophic pattern the linear engine can take there, to its real answer', () => {
    const bounded = boundRegex(/(a+)+$/);
    expect({ isLinear: bounded.isLinear, match: execBounded(bounded, EVIL_INPUT) }).toStrictEqual({ isLinear: true, match: null });
    expect(execBounded(bounded, 'xaaa')?.[0]).toBe('aaa');
  });

  it('keeps JavaScript meaning on both paths: groups, flags, backreferences, lookarounds, and no leftover lastIndex', () => {
    const cases: [RegExp, string][] = [
      [/order #(?<id>\d+)/, 'see order #42 now'],
      [/ORDER #(\d+)/i, 'see order #42 now'],
      [/(\w)\1/, 'hello'],
      [/\d+(?= USD)/, 'costs 30 USD'],
      [/\p{Lu}\p{Ll}+/u, 'été Paris'],
      [/b/g, 'abcb'],
    ];
    const results = cases.map(([regex, input]) => {
      const bounded = boundRegex(regex);
      const first = execBounded(bounded, input, 200);
      const again = execBounded(bounded, input, 200);
      return { isLinear: bounded.isLinear, first: first === 'timeout' || first === null ? first : [...first], index: first === 'timeout' ? null : first?.index, isSame: JSON.stringify(first) === JSON.stringify(again) };
    });
    expect(results).toStrictEqual([
      { isLinear: true, first: ['order #42', '42'], index: 4, isSame: true },
      { isLinear: false, first: ['order #42', '42'], index: 4, isSame: true },
      { isLinear: false, first: ['ll', 'l'], index: 2, isSame: true },
      { isLinear: false, first: ['30'], index: 6, isSame: true },
      { isLinear: false, first: ['Paris'], index: 4, isSame: true },
      { isLinear: true, first: ['b'], index: 1, isSame: true },
    ]);
  });

  it('a stopped pattern leaves the engine able to run the next one', () => {
    const evil = boundRegex(/(a+)+$/i);
    expect(execBounded(evil, EVIL_INPUT, 50)).toBe('timeout');
    expect(execBounded(boundRegex(/a!/i), EVIL_INPUT, 50)?.[0]).toBe('a!');
  });
});
