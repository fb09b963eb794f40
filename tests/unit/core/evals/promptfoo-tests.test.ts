import { describe, expect, it } from 'vitest';
import { assertionFromPromptfoo, assertionToPromptfoo, promptfooAssertionFromString } from '../../../../electron/core/evals/promptfoo-assertions';
import { parseTestCases } from '../../../../electron/core/evals/test-case-io';
import type { Assertion, TestCaseInput } from '../../../../shared/eval-types';
import { BUILT_IN_PROVIDERS, NO_JUDGE } from './file-judges';

function imported(fields: Partial<TestCaseInput> & Pick<TestCaseInput, 'variables'>): TestCaseInput {
  return { description: '', expected: null, tags: [], assertions: [], ...fields };
}

describe('promptfoo config import', () => {
  it('reads tests and defaultTest as promptfoo runs them, and reports what it cannot run', () => {
    const text = [
      'description: Support bot evals',
      'prompts: [prompt.txt]',
      'providers: [openai:gpt-4o-mini]',
      'defaultTest:',
      '  vars:',
      '    tone: friendly',
      '  assert:',
      '    - type: icontains',
      '      value: thanks',
      '    - type: not-contains',
      '      value: "{{topic}} is unknown"',
      '    - type: llm-rubric',
      '      value: Is polite',
      '      provider: openai:gpt-4o',
      '  threshold: 0.8',
      'tests:',
      '  - description: Refunds',
      '    vars:',
      '      topic: refunds',
      '      expected: We refund within 30 days.',
      '    assert:',
      '      - type: equals',
      '        value: "{{expected}}"',
      '      - type: similar',
      '        value: "{{expected}}"',
      '        threshold: 0.7',
      '        weight: 2',
      '        metric: Close to the answer',
      '      - type: icontains-any',
      '        value: [refund, money back]',
      '      - type: is-json',
      '        value: {type: object, required: [answer]}',
      '      - type: latency',
      '        threshold: 3000',
      '      - type: cost',
      '        threshold: 0.002',
      '      - type: word-count',
      '        value: 12',
      '      - type: javascript',
      '        value: output.length < 100',
      '    metadata:',
      '      tags: [billing, policy]',
      '      owner: support',
      '    options:',
      '      transform: output.trim()',
      '  - vars:',
      '      topic: [shipping, returns]',
      '      tone: curt',
      '    assert:',
      '      - type: levenshtein',
      '        value: ship it',
      '        threshold: 2',
      '      - type: contains-json',
      '  - vars: file://vars.yaml',
      '  - file://more-tests.yaml',
      '  - vars:',
      '      topic: broken',
      '    assert:',
      '      - type: regex',
    ].join('\n');
    expect(parseTestCases('promptfoo', text, { variableNames: ['topic', 'tone'], judges: NO_JUDGE })).toStrictEqual({
      cases: [
        imported({
          description: 'Refunds',
          variables: { tone: 'friendly', topic: 'refunds' },
          expected: 'We refund within 30 days.',
          tags: ['billing', 'policy'],
          assertions: [
            // The default whose value uses {{topic}} is every case's own, filled in.
            { type: 'contains', value: 'refunds is unknown', isNegated: true },
            { type: 'equals' },
            { type: 'similarity', threshold: 0.7, weight: 2, label: 'Close to the answer' },
            { type: 'contains-any', values: ['refund', 'money back'], isCaseInsensitive: true },
            { type: 'json-schema', schema: '{\n  "type": "object",\n  "required": [\n    "answer"\n  ]\n}' },
            { type: 'latency', maxMs: 3000 },
            { type: 'cost', maxUsd: 0.002 },
            { type: 'word-count', min: 12, max: 12 },
          ],
        }),
        imported({
          variables: { tone: 'curt', topic: 'shipping' },
          assertions: [{ type: 'contains', value: 'shipping is unknown', isNegated: true }, { type: 'similarity', value: 'ship it', threshold: 0.7143 }],
        }),
        imported({
          variables: { tone: 'curt', topic: 'returns' },
          assertions: [{ type: 'contains', value: 'returns is unknown', isNegated: true }, { type: 'similarity', value: 'ship it', threshold: 0.7143 }],
        }),
      ],
      defaultAssertions: [{ type: 'icontains', value: 'thanks' }],
      problems: [
        { row: 1, field: 'defaultTest.threshold', message: '"threshold" of the default test is not supported here and was not imported (line 15)' },
        {
          row: 3,
          field: 'defaultTest.assert[2]',
          message: `"llm-rubric" (its provider "openai:gpt-4o" is not one of this workbench’s) is graded by a model: choose a judge to import it (Settings → Judge, "Grade model-graded checks with" in Import, or --judge in workbench eval); the default assertions were imported without it (line 12)`,
        },
        { row: 1, field: 'options', message: `A test’s "options" is not supported here; the tests were imported without it (line 44)` },
        { row: 1, field: 'metadata.owner', message: 'metadata "owner" has no place in a test case here and was not imported (line 43)' },
        { row: 1, field: 'assert[7]', message: `promptfoo’s "javascript" assertion cannot run here; the case was imported without it (line 39)` },
        {
          row: 2,
          field: 'assert[0]',
          message: '"levenshtein" (at most 2 edits) became a similarity of at least 0.7143 to the same text: this workbench scores the Levenshtein ratio, not the distance (line 50)',
          isImported: true,
        },
        { row: 2, field: 'assert[1]', message: `promptfoo’s "contains-json" assertion is not supported here; the case was imported without it (line 53)` },
        { row: 3, field: 'vars', message: 'Variables read from file://vars.yaml are not imported: put the values in the config (line 54)' },
        { row: 4, field: null, message: 'Tests read from file://more-tests.yaml are not imported: import that file itself (line 55)' },
        { row: 5, field: 'assert[0].value', message: 'A "regex" assertion needs a value (line 59)' },
      ],
    });
  });

  it('reports tests kept in another file, and a config that is not a map', () => {
    expect(parseTestCases('promptfoo', 'tests: file://tests.csv\n', { variableNames: [], judges: NO_JUDGE }).problems).toStrictEqual([
      { row: 1, field: 'tests', message: 'Tests read from file://tests.csv are not imported: import that file itself (line 1)' },
    ]);
    expect(parseTestCases('promptfoo', '42', { variableNames: [], judges: NO_JUDGE }).problems).toStrictEqual([
      { row: null, field: null, message: 'A promptfoo config must be a map with "tests" (or a list of tests), not a number' },
    ]);
  });

  it('keeps a prompt variable named expected a variable, and takes the expected output from metadata', () => {
    const text = 'tests:\n  - vars: {expected: "a variable"}\n    metadata: {expected: the output}\n  - vars: {expected: both}\n';
    expect(parseTestCases('promptfoo', text, { variableNames: ['expected'], judges: NO_JUDGE }).cases).toStrictEqual([
      imported({ variables: { expected: 'a variable' }, expected: 'the output' }),
      imported({ variables: { expected: 'both' }, expected: 'both' }),
    ]);
  });
});

describe('promptfoo assertions', () => {
  const scope = { variables: {}, expected: null };

  it('round-trips every assertion type through promptfoo form', () => {
    const assertions: Assertion[] = [
      { type: 'equals' },
      { type: 'equals', value: 'x', isNegated: true, weight: 3, label: 'Not x', threshold: 1 },
      { type: 'contains-all', values: ['a', 'b'] },
      { type: 'regex', pattern: 'a/"b"', flags: 'gi' },
      { type: 'regex', pattern: '^x$' },
      { type: 'char-count', min: 2 },
      { type: 'char-count', max: 9, isNegated: true },
      { type: 'char-count', min: 2, max: 9 },
      { type: 'word-count', min: 1 },
      { type: 'latency', maxMs: 10, threshold: 0.5 },
      { type: 'cost', maxUsd: 0 },
      { type: 'llm-judge', rubric: 'r', judge: { providerId: 1, model: 'm' }, isNegated: true },
    ];
    const back = assertions.map((assertion) => assertionFromPromptfoo(assertionToPromptfoo(assertion, BUILT_IN_PROVIDERS), scope, NO_JUDGE));
    expect(back).toStrictEqual(assertions.map((assertion) => ({ kind: 'assertion', assertion, note: null })));
  });

  it('reads promptfoo CSV cells', () => {
    expect(
      ['contains: refund', 'not-icontains:Sorry ', 'similar(0.65): hello there', 'contains-any: a, b ,c', 'is-json', 'llm-rubric: Be kind', 'fn: output.length', 'Just this text', 'equals: x'].map(
        promptfooAssertionFromString,
      ),
    ).toStrictEqual([
      { type: 'contains', value: 'refund' },
      { type: 'not-icontains', value: 'Sorry' },
      { type: 'similar', value: 'hello there', threshold: 0.65 },
      { type: 'contains-any', value: ['a', 'b', 'c'] },
      { type: 'is-json' },
      { type: 'llm-rubric', value: 'Be kind' },
      { type: 'javascript', value: 'output.length' },
      { type: 'equals', value: 'Just this text' },
      { type: 'equals', value: 'x' },
    ]);
  });

  it('refuses what changes the checked text, and JavaScript it did not write', () => {
    expect(assertionFromPromptfoo({ type: 'contains', value: 'x', transform: 'output.toUpperCase()' }, scope, NO_JUDGE)).toStrictEqual({
      kind: 'unsupported',
      message: 'A "contains" assertion with "transform" is not supported here',
    });
    expect(assertionFromPromptfoo({ type: 'javascript', value: 'new RegExp("a", "i").test(output) || true' }, scope, NO_JUDGE)).toStrictEqual({
      kind: 'unsupported',
      message: `promptfoo’s "javascript" assertion cannot run here`,
    });
    expect(assertionFromPromptfoo({ type: 'latency' }, scope, NO_JUDGE)).toStrictEqual({ kind: 'invalid', path: ['threshold'], message: 'A "latency" assertion needs its ceiling as a number in "threshold"' });
  });
});
