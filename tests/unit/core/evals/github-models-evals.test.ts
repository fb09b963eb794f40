import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { suiteFromGitHubModels, suiteToGitHubModels, WORKBENCH_EXTENSION_KEY } from '../../../../electron/core/evals/github-models-evals';
import { parseTestCases } from '../../../../electron/core/evals/test-case-io';
import type { Assertion, TestCaseInput } from '../../../../shared/eval-types';
import { BUILT_IN_PROVIDERS, NO_JUDGE } from './file-judges';

const SCHEMA = JSON.parse(readFileSync(join(import.meta.dirname, '../../../../resources/schemas/github-models-prompt.schema.json'), 'utf8')) as Record<string, unknown>;

function imported(fields: Partial<TestCaseInput> & Pick<TestCaseInput, 'variables'>): TestCaseInput {
  return { description: '', expected: null, tags: [], assertions: [], ...fields };
}

const DEFAULTS: Assertion[] = [
  { type: 'icontains', value: 'refund' },
  { type: 'contains', value: 'Refund' },
  { type: 'regex', pattern: '^dear\\.', flags: 'i' },
  { type: 'regex', pattern: 'thanks!$' },
  { type: 'similarity' },
  { type: 'word-count', max: 120 },
  { type: 'equals', label: 'Exactly as expected' },
  { type: 'icontains', value: 'sorry', isNegated: true },
  { type: 'equals', value: 'Hello {{name}}' },
];

const CASES: TestCaseInput[] = [
  imported({ description: 'Refund', variables: { topic: 'refunds', expected: 'a variable' }, expected: 'We refund.', tags: ['billing'], assertions: [{ type: 'is-json' }] }),
  imported({ variables: { topic: 'shipping' }, expected: 'We ship.' }),
  imported({ variables: { topic: 'none' } }),
];

describe('suiteToGitHubModels', () => {
  it('writes evaluators for what GitHub Models can check and keeps the rest in the extension', () => {
    expect(suiteToGitHubModels({ defaultAssertions: DEFAULTS, cases: CASES }, BUILT_IN_PROVIDERS)).toStrictEqual({
      testData: [{ topic: 'refunds', expected: 'a variable' }, { topic: 'shipping', expected: 'We ship.' }, { topic: 'none' }],
      evaluators: [
        { name: 'icontains "refund"', string: { contains: 'refund' } },
        // GitHub Models' contains ignores case: the nearest check, with the exact one in the extension.
        { name: 'contains "Refund"', string: { contains: 'Refund' } },
        { name: 'regex /^dear\\./i', string: { startsWith: 'dear.' } },
        { name: 'regex /thanks!$/', string: { endsWith: 'thanks!' } },
        { name: 'similar to expected output', uses: 'github/similarity' },
        { name: 'Exactly as expected', string: { equals: '{{expected}}' } },
      ],
      extension: {
        version: 1,
        defaultAssertions: [
          { position: 1, evaluator: 1, assertion: { type: 'contains', value: 'Refund' } },
          { position: 3, evaluator: 3, assertion: { type: 'regex', pattern: 'thanks!$' } },
          { position: 5, assertion: { type: 'word-count', max: 120 } },
          { position: 7, assertion: { type: 'icontains', value: 'sorry', isNegated: true } },
          // GitHub Models would fill {{name}} in: not the literal text this assertion compares with.
          { position: 8, assertion: { type: 'equals', value: 'Hello {{name}}' } },
        ],
        cases: [{ row: 0, variables: { expected: 'a variable' }, expected: 'We refund.', description: 'Refund', tags: ['billing'], assertions: [{ type: 'is-json' }] }],
      },
    });
  });

  it('writes no extension when the format holds everything, and a released file passes the format schema', () => {
    const mapped = suiteToGitHubModels({ defaultAssertions: [{ type: 'icontains', value: 'x' }], cases: [imported({ variables: { topic: 'a' }, expected: 'b' })] }, BUILT_IN_PROVIDERS);
    expect(mapped.extension).toBeNull();
    const full = suiteToGitHubModels({ defaultAssertions: DEFAULTS, cases: CASES }, BUILT_IN_PROVIDERS);
    const document = {
      name: 'Support bot',
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'About {{topic}}' }],
      testData: full.testData,
      evaluators: full.evaluators,
      [WORKBENCH_EXTENSION_KEY]: full.extension,
    };
    const validate = new Ajv({ allErrors: true }).compile(SCHEMA);
    expect(validate(document) ? [] : validate.errors).toStrictEqual([]);
  });
});

describe('suiteFromGitHubModels', () => {
  it('reads back exactly what suiteToGitHubModels wrote, from its parts or from the whole parsed file', () => {
    const mapped = suiteToGitHubModels({ defaultAssertions: DEFAULTS, cases: CASES }, BUILT_IN_PROVIDERS);
    const expected = { cases: CASES, defaultAssertions: DEFAULTS, problems: [] };
    expect(suiteFromGitHubModels(mapped, { judges: NO_JUDGE })).toStrictEqual(expected);
    const file = stringify({ name: 'x', model: 'm', messages: [], testData: mapped.testData, evaluators: mapped.evaluators, [WORKBENCH_EXTENSION_KEY]: mapped.extension });
    expect(suiteFromGitHubModels(parse(file) as Record<string, unknown>, { judges: NO_JUDGE })).toStrictEqual(expected);
  });

  it('reads a hand-written file as GitHub Models runs it, and reports what it cannot run', () => {
    const document = {
      testData: [
        { input: 'Tell me about ribosomes', expected: 'Ribosomes make proteins.', count: 3 },
        { input: 'Hello', flag: true },
        { input: { nested: 1 } },
      ],
      evaluators: [
        { name: 'Mentions proteins', string: { contains: 'protein' } },
        { name: 'Starts politely', string: { startsWith: 'Sure (of course)' } },
        { name: 'Ends with a period', string: { endsWith: '.' } },
        { name: 'Exact', string: { equals: '{{expected}}' } },
        { name: 'Echoes the input', string: { contains: '{{input}}' } },
        { name: 'Similar', uses: 'github/similarity' },
        { name: 'Coherent', uses: 'github/coherence' },
        { name: 'Judge', llm: { modelId: 'openai/gpt-4o', prompt: 'Grade {{completion}}', choices: [{ choice: 'good', score: 1 }] } },
        { name: 'Two checks', string: { contains: 'a', endsWith: 'b' } },
        'not an evaluator',
        { name: 'Nothing' },
      ],
    };
    expect(suiteFromGitHubModels(document, { judges: NO_JUDGE })).toStrictEqual({
      cases: [
        imported({
          variables: { input: 'Tell me about ribosomes', count: '3' },
          expected: 'Ribosomes make proteins.',
          assertions: [{ type: 'icontains', value: 'Tell me about ribosomes', label: 'Echoes the input' }],
        }),
        imported({ variables: { input: 'Hello', flag: 'true' }, assertions: [{ type: 'icontains', value: 'Hello', label: 'Echoes the input' }] }),
      ],
      defaultAssertions: [
        { type: 'icontains', value: 'protein', label: 'Mentions proteins' },
        { type: 'regex', pattern: '^Sure \\(of course\\)', flags: 'i', label: 'Starts politely' },
        { type: 'regex', pattern: '\\.$', flags: 'i', label: 'Ends with a period' },
        { type: 'equals', label: 'Exact' },
        { type: 'similarity', label: 'Similar' },
        { type: 'icontains', value: 'a', label: 'Two checks' },
      ],
      problems: [
        { row: 7, field: 'evaluators[6].uses', message: '"Coherent" (github/coherence) is graded by a model: choose a judge to import it (Settings → Judge, "Grade model-graded checks with" in Import, or --judge in workbench eval)' },
        { row: 8, field: 'evaluators[7].llm', message: '"Judge" is graded by a model: choose a judge to import it (Settings → Judge, "Grade model-graded checks with" in Import, or --judge in workbench eval)' },
        { row: 9, field: 'evaluators[8].string', message: '"Two checks" has several checks; GitHub Models uses only "contains", so "endsWith" was not imported' },
        { row: 10, field: 'evaluators[9]', message: 'An evaluator must be a map, not text' },
        { row: 11, field: 'evaluators[10]', message: '"Nothing" has no check: give it "string", "uses" or "llm"' },
        { row: 3, field: 'testData[2].input', message: 'The value of {{input}} must be text, not a map' },
      ],
    });
  });

  it('lets a hand-edited evaluator win over the extension entry that stood for it, and reports bad entries', () => {
    const mapped = suiteToGitHubModels({ defaultAssertions: [{ type: 'contains', value: 'Refund' }, { type: 'is-json' }], cases: [imported({ variables: { topic: 'a' } })] }, BUILT_IN_PROVIDERS);
    const evaluators = [{ name: 'contains "Refund"', string: { contains: 'refund policy' } }];
    const extension = {
      ...mapped.extension,
      cases: [{ row: 5, description: 'gone' }, { row: 0, tags: 'a, b', assertions: [{ type: 'regex' }] }, { description: 'no row' }],
    };
    expect(suiteFromGitHubModels({ testData: mapped.testData, evaluators, extension }, { judges: NO_JUDGE })).toStrictEqual({
      cases: [],
      defaultAssertions: [{ type: 'icontains', value: 'refund policy', label: 'contains "Refund"' }, { type: 'is-json' }],
      problems: [
        { row: 1, field: 'extension.defaultAssertions[0]', message: 'This entry stands for evaluator 0, which was changed in the file; the evaluator was imported as written instead' },
        { row: null, field: 'extension.cases[0].row', message: 'The extension describes testData row 5, but testData has 1 row; it was not imported' },
        { row: null, field: 'extension.cases[2]', message: 'An extension case needs a "row" (the testData index it describes); it was not imported' },
        { row: 1, field: 'extension.cases[1].assertions[0].pattern', message: 'A regex assertion needs "pattern"' },
      ],
    });
  });
});

describe('prompt-yml import', () => {
  it('reads testData and evaluators of a .prompt.yml, with lines, and gives a variable named expected its value', () => {
    const text = [
      'name: Support bot',
      'model: openai/gpt-4o-mini',
      'messages:',
      '  - role: user',
      '    content: "Answer {{question}} like {{expected}}"',
      'testData:',
      '  - question: Refunds?',
      '    expected: Within 30 days.',
      '  - question: [not, text]',
      'evaluators:',
      '  - name: Coherent',
      '    uses: github/coherence',
    ].join('\n');
    expect(parseTestCases('prompt-yml', text, { variableNames: ['question', 'expected'], judges: NO_JUDGE })).toStrictEqual({
      cases: [imported({ variables: { question: 'Refunds?', expected: 'Within 30 days.' }, expected: 'Within 30 days.' })],
      defaultAssertions: [],
      problems: [
        { row: 1, field: 'evaluators[0].uses', message: '"Coherent" (github/coherence) is graded by a model: choose a judge to import it (Settings → Judge, "Grade model-graded checks with" in Import, or --judge in workbench eval) (line 12)' },
        { row: 2, field: 'testData[1].question', message: 'The value of {{question}} must be text, not a list (line 9)' },
      ],
    });
  });

  it('refuses a file that is not a map', () => {
    expect(parseTestCases('prompt-yml', '- a\n- b\n', { variableNames: [], judges: NO_JUDGE }).problems).toStrictEqual([
      { row: null, field: null, message: 'A .prompt.yml file must be a map (name, messages, testData...), not a list' },
    ]);
  });
});
