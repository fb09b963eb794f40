/**
 * A prompt's test suite through the bridge calls: saving in table order (rows keep their ids),
 * importing (bad rows reported, good rows kept; append or replace; default assertions joined),
 * exporting, and the refusals.
 */

import { describe, expect, test } from 'vitest';
import type { TestCase } from '../../../../shared/eval-types';
import { CallFailure, startWorkbench } from '../runs/run-harness';
import { createEvalPrompt, topicCase } from './eval-harness';

const CSV = [
  'topic,expected,tags,assert',
  'tides,Here is a fact about tides.,geo;sea,"[{""type"":""icontains"",""value"":""tides""}]"',
  'volcanoes,,geo,not json',
  'deserts,,,',
  '',
].join('\n');

const PROMPT_FILE = (evaluator: string) =>
  ['name: Facts', 'model: openai/gpt-4o-mini', 'messages:', '  - role: user', '    content: "Tell me about {{topic}}."', 'testData:', '  - topic: rivers', 'evaluators:', `  - name: ${evaluator}`, '    string:', `      contains: '${evaluator}'`, ''].join('\n');

/** The parts of a case a user edits. */
function edited(testCase: TestCase) {
  return { description: testCase.description, variables: testCase.variables, expected: testCase.expected, tags: testCase.tags, assertions: testCase.assertions };
}

describe('test suites', () => {
  test('saving keeps the ids of rows sent back, in the order given; new rows get ids, rows left out go', async () => {
    const workbench = startWorkbench();
    const { promptId, caseIds } = await createEvalPrompt(workbench, ['tides', 'volcanoes', 'glaciers'].map((topic) => topicCase(topic)));
    const other = await createEvalPrompt(workbench, [topicCase('rivers')], [], 'Other');
    const before = await workbench.call('evals:suite', { promptId });
    const saved = await workbench.call('evals:saveSuite', {
      promptId,
      defaultAssertions: [{ type: 'char-count', max: 500 }],
      cases: [
        { ...edited(before.cases[2]), id: caseIds[2], description: 'Glaciers first' },
        topicCase('deserts'),
        { ...edited(before.cases[0]), id: caseIds[0] },
        // Another prompt's row is not this prompt's to update: it comes in as a new row.
        { ...topicCase('forests'), id: other.caseIds[0] },
      ],
    });
    expect(saved.cases.map((testCase) => [testCase.position, testCase.description, testCase.variables.topic, caseIds.indexOf(testCase.id)])).toStrictEqual([
      [0, 'Glaciers first', 'glaciers', 2],
      [1, 'About deserts', 'deserts', -1],
      [2, 'About tides', 'tides', 0],
      [3, 'About forests', 'forests', -1],
    ]);
    expect([saved.defaultAssertions, saved.cases[1].id === other.caseIds[0], saved.cases[3].id === other.caseIds[0]]).toStrictEqual([[{ type: 'char-count', max: 500 }], false, false]);
    expect(await workbench.call('evals:suite', { promptId })).toStrictEqual(saved);
    expect((await workbench.call('evals:suite', { promptId: other.promptId })).cases.map((testCase) => testCase.id)).toStrictEqual(other.caseIds);
  });

  test('a CSV import keeps the good rows and reports the bad ones by row and field; replace swaps the cases', async () => {
    const workbench = startWorkbench();
    const { promptId } = await createEvalPrompt(workbench, [topicCase('rivers')]);
    const appended = await workbench.call('evals:import', { promptId, format: 'csv', text: CSV });
    expect([appended.imported, appended.problems.map((problem) => [problem.row, problem.field])]).toStrictEqual([2, [[3, 'assert']]]);
    expect(appended.suite.cases.map((testCase) => [testCase.position, testCase.variables, testCase.expected, testCase.tags, testCase.assertions])).toStrictEqual([
      [0, { topic: 'rivers' }, 'Here is a fact about rivers.', ['geo'], [{ type: 'icontains', value: 'rivers' }]],
      [1, { topic: 'tides' }, 'Here is a fact about tides.', ['geo', 'sea'], [{ type: 'icontains', value: 'tides' }]],
      [2, { topic: 'deserts' }, null, [], []],
    ]);
    const replaced = await workbench.call('evals:import', { promptId, format: 'csv', text: CSV, mode: 'replace' });
    expect([replaced.imported, replaced.suite.cases.map((testCase) => testCase.variables.topic), replaced.suite.defaultAssertions]).toStrictEqual([
      2,
      ['tides', 'deserts'],
      [{ type: 'word-count', min: 1 }],
    ]);
  });

  test("a file's default assertions join the suite's on append (once) and replace them on replace", async () => {
    const workbench = startWorkbench();
    const { promptId } = await createEvalPrompt(workbench, [topicCase('tides')]);
    const once = await workbench.call('evals:import', { promptId, format: 'prompt-yml', text: PROMPT_FILE('fact') });
    const twice = await workbench.call('evals:import', { promptId, format: 'prompt-yml', text: PROMPT_FILE('fact') });
    const fact = { type: 'icontains', value: 'fact', label: 'fact' };
    expect([once.suite.defaultAssertions, twice.suite.defaultAssertions, twice.suite.cases.length]).toStrictEqual([
      [{ type: 'word-count', min: 1 }, fact],
      [{ type: 'word-count', min: 1 }, fact],
      3,
    ]);
    // The result says how many of the file's checks now apply to every case: one the first time, none again.
    expect([once.defaultChecks, twice.defaultChecks]).toStrictEqual([1, 0]);
    const replaced = await workbench.call('evals:import', { promptId, format: 'prompt-yml', text: PROMPT_FILE('river'), mode: 'replace' });
    expect([replaced.suite.defaultAssertions, replaced.suite.cases.map((testCase) => testCase.variables), replaced.defaultChecks]).toStrictEqual([
      [{ type: 'icontains', value: 'river', label: 'river' }],
      [{ topic: 'rivers' }],
      1,
    ]);
  });

  test('an export names the file after the prompt and reads back as the same cases, defaults included', async () => {
    const workbench = startWorkbench();
    const { promptId } = await createEvalPrompt(workbench, ['tides', 'volcanoes'].map((topic) => topicCase(topic)));
    const exported = await workbench.call('evals:export', { promptId, format: 'jsonl' });
    expect(exported.fileName.startsWith('facts')).toBe(true);
    const other = await createEvalPrompt(workbench, [], [], 'Copy');
    const imported = await workbench.call('evals:import', { promptId: other.promptId, format: 'jsonl', text: exported.text });
    const original = await workbench.call('evals:suite', { promptId });
    // JSONL has no place for the suite's defaults: each case carries them, then its own.
    expect([imported.problems, imported.suite.cases.map(edited)]).toStrictEqual([
      [],
      original.cases.map((testCase) => ({ ...edited(testCase), assertions: [...original.defaultAssertions, ...testCase.assertions] })),
    ]);
  });

  test('an unknown prompt is not found; an eval of an unknown case is refused', async () => {
    const workbench = startWorkbench();
    await expect(workbench.call('evals:suite', { promptId: 99 })).rejects.toStrictEqual(new CallFailure({ code: 'not-found', message: 'Prompt 99 does not exist' }));
    await expect(workbench.call('evals:saveSuite', { promptId: 99, defaultAssertions: [], cases: [] })).rejects.toStrictEqual(
      new CallFailure({ code: 'not-found', message: 'Prompt 99 does not exist' }),
    );
    const { promptId } = await createEvalPrompt(workbench, [topicCase('tides')]);
    await expect(workbench.call('evals:start', { promptId, versions: [1], targets: [{ providerId: 1, model: 'gpt-4o-mini' }], caseIds: [12345] })).rejects.toStrictEqual(
      new CallFailure({ code: 'not-found', message: `Prompt ${promptId} has no test case 12345` }),
    );
    await expect(workbench.call('evals:get', { evalId: 7 })).rejects.toStrictEqual(new CallFailure({ code: 'not-found', message: 'Eval 7 does not exist' }));
  });
});

describe('checks judged by a provider', () => {
  test('counts the llm-judge checks a provider judges, defaults and cases’, with the prompts holding them; the others judge none', async () => {
    const workbench = startWorkbench();
    const gateway = await workbench.call('providers:save', { kind: 'openai-compatible', label: 'Gateway', baseUrl: 'http://127.0.0.1:9/v1' });
    const judged = (providerId: number) => ({ type: 'llm-judge' as const, rubric: 'Polite.', judge: { providerId, model: 'judge-model' } });
    const facts = await createEvalPrompt(workbench, [topicCase('tides', { assertions: [judged(gateway.id), judged(1)] }), topicCase('volcanoes', { assertions: [judged(gateway.id)] })], [judged(gateway.id)]);
    await createEvalPrompt(workbench, [topicCase('deserts', { assertions: [judged(1)] })], [], 'Atlas');
    expect(facts.caseIds).toHaveLength(2);
    expect(await workbench.call('providers:judgedChecks', { id: gateway.id })).toStrictEqual({ checkCount: 3, promptNames: ['Facts'] });
    expect(await workbench.call('providers:judgedChecks', { id: 1 })).toStrictEqual({ checkCount: 2, promptNames: ['Atlas', 'Facts'] });
    expect(await workbench.call('providers:judgedChecks', { id: 3 })).toStrictEqual({ checkCount: 0, promptNames: [] });
    await expect(workbench.call('providers:judgedChecks', { id: 99 })).rejects.toBeInstanceOf(CallFailure);
  });
});
