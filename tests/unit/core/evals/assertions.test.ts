import { describe, expect, it } from 'vitest';
import {
  applyJudgeVerdict,
  describeAssertion,
  evaluateAssertion,
  scoreCase,
  type AssertionContext,
  type CheckOutcome,
  type LocalAssertion,
} from '../../../../electron/core/evals/assertions';
import type { Assertion } from '../../../../shared/eval-types';

/** A context for `output`, with the figures of an ordinary priced run. */
function context(output: string, overrides: Partial<AssertionContext> = {}): AssertionContext {
  return { output, expected: null, latencyMs: 1200, costUsd: 0.0042, ...overrides };
}

const passed = (reason: string, score = 1): CheckOutcome => ({ isPassed: true, score, reason, error: null });
const failed = (reason: string, score = 0): CheckOutcome => ({ isPassed: false, score, reason, error: null });
const errored = (error: string): CheckOutcome => ({ isPassed: false, score: 0, reason: error, error });

/** Each row: an assertion, an output it passes on, the outcome, an output it fails on, the outcome. */
const CASES: { assertion: LocalAssertion; pass: [AssertionContext, CheckOutcome]; fail: [AssertionContext, CheckOutcome] }[] = [
  {
    assertion: { type: 'equals', value: 'Paris' },
    pass: [context('Paris'), passed('Output equals "Paris"')],
    fail: [context('Paris.'), failed('Output goes on after "Paris" ends, with "."')],
  },
  {
    assertion: { type: 'equals' },
    pass: [context('42', { expected: '42' }), passed('Output equals the expected output')],
    fail: [context('The answer is 43', { expected: 'The answer is 42' }), failed('Output differs from the expected output at character 16: "3" instead of "2"')],
  },
  {
    assertion: { type: 'contains', value: 'refund' },
    pass: [context('We will refund you.'), passed('Output contains "refund"')],
    fail: [context('We will Refund you.'), failed('Output does not contain "refund"')],
  },
  {
    assertion: { type: 'icontains', value: 'refund' },
    pass: [context('REFUND issued'), passed('Output contains "refund", ignoring case')],
    fail: [context('No money back'), failed('Output does not contain "refund", in any case')],
  },
  {
    assertion: { type: 'starts-with', value: 'Dear' },
    pass: [context('Dear Ann,'), passed('Output starts with "Dear"')],
    fail: [context('Hi Ann,'), failed('Output starts with "Hi A" instead of "Dear"')],
  },
  {
    assertion: { type: 'contains-any', values: ['cat', 'dog'] },
    pass: [context('a dog barks'), passed('Output contains "dog"')],
    fail: [context('a bird sings'), failed('Output contains none of "cat", "dog"')],
  },
  {
    assertion: { type: 'contains-any', values: ['CAT', 'dog'], isCaseInsensitive: true },
    pass: [context('A cat sleeps'), passed('Output contains "CAT", ignoring case')],
    fail: [context('A cow moos'), failed('Output contains none of "CAT", "dog", ignoring case')],
  },
  {
    assertion: { type: 'contains-all', values: ['name', 'email', 'phone'] },
    pass: [context('name, email and phone'), passed('Output contains all 3 values')],
    fail: [context('name only'), failed('Output lacks 2 of 3: "email", "phone"')],
  },
  {
    assertion: { type: 'regex', pattern: '^order #\\d+$', flags: 'i' },
    pass: [context('ORDER #123'), passed('Output matches /^order #\\d+$/i at "ORDER #123"')],
    fail: [context('order #12a'), failed('Output does not match /^order #\\d+$/i')],
  },
  {
    assertion: { type: 'is-json' },
    pass: [context('{"a": 1}'), passed('Output is valid JSON (an object)')],
    fail: [context("{'a': 1}"), failed(`Output is not JSON: Expected property name or '}' in JSON at position 1 (line 1 column 2)`)],
  },
  {
    assertion: { type: 'json-schema', schema: '{"type":"object","required":["name","age"],"properties":{"name":{"type":"string"},"age":{"type":"integer"}}}' },
    pass: [context('{"name": "Ann", "age": 31}'), passed('Output is JSON that matches the schema')],
    fail: [context('{"name": 7}'), failed("Output does not match the schema: / must have required property 'age'; /name must be string")],
  },
  {
    assertion: { type: 'word-count', max: 5 },
    pass: [context('one two  three\nfour'), passed('Output has 4 words (at most 5)')],
    fail: [context('one two three four five six'), failed('Output has 6 words; at most 5 allowed')],
  },
  {
    assertion: { type: 'word-count', min: 2, max: 3 },
    pass: [context('two words'), passed('Output has 2 words (between 2 and 3)')],
    fail: [context('one'), failed('Output has 1 word; at least 2 needed')],
  },
  {
    assertion: { type: 'char-count', min: 3 },
    pass: [context('héé'), passed('Output has 3 characters (at least 3)')],
    // Two emoji are two characters, not the four UTF-16 units they take.
    fail: [context('🙂🙂'), failed('Output has 2 characters; at least 3 needed')],
  },
  {
    assertion: { type: 'latency', maxMs: 2000 },
    pass: [context('x', { latencyMs: 1999.6 }), passed('Latency was 2,000 ms (at most 2,000 ms)')],
    fail: [context('x', { latencyMs: 2345 }), failed('Latency was 2,345 ms; at most 2,000 ms allowed')],
  },
  {
    assertion: { type: 'cost', maxUsd: 0.01 },
    pass: [context('x', { costUsd: 0.0042 }), passed('Cost was $0.0042 (at most $0.010)')],
    fail: [context('x', { costUsd: 0.02 }), failed('Cost was $0.020; at most $0.010 allowed')],
  },
  {
    assertion: { type: 'similarity' },
    pass: [context('kitten', { expected: 'kitten' }), passed('Similarity to the expected output is 1.00 (Levenshtein ratio; threshold 0.80)')],
    // "kitten" -> "sitting": 3 edits over 7 characters.
    fail: [context('kitten', { expected: 'sitting' }), failed('Similarity to the expected output is 0.57 (Levenshtein ratio; threshold 0.80)', 0.5714)],
  },
  {
    assertion: { type: 'similarity', value: 'colour', threshold: 0.8 },
    pass: [context('color'), passed('Similarity to "colour" is 0.83 (Levenshtein ratio; threshold 0.80)', 0.8333)],
    fail: [context('zzzzzz'), failed('Similarity to "colour" is 0.00 (Levenshtein ratio; threshold 0.80)')],
  },
];

describe('evaluateAssertion', () => {
  for (const { assertion, pass, fail } of CASES) {
    it(`${describeAssertion(assertion)}: passes and fails on purpose-built outputs`, () => {
      expect(evaluateAssertion(assertion, pass[0])).toStrictEqual(pass[1]);
      expect(evaluateAssertion(assertion, fail[0])).toStrictEqual(fail[1]);
    });

    it(`${describeAssertion(assertion)}: negated, inverts pass and score and keeps the reason`, () => {
      const negated = { ...assertion, isNegated: true } as LocalAssertion;
      expect(evaluateAssertion(negated, pass[0])).toStrictEqual({ ...pass[1], isPassed: false, score: Math.round((1 - pass[1].score) * 10_000) / 10_000 });
      expect(evaluateAssertion(negated, fail[0])).toStrictEqual({ ...fail[1], isPassed: true, score: Math.round((1 - fail[1].score) * 10_000) / 10_000 });
    });
  }

  it('says what an empty output lacks', () => {
    const empty = context('');
    const outcomes = (
      [
        { type: 'contains', value: 'a' },
        { type: 'starts-with', value: 'a' },
        { type: 'contains-all', values: ['a', 'b'] },
        { type: 'regex', pattern: 'a' },
        { type: 'is-json' },
        { type: 'json-schema', schema: '{}' },
        { type: 'word-count', min: 1 },
        { type: 'equals', value: 'abc' },
      ] satisfies LocalAssertion[]
    ).map((assertion) => evaluateAssertion(assertion, empty).reason);
    expect(outcomes).toStrictEqual([
      'Output is empty, so it does not contain "a"',
      'Output is empty, so it does not start with "a"',
      'Output is empty, so it lacks 2 of 2: "a", "b"',
      'Output is empty, so it does not match /a/',
      'Output is empty, not JSON',
      'Output is empty, not JSON',
      'Output has 0 words; at least 1 needed',
      'Output is empty; "abc" has 3 characters',
    ]);
    // Empty against empty is a match, for equality and for similarity alike.
    expect(evaluateAssertion({ type: 'equals' }, context('', { expected: '' }))).toStrictEqual(passed('Output equals the expected output'));
    expect(evaluateAssertion({ type: 'similarity' }, context('', { expected: '' })).isPassed).toBe(true);
    expect(evaluateAssertion({ type: 'similarity' }, context('', { expected: 'abc' })).score).toBe(0);
    expect(evaluateAssertion({ type: 'char-count', max: 0 }, empty)).toStrictEqual(passed('Output has 0 characters (at most 0)'));
  });

  it('makes an invalid regex an error on the assertion, negated or not, and keeps checking after it', () => {
    const message = 'The regular expression /order (\\d+/ is invalid: Unterminated group';
    expect(evaluateAssertion({ type: 'regex', pattern: 'order (\\d+' }, context('order 1'))).toStrictEqual(errored(message));
    expect(evaluateAssertion({ type: 'regex', pattern: 'order (\\d+', isNegated: true }, context('order 1'))).toStrictEqual(errored(message));
    expect(evaluateAssertion({ type: 'regex', pattern: 'a', flags: 'q' } as LocalAssertion, context('a'))).toStrictEqual(
      errored("The regular expression /a/q is invalid: Invalid flags supplied to RegExp constructor 'q'"),
    );
    expect(evaluateAssertion({ type: 'regex', pattern: 'order (\\d+)' }, context('order 1')).isPassed).toBe(true);
  });

  it('does not carry a global regex position from one output to the next', () => {
    const assertion: LocalAssertion = { type: 'regex', pattern: 'x', flags: 'g' };
    expect([evaluateAssertion(assertion, context('x')).isPassed, evaluateAssertion(assertion, context('x')).isPassed]).toStrictEqual([true, true]);
  });

  it('makes a schema that is not JSON, or does not compile, an error; a fenced output a failure that says so', () => {
    expect(evaluateAssertion({ type: 'json-schema', schema: '{type: object}' }, context('{}'))).toStrictEqual(
      errored(`The JSON schema is not valid JSON: Expected property name or '}' in JSON at position 1 (line 1 column 2)`),
    );
    expect(evaluateAssertion({ type: 'json-schema', schema: '{"type": "objekt"}', isNegated: true }, context('{}'))).toStrictEqual(
      errored('The JSON schema does not compile: /type must be one of: array, boolean, integer, null, number, object, string'),
    );
    expect(evaluateAssertion({ type: 'json-schema', schema: '{"items": {"$ref": "#/$defs/item"}}' }, context('[]'))).toStrictEqual(
      errored('The JSON schema does not compile: it refers to #/$defs/item, which is not in the schema'),
    );
    expect(evaluateAssertion({ type: 'json-schema', schema: '[1]' }, context('{}'))).toStrictEqual(errored('The JSON schema must be a JSON object (or true or false)'));
    expect(evaluateAssertion({ type: 'is-json' }, context('```json\n{"a": 1}\n```'))).toStrictEqual(failed('Output is not JSON: it is wrapped in a Markdown code fence (```)'));
  });

  it('validates with the draft the schema declares, and two schemas may share an $id', () => {
    const draft2020 = JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'https://example.com/shape.json', prefixItems: [{ type: 'number' }], items: false });
    const draft7 = JSON.stringify({ $id: 'https://example.com/shape.json', type: 'array', maxItems: 1 });
    expect(evaluateAssertion({ type: 'json-schema', schema: draft2020 }, context('[1]')).isPassed).toBe(true);
    expect(evaluateAssertion({ type: 'json-schema', schema: draft2020 }, context('[1, 2]')).reason).toBe('Output does not match the schema: / must NOT have more than 1 items');
    expect(evaluateAssertion({ type: 'json-schema', schema: draft7 }, context('[1, 2]')).isPassed).toBe(false);
  });

  it('needs an expected output for equals and similarity without a value', () => {
    const message = 'No expected output: give this case an expected output, or give the assertion a value to compare with';
    expect(evaluateAssertion({ type: 'equals' }, context('x'))).toStrictEqual(errored(message));
    expect(evaluateAssertion({ type: 'similarity', isNegated: true }, context('x'))).toStrictEqual(errored(message));
  });

  it('makes a missing latency or price an error, not a pass', () => {
    expect(evaluateAssertion({ type: 'latency', maxMs: 100 }, context('x', { latencyMs: null }))).toStrictEqual(
      errored('No latency was measured for this run, so the latency ceiling cannot be checked'),
    );
    expect(evaluateAssertion({ type: 'cost', maxUsd: 1, isNegated: true }, context('x', { costUsd: null }))).toStrictEqual(
      errored('The model has no price, so the cost ceiling cannot be checked: set a price for it in Settings'),
    );
  });

  it('refuses count bounds the wrong way round', () => {
    expect(evaluateAssertion({ type: 'word-count', min: 10, max: 5 }, context('x'))).toStrictEqual(errored('The minimum (10) is above the maximum (5)'));
  });

  it('applies thresholds to graded and binary scores', () => {
    const near = context('colour', { expected: 'color' });
    expect(evaluateAssertion({ type: 'similarity', threshold: 0.9 }, near)).toStrictEqual(
      failed('Similarity to the expected output is 0.83 (Levenshtein ratio; threshold 0.90)', 0.8333),
    );
    expect(evaluateAssertion({ type: 'similarity', threshold: 0.9, isNegated: true }, near)).toStrictEqual(
      passed('Similarity to the expected output is 0.83 (Levenshtein ratio; threshold 0.90)', 0.1667),
    );
    // A threshold of 0 lets a failed binary check pass (with its score still 0).
    expect(evaluateAssertion({ type: 'contains', value: 'x', threshold: 0 }, context('y'))).toStrictEqual({ ...failed('Output does not contain "x"'), isPassed: true });
  });

  it('shows the cost with more digits when rounding would hide the difference', () => {
    expect(evaluateAssertion({ type: 'cost', maxUsd: 0.0123 }, context('x', { costUsd: 0.01234 })).reason).toBe('Cost was $0.0123400; at most $0.0123000 allowed');
  });

  it('reports leading whitespace and whitespace-only differences', () => {
    expect(evaluateAssertion({ type: 'starts-with', value: 'Dear' }, context('\n Dear Ann')).reason).toBe('Output starts with 2 whitespace characters before "Dear"');
    expect(evaluateAssertion({ type: 'equals' }, context('42\n', { expected: '42' })).reason).toBe('Output differs from the expected output only in leading or trailing whitespace');
    expect(evaluateAssertion({ type: 'equals', value: 'abcdef' }, context('abc')).reason).toBe('Output stops after 3 characters, where "abcdef" goes on with "def"');
  });
});

describe('applyJudgeVerdict', () => {
  const judge: Extract<Assertion, { type: 'llm-judge' }> = { type: 'llm-judge', rubric: 'Polite and correct', judge: { providerId: 1, model: 'gpt-4o-mini' } };

  it('passes at the default threshold of 0.7 and fails below it', () => {
    expect(applyJudgeVerdict(judge, { score: 0.7, reason: 'Polite, mostly right.' })).toStrictEqual(passed('Judge score 0.70 (threshold 0.70): Polite, mostly right.', 0.7));
    expect(applyJudgeVerdict(judge, { score: 0.4, reason: 'Rude.' })).toStrictEqual(failed('Judge score 0.40 (threshold 0.70): Rude.', 0.4));
  });

  it('honours a threshold and negation', () => {
    expect(applyJudgeVerdict({ ...judge, threshold: 0.9 }, { score: 0.8, reason: 'Good.' }).isPassed).toBe(false);
    expect(applyJudgeVerdict({ ...judge, isNegated: true }, { score: 0.2, reason: 'Not polite.' })).toStrictEqual(passed('Judge score 0.20 (threshold 0.70): Not polite.', 0.8));
  });

  it('refuses a score outside 0..1 as an error, and says when no reason came', () => {
    expect(applyJudgeVerdict(judge, { score: 7, reason: 'Great' })).toStrictEqual(errored("The judge’s score 7 is not between 0 and 1"));
    expect(applyJudgeVerdict(judge, { score: 1, reason: '  ' }).reason).toBe('Judge score 1.00 (threshold 0.70): The judge gave no reason');
  });
});

describe('scoreCase', () => {
  const result = (assertion: Assertion, isPassed: boolean, score: number, error: string | null = null) => ({ assertion, isPassed, score, error });
  const contains: Assertion = { type: 'contains', value: 'a' };

  it('passes with no assertions, with score 1', () => {
    expect(scoreCase([])).toStrictEqual({ isPassed: true, score: 1 });
  });

  it('takes the weighted mean and passes only when every assertion passes', () => {
    expect(scoreCase([result({ ...contains, weight: 3 }, true, 1), result({ type: 'similarity', weight: 1 }, false, 0.6)])).toStrictEqual({ isPassed: false, score: 0.9 });
    expect(scoreCase([result(contains, true, 1), result({ type: 'similarity' }, true, 0.85)])).toStrictEqual({ isPassed: true, score: 0.925 });
  });

  it('counts an error as a failure, and leaves a case with a check that could not grade without a score', () => {
    expect(scoreCase([result(contains, true, 1), result({ type: 'regex', pattern: '(' }, false, 0, 'invalid')])).toStrictEqual({ isPassed: false, score: null });
    // Even a result claiming to pass fails the case when it carries an error.
    expect(scoreCase([result(contains, true, 1, 'broken')])).toStrictEqual({ isPassed: false, score: null });
    // A check the user does not grade on (weight 0) erring leaves the score as it is.
    expect(scoreCase([result(contains, true, 1), result({ ...contains, weight: 0 }, false, 0, 'broken')])).toStrictEqual({ isPassed: true, score: 1 });
  });

  it('reports weight-0 assertions without counting them', () => {
    expect(scoreCase([result(contains, true, 1), result({ ...contains, weight: 0 }, false, 0)])).toStrictEqual({ isPassed: true, score: 1 });
    expect(scoreCase([result({ ...contains, weight: 0 }, false, 0)])).toStrictEqual({ isPassed: true, score: 1 });
  });
});

describe('describeAssertion', () => {
  it('names each assertion in a few words', () => {
    const assertions: Assertion[] = [
      { type: 'contains', value: 'refund' },
      { type: 'regex', pattern: 'x', flags: 'i', isNegated: true },
      { type: 'llm-judge', rubric: 'Be kind', judge: { providerId: 2, model: 'gpt-4o-mini' } },
      { type: 'equals' },
      { type: 'similarity', value: 'hello' },
      { type: 'contains-all', values: ['a', 'b', 'c', 'd'], isCaseInsensitive: true },
      { type: 'word-count', min: 5, max: 50 },
      { type: 'char-count', max: 280 },
      { type: 'latency', maxMs: 1500 },
      { type: 'cost', maxUsd: 0.002 },
      { type: 'json-schema', schema: '{}' },
      { type: 'contains', value: 'x', label: 'Mentions x' },
    ];
    expect(assertions.map(describeAssertion)).toStrictEqual([
      'contains "refund"',
      'not regex /x/i',
      'judge: gpt-4o-mini',
      'equals expected output',
      'similar to "hello"',
      'contains all of "a", "b", "c" and 1 more (any case)',
      '5 to 50 words',
      'at most 280 characters',
      'latency at most 1,500 ms',
      'cost at most $0.0020',
      'matches JSON schema',
      'Mentions x',
    ]);
  });
});
