/**
 * The case table's conversions: rows to what `evals:saveSuite` takes, the problems shown before
 * saving (by row and field, with the contract's own schemas), and the import format guess.
 */

import { describe, expect, test } from 'vitest';
import type { TestSuite } from '../../../shared/eval-types';
import { guessCaseFormat } from '../../../renderer/features/evals/case-formats';
import { caseInputOfRow, emptyRow, parseTags, rowsOfSuite, validateSuite, variableColumns } from '../../../renderer/features/evals/case-rows';

const SUITE: TestSuite = {
  promptId: 3,
  defaultAssertions: [],
  updatedAt: '2025-01-01T00:00:00.000Z',
  cases: [
    { id: 12, promptId: 3, position: 1, description: 'Second', variables: { topic: 'tides', extra: 'x' }, expected: null, tags: ['b'], assertions: [] },
    { id: 11, promptId: 3, position: 0, description: 'First', variables: { topic: 'moons' }, expected: 'A moon.', tags: ['a', 'geo'], assertions: [{ type: 'contains', value: 'moon' }] },
  ],
};

describe('case rows', () => {
  test('a suite becomes rows in table order and back into the inputs it came from', () => {
    const rows = rowsOfSuite(SUITE);
    expect(rows.map((row) => [row.id, row.description, row.tagsText, row.expected])).toEqual([
      [11, 'First', 'a, geo', 'A moon.'],
      [12, 'Second', 'b', ''],
    ]);
    expect(rows.map(caseInputOfRow)).toEqual([
      { id: 11, description: 'First', variables: { topic: 'moons' }, expected: 'A moon.', tags: ['a', 'geo'], assertions: [{ type: 'contains', value: 'moon' }] },
      { id: 12, description: 'Second', variables: { topic: 'tides', extra: 'x' }, expected: null, tags: ['b'], assertions: [] },
    ]);
  });

  test('tags are split on commas, trimmed, without blanks or repeats', () => {
    expect(parseTags(' geo, ,tides,geo ,')).toEqual(['geo', 'tides']);
  });

  test('variable columns: the prompt’s first, then any other a case has', () => {
    expect(variableColumns(['topic', 'tone'], rowsOfSuite(SUITE))).toEqual(['topic', 'tone', 'extra']);
  });

  test('problems are said by row and field before anything is sent', () => {
    const good = { ...emptyRow(['topic']), variables: { topic: 'moons' } };
    const badCheck = { ...emptyRow(['topic']), assertions: [{ type: 'contains' as const, value: '' }] };
    const badCount = { ...emptyRow(['topic']), assertions: [{ type: 'word-count' as const }] };
    const problems = validateSuite([good, badCheck, badCount], [{ type: 'regex', pattern: '' }]);
    expect(problems.map(({ row, key, field, message }) => ({ row, isKeyed: key !== null, field, message }))).toEqual([
      { row: null, isKeyed: false, field: 'assertion 1', message: 'pattern: Give a pattern' },
      { row: 1, isKeyed: true, field: 'assertion 1 value', message: 'Give the text to look for' },
      { row: 2, isKeyed: true, field: 'assertion 1', message: 'Give a minimum, a maximum or both' },
    ]);
    expect(validateSuite([good], [])).toEqual([]);
  });
});

describe('import format guess', () => {
  test.each([
    ['cases.csv', '', 'csv'],
    ['cases.TSV', '', 'csv'],
    ['cases.jsonl', '', 'jsonl'],
    ['support.prompt.yml', '', 'prompt-yml'],
    ['promptfooconfig.yaml', '', 'promptfoo'],
    ['suite.yaml', 'prompts:\n  - file.txt\ntests:\n  - vars: {}\n', 'promptfoo'],
    ['suite.yml', 'name: x\ntestData:\n  - a: 1\n', 'prompt-yml'],
    ['suite.yaml', '- vars: {}\n', 'yaml'],
    ['notes.txt', 'a,b', null],
  ])('%s', (name, text, expected) => {
    expect(guessCaseFormat(name, text)).toBe(expected);
  });
});
