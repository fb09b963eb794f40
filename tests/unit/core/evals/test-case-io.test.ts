import { describe, expect, it } from 'vitest';
import { exportTestCases, parseTestCases } from '../../../../electron/core/evals/test-case-io';
import { decodeText } from '../../../../shared/decode-text';
import type { Assertion, TestCase, TestCaseFormat, TestCaseInput, TestSuite } from '../../../../shared/eval-types';
import { BUILT_IN_PROVIDERS, NO_JUDGE } from './file-judges';

/** A case as an import returns it: every field set. */
function imported(fields: Partial<TestCaseInput> & Pick<TestCaseInput, 'variables'>): TestCaseInput {
  return { description: '', expected: null, tags: [], assertions: [], ...fields };
}

/** A stored suite for exports. */
function suiteOf(defaultAssertions: Assertion[], cases: Omit<TestCase, 'id' | 'promptId' | 'position'>[]): TestSuite {
  return {
    promptId: 7,
    defaultAssertions,
    cases: cases.map((testCase, position) => ({ id: 100 + position, promptId: 7, position, ...testCase })),
    updatedAt: '2025-01-01T00:00:00.000Z',
  };
}

/** A suite's cases as an import gives them back (no ids). */
function asImported(suite: TestSuite): TestCaseInput[] {
  return suite.cases.map(({ description, variables, expected, tags, assertions }) => ({ description, variables, expected, tags, assertions }));
}

/** A suite using every assertion type, every field, and text that is hard to write in files. */
const RICH_SUITE = suiteOf(
  [
    { type: 'icontains', value: 'refund' },
    { type: 'word-count', max: 120, weight: 2 },
  ],
  [
    {
      description: 'Refund within the window',
      variables: { topic: 'refunds, returns; "exchanges"', audience: 'customers' },
      expected: 'We refund within 30 days.\nAsk support for details.',
      tags: ['billing', 'policy'],
      assertions: [
        { type: 'equals' },
        { type: 'contains', value: 'refund', isNegated: true, label: 'No refund talk' },
        { type: 'contains-any', values: ['30 days', 'thirty days'], isCaseInsensitive: true },
        { type: 'contains-all', values: ['refund', 'support'] },
        { type: 'starts-with', value: 'We' },
        { type: 'regex', pattern: '^\\d+ days$', flags: 'im', threshold: 1 },
        { type: 'regex', pattern: 'days?' },
        { type: 'is-json', isNegated: true },
        { type: 'json-schema', schema: '{\n  "type": "object"\n}' },
        { type: 'char-count', min: 10, max: 400 },
        { type: 'char-count', max: 20, isNegated: true },
        { type: 'latency', maxMs: 2500, threshold: 0.5 },
        { type: 'cost', maxUsd: 0.002 },
        { type: 'similarity', threshold: 0.75 },
        { type: 'similarity', value: 'We refund in 30 days.', weight: 0 },
        { type: 'llm-judge', rubric: 'Polite and names the window.', judge: { providerId: 3, model: 'gpt-4o-mini' }, threshold: 0.8 },
      ],
    },
    { description: '', variables: { topic: 'shipping', audience: '' }, expected: null, tags: [], assertions: [] },
    { description: 'Unicode ✓ 🙂', variables: { topic: 'über', audience: 'niños' }, expected: '', tags: ['i18n'], assertions: [{ type: 'word-count', min: 1, max: 1 }] },
  ],
);

describe('CSV import', () => {
  it('imports the good rows and reports each bad one by line and column', () => {
    const text = [
      'topic,audience,expected,description,tags,__expected,__expected2,assert',
      'refunds,customers,We refund within 30 days.,Refund policy,"billing, policy",icontains: refund,not-contains: sorry,',
      'shipping,customers,,Shipping,billing;logistics,"regex: \\d+ days",,"[{""type"":""word-count"",""max"":50}]"',
      'returns,,,,,"contains-any: a, b",,"[{""type"":""regex""}]"',
      '"multi',
      'line",kids,,,,,,not json',
      '',
      ',,,,,,,',
      'x,y,,,,,,,extra',
      'faq,all,The answer,,,,"javascript: output.length > 3",',
    ].join('\r\n');
    expect(parseTestCases('csv', text, { variableNames: ['topic', 'audience'], judges: NO_JUDGE })).toStrictEqual({
      cases: [
        imported({
          variables: { topic: 'refunds', audience: 'customers' },
          expected: 'We refund within 30 days.',
          description: 'Refund policy',
          tags: ['billing', 'policy'],
          assertions: [
            { type: 'icontains', value: 'refund' },
            { type: 'contains', value: 'sorry', isNegated: true },
          ],
        }),
        imported({
          variables: { topic: 'shipping', audience: 'customers' },
          description: 'Shipping',
          tags: ['billing', 'logistics'],
          assertions: [
            { type: 'regex', pattern: '\\d+ days' },
            { type: 'word-count', max: 50 },
          ],
        }),
        imported({ variables: { topic: 'faq', audience: 'all' }, expected: 'The answer' }),
      ],
      defaultAssertions: [],
      problems: [
        { row: 4, field: 'assert[0].pattern', message: 'A regex assertion needs "pattern"' },
        { row: 5, field: 'assert', message: `The assertions are not JSON: Unexpected token 'o', "not json" is not valid JSON` },
        { row: 9, field: null, message: 'This row has 9 cells, but the header names 8 columns' },
        { row: 10, field: '__expected2', message: `promptfoo’s "javascript" assertion cannot run here; the case was imported without it` },
      ],
    });
  });

  it('reads promptfoo cells, vars. columns, capitalised names, and notes columns it does not import', () => {
    const text = ['topic;Notes;__prefix;vars.expected;Expected;__expected', 'tea;hot;>;a variable;the output;Paris', 'cocoa;;;;;Rome'].join('\n');
    expect(parseTestCases('csv', text, { variableNames: ['topic', 'expected'], judges: NO_JUDGE })).toStrictEqual({
      cases: [
        imported({ variables: { topic: 'tea', Notes: 'hot', expected: 'a variable' }, expected: 'the output', assertions: [{ type: 'equals', value: 'Paris' }] }),
        // A plain promptfoo cell with no expected output of the row's own: the cell is the expected output, checked by equals.
        imported({ variables: { topic: 'cocoa', Notes: '', expected: '' }, expected: 'Rome', assertions: [{ type: 'equals' }] }),
      ],
      defaultAssertions: [],
      problems: [
        { row: 1, field: 'Notes', message: 'The prompt has no {{Notes}} variable; the values were imported anyway', isImported: true },
        { row: 1, field: '__prefix', message: `promptfoo’s "__prefix" column is not supported here; its values were not imported` },
      ],
    });
  });

  it('reports an unclosed quote on its line and keeps the rows before it', () => {
    const parsed = parseTestCases('csv', 'topic\nok\n"never closed\nmore', { variableNames: ['topic'], judges: NO_JUDGE });
    expect(parsed.cases).toStrictEqual([imported({ variables: { topic: 'ok' } })]);
    expect(parsed.problems).toStrictEqual([
      { row: 4, field: null, message: 'This row is not valid CSV: Quote Not Closed: the parsing is finished with an opening quote at line 4' },
    ]);
  });

  it('imports a CSV of 20 cases', () => {
    const rows = Array.from({ length: 20 }, (_, index) => `topic ${index + 1},"Answer ${index + 1}, briefly",case ${index + 1},smoke,"[{""type"":""contains"",""value"":""${index + 1}""}]"`);
    const parsed = parseTestCases('csv', ['topic,expected,description,tags,assert', ...rows].join('\n'), { variableNames: ['topic'], judges: NO_JUDGE });
    expect(parsed.problems).toStrictEqual([]);
    expect(parsed.cases).toHaveLength(20);
    expect(parsed.cases[19]).toStrictEqual(
      imported({ variables: { topic: 'topic 20' }, expected: 'Answer 20, briefly', description: 'case 20', tags: ['smoke'], assertions: [{ type: 'contains', value: '20' }] }),
    );
  });

  it('reads a file that starts with a UTF-8 byte-order mark (Excel’s “CSV UTF-8”, this app’s export): its first column keeps its name', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('topic,expected\nrésumé,日本語 ✓ é\n', 'utf8')]);
    const decoded = decodeText(bytes);
    if (!decoded.ok) throw new Error(decoded.message);
    // The file as the import dialog reads it, and its text as it was (pasted, or sent by another client).
    const texts = [decoded.text, bytes.toString('utf8')];
    expect(texts[1].startsWith('\uFEFFtopic')).toBe(true);
    expect(texts.map((text) => parseTestCases('csv', text, { variableNames: ['topic'], judges: NO_JUDGE }))).toStrictEqual(
      texts.map(() => ({ cases: [imported({ variables: { topic: 'résumé' }, expected: '日本語 ✓ é' })], defaultAssertions: [], problems: [] })),
    );
  });

  it('refuses an empty file with a message', () => {
    expect(parseTestCases('csv', '', { variableNames: [], judges: NO_JUDGE })).toStrictEqual({
      cases: [],
      defaultAssertions: [],
      problems: [{ row: 1, field: null, message: 'The file is empty: the first row must name the columns' }],
    });
  });
});

describe('JSONL import', () => {
  it('imports good lines and reports bad ones by line number', () => {
    const text = [
      '{"vars": {"topic": "refunds", "n": 3}, "expected": "Yes", "tags": "a; b", "assert": [{"type": "contains", "value": "Yes"}]}',
      '',
      '{"topic": "flat", "expected": "No"}',
      '{"vars": {"topic": "x"}, "assert": [{"type": "not-icontains", "value": "sorry", "metric": "No apology"}], "owner": "me"}',
      '{"vars": {"topic": {"nested": true}}}',
      'not json',
      '{"vars": {"topic": "y"}, "assert": [{"type": "python", "value": "True"}, {"type": "contains"}]}',
      '{"vars": {"topic": "z"}, "tags": ["ok", 3, ""], "assert": [{"type": "similar", "value": "{{topic}}", "threshold": 0.6}]}',
      '[1, 2]',
      '{"vars": {"topic": "w"}, "assert": [{"type": "nope"}]}',
    ].join('\n');
    expect(parseTestCases('jsonl', text, { variableNames: ['topic'], judges: NO_JUDGE })).toStrictEqual({
      cases: [
        imported({ variables: { topic: 'refunds', n: '3' }, expected: 'Yes', tags: ['a', 'b'], assertions: [{ type: 'contains', value: 'Yes' }] }),
        imported({ variables: { topic: 'flat' }, expected: 'No' }),
        imported({ variables: { topic: 'x' }, assertions: [{ type: 'icontains', value: 'sorry', isNegated: true, label: 'No apology' }] }),
        // A promptfoo-only type is read promptfoo's way: its "{{topic}}" is filled from the case.
        imported({ variables: { topic: 'z' }, tags: ['ok', '3'], assertions: [{ type: 'similarity', value: 'z', threshold: 0.6 }] }),
      ],
      defaultAssertions: [],
      problems: [
        { row: 4, field: 'owner', message: '"owner" is not a field of a test case (vars, expected, description, tags, assert); it was not imported' },
        { row: 5, field: 'vars.topic', message: 'The value of {{topic}} must be text, not a map' },
        { row: 6, field: null, message: `This line is not JSON: Unexpected token 'o', "not json" is not valid JSON` },
        { row: 7, field: 'assert[0]', message: `promptfoo’s "python" assertion is not supported here; the case was imported without it` },
        { row: 7, field: 'assert[1].value', message: 'A contains assertion needs "value"' },
        { row: 9, field: null, message: 'A test case must be an object, not a list' },
        { row: 10, field: 'assert[0].type', message: 'Unknown assertion type "nope"' },
        { row: 1, field: 'n', message: 'The prompt has no {{n}} variable; the values were imported anyway', isImported: true },
      ],
    });
  });
});

describe('YAML import', () => {
  it('reads a list of cases, with problems by item and line', () => {
    const text = [
      '- vars:',
      '    topic: refunds',
      '  expected: "42"',
      '  assert:',
      '    - type: regex',
      '      pattern: "^\\\\d+$"',
      '- vars:',
      '    topic: [a, b]',
      '- description: flat case',
      '  topic: cats',
      '- vars: {topic: dogs}',
      '  assert:',
      '    - {type: word-count, min: 9, max: 3, extra: 1}',
    ].join('\n');
    expect(parseTestCases('yaml', text, { variableNames: ['topic'], judges: NO_JUDGE })).toStrictEqual({
      cases: [
        imported({ variables: { topic: 'refunds' }, expected: '42', assertions: [{ type: 'regex', pattern: '^\\d+$' }] }),
        imported({ variables: { topic: 'cats' }, description: 'flat case' }),
      ],
      defaultAssertions: [],
      problems: [
        { row: 2, field: 'vars.topic', message: 'The value of {{topic}} must be text, not a list (line 8)' },
        { row: 4, field: 'assert[0]', message: 'A word-count assertion has no "extra" (line 13)' },
      ],
    });
  });

  it('reads `tests` with default assertions, and says where the YAML breaks', () => {
    expect(parseTestCases('yaml', 'defaultAssertions:\n  - {type: is-json}\ntests:\n  - vars: {topic: a}\n', { variableNames: ['topic'], judges: NO_JUDGE })).toStrictEqual({
      cases: [imported({ variables: { topic: 'a' } })],
      defaultAssertions: [{ type: 'is-json' }],
      problems: [],
    });
    expect(parseTestCases('yaml', '- vars: {topic: a}\n- vars: [unclosed\n', { variableNames: ['topic'], judges: NO_JUDGE }).problems).toStrictEqual([
      { row: null, field: null, message: 'The YAML does not parse at line 3, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]' },
    ]);
    expect(parseTestCases('yaml', 'just text', { variableNames: [], judges: NO_JUDGE }).problems).toStrictEqual([
      { row: null, field: null, message: 'The YAML must be a list of test cases (or a map with "tests"), not text' },
    ]);
  });
});

describe('notes on variables the prompt does not use', () => {
  it('name the field and line the file gives them at, and say the values were imported', () => {
    const promptfoo = ['defaultTest:', '  vars:', '    lang: fr', 'tests:', '  - vars:', '      topic: tea', '      mood: calm', ''].join('\n');
    const promptFile = ['name: Echo', 'messages:', '  - role: user', '    content: "{{topic}}"', 'testData:', '  - topic: tea', '    mood: calm', ''].join('\n');
    expect([parseTestCases('promptfoo', promptfoo, { variableNames: ['topic'], judges: NO_JUDGE }).problems, parseTestCases('prompt-yml', promptFile, { variableNames: ['topic'], judges: NO_JUDGE }).problems]).toStrictEqual([
      [
        { row: 1, field: 'defaultTest.vars.lang', message: 'The prompt has no {{lang}} variable; the values were imported anyway (line 3)', isImported: true },
        { row: 1, field: 'vars.mood', message: 'The prompt has no {{mood}} variable; the values were imported anyway (line 7)', isImported: true },
      ],
      [{ row: 1, field: 'testData[0].mood', message: 'The prompt has no {{mood}} variable; the values were imported anyway (line 7)', isImported: true }],
    ]);
  });

  it('name the variable meant when one is a near miss of a variable the case has no value for, and keep the case as written', () => {
    // Row 1 misspells question; row 2 gives question and a column of its own, which is no typo.
    const promptFile = ['name: Quiz', 'messages:', '  - role: user', '    content: "{{question}}"', 'testData:', '  - qestion: Why?', '  - question: How?', '    questions: 2', ''].join('\n');
    const csv = 'Question_,topic\nWhy?,tea\n';
    const read = parseTestCases('prompt-yml', promptFile, { variableNames: ['question'], judges: NO_JUDGE });
    expect({
      promptFile: read.problems,
      variables: read.cases.map((testCase) => testCase.variables),
      csv: parseTestCases('csv', csv, { variableNames: ['question', 'topic'], judges: NO_JUDGE }).problems,
    }).toStrictEqual({
      promptFile: [
        {
          row: 1,
          field: 'testData[0].qestion',
          message: 'The prompt has no {{qestion}} variable: did you mean {{question}}? A case with no value for it cannot run; the values were imported anyway (line 6)',
          isImported: true,
        },
        { row: 2, field: 'testData[1].questions', message: 'The prompt has no {{questions}} variable; the values were imported anyway (line 8)', isImported: true },
      ],
      variables: [{ qestion: 'Why?' }, { question: 'How?', questions: '2' }],
      csv: [{ row: 1, field: 'Question_', message: 'The prompt has no {{Question_}} variable: did you mean {{question}}? A case with no value for it cannot run; the values were imported anyway', isImported: true }],
    });
  });

  it('name expected (and a CSV’s other reserved columns) when a key is a near miss of one the case does not give', () => {
    // Row 1 misspells expected; row 2 has its expected output, so its expectd is a column of its own; row 3 writes Expected.
    const promptFile = ['name: Quiz', 'messages:', '  - role: user', '    content: "{{question}}"', 'testData:', '  - question: Why?', '    expcted: Rayleigh', '  - question: How?', '    expected: Far', '    expectd: x', '  - question: Who?', '    Expected: Me', ''].join('\n');
    const csv = 'question,expcted,tag,vars.expeted\nWhy?,Rayleigh,easy,x\n';
    const read = parseTestCases('prompt-yml', promptFile, { variableNames: ['question'], judges: NO_JUDGE });
    const note = (name: string, meant: string, what: string) => `The prompt has no {{${name}}} variable: did you mean ${meant}? A case has no ${what} without it; the values were imported anyway`;
    expect({
      promptFile: read.problems,
      cases: read.cases.map(({ variables, expected }) => ({ variables, expected })),
      csv: parseTestCases('csv', csv, { variableNames: ['question'], judges: NO_JUDGE }).problems,
    }).toStrictEqual({
      promptFile: [
        { row: 1, field: 'testData[0].expcted', message: `${note('expcted', 'expected', 'expected output')} (line 7)`, isImported: true },
        { row: 2, field: 'testData[1].expectd', message: 'The prompt has no {{expectd}} variable; the values were imported anyway (line 10)', isImported: true },
        { row: 3, field: 'testData[2].Expected', message: `${note('Expected', 'expected', 'expected output')} (line 12)`, isImported: true },
      ],
      // Imported as written, as GitHub Models allows any key in test data.
      cases: [
        { variables: { question: 'Why?', expcted: 'Rayleigh' }, expected: null },
        { variables: { question: 'How?', expectd: 'x' }, expected: 'Far' },
        { variables: { question: 'Who?', Expected: 'Me' }, expected: null },
      ],
      // A vars. column is a variable by its own say.
      csv: [
        { row: 1, field: 'expcted', message: note('expcted', 'expected', 'expected output'), isImported: true },
        { row: 1, field: 'tag', message: note('tag', 'tags', 'tags'), isImported: true },
        { row: 1, field: 'vars.expeted', message: 'The prompt has no {{expeted}} variable; the values were imported anyway', isImported: true },
      ],
    });
  });
});

describe('evaluators of a prompt file with a key the format does not have', () => {
  it('are left out and listed with the key meant; the evaluators written right import', () => {
    const promptFile = [
      'name: Quiz',
      'messages:',
      '  - role: user',
      '    content: "{{question}}"',
      'testData:',
      '  - question: Why?',
      'evaluators:',
      '  - name: Names the policy',
      '    string:',
      '      contains: refund',
      '      contians: policy',
      '  - name: Polite',
      '    strng:',
      '      contains: please',
      '  - name: Short',
      '    startsWith: Yes',
      '  - name: Exact',
      '    string:',
      '      equals: "{{expected}}"',
      '',
    ].join('\n');
    const read = parseTestCases('prompt-yml', promptFile, { variableNames: ['question'], judges: NO_JUDGE });
    expect({ problems: read.problems, assertions: read.defaultAssertions }).toStrictEqual({
      problems: [
        { row: 1, field: 'evaluators[0].string.contians', message: '"Names the policy" was not imported. Unknown key "string.contians": did you mean string.contains? (line 11)' },
        { row: 2, field: 'evaluators[1].strng', message: '"Polite" was not imported. Unknown key "strng": did you mean string? (line 13)' },
        { row: 3, field: 'evaluators[2].startsWith', message: '"Short" was not imported. Unknown key "startsWith": did you mean string.startsWith? (line 16)' },
      ],
      assertions: [{ type: 'equals', label: 'Exact' }],
    });
  });
});

describe('exports', () => {
  it('writes CSV with a column per variable, expected, description, tags and the assertions as JSON', () => {
    const suite = suiteOf(
      [{ type: 'is-json' }],
      [
        { description: 'First', variables: { topic: 'a, b', description: 'a variable named description' }, expected: 'x "y"', tags: ['t1', 't2'], assertions: [{ type: 'contains', value: 'x' }] },
        { description: '', variables: { topic: 'c' }, expected: null, tags: [], assertions: [] },
      ],
    );
    const exported = exportTestCases('csv', suite, 'support-bot', BUILT_IN_PROVIDERS);
    // A UTF-8 byte-order mark first, so Excel on Windows reads the file as UTF-8.
    expect([...Buffer.from(exported.text, 'utf8').subarray(0, 4)]).toStrictEqual([0xef, 0xbb, 0xbf, 0x74]);
    expect(exported).toStrictEqual({
      fileName: 'support-bot.tests.csv',
      text: [
        '\uFEFFtopic,vars.description,expected,description,tags,assert',
        '"a, b",a variable named description,"x ""y""",First,"t1, t2","[{""type"":""is-json""},{""type"":""contains"",""value"":""x""}]"',
        'c,,,,,"[{""type"":""is-json""}]"',
        '',
      ].join('\n'),
    });
  });

  it('writes JSONL and YAML files named after the prompt', () => {
    const suite = suiteOf([{ type: 'is-json' }], [{ description: 'One', variables: { topic: 'a' }, expected: null, tags: [], assertions: [] }]);
    expect(exportTestCases('jsonl', suite, 'bot', BUILT_IN_PROVIDERS)).toStrictEqual({ fileName: 'bot.tests.jsonl', text: '{"description":"One","vars":{"topic":"a"},"assert":[{"type":"is-json"}]}\n' });
    expect(exportTestCases('yaml', suite, 'bot', BUILT_IN_PROVIDERS)).toStrictEqual({
      fileName: 'bot.tests.yaml',
      text: 'defaultAssertions:\n  - type: is-json\ntests:\n  - description: One\n    vars:\n      topic: a\n',
    });
  });

  for (const format of ['csv', 'jsonl', 'yaml', 'prompt-yml', 'promptfoo'] satisfies TestCaseFormat[]) {
    it(`${format}: export then import gives the same suite`, () => {
      const exported = exportTestCases(format, RICH_SUITE, 'rich', BUILT_IN_PROVIDERS);
      const parsed = parseTestCases(format, exported.text, { variableNames: ['topic', 'audience'], judges: NO_JUDGE });
      expect(parsed.problems).toStrictEqual([]);
      // CSV and JSONL have no place for default assertions: they come back first in each case's own.
      const isFolded = format === 'csv' || format === 'jsonl';
      // A CSV cell cannot tell an empty expected output from none: empty reads as none.
      const expectedOf = (expected: string | null | undefined) => (format === 'csv' && expected === '' ? null : (expected ?? null));
      expect({ defaultAssertions: parsed.defaultAssertions, cases: parsed.cases }).toStrictEqual({
        defaultAssertions: isFolded ? [] : RICH_SUITE.defaultAssertions,
        cases: asImported(RICH_SUITE).map((testCase) => ({
          ...testCase,
          expected: expectedOf(testCase.expected),
          assertions: isFolded ? [...RICH_SUITE.defaultAssertions, ...(testCase.assertions ?? [])] : testCase.assertions,
        })),
      });
    });
  }

  it('round-trips an empty suite in every format', () => {
    const empty = suiteOf([], []);
    for (const format of ['csv', 'jsonl', 'yaml', 'prompt-yml', 'promptfoo'] satisfies TestCaseFormat[]) {
      expect(parseTestCases(format, exportTestCases(format, empty, 'e', BUILT_IN_PROVIDERS).text, { variableNames: [], judges: NO_JUDGE }), format).toStrictEqual({ cases: [], defaultAssertions: [], problems: [] });
    }
  });
});
