/**
 * An import report says where each problem is in the words of the file's format: a line of a
 * CSV or JSON Lines file, an item of a YAML list, a test, evaluator or default check of a prompt
 * file or promptfoo config.
 */

import { describe, expect, test } from 'vitest';
import { describeImportProblemPlace } from '../../../shared/import-problem-place';

describe('where an import problem is', () => {
  test('by line, item, test, evaluator or default check, as the format counts', () => {
    const message = 'x';
    expect([
      describeImportProblemPlace({ row: 4, field: 'topic', message }, 'csv'),
      describeImportProblemPlace({ row: 1, field: null, message }, 'jsonl'),
      describeImportProblemPlace({ row: 2, field: 'expected', message }, 'yaml'),
      describeImportProblemPlace({ row: 3, field: 'evaluators[2].string', message }, 'prompt-yml'),
      describeImportProblemPlace({ row: 1, field: 'x-workbench.defaultAssertions[0].assertion.type', message }, 'prompt-yml'),
      describeImportProblemPlace({ row: 2, field: 'testData[1].topic', message }, 'prompt-yml'),
      describeImportProblemPlace({ row: null, field: 'x-workbench.cases[3].row', message }, 'prompt-yml'),
      describeImportProblemPlace({ row: 22, field: 'assert[0].value', message }, 'promptfoo'),
      describeImportProblemPlace({ row: 1, field: 'defaultTest.assert[0].type', message }, 'promptfoo'),
      // A file that does not parse is no item's: its message names the line.
      describeImportProblemPlace({ row: null, field: null, message }, 'yaml'),
      describeImportProblemPlace({ row: null, field: null, message }, 'prompt-yml'),
    ]).toStrictEqual([
      'Line 4 · topic',
      'Line 1',
      'Item 2 · expected',
      'Evaluator 3 (evaluators[2].string)',
      'Default check 1 (x-workbench.defaultAssertions[0].assertion.type)',
      'Test 2 (testData[1].topic)',
      'x-workbench.cases[3].row',
      'Test 22 (assert[0].value)',
      'Default check 1 (defaultTest.assert[0].type)',
      '',
      '',
    ]);
  });
});
