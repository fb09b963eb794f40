import { describe, expect, it } from 'vitest';
import { parsePromptFile, serializePromptFile, type PromptFile } from '../../../electron/core/prompt-file';

const FILE = 'prompts/example.prompt.yml';

describe('parsePromptFile', () => {
  it('reads every section of a GitHub Models prompt file', () => {
    const text = [
      'name: Text Summarizer',
      'description: Summarizes input text concisely',
      'model: openai/gpt-4o-mini',
      'responseFormat: text # used by other tools, ignored here',
      'modelParameters:',
      '  temperature: 0.5',
      '  maxTokens: 200',
      '  topP: 0.9',
      '  stop: ["END"]',
      'messages:',
      '  - role: system',
      '    content: You are a text summarizer.',
      '  - role: user',
      '    content: |',
      '      Summarize for {{audience}}:',
      '      {{input}}',
      'testData:',
      '  - input: The quick brown fox.',
      '    audience: kids',
      '    expected: 42',
      '  - input: true',
      'evaluators:',
      '  - name: Starts right',
      '    string:',
      "      startsWith: 'Summary -'",
      '',
    ].join('\n');
    expect(parsePromptFile(text, FILE)).toStrictEqual({
      ok: true,
      promptFile: {
        name: 'Text Summarizer',
        description: 'Summarizes input text concisely',
        content: {
          model: 'openai/gpt-4o-mini',
          parameters: { temperature: 0.5, maxTokens: 200, topP: 0.9, stop: ['END'] },
          messages: [
            { role: 'system', content: 'You are a text summarizer.' },
            { role: 'user', content: 'Summarize for {{audience}}:\n{{input}}\n' },
          ],
        },
        testData: [{ input: 'The quick brown fox.', audience: 'kids', expected: '42' }, { input: 'true' }],
        evaluators: [{ name: 'Starts right', string: { startsWith: 'Summary -' } }],
      },
    });
  });

  it('fills in what a minimal file leaves out', () => {
    const text = 'name: Minimal\ndescription:\nmodel: openai/gpt-4o\nmessages:\n  - role: user\n    content: Hi\n';
    expect(parsePromptFile(text, FILE)).toStrictEqual({
      ok: true,
      promptFile: {
        name: 'Minimal',
        description: '',
        content: { model: 'openai/gpt-4o', parameters: {}, messages: [{ role: 'user', content: 'Hi' }] },
        testData: [],
        evaluators: [],
      },
    });
  });

  it('locates a YAML syntax error', () => {
    // The classic: an unquoted colon inside a one-line content.
    const text = 'name: Broken\nmodel: openai/gpt-4o-mini\nmessages:\n  - role: user\n    content: Summarize: {{text}}\n';
    expect(parsePromptFile(text, FILE)).toStrictEqual({
      ok: false,
      problems: [{ file: FILE, line: 5, column: 14, message: 'Nested mappings are not allowed in compact mappings' }],
    });
  });

  it('explains content that YAML read as a mapping', () => {
    const text = 'name: Braces\nmodel: openai/gpt-4o-mini\nmessages:\n  - role: user\n    content: {{text}}\n';
    expect(parsePromptFile(text, FILE)).toStrictEqual({
      ok: false,
      problems: [
        {
          file: FILE,
          line: 5,
          column: 14,
          message:
            'messages[0].content: Content must be text, but YAML read a value starting with { or [ as a structure: quote it or use a block scalar (|)',
        },
      ],
    });
  });

  it('says a bound in words with the value, and names an alias given as content', () => {
    const bounds = 'name: Bounds\nmodel: m\nmodelParameters:\n  maxTokens: -5\n  temperature: 3\nmessages:\n  - role: user\n    content: x\n';
    const alias = 'name: Alias\nmodel: m\nx-shared: &m\n  text: Hello\nmessages:\n  - role: user\n    content: *m\n';
    expect([parsePromptFile(bounds, FILE), parsePromptFile(alias, FILE)]).toStrictEqual([
      {
        ok: false,
        problems: [
          { file: FILE, line: 5, column: 16, message: 'modelParameters.temperature must be at most 2, not 3' },
          { file: FILE, line: 4, column: 14, message: 'modelParameters.maxTokens must be more than 0, not -5' },
        ],
      },
      {
        ok: false,
        problems: [{ file: FILE, line: 7, column: 14, message: 'messages[0].content: must be text, but *m stands for a map: write the text here, or make the anchor &m a text' }],
      },
    ]);
  });

  it('reports duplicate keys', () => {
    const text = 'name: A\nname: B\nmodel: m\nmessages:\n  - role: user\n    content: x\n';
    expect(parsePromptFile(text, FILE)).toStrictEqual({
      ok: false,
      problems: [{ file: FILE, line: 2, column: 1, message: 'Map keys must be unique' }],
    });
  });

  it('points each schema error at the offending node', () => {
    const text = [
      'name: Robots', //                     1
      'model: openai/gpt-4o-mini', //        2
      'modelParameters:', //                 3
      '  temperature: hot', //               4
      'messages:', //                        5
      '  - role: user', //                   6
      '    content: Hello', //               7
      '  - role: robot', //                  8
      '    content: Beep', //                9
      '  - content: no role', //             10
    ].join('\n');
    expect(parsePromptFile(text, FILE)).toStrictEqual({
      ok: false,
      problems: [
        { file: FILE, line: 4, column: 16, message: 'modelParameters.temperature: must be a number, not "hot"' },
        { file: FILE, line: 8, column: 11, message: 'messages[1].role: Unknown role "robot": use system, user or assistant' },
        { file: FILE, line: 10, column: 5, message: 'messages[2].role: A message needs a role: use system, user or assistant' },
      ],
    });
  });

  it('loads a file whose test data or evaluators cannot all be read, keeping the readable test cases (the suite reader reports the rest)', () => {
    const text = 'name: T\nmodel: m\nmessages:\n  - role: user\n    content: x\ntestData:\n  - a row as text\n  - input: [not, a, scalar]\n  - input: 3\n  - [1, 2]\nevaluators: 42\n';
    const read = parsePromptFile(text, FILE);
    expect(read.ok && { testData: read.promptFile.testData, evaluators: read.promptFile.evaluators }).toStrictEqual({ testData: [{ input: '3' }], evaluators: [] });
  });

  it('reads a reasoning effort and points at one it does not know', () => {
    const file = (effort: string) => `name: T\nmodel: openai/o4-mini\nmodelParameters:\n  reasoningEffort: ${effort}\nmessages:\n  - role: user\n    content: Why?\n`;
    const read = parsePromptFile(file('medium'), FILE);
    expect({ parameters: read.ok && read.promptFile.content.parameters, wrong: parsePromptFile(file('max'), FILE) }).toStrictEqual({
      parameters: { reasoningEffort: 'medium' },
      wrong: {
        ok: false,
        problems: [{ file: FILE, line: 4, column: 20, message: 'modelParameters.reasoningEffort: reasoningEffort is one of none, low, medium, high' }],
      },
    });
  });

  it('refuses keys the format does not have, each at its line, naming the key meant when it is a near miss', () => {
    const text = [
      'name: Unknown field', //                        1
      'model: openai/gpt-4o-mini', //                  2
      'temperatur: 0.3', //                            3
      'maxTokens: 100', //                             4
      'notes: for the team', //                        5
      'x-notes: kept as an extension', //              6
      'modelParameters:', //                           7
      '  top_p: 0.5', //                               8
      '  seed: 7', //                                  9
      'messages:', //                                  10
      '  - role: user', //                             11
      '    content: Hi', //                            12
      '    name: ada', //                              13
      '  - role: assistant', //                        14
      '    contents: Hello', //                        15
      'x-workbench-model-parameters:', //              16
      '  stops: [END]', //                             17
      '',
    ].join('\n');
    expect(parsePromptFile(text, FILE)).toStrictEqual({
      ok: false,
      problems: [
        { file: FILE, line: 3, column: 1, message: 'Unknown key "temperatur": did you mean modelParameters.temperature?' },
        { file: FILE, line: 4, column: 1, message: 'Unknown key "maxTokens": did you mean modelParameters.maxTokens?' },
        { file: FILE, line: 5, column: 1, message: 'Unknown key "notes": remove it, or name it x-notes to keep it as an extension' },
        { file: FILE, line: 8, column: 3, message: 'Unknown key "modelParameters.top_p": did you mean modelParameters.topP?' },
        { file: FILE, line: 9, column: 3, message: 'Unknown key "modelParameters.seed": the model parameters are temperature, maxTokens, topP, stop and reasoningEffort' },
        { file: FILE, line: 13, column: 5, message: 'Unknown key "messages[0].name": a message has only role and content' },
        { file: FILE, line: 15, column: 5, message: 'Unknown key "messages[1].contents": did you mean messages[1].content?' },
        { file: FILE, line: 17, column: 3, message: 'Unknown key "x-workbench-model-parameters.stops": did you mean x-workbench-model-parameters.stop?' },
        { file: FILE, line: 14, column: 5, message: 'messages[1].content: Content must be text' },
      ],
    });
  });

  it('refuses a key an evaluator does not have, at every depth, naming the key meant', () => {
    const text = [
      'name: Checks', //                               1
      'model: openai/gpt-4o-mini', //                  2
      'messages:', //                                  3
      '  - role: user', //                             4
      '    content: Hi', //                            5
      'evaluators:', //                                6
      '  - name: Says hello', //                       7
      '    strng:', //                                 8
      '      contains: hello', //                      9
      '  - name: Starts and ends', //                  10
      '    string:', //                                11
      '      startsWith: Hi', //                       12
      '      contians: there', //                      13
      '      matches: x', //                           14
      '  - nam: Bare check', //                        15
      '    endsWith: bye', //                          16
      '    weight: 2', //                              17
      '  - name: Polite', //                           18
      '    llm:', //                                   19
      '      modelId: openai/gpt-4o-mini', //          20
      '      prompt: Is {{completion}} polite?', //    21
      '      systemPromt: Be strict', //               22
      '      choices:', //                             23
      '        - choice: "yes"', //                    24
      '          scroe: 1', //                         25
      '        - choice: "no"', //                     26
      '          score: 0', //                         27
      '  - name: Similar', //                          28
      '    uses: github/similarity', //                29
      '',
    ].join('\n');
    expect(parsePromptFile(text, FILE)).toStrictEqual({
      ok: false,
      problems: [
        { file: FILE, line: 8, column: 5, message: 'Unknown key "evaluators[0].strng": did you mean evaluators[0].string?' },
        { file: FILE, line: 13, column: 7, message: 'Unknown key "evaluators[1].string.contians": did you mean evaluators[1].string.contains?' },
        { file: FILE, line: 14, column: 7, message: 'Unknown key "evaluators[1].string.matches": the string checks are equals, contains, startsWith and endsWith' },
        { file: FILE, line: 15, column: 5, message: 'Unknown key "evaluators[2].nam": did you mean evaluators[2].name?' },
        { file: FILE, line: 16, column: 5, message: 'Unknown key "evaluators[2].endsWith": did you mean evaluators[2].string.endsWith?' },
        { file: FILE, line: 17, column: 5, message: 'Unknown key "evaluators[2].weight": an evaluator has a name and one of string, uses or llm' },
        { file: FILE, line: 22, column: 7, message: 'Unknown key "evaluators[3].llm.systemPromt": did you mean evaluators[3].llm.systemPrompt?' },
        { file: FILE, line: 25, column: 11, message: 'Unknown key "evaluators[3].llm.choices[0].scroe": did you mean evaluators[3].llm.choices[0].score?' },
      ],
    });
  });

  it('reads every evaluator key the format has', () => {
    const text = [
      'name: Checks',
      'model: openai/gpt-4o-mini',
      'messages:',
      '  - role: user',
      '    content: Hi',
      'evaluators:',
      '  - name: All string checks',
      '    string: { equals: a, contains: b, startsWith: c, endsWith: d }',
      '  - name: Judge',
      '    llm: { modelId: m, prompt: p, systemPrompt: s, choices: [{ choice: "yes", score: 1 }] }',
      '  - name: Similar',
      '    uses: github/similarity',
      '',
    ].join('\n');
    const read = parsePromptFile(text, FILE);
    expect(read.ok && read.promptFile.evaluators).toStrictEqual([
      { name: 'All string checks', string: { equals: 'a', contains: 'b', startsWith: 'c', endsWith: 'd' } },
      { name: 'Judge', llm: { modelId: 'm', prompt: 'p', systemPrompt: 's', choices: [{ choice: 'yes', score: 1 }] } },
      { name: 'Similar', uses: 'github/similarity' },
    ]);
  });

  it('reads responseFormat json_object, and json_schema with jsonSchema as GitHub Models writes it (JSON text of name, strict and schema)', () => {
    const file = (lines: string[]) => ['name: T', 'model: openai/gpt-4o-mini', ...lines, 'messages:', '  - role: user', '    content: Hi', ''].join('\n');
    const content = (responseFormat?: unknown) => ({ model: 'openai/gpt-4o-mini', parameters: {}, messages: [{ role: 'user', content: 'Hi' }], ...(responseFormat !== undefined && { responseFormat }) });
    const read = (lines: string[]) => {
      const parsed = parsePromptFile(file(lines), FILE);
      return parsed.ok ? parsed.promptFile.content : parsed.problems;
    };
    expect([
      read(['responseFormat: json_object']),
      read(['responseFormat: text']),
      read(['responseFormat: json_schema', 'jsonSchema: |-', '  {', '    "name": "describe_animal",', '    "strict": true,', '    "schema": {', '      "type": "object",', '      "properties": { "name": { "type": "string" } },', '      "additionalProperties": false,', '      "required": ["name"]', '    }', '  }']),
      read(['responseFormat: json_schema', `jsonSchema: '{"name": "a", "schema": {}}'`]),
      read(['responseFormat: json_schema', `jsonSchema: '{"name": "a", "strict": false, "schema": {}}'`]),
      // Beside another format, as GitHub Models does, the schema is not used.
      read(['responseFormat: json_object', `jsonSchema: '{"name": "a", "schema": {}}'`]),
    ]).toStrictEqual([
      content({ type: 'json_object' }),
      content(),
      content({ type: 'json_schema', name: 'describe_animal', schema: { type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false, required: ['name'] } }),
      content({ type: 'json_schema', name: 'a', schema: {} }),
      content({ type: 'json_schema', name: 'a', schema: {}, isStrict: false }),
      content({ type: 'json_object' }),
    ]);
  });

  it('refuses a response format GitHub Models does not have, json_schema without jsonSchema, and a jsonSchema that is malformed, each at its line', () => {
    const file = (lines: string[]) => ['name: T', 'model: openai/gpt-4o-mini', ...lines, 'messages:', '  - role: user', '    content: Hi', ''].join('\n');
    const problems = (lines: string[]) => {
      const parsed = parsePromptFile(file(lines), FILE);
      return parsed.ok ? 'loaded' : parsed.problems.map((problem) => `${problem.line}:${problem.column} ${problem.message}`);
    };
    const block = (...json: string[]) => ['responseFormat: json_schema', 'jsonSchema: |-', ...json.map((line) => `  ${line}`)];
    const shape = 'JSON text of name, strict and schema, as GitHub Models writes it (jsonSchema: |- followed by the JSON, indented)';
    expect([
      problems(['responseFormat: json']),
      problems(['responseFormat: json_schema']),
      problems(block('{', '  "name": "animal",', '  "schema": {', '    "type": "object"', '    "properties": {}', '  }', '}')),
      problems(['responseFormat: json_schema', `jsonSchema: '{"name": "a", "schema": {}'`]),
      problems(['responseFormat: json_schema', 'jsonSchema:', '  name: animal', '  schema:', '    type: object']),
      problems(block('{ "schema": {} }')),
      problems(block('{ "name": "an animal", "schema": {} }')),
      problems(block('{ "name": "animal", "strict": "no", "schema": {} }')),
      problems(block('{ "name": "animal", "schema": ["object"] }')),
      problems(block('{ "name": "animal" }')),
      problems(block('{ "name": "animal", "description": "An animal", "schema": {} }')),
      problems(block('["animal"]')),
    ]).toStrictEqual([
      ['3:17 responseFormat: must be text, json_object or json_schema, not "json"'],
      [`3:17 responseFormat: json_schema needs a jsonSchema: add one, ${shape}`],
      ['9:7 jsonSchema: the JSON does not parse (Expected \',\' or \'}\' after property value): fix it there'],
      ['4:13 jsonSchema: the JSON does not parse (Expected \',\' or \'}\' after property value): fix it there'],
      [`5:3 jsonSchema: must be ${shape}, not a map`],
      ['4:13 jsonSchema: needs a "name" (1 to 64 ASCII letters, digits, _ or -)'],
      ['4:13 jsonSchema: the schema name must be 1 to 64 ASCII letters, digits, _ or -, not "an animal"'],
      ['4:13 jsonSchema: "strict" must be true or false (or left out, for true), not "no"'],
      ['4:13 jsonSchema: "schema" must be a JSON object (the JSON Schema of the answer), not a list'],
      ['4:13 jsonSchema: needs a "schema", the JSON Schema of the answer'],
      ['4:13 jsonSchema: unknown member "description": it holds only name, strict and schema'],
      [`4:13 jsonSchema: must be ${shape}, not a list`],
    ]);
  });

  it('points a missing top-level field at the document and reports an empty file', () => {
    expect({
      missing: parsePromptFile('# a comment\n\nname: No messages\nmodel: openai/gpt-4o-mini\n', FILE),
      empty: parsePromptFile('', FILE),
    }).toStrictEqual({
      missing: { ok: false, problems: [{ file: FILE, line: 3, column: 1, message: 'The file has no "messages"; a prompt file needs one' }] },
      empty: {
        ok: false,
        problems: [
          { file: FILE, line: 1, column: 1, message: 'The file has no "name"; a prompt file needs one' },
          { file: FILE, line: 1, column: 1, message: 'The file has no "model"; a prompt file needs one' },
          { file: FILE, line: 1, column: 1, message: 'The file has no "messages"; a prompt file needs one' },
        ],
      },
    });
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const text = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((key, index) => `${key}: &${key} [${Array(10).fill(`*${'abcdefgh'[index]}`).join(', ')}]`)].join('\n');
    const result = parsePromptFile(text, FILE);
    expect(result.ok ? 'parsed' : result.problems.map((problem) => [problem.line, problem.message])).toStrictEqual([
      [1, 'Excessive alias count indicates a resource exhaustion attack'],
    ]);
  });
});

describe('serializePromptFile', () => {
  const promptFile: PromptFile = {
    name: 'Tricky: text # not a comment',
    description: '',
    content: {
      model: 'openai/gpt-4o-mini',
      parameters: { temperature: 0, stop: ['\n\n'] },
      messages: [
        { role: 'system', content: '  leading spaces\nand trailing spaces  \n\n' },
        { role: 'user', content: 'JSON {"a": {"b": [1]}} for {{name}} — ünïcödé 😀' },
        { role: 'assistant', content: '' },
        { role: 'user', content: 'yes' },
      ],
    },
    testData: [{ name: 'Ada', expected: '123' }],
    evaluators: [{ name: 'Exact', string: { equals: 'x' } }],
  };

  it('round-trips through parsePromptFile unchanged', () => {
    expect(parsePromptFile(serializePromptFile(promptFile), FILE)).toStrictEqual({ ok: true, promptFile });
  });

  it('round-trips each response format, writing json_schema as GitHub Models does: jsonSchema as a |- block of JSON text, with strict true or false', () => {
    const schema = { type: 'object', properties: { name: { type: 'string' }, habitat: { type: 'string' } }, additionalProperties: false, required: ['name', 'habitat'] };
    const withFormat = (responseFormat: PromptFile['content']['responseFormat']): PromptFile => ({ ...promptFile, content: { ...promptFile.content, responseFormat } });
    const files = [
      withFormat({ type: 'json_object' }),
      withFormat({ type: 'json_schema', name: 'describe_animal', schema }),
      withFormat({ type: 'json_schema', name: 'describe_animal', schema, isStrict: false }),
    ];
    const texts = files.map(serializePromptFile);
    expect({
      roundTrips: texts.map((text) => parsePromptFile(text, FILE)),
      written: texts[1].slice(texts[1].indexOf('responseFormat'), texts[1].indexOf('messages:')),
      objectWritten: texts[0].slice(texts[0].indexOf('responseFormat'), texts[0].indexOf('messages:')),
      looseWritten: texts[2].split('\n').filter((line) => line.includes('"strict"')),
    }).toStrictEqual({
      roundTrips: files.map((file) => ({ ok: true, promptFile: file })),
      written: [
        'responseFormat: json_schema',
        'jsonSchema: |-',
        '  {',
        '    "name": "describe_animal",',
        '    "strict": true,',
        '    "schema": {',
        '      "type": "object",',
        '      "properties": {',
        '        "name": {',
        '          "type": "string"',
        '        },',
        '        "habitat": {',
        '          "type": "string"',
        '        }',
        '      },',
        '      "additionalProperties": false,',
        '      "required": [',
        '        "name",',
        '        "habitat"',
        '      ]',
        '    }',
        '  }',
        '',
      ].join('\n'),
      objectWritten: 'responseFormat: json_object\n',
      looseWritten: ['    "strict": false,'],
    });
  });

  it('writes GitHub Models key order and leaves out empty sections', () => {
    const minimal: PromptFile = {
      name: 'Greeter',
      description: 'Says hello',
      content: { model: 'openai/gpt-4o-mini', parameters: {}, messages: [{ role: 'user', content: 'Hello {{name}}\nBye\n' }] },
      testData: [],
      evaluators: [],
    };
    expect(serializePromptFile(minimal)).toBe(
      [
        'name: Greeter',
        'description: Says hello',
        'model: openai/gpt-4o-mini',
        'messages:',
        '  - role: user',
        '    content: |',
        '      Hello {{name}}',
        '      Bye',
        '',
      ].join('\n'),
    );
  });

  it('reads maxCompletionTokens (GitHub Models’ other name) as maxTokens, and refuses both at once', () => {
    const file = (parameters: string) => `name: T\nmodel: openai/gpt-4o-mini\nmodelParameters:\n${parameters}messages:\n  - role: user\n    content: Hi\n`;
    const read = parsePromptFile(file('  maxCompletionTokens: 300\n  temperature: 0.2\n'), FILE);
    expect(read.ok && read.promptFile.content.parameters).toStrictEqual({ maxTokens: 300, temperature: 0.2 });
    expect(parsePromptFile(file('  maxTokens: 200\n  maxCompletionTokens: 300\n'), FILE)).toStrictEqual({
      ok: false,
      problems: [{ file: FILE, line: 5, column: 24, message: 'modelParameters.maxCompletionTokens: is maxTokens by another name, and maxTokens is there too: keep one of the two' }],
    });
  });
});
