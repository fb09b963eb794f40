/**
 * Checks another tool leaves to a model grader, imported with a judge chosen at import:
 * GitHub Models' github/coherence, fluency, relevance and groundedness and its `llm`
 * evaluators, promptfoo's llm-rubric. Without a judge they are reported (see the format tests).
 */

import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { suiteFromGitHubModels, suiteToGitHubModels, WORKBENCH_EXTENSION_KEY } from '../../../../electron/core/evals/github-models-evals';
import { builtInOfRubric, builtInRubric, GITHUB_GRADED_BUILT_INS, rubricFromLlmEvaluator } from '../../../../electron/core/evals/model-graded';
import { parseTestCases } from '../../../../electron/core/evals/test-case-io';
import type { Assertion } from '../../../../shared/eval-types';
import { BUILT_IN_PROVIDERS, NO_JUDGE } from './file-judges';

const JUDGE = { providerId: 1, model: 'gpt-4o-mini' };

describe('GitHub Models evaluators graded by a model', () => {
  it('become llm-judge assertions graded by the chosen judge; what cannot be read is reported', () => {
    const document = {
      testData: [{ question: 'Refunds?', context: 'Refunds within 30 days.', expected: 'Within 30 days.' }],
      evaluators: [
        { name: 'Coherent', uses: 'github/coherence' },
        { name: 'Fluent', uses: 'github/fluency' },
        { name: 'relevance', uses: 'github/relevance' },
        { name: 'Grounded', uses: 'github/groundedness' },
        { name: 'Similar', uses: 'github/similarity' },
        {
          name: 'Matches the answer',
          llm: {
            modelId: 'openai/gpt-4o',
            systemPrompt: 'You grade support answers.',
            prompt: 'Question: {{question}}\nExpected: {{expected}}\nAnswer: {{ completion }}\nRate 1 to 5.',
            choices: [
              { choice: '1', score: 1 },
              { choice: '3', score: 3 },
              { choice: '5', score: 5 },
            ],
          },
        },
        { name: 'Made up', uses: 'github/politeness' },
        { name: 'No choices', llm: { modelId: 'openai/gpt-4o', prompt: 'Grade {{completion}}', choices: [] } },
      ],
    };
    const suite = suiteFromGitHubModels(document, { judges: { ...NO_JUDGE, judge: JUDGE } });
    const judged = (rubric: string, label?: string): Assertion => ({ type: 'llm-judge', rubric, judge: JUDGE, ...(label !== undefined && { label }) });
    expect(suite.defaultAssertions.slice(0, 5)).toStrictEqual([
      judged(builtInRubric('coherence'), 'Coherent'),
      judged(builtInRubric('fluency'), 'Fluent'),
      judged(builtInRubric('relevance'), 'relevance'),
      judged(builtInRubric('groundedness'), 'Grounded'),
      { type: 'similarity', label: 'Similar' },
    ]);
    // The llm evaluator's prompt is the rubric: placeholders point at what the judge is shown, scores fall in 0..1.
    const llm = suite.defaultAssertions[5] as Extract<Assertion, { type: 'llm-judge' }>;
    expect(llm).toMatchObject({ type: 'llm-judge', judge: JUDGE, label: 'Matches the answer' });
    expect(llm.rubric).toBe(
      [
        'You grade support answers.',
        'Question: [the variable "question" in <variables>]\nExpected: [the <expected_output>]\nAnswer: [the <output>]\nRate 1 to 5.',
        '',
        'Pick the one choice below that fits the output best; its score is your score:',
        '- "1": 0.2',
        '- "3": 0.6',
        '- "5": 1',
        '(This rubric comes from a GitHub Models evaluator: answer in the JSON form asked for, never with the choice alone.)',
      ].join('\n'),
    );
    expect(suite.defaultAssertions).toHaveLength(6);
    expect(suite.problems).toStrictEqual([
      {
        row: 7,
        field: 'evaluators[6].uses',
        message: '"Made up" uses "github/politeness", which is not one of GitHub Models’ built-in evaluators (github/similarity, github/coherence, github/fluency, github/relevance, github/groundedness)',
      },
      { row: 8, field: 'evaluators[7].llm.choices', message: '"No choices" cannot be imported: it has no "choices" (each a choice and its score)' },
    ]);
  });

  it('write a built-in back as itself, and read back to the same judge without one being chosen', () => {
    const defaults: Assertion[] = [
      { type: 'llm-judge', rubric: builtInRubric('groundedness'), judge: JUDGE, label: 'Grounded' },
      // Any other rubric has no evaluator: it stays in the extension.
      { type: 'llm-judge', rubric: 'Polite and brief.', judge: JUDGE },
    ];
    const mapped = suiteToGitHubModels({ defaultAssertions: defaults, cases: [] }, BUILT_IN_PROVIDERS);
    expect(mapped.evaluators).toStrictEqual([{ name: 'Grounded', uses: 'github/groundedness' }]);
    const file = stringify({ name: 'x', model: 'm', messages: [], testData: mapped.testData, evaluators: mapped.evaluators, [WORKBENCH_EXTENSION_KEY]: mapped.extension });
    expect(suiteFromGitHubModels(parse(file) as Record<string, unknown>, { judges: NO_JUDGE })).toStrictEqual({ cases: [], defaultAssertions: defaults, problems: [] });
    // The rubric is recognised word for word only: an edited one is the user's own.
    expect(GITHUB_GRADED_BUILT_INS.map((name) => builtInOfRubric(`\n${builtInRubric(name)}  `))).toStrictEqual([...GITHUB_GRADED_BUILT_INS]);
    expect(builtInOfRubric(`${builtInRubric('fluency')} Be strict.`)).toBeNull();
  });

  it('read an llm evaluator whose scores already lie in 0..1 as written, and refuse broken ones', () => {
    const read = rubricFromLlmEvaluator({ prompt: 'Is {{completion}} polite?', choices: [{ choice: 'yes', score: 1 }, { choice: 'no', score: 0 }] });
    expect('rubric' in read && read.rubric.split('\n').slice(0, 5)).toStrictEqual(['Is [the <output>] polite?', '', 'Pick the one choice below that fits the output best; its score is your score:', '- "yes": 1', '- "no": 0']);
    expect(rubricFromLlmEvaluator('grade it')).toStrictEqual({ problem: 'its "llm" must be a map with a prompt and choices', field: null });
    expect(rubricFromLlmEvaluator({ prompt: ' ', choices: [] })).toStrictEqual({ problem: 'it has no "prompt"', field: 'prompt' });
    expect(rubricFromLlmEvaluator({ prompt: 'x', choices: [{ choice: 'a' }] })).toStrictEqual({ problem: 'each of its choices needs a "choice" and a numeric "score"', field: 'choices' });
    expect(rubricFromLlmEvaluator({ prompt: 'x', choices: [{ choice: 'a', score: -1 }] })).toStrictEqual({ problem: 'its choices score below 0', field: 'choices' });
  });
});

describe('promptfoo llm-rubric', () => {
  it('is graded by the chosen judge, unless the file names one of ours, found here by its name', () => {
    const text = [
      'defaultTest:',
      '  assert:',
      '    - type: llm-rubric',
      '      value: Answers politely',
      '      provider: openai:gpt-4o',
      'tests:',
      '  - vars:',
      '      topic: refunds',
      '    assert:',
      '      - type: llm-rubric',
      '        value: Mentions {{topic}}',
      '        config:',
      '          x-workbench:',
      '            judge: { provider: Anthropic, kind: anthropic, model: claude-haiku-4-5 }',
    ].join('\n');
    const read = parseTestCases('promptfoo', text, { variableNames: ['topic'], judges: { ...NO_JUDGE, judge: JUDGE } });
    expect(read.problems).toStrictEqual([]);
    expect(read.defaultAssertions).toStrictEqual([{ type: 'llm-judge', rubric: 'Answers politely', judge: JUDGE }]);
    expect(read.cases[0].assertions).toStrictEqual([{ type: 'llm-judge', rubric: 'Mentions refunds', judge: { providerId: 2, model: 'claude-haiku-4-5' } }]);
    // Without a judge chosen, the one whose judge is not ours is reported and left out.
    const bare = parseTestCases('promptfoo', text, { variableNames: ['topic'], judges: NO_JUDGE });
    expect(bare.defaultAssertions).toStrictEqual([]);
    expect(bare.cases[0].assertions).toHaveLength(1);
    expect(bare.problems.map((problem) => problem.field)).toStrictEqual(['defaultTest.assert[0]']);
  });
});
