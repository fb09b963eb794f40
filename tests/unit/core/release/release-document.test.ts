import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildReleaseDocument, readPromptDocument, schemaProblems } from '../../../../electron/core/release/release-document';
import type { TestSuite } from '../../../../shared/eval-types';
import type { PromptContent } from '../../../../shared/types';
import { BUILT_IN_PROVIDERS, NO_JUDGE } from '../evals/file-judges';

const content: PromptContent = {
  model: 'openai/gpt-4o-mini',
  parameters: { temperature: 0.2, maxTokens: 300, topP: 0.95, stop: ['\n\nEND'] },
  messages: [
    { role: 'system', content: 'You summarize for {{audience}}.\nKeep it under 3 sentences.\n' },
    { role: 'user', content: 'Summarize: {{text}}' },
    { role: 'assistant', content: 'Summary -' },
  ],
};

const suite: TestSuite = {
  promptId: 1,
  updatedAt: '2025-01-01T00:00:00.000Z',
  defaultAssertions: [
    { type: 'icontains', value: 'summary' },
    { type: 'similarity' },
    { type: 'word-count', max: 60 },
  ],
  cases: [
    {
      id: 7,
      promptId: 1,
      position: 0,
      description: 'Short news item',
      variables: { audience: 'kids', text: 'The tide came in.' },
      expected: 'Summary - The tide rose.',
      tags: ['news'],
      assertions: [{ type: 'regex', pattern: '^Summary', flags: 'i' }],
    },
    { id: 8, promptId: 1, position: 1, description: '', variables: { audience: 'experts', text: 'Rates went up.' }, expected: null, tags: [], assertions: [] },
  ],
};

describe('buildReleaseDocument', () => {
  it('writes a response format as GitHub Models does (a valid file) and reads it back into the same content', () => {
    const schema = { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'], additionalProperties: false };
    const formats: PromptContent[] = [
      { ...content, responseFormat: { type: 'json_object' } },
      { ...content, responseFormat: { type: 'json_schema', name: 'summary', schema } },
    ];
    const texts = formats.map((withFormat) => buildReleaseDocument({ name: 'Summarizer', description: '', content: withFormat, suite: null, providers: BUILT_IN_PROVIDERS }));
    expect(
      texts.map((text) => {
        const read = readPromptDocument(text, 'summarizer.prompt.yml', NO_JUDGE);
        const written = parse(text) as Record<string, unknown>;
        return { problems: schemaProblems(written), responseFormat: written.responseFormat, jsonSchema: written.jsonSchema, readBack: read.ok && read.document.content };
      }),
    ).toStrictEqual([
      { problems: [], responseFormat: 'json_object', jsonSchema: undefined, readBack: formats[0] },
      { problems: [], responseFormat: 'json_schema', jsonSchema: JSON.stringify({ name: 'summary', strict: true, schema }, null, 2), readBack: formats[1] },
    ]);
  });

  it('writes a GitHub Models file that validates against the schema and reads back into the same version and suite', () => {
    const text = buildReleaseDocument({ name: 'Summarizer', description: 'Summaries of short texts', content, suite, providers: BUILT_IN_PROVIDERS });
    const read = readPromptDocument(text, 'prompts/summarizer.prompt.yml', NO_JUDGE);
    expect({
      schemaProblems: schemaProblems(parse(text)),
      head: text.split('\n').slice(0, 12),
      read: read.ok && {
        name: read.document.name,
        description: read.document.description,
        content: read.document.content,
        defaultAssertions: read.document.defaultAssertions,
        cases: read.document.cases,
        suiteProblems: read.document.suiteProblems,
      },
    }).toStrictEqual({
      schemaProblems: [],
      head: [
        'name: Summarizer',
        'description: Summaries of short texts',
        'model: openai/gpt-4o-mini',
        'modelParameters:',
        '  temperature: 0.2',
        '  maxTokens: 300',
        '  topP: 0.95',
        'messages:',
        '  - role: system',
        '    content: |',
        '      You summarize for {{audience}}.',
        '      Keep it under 3 sentences.',
      ],
      read: {
        name: 'Summarizer',
        description: 'Summaries of short texts',
        content,
        defaultAssertions: suite.defaultAssertions,
        cases: [
          {
            description: 'Short news item',
            variables: { audience: 'kids', text: 'The tide came in.' },
            expected: 'Summary - The tide rose.',
            tags: ['news'],
            assertions: [{ type: 'regex', pattern: '^Summary', flags: 'i' }],
          },
          { description: '', variables: { audience: 'experts', text: 'Rates went up.' }, expected: null, tags: [], assertions: [] },
        ],
        suiteProblems: [],
      },
    });
  });

  it('keeps stop sequences, which GitHub Models has no field for, in a named extension and leaves out an empty suite', () => {
    const greeter = { ...content, parameters: { ...content.parameters, stop: ['###', 'END'] }, messages: [{ role: 'user' as const, content: 'Hi {{name}}' }] };
    const text = buildReleaseDocument({ name: 'Greeter', description: '', content: greeter, suite: null, providers: BUILT_IN_PROVIDERS });
    const read = readPromptDocument(text, 'greeter.prompt.yml', NO_JUDGE);
    expect(read.ok && read.document.content).toStrictEqual(greeter);
    expect(text).toBe(
      [
        'name: Greeter',
        'model: openai/gpt-4o-mini',
        'modelParameters:',
        '  temperature: 0.2',
        '  maxTokens: 300',
        '  topP: 0.95',
        'messages:',
        '  - role: user',
        '    content: Hi {{name}}',
        'x-workbench-model-parameters:',
        '  stop:',
        '    - "###"',
        '    - END',
        '',
      ].join('\n'),
    );
  });
});

describe('reasoning effort in a released file', () => {
  it('goes beside the stop sequences in the extension, reads back, and a wrong value is named', () => {
    const thinker = { ...content, parameters: { maxTokens: 300, reasoningEffort: 'high' as const }, messages: [{ role: 'user' as const, content: 'Why?' }] };
    const text = buildReleaseDocument({ name: 'Thinker', description: '', content: thinker, suite: null, providers: BUILT_IN_PROVIDERS });
    const read = readPromptDocument(text, 'thinker.prompt.yml', NO_JUDGE);
    expect({ schemaProblems: schemaProblems(parse(text)), content: read.ok && read.document.content, tail: text.split('\n').slice(-3) }).toStrictEqual({
      schemaProblems: [],
      content: thinker,
      tail: ['x-workbench-model-parameters:', '  reasoningEffort: high', ''],
    });
    const wrong = text.replace('reasoningEffort: high', 'reasoningEffort: extreme');
    expect(readPromptDocument(wrong, 'thinker.prompt.yml', NO_JUDGE)).toStrictEqual({
      ok: false,
      problems: [{ file: 'thinker.prompt.yml', line: 1, column: 1, message: 'x-workbench-model-parameters.reasoningEffort must be one of none, low, medium, high' }],
    });
  });
});

describe('schemaProblems', () => {
  it('names what makes a document not a GitHub Models prompt file', () => {
    const document = {
      name: 'Broken',
      messages: [{ role: 'robot', content: 'x' }],
      modelParameters: { temperature: 0.5, stop: ['x'] },
      evaluators: [{ name: 'Both', string: { contains: 'a' }, uses: 'github/similarity' }],
      extra: true,
    };
    expect(schemaProblems(document)).toStrictEqual([
      'the file: must have required property \'model\'',
      'the file: unexpected key extra',
      'modelParameters: unexpected key stop',
      'messages.0.role: must be equal to one of the allowed values',
      'evaluators.0: an evaluator has exactly one of string, llm or uses',
    ]);
  });
});
