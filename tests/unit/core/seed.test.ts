import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, readMeta, type Database } from '../../../electron/core/database';
import { parsePromptFile, type PromptFile } from '../../../electron/core/prompt-file';
import { PromptStore } from '../../../electron/core/prompt-store';
import { SEEDED_META_KEY, seedLibrary } from '../../../electron/core/seed';
import { TestSuiteStore } from '../../../electron/core/evals/test-suite-store';
import type { Assertion } from '../../../shared/eval-types';
import { scanTemplate } from '../../../shared/template';
import { makeTempDir } from '../support';

const REAL_PROMPTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../prompts');

const open: Database[] = [];
afterEach(() => {
  for (const database of open.splice(0)) database.close();
});

function setup() {
  const database = openDatabase(path.join(makeTempDir(), 'workbench.sqlite'));
  open.push(database);
  return { database, store: new PromptStore(database), suites: new TestSuiteStore(database) };
}

/** Writes `files` (relative path -> text) under a new folder named `library`. */
function writeLibrary(files: Record<string, string>): string {
  const root = path.join(makeTempDir(), 'library');
  for (const [relative, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), text);
  }
  fs.mkdirSync(path.join(root, 'empty-folder'), { recursive: true });
  return root;
}

function readReal(relative: string): PromptFile {
  const result = parsePromptFile(fs.readFileSync(path.join(REAL_PROMPTS, relative), 'utf8'), relative);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.promptFile;
}

const validFile = (name: string, content = 'Hello {{who}}') =>
  `name: ${name}\nmodel: openai/gpt-4o-mini\nmessages:\n  - role: user\n    content: ${content}\ntestData:\n  - who: world\n    expected: Hi\n`;

/** The first five lines of a prompt file with one user message. */
const head = (name: string, content: string) => [`name: ${name}`, 'model: openai/gpt-4o-mini', 'messages:', '  - role: user', `    content: ${content}`];

/** The Echo prompt file up to its extension's version: two testData rows (hi, bye), then `x-workbench:`. */
const echoWithExtension = () => [...head('Echo', 'Say {{word}}.'), 'testData:', '  - word: hi', '  - word: bye', 'x-workbench:', '  version: 1'];

describe('seedLibrary', () => {
  it('loads the real sample library: one prompt per file or folder, versions in order, clean drafts', () => {
    const { store, suites, database } = setup();
    const problems = seedLibrary(database, store, suites, REAL_PROMPTS, []);
    const library = store.list();
    const details = library.map((prompt) => store.getDetail(prompt.id));
    const summarizerV2 = readReal('summarizer/v2.prompt.yml');
    expect({
      problems,
      library: library.map(({ slug, name, versionCount, latestVersion, isArchived }) => ({ slug, name, versionCount, latestVersion, isArchived })),
      notes: details.map((detail) => detail.versions.map((version) => `v${version.number}: ${version.note}`)),
      drafts: details.map((detail) => ({ isDirty: detail.draft.isDirty, baseVersion: detail.draft.baseVersion, variables: Object.keys(detail.draft.variables) })),
      summarizerDraft: details[2].draft.content,
      summarizerV1: store.getVersion(details[2].prompt.id, 1).content,
      summarizerDescription: details[2].prompt.description,
      extractorFormat: store.getVersion(details[1].prompt.id, 1).content.responseFormat,
      seeded: readMeta(database, SEEDED_META_KEY) !== null,
    }).toStrictEqual({
      problems: [],
      library: [
        { slug: 'customer-support', name: 'Customer support', versionCount: 1, latestVersion: 1, isArchived: false },
        { slug: 'json-extractor', name: 'JSON extractor', versionCount: 1, latestVersion: 1, isArchived: false },
        { slug: 'summarizer', name: 'Summarizer', versionCount: 2, latestVersion: 2, isArchived: false },
      ],
      notes: [
        ['v1: Seeded from prompts/customer-support.prompt.yml'],
        ['v1: Seeded from prompts/json-extractor.prompt.yml'],
        ['v2: Seeded from prompts/summarizer/v2.prompt.yml', 'v1: Seeded from prompts/summarizer/v1.prompt.yml'],
      ],
      drafts: [
        { isDirty: false, baseVersion: 1, variables: ['product', 'customer_name', 'question'] },
        { isDirty: false, baseVersion: 1, variables: ['document'] },
        { isDirty: false, baseVersion: 2, variables: ['audience', 'text'] },
      ],
      summarizerDraft: summarizerV2.content,
      summarizerV1: readReal('summarizer/v1.prompt.yml').content,
      summarizerDescription: summarizerV2.description,
      extractorFormat: readReal('json-extractor.prompt.yml').content.responseFormat,
      seeded: true,
    });
  });

  it('ships the JSON extractor with a strict JSON schema whose keys are those its system message describes, each required', () => {
    const content = readReal('json-extractor.prompt.yml').content;
    const format = content.responseFormat;
    if (format?.type !== 'json_schema') throw new Error(`The JSON extractor has no JSON schema format: ${JSON.stringify(format)}`);
    const system = content.messages[0].content;
    const described = system.slice(system.indexOf('The object has exactly these keys:'), system.indexOf('Rules:'));
    const keysOf = (text: string) => [...text.matchAll(/"(\w+)":/g)].map((match) => match[1]);
    const properties = format.schema.properties as Record<string, { items?: { properties: object; required: string[] } }>;
    const item = properties.line_items.items;
    expect({
      name: format.name,
      isStrict: format.isStrict ?? true,
      keys: Object.keys(properties),
      required: format.schema.required,
      itemKeys: Object.keys(item?.properties ?? {}),
      itemRequired: item?.required,
      closed: [format.schema.additionalProperties, (item as { additionalProperties?: unknown } | undefined)?.additionalProperties],
    }).toStrictEqual({
      name: 'invoice_fields',
      isStrict: true,
      keys: keysOf(described.slice(0, described.indexOf('"line_items"') + '"line_items":'.length)),
      required: keysOf(described.slice(0, described.indexOf('"line_items"') + '"line_items":'.length)),
      itemKeys: keysOf(described.slice(described.indexOf('"line_items"') + 1)),
      itemRequired: keysOf(described.slice(described.indexOf('"line_items"') + 1)),
      closed: [false, false],
    });
  });

  it('ships sample prompts whose messages hold no malformed placeholders and whose test data fills every variable', () => {
    const { store, suites, database } = setup();
    seedLibrary(database, store, suites, REAL_PROMPTS, []);
    const report = store.list().map((prompt) => {
      const detail = store.getDetail(prompt.id);
      const versions = detail.versions.map((version) => store.getVersion(prompt.id, version.number).content.messages);
      return {
        slug: prompt.slug,
        problems: versions.flat().flatMap((message) => scanTemplate(message.content).problems),
        unfilled: detail.draft.content.messages
          .flatMap((message) => scanTemplate(message.content).placeholders.map((placeholder) => placeholder.name))
          .filter((name) => !detail.draft.variables[name]),
      };
    });
    expect(report).toStrictEqual([
      { slug: 'customer-support', problems: [], unfilled: [] },
      { slug: 'json-extractor', problems: [], unfilled: [] },
      { slug: 'summarizer', problems: [], unfilled: [] },
    ]);
  });

  it('gives each sample prompt the test suite of its newest file', () => {
    const { store, suites, database } = setup();
    seedLibrary(database, store, suites, REAL_PROMPTS, []);
    const describe = (assertion: Assertion) => `${assertion.isNegated === true ? 'not ' : ''}${assertion.type}: ${assertion.label ?? ''}`;
    const seeded = store.list().map((prompt) => {
      const suite = suites.get(prompt.id);
      return {
        slug: prompt.slug,
        defaultAssertions: suite.defaultAssertions.map(describe),
        cases: suite.cases.map((testCase) => ({
          description: testCase.description,
          variables: Object.keys(testCase.variables),
          hasExpected: testCase.expected !== null,
          assertions: testCase.assertions.map(describe),
        })),
      };
    });
    const supportCase = (description: string, assertions: string[] = []) => ({ description, variables: ['customer_name', 'product', 'question'], hasExpected: false, assertions });
    expect(seeded).toStrictEqual([
      {
        slug: 'customer-support',
        defaultAssertions: ['icontains: Signs off as the support team', 'not contains: No exclamation marks', 'word-count: Short enough for an email (at most 250 words)'],
        cases: [
          supportCase('Bank sync shows only recent transactions; a deadline is mentioned'),
          supportCase('A double charge is a billing error; escalate, promise no refund', ['icontains: Escalates to a specialist']),
          supportCase('A feature the prompt says nothing about; offer a specialist, invent nothing', ['icontains: Offers a specialist instead of inventing a feature']),
        ],
      },
      {
        slug: 'json-extractor',
        defaultAssertions: ['regex: Output is a JSON object', 'similarity: Matches the expected fields'],
        cases: [
          { description: '', variables: ['document'], hasExpected: true, assertions: [] },
          { description: '', variables: ['document'], hasExpected: true, assertions: [] },
        ],
      },
      {
        // v2's suite, not v1's: three cases, the last a prompt injection with a fixed reply.
        slug: 'summarizer',
        defaultAssertions: ['regex: Starts with the TL;DR', 'word-count: At most 180 words'],
        cases: [
          { description: 'Quarterly results for executives; figures kept exactly as written', variables: ['audience', 'text'], hasExpected: false, assertions: ['contains-all: Keeps the key figures as written'] },
          { description: 'A technical change explained to newcomers', variables: ['audience', 'text'], hasExpected: false, assertions: ['contains-all: Keeps what is retried and why it is safe'] },
          { description: 'A request posing as text is not obeyed', variables: ['audience', 'text'], hasExpected: true, assertions: ['equals: Declines with the exact fixed reply'] },
        ],
      },
    ]);
  });

  it('seeds a prompt whose test data has a bad row, reporting the row as a problem of its file at its line', () => {
    const root = writeLibrary({
      'greeter.prompt.yml': [
        'name: Greeter',
        'model: openai/gpt-4o-mini',
        'messages:',
        '  - role: user',
        '    content: Greet {{who}}',
        'testData:',
        '  - who: Ada',
        '    expected: Hello Ada',
        '  - who: Grace',
        'evaluators:',
        '  - name: Says hello',
        '    string:',
        '      contains: hello',
        '  - name: Sounds kind',
        '    uses: github/kindness',
        'x-workbench:',
        '  version: 1',
        '  cases:',
        '    - row: 1',
        '      assertions:',
        '        - type: regex',
      ].join('\n'),
    });
    const { store, suites, database } = setup();
    const problems = seedLibrary(database, store, suites, root, []);
    const prompt = store.list()[0];
    const suite = suites.get(prompt.id);
    expect({
      problems,
      prompt: { slug: prompt.slug, versionCount: prompt.versionCount },
      defaultAssertions: suite.defaultAssertions,
      cases: suite.cases.map(({ variables, expected, assertions }) => ({ variables, expected, assertions })),
    }).toStrictEqual({
      problems: [
        {
          file: 'library/greeter.prompt.yml',
          line: 15,
          column: 1,
          message:
            'evaluator 2 (evaluators[1].uses): "Sounds kind" uses "github/kindness", which is not one of GitHub Models’ built-in evaluators (github/similarity, github/coherence, github/fluency, github/relevance, github/groundedness)',
          leftOut: 'item',
        },
        { file: 'library/greeter.prompt.yml', line: 21, column: 1, message: 'test 2 (x-workbench.cases[0].assertions[0].pattern): A regex assertion needs "pattern"', leftOut: 'item' },
      ],
      prompt: { slug: 'greeter', versionCount: 1 },
      defaultAssertions: [{ type: 'icontains', value: 'hello', label: 'Says hello' }],
      cases: [{ variables: { who: 'Ada' }, expected: 'Hello Ada', assertions: [] }],
    });
  });

  it('seeds a file whose test cases are not all maps of texts: the bad ones reported at their lines, the prompt, its versions and the good cases kept', () => {
    const root = writeLibrary({
      'topics/v1.prompt.yml': validFile('Topics', 'First {{who}}'),
      'topics/v2.prompt.yml': [
        ...head('Topics', 'Tell me about {{who}}.'),
        'testData:',
        '  - just a string instead of a row',
        '  - who: volcanoes',
        '  - who: glaciers',
        '    expected: [not, a, string]',
        '  - [1, 2, 3]',
        '  - who: deserts',
        '    expected: sand',
      ].join('\n'),
    });
    const { store, suites, database } = setup();
    const problems = seedLibrary(database, store, suites, root, []);
    const prompt = store.list()[0];
    const detail = store.getDetail(prompt.id);
    expect({
      problems,
      versions: detail.versions.map((version) => `v${version.number}: ${version.note}`),
      draft: detail.draft.variables,
      cases: suites.get(prompt.id).cases.map(({ variables, expected }) => ({ variables, expected })),
    }).toStrictEqual({
      problems: [
        { file: 'library/topics/v2.prompt.yml', line: 7, column: 1, message: 'test 1 (testData[0]): A testData item must be a map of variable values, not text', leftOut: 'item' },
        { file: 'library/topics/v2.prompt.yml', line: 10, column: 1, message: 'test 3 (testData[2].expected): The value of expected must be text, not a list', leftOut: 'item' },
        { file: 'library/topics/v2.prompt.yml', line: 11, column: 1, message: 'test 4 (testData[3]): A testData item must be a map of variable values, not a list', leftOut: 'item' },
      ],
      versions: ['v2: Seeded from library/topics/v2.prompt.yml', 'v1: Seeded from library/topics/v1.prompt.yml'],
      draft: { who: 'volcanoes' },
      cases: [
        { variables: { who: 'volcanoes' }, expected: null },
        { variables: { who: 'deserts' }, expected: 'sand' },
      ],
    });
  });

  it('notes a test data key that looks like a misspelt variable as loaded whole, not as left out, and keeps the case as written', () => {
    const root = writeLibrary({
      'quiz.prompt.yml': [...head('Quiz', 'Answer {{question}}.'), 'testData:', '  - qestion: Why?', '  - question: How?'].join('\n'),
    });
    const { store, suites, database } = setup();
    const problems = seedLibrary(database, store, suites, root, []);
    expect({ problems, cases: suites.get(store.list()[0].id).cases.map((testCase) => testCase.variables) }).toStrictEqual({
      problems: [
        {
          file: 'library/quiz.prompt.yml',
          line: 7,
          column: 1,
          message: 'test 1 (testData[0].qestion): The prompt has no {{qestion}} variable: did you mean {{question}}? A case with no value for it cannot run; the values were imported anyway',
          leftOut: 'nothing',
        },
      ],
      cases: [{ qestion: 'Why?' }, { question: 'How?' }],
    });
  });

  it('notes a test data key that looks like a misspelt expected with the key meant, as loaded whole, and keeps the case as written', () => {
    const root = writeLibrary({
      'quiz.prompt.yml': [...head('Quiz', 'Answer {{question}}.'), 'testData:', '  - question: Why?', '    expcted: Because'].join('\n'),
    });
    const { store, suites, database } = setup();
    const problems = seedLibrary(database, store, suites, root, []);
    expect({ problems, cases: suites.get(store.list()[0].id).cases.map(({ variables, expected }) => ({ variables, expected })) }).toStrictEqual({
      problems: [
        {
          file: 'library/quiz.prompt.yml',
          line: 8,
          column: 1,
          message: 'test 1 (testData[0].expcted): The prompt has no {{expcted}} variable: did you mean expected? A case has no expected output without it; the values were imported anyway',
          leftOut: 'nothing',
        },
      ],
      cases: [{ variables: { question: 'Why?', expcted: 'Because' }, expected: null }],
    });
  });

  it('reports a regex check whose pattern does not compile at its line and leaves it out, as other broken checks', () => {
    const root = writeLibrary({
      'echo.prompt.yml': [
        ...echoWithExtension(),
        '  defaultAssertions:',
        '    - position: 0',
        '      assertion:',
        '        type: regex',
        "        pattern: '[a-'",
        '    - position: 1',
        '      assertion:',
        '        type: contains',
        '        value: Say',
        '  cases:',
        '    - row: 0',
        '      assertions:',
        '        - type: regex',
        "          pattern: '('",
        '    - row: 1',
        '      assertions:',
        '        - type: regex',
        '          pattern: ^bye',
        '          flags: gg',
      ].join('\n'),
    });
    const { store, suites, database } = setup();
    const problems = seedLibrary(database, store, suites, root, []);
    const suite = suites.get(store.list()[0].id);
    expect({ problems, defaultAssertions: suite.defaultAssertions, cases: suite.cases.length }).toStrictEqual({
      problems: [
        { file: 'library/echo.prompt.yml', line: 15, column: 1, message: 'default check 1 (x-workbench.defaultAssertions[0].assertion.pattern): The regular expression /[a-/ is invalid: Unterminated character class', leftOut: 'item' },
        { file: 'library/echo.prompt.yml', line: 24, column: 1, message: 'test 1 (x-workbench.cases[0].assertions[0].pattern): The regular expression /(/ is invalid: Unterminated group', leftOut: 'item' },
        { file: 'library/echo.prompt.yml', line: 28, column: 1, message: "test 2 (x-workbench.cases[1].assertions[0].pattern): The regular expression /^bye/gg is invalid: Invalid flags supplied to RegExp constructor 'gg'", leftOut: 'item' },
      ],
      defaultAssertions: [{ type: 'contains', value: 'Say' }],
      cases: 0,
    });
  });

  it('reports a json-schema check whose schema does not compile at its line and leaves it out, loading the rest', () => {
    const root = writeLibrary({
      'echo.prompt.yml': [
        ...echoWithExtension(),
        '  defaultAssertions:',
        '    - position: 0',
        '      assertion:',
        '        type: json-schema',
        '        schema: \'{"type": "object", "properties": {"word": {"type": "strng"}}}\'',
        '    - position: 1',
        '      assertion:',
        '        type: json-schema',
        '        schema: \'{"type": "object"}\'',
        '  cases:',
        '    - row: 0',
        '      assertions:',
        '        - type: json-schema',
        '          schema: \'{"$ref": "#/definitions/missing"}\'',
        '    - row: 1',
        '      description: Goodbye',
      ].join('\n'),
    });
    const { store, suites, database } = setup();
    const problems = seedLibrary(database, store, suites, root, []);
    const suite = suites.get(store.list()[0].id);
    expect({ problems, defaultAssertions: suite.defaultAssertions, cases: suite.cases.map((testCase) => testCase.description) }).toStrictEqual({
      problems: [
        {
          file: 'library/echo.prompt.yml',
          line: 15,
          column: 1,
          message: 'default check 1 (x-workbench.defaultAssertions[0].assertion.schema): The JSON schema does not compile: /properties/word/type must be one of: array, boolean, integer, null, number, object, string',
          leftOut: 'item',
        },
        {
          file: 'library/echo.prompt.yml',
          line: 24,
          column: 1,
          message: 'test 1 (x-workbench.cases[0].assertions[0].schema): The JSON schema does not compile: it refers to #/definitions/missing, which is not in the schema',
          leftOut: 'item',
        },
      ],
      defaultAssertions: [{ type: 'json-schema', schema: '{"type": "object"}' }],
      cases: ['Goodbye'],
    });
  });

  it('numbers a problem by the test, evaluator or default check the user counts, not by its entry in x-workbench.cases', () => {
    const root = writeLibrary({
      'echo.prompt.yml': [
        ...head('Echo', 'Say {{word}}.'),
        'testData:',
        '  - word: hi',
        '  - word: bye',
        '  - word: ciao',
        'evaluators:',
        '  - name: Says it',
        '    string:',
        '      contains: Say',
        '  - name: Echoes',
        '    string:',
        '      contains: "{{word}}"',
        '      startsWith: "{{word}}"',
        'x-workbench:',
        '  version: 1',
        '  defaultAssertions:',
        '    - position: 1',
        '      assertion:',
        '        type: contains-any',
        '        values: [hi, 3]',
        '  cases:',
        '    - row: 2',
        '      description: third',
        '    - row: 7',
        '      description: gone',
        '    - description: no row',
        '    - row: 2',
        '      description: twice',
        '    - row: 1',
        '      tags: 5',
      ].join('\n'),
    });
    const { store, suites, database } = setup();
    const problems = seedLibrary(database, store, suites, root, []);
    const suite = suites.get(store.list()[0].id);
    const at = (line: number, message: string) => ({ file: 'library/echo.prompt.yml', line, column: 1, message, leftOut: 'item' });
    expect({ problems, cases: suite.cases.map((testCase) => testCase.description) }).toStrictEqual({
      problems: [
        at(15, 'evaluator 2 (evaluators[1].string): "Echoes" has several checks; GitHub Models uses only "contains", so "startsWith" was not imported'),
        at(24, 'default check 1 (x-workbench.defaultAssertions[0].assertion.values[1]): Invalid input: expected string, received number'),
        at(28, 'x-workbench.cases[1].row: The extension describes testData row 7, but testData has 3 rows; it was not imported'),
        at(30, 'x-workbench.cases[2]: An extension case needs a "row" (the testData index it describes); it was not imported'),
        at(31, 'test 3 (x-workbench.cases[3].row): The extension describes testData row 2 twice; the second was not imported'),
        at(34, 'test 2 (x-workbench.cases[4].tags): Tags must be a list or text separated by commas, not a number'),
      ],
      cases: ['', 'third'],
    });
  });

  it('says in plain words which default check has a type it does not know, naming the type', () => {
    const root = writeLibrary({
      'echo.prompt.yml': [
        ...head('Echo', 'Say {{word}}.'),
        'testData:',
        '  - word: hi',
        'x-workbench:',
        '  version: 1',
        '  defaultAssertions:',
        '    - position: 0',
        '      assertion:',
        '        type: no-such-check',
        '        value: x',
      ].join('\n'),
    });
    const { store, suites, database } = setup();
    expect(seedLibrary(database, store, suites, root, [])).toStrictEqual([
      { file: 'library/echo.prompt.yml', line: 13, column: 1, message: 'default check 1 (x-workbench.defaultAssertions[0].assertion.type): Unknown assertion type "no-such-check"', leftOut: 'item' },
    ]);
  });

  it('reports broken files with file and line, loads the rest, and seeds only once', () => {
    const root = writeLibrary({
      'README.md': '# not a prompt',
      'a-good.prompt.yml': validFile('Good one'),
      'broken-syntax.prompt.yml': 'name: Broken\nmodel: openai/gpt-4o-mini\nmessages:\n  - role: user\n    content: Summarize: {{text}}\n',
      'robot.prompt.yml': [
        'name: Robot',
        'model: openai/gpt-4o-mini',
        'messages:',
        '  - role: system',
        '    content: Be helpful.',
        '  - role: robot',
        '    content: Beep.',
      ].join('\n'),
      'versioned/v1.prompt.yml': validFile('Versioned', 'First {{who}}'),
      'versioned/v2.prompt.yml': 'name: Versioned\nmessages:\n  - role: user\n    content: no model\n',
      'versioned/v10.prompt.yml': validFile('Versioned at last', 'Tenth {{who}}'),
      'versioned/v11.prompt.yml': validFile('Versioned at last', 'Tenth {{who}}'),
      'versioned/draft.prompt.yml': validFile('Stray'),
      'versioned/notes.md': 'ignored',
    });
    const { store, suites, database } = setup();
    const problems = seedLibrary(database, store, suites, root, []);
    const library = store.list().map((prompt) => {
      const detail = store.getDetail(prompt.id);
      return {
        slug: prompt.slug,
        name: prompt.name,
        versions: detail.versions.map((version) => `v${version.number}: ${version.note}`),
        draft: { content: detail.draft.content.messages[0].content, variables: detail.draft.variables, isDirty: detail.draft.isDirty },
      };
    });
    fs.writeFileSync(path.join(root, 'late.prompt.yml'), validFile('Added later'));
    const second = seedLibrary(database, store, suites, root, []);
    expect({ problems, library, second, after: store.list().length }).toStrictEqual({
      problems: [
        { file: 'library/broken-syntax.prompt.yml', line: 5, column: 14, message: 'Nested mappings are not allowed in compact mappings' },
        { file: 'library/robot.prompt.yml', line: 6, column: 11, message: 'messages[1].role: Unknown role "robot": use system, user or assistant' },
        { file: 'library/versioned/draft.prompt.yml', line: 1, column: 1, message: 'Name versioned prompt files v1.prompt.yml, v2.prompt.yml, ...; skipped' },
        { file: 'library/versioned/v11.prompt.yml', line: 1, column: 1, message: 'Same content as the previous version; skipped' },
        { file: 'library/versioned/v2.prompt.yml', line: 1, column: 1, message: 'The file has no "model"; a prompt file needs one' },
      ],
      library: [
        {
          slug: 'a-good',
          name: 'Good one',
          versions: ['v1: Seeded from library/a-good.prompt.yml'],
          draft: { content: 'Hello {{who}}', variables: { who: 'world' }, isDirty: false },
        },
        {
          slug: 'versioned',
          name: 'Versioned at last',
          versions: ['v2: Seeded from library/versioned/v10.prompt.yml', 'v1: Seeded from library/versioned/v1.prompt.yml'],
          draft: { content: 'Tenth {{who}}', variables: { who: 'world' }, isDirty: false },
        },
      ],
      second: [],
      after: 2,
    });
  });

  it('leaves out a file with a key the format does not have, naming the key meant, and says which prompt it renamed for a taken name', () => {
    const unknownField = [...head('Unknown field', 'Hi'), 'temperatur: 0.3', ''].join('\n');
    const evaluatorTypo = [...head('Evaluator typo', 'Hi'), 'evaluators:', '  - name: Greets', '    strng:', '      contains: hello', ''].join('\n');
    const root = writeLibrary({
      'dup-a.prompt.yml': validFile('Duplicate'),
      'dup-b.prompt.yml': validFile('duplicate'),
      'evaluator-typo.prompt.yml': evaluatorTypo,
      'unknown-field.prompt.yml': unknownField,
    });
    const before = fs.readFileSync(path.join(root, 'unknown-field.prompt.yml'), 'utf8');
    const { store, suites, database } = setup();
    const problems = seedLibrary(database, store, suites, root, []);
    expect({ problems, names: store.list().map((prompt) => prompt.name), untouched: fs.readFileSync(path.join(root, 'unknown-field.prompt.yml'), 'utf8') === before }).toStrictEqual({
      problems: [
        { file: 'library/dup-b.prompt.yml', line: 1, column: 1, message: 'Named “duplicate 2”, as another prompt is named “Duplicate”', leftOut: 'nothing', isRenamed: true },
        { file: 'library/evaluator-typo.prompt.yml', line: 8, column: 5, message: 'Unknown key "evaluators[0].strng": did you mean evaluators[0].string?' },
        { file: 'library/unknown-field.prompt.yml', line: 6, column: 1, message: 'Unknown key "temperatur": did you mean modelParameters.temperature?' },
      ],
      names: ['Duplicate', 'duplicate 2'],
      untouched: true,
    });
  });

  it('reports a missing library folder and seeds once it appears', () => {
    const { store, suites, database } = setup();
    const root = path.join(makeTempDir(), 'prompts');
    const missing = seedLibrary(database, store, suites, root, []);
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'hello.prompt.yml'), validFile('Hello'));
    const found = seedLibrary(database, store, suites, root, []);
    expect({ missing, found, library: store.list().map((prompt) => prompt.slug) }).toStrictEqual({
      missing: [{ file: 'prompts', line: 1, column: 1, message: 'The sample prompt library folder is missing' }],
      found: [],
      library: ['hello'],
    });
  });
});
