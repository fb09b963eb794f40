/**
 * An LLM judge in an exported test-case file names its provider by name and kind, never by this
 * machine's id, and an import on another machine (another SQLite file, its providers numbered
 * otherwise) finds it by name, else by kind, else grades it with the import's judge and says so,
 * else reports it. Files written before, with a provider number, still import.
 */

import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Assertion, TestCaseFormat, TestCaseImportResult } from '../../../../shared/eval-types';
import type { RunTarget } from '../../../../shared/types';
import { startWorkbench, TOPIC_CONTENT, type Workbench } from '../runs/run-harness';

const FORMATS: TestCaseFormat[] = ['csv', 'jsonl', 'yaml', 'prompt-yml', 'promptfoo'];

/** Adds an OpenAI-compatible endpoint named `label`; returns its id. */
async function addEndpoint(workbench: Workbench, label: string): Promise<number> {
  return (await workbench.call('providers:save', { kind: 'openai-compatible', label, baseUrl: 'http://127.0.0.1:9/v1', keySource: 'none' })).id;
}

/** A prompt asking about {{topic}} ("Facts", then "Facts 2"...: names are unique); returns its id. */
async function addPrompt(workbench: Workbench): Promise<number> {
  const count = (await workbench.call('prompts:list', {})).filter((item) => /^Facts\b/.test(item.name)).length;
  const { prompt } = await workbench.call('prompts:create', { name: count === 0 ? 'Facts' : `Facts ${count + 1}` });
  await workbench.call('versions:save', { promptId: prompt.id, content: TOPIC_CONTENT, variables: {}, note: 'First cut' });
  return prompt.id;
}

/** The first machine: Groq added as provider 4, a suite judged by it (a default check) and by the built-in OpenAI (a case's own); its files in every format. */
async function exportsOfFirstMachine(): Promise<Map<TestCaseFormat, string>> {
  const first = startWorkbench();
  const groq = await addEndpoint(first, 'Groq');
  expect(groq).toBe(4);
  const promptId = await addPrompt(first);
  await first.call('evals:saveSuite', {
    promptId,
    defaultAssertions: [{ type: 'llm-judge', rubric: 'States one true fact.', judge: { providerId: groq, model: 'llama-3.1-8b' } }],
    cases: [
      { variables: { topic: 'tides' }, assertions: [{ type: 'llm-judge', rubric: 'Names the moon.', judge: { providerId: 1, model: 'gpt-4o-mini' }, threshold: 0.8 }] },
      { variables: { topic: 'volcanoes' } },
    ],
  });
  const files = new Map<TestCaseFormat, string>();
  for (const format of FORMATS) files.set(format, (await first.call('evals:export', { promptId, format })).text);
  return files;
}

/** The judges a file holds, as written, once each: CSV's in its `assert` cells, the others' wherever a `judge` key is. */
function writtenJudges(format: TestCaseFormat, text: string): unknown[] {
  const documents: unknown[] =
    format === 'csv'
      ? (parse(text, { columns: true }) as Record<string, string>[]).map((row) => JSON.parse(row.assert || '[]') as unknown)
      : format === 'jsonl'
        ? text.trim().split('\n').map((line) => JSON.parse(line) as unknown)
        : [parseYaml(text)];
  const found = new Map<string, unknown>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'judge') found.set(JSON.stringify(inner), inner);
        else walk(inner);
      }
    }
  };
  walk(documents);
  return [...found.entries()].sort(([left], [right]) => left.localeCompare(right)).map(([, judge]) => judge);
}

/** Every judge a suite's checks name, once each (CSV and JSONL fold the default checks into each case). */
function judgesOf(result: TestCaseImportResult): { rubric: string; judge: RunTarget }[] {
  const assertions: Assertion[] = [...result.suite.defaultAssertions, ...result.suite.cases.flatMap((testCase) => testCase.assertions)];
  const seen = new Map<string, { rubric: string; judge: RunTarget }>();
  for (const assertion of assertions) if (assertion.type === 'llm-judge') seen.set(assertion.rubric, { rubric: assertion.rubric, judge: assertion.judge });
  return [...seen.values()].sort((left, right) => left.rubric.localeCompare(right.rubric));
}

/** What an import of each format did: the judges it gave, its cases and problems (their line, which only YAML files have, left off). */
async function importEach(workbench: Workbench, files: Map<TestCaseFormat, string>, judge?: RunTarget) {
  const promptId = await addPrompt(workbench);
  const outcomes: Record<string, unknown> = {};
  for (const format of FORMATS) {
    const result = await workbench.call('evals:import', { promptId, format, text: files.get(format) ?? '', mode: 'replace', ...(judge !== undefined && { judge }) });
    outcomes[format] = {
      imported: result.imported,
      judges: judgesOf(result),
      problems: result.problems.map((problem) => `${problem.field}: ${problem.message.replace(/ \(line \d+\)$/, '')}`),
    };
  }
  return outcomes;
}

/** The same outcome for every format, but the field each format puts a check's judge at. */
function inEveryFormat(outcome: (field: string) => unknown): Record<string, unknown> {
  const fields: Record<TestCaseFormat, string> = {
    csv: 'assert[0].judge',
    jsonl: 'assert[0].judge',
    yaml: 'defaultAssertions[0].judge',
    'prompt-yml': 'x-workbench.defaultAssertions[0].assertion.judge',
    promptfoo: 'defaultTest.assert[0]',
  };
  return Object.fromEntries(FORMATS.map((format) => [format, outcome(fields[format])]));
}

const FACT = 'States one true fact.';
const MOON = 'Names the moon.';

describe('LLM judges in test-case files', () => {
  it('are written by provider name and kind, with no provider id, in every format', async () => {
    const files = await exportsOfFirstMachine();
    expect(Object.fromEntries(FORMATS.map((format) => [format, { hasId: /providerId/.test(files.get(format) ?? ''), judges: writtenJudges(format, files.get(format) ?? '') }]))).toStrictEqual(
      Object.fromEntries(
        FORMATS.map((format) => [
          format,
          {
            hasId: false,
            judges: [
              { provider: 'Groq', kind: 'openai-compatible', model: 'llama-3.1-8b' },
              { provider: 'OpenAI', kind: 'openai', model: 'gpt-4o-mini' },
            ],
          },
        ]),
      ),
    );
    // One format whole, to show the shape.
    expect(files.get('jsonl')).toBe(
      [
        '{"vars":{"topic":"tides"},"assert":[{"type":"llm-judge","rubric":"States one true fact.","judge":{"provider":"Groq","kind":"openai-compatible","model":"llama-3.1-8b"}},{"type":"llm-judge","rubric":"Names the moon.","judge":{"provider":"OpenAI","kind":"openai","model":"gpt-4o-mini"},"threshold":0.8}]}',
        '{"vars":{"topic":"volcanoes"},"assert":[{"type":"llm-judge","rubric":"States one true fact.","judge":{"provider":"Groq","kind":"openai-compatible","model":"llama-3.1-8b"}}]}',
        '',
      ].join('\n'),
    );
  });

  it('import on another machine to the provider of that name, whatever its id there', async () => {
    const files = await exportsOfFirstMachine();
    const second = startWorkbench();
    expect([await addEndpoint(second, 'LM Studio'), await addEndpoint(second, 'groq')]).toStrictEqual([4, 5]);
    expect(await importEach(second, files)).toStrictEqual(
      inEveryFormat(() => ({
        imported: 2,
        judges: [
          { rubric: MOON, judge: { providerId: 1, model: 'gpt-4o-mini' } },
          { rubric: FACT, judge: { providerId: 5, model: 'llama-3.1-8b' } },
        ],
        problems: [],
      })),
    );
  });

  it('import to the one provider of the same kind when none has that name, saying so', async () => {
    const files = await exportsOfFirstMachine();
    const second = startWorkbench();
    expect(await addEndpoint(second, 'Groq cloud')).toBe(4);
    expect(await importEach(second, files)).toStrictEqual(
      inEveryFormat((field) => ({
        imported: 2,
        judges: [
          { rubric: MOON, judge: { providerId: 1, model: 'gpt-4o-mini' } },
          { rubric: FACT, judge: { providerId: 4, model: 'llama-3.1-8b' } },
        ],
        problems: [`${field}: The judge "Groq · llama-3.1-8b" is not configured here: the check was imported to be graded by Groq cloud · llama-3.1-8b, the only openai-compatible provider here`],
      })),
    );
  });

  it('are graded by the import’s judge when neither name nor kind finds one, with a note naming both', async () => {
    const files = await exportsOfFirstMachine();
    const second = startWorkbench();
    // Two endpoints of its kind: the file’s Groq is neither.
    await addEndpoint(second, 'Fireworks');
    await addEndpoint(second, 'Together');
    const settingsJudge = { providerId: 2, model: 'claude-haiku-4-5' };
    const chosenJudge = { providerId: 1, model: 'gpt-4.1-nano' };
    await second.call('settings:update', { judge: settingsJudge });
    const gradedBy = (judge: RunTarget, origin: string) =>
      inEveryFormat((field) => ({
        imported: 2,
        judges: [
          { rubric: MOON, judge: { providerId: 1, model: 'gpt-4o-mini' } },
          { rubric: FACT, judge },
        ],
        problems: [`${field}: The judge "Groq · llama-3.1-8b" is not configured here: the check was imported to be graded by ${origin}`],
      }));
    expect(await importEach(second, files, settingsJudge)).toStrictEqual(gradedBy(settingsJudge, 'the judge in Settings, Anthropic · claude-haiku-4-5'));
    expect(await importEach(second, files, chosenJudge)).toStrictEqual(gradedBy(chosenJudge, 'the judge chosen in Import, OpenAI · gpt-4.1-nano'));
  });

  it('are reported, naming the judge that is missing and how to fix it, when nothing here can grade them; the cases import', async () => {
    const files = await exportsOfFirstMachine();
    const second = startWorkbench();
    await addEndpoint(second, 'Fireworks');
    await addEndpoint(second, 'Together');
    const missing = 'The judge "Groq · llama-3.1-8b" is not configured here: add a provider named "Groq" in Settings → Providers, or choose a judge to grade it (Settings → Judge, "Grade model-graded checks with" in Import, or --judge in workbench eval)';
    const without = { imported: 2, judges: [{ rubric: MOON, judge: { providerId: 1, model: 'gpt-4o-mini' } }] };
    expect(await importEach(second, files)).toStrictEqual({
      // The default check is in every row of these two.
      csv: { ...without, problems: [`assert[0].judge: ${missing}; the case was imported without it`, `assert[0].judge: ${missing}; the case was imported without it`] },
      jsonl: { ...without, problems: [`assert[0].judge: ${missing}; the case was imported without it`, `assert[0].judge: ${missing}; the case was imported without it`] },
      yaml: { ...without, problems: [`defaultAssertions[0].judge: ${missing}; the default checks were imported without it`] },
      'prompt-yml': { ...without, problems: [`x-workbench.defaultAssertions[0].assertion.judge: ${missing}; it was not imported`] },
      promptfoo: { ...without, problems: [`defaultTest.assert[0]: ${missing}; the default assertions were imported without it`] },
    });
  });

  it('refuse a judge that is not one, at its field, and the case with it', async () => {
    const workbench = startWorkbench();
    const promptId = await addPrompt(workbench);
    const line = (judge: string) => `{"vars":{"topic":"tides"},"assert":[{"type":"llm-judge","rubric":"Names the moon.","judge":${judge}}]}`;
    const text = [line('"OpenAI"'), line('{"provider":"OpenAI","kind":"openai"}'), line('{"provider":7,"model":"gpt-4o-mini"}'), line('{"provider":"OpenAI","model":"gpt-4o-mini","region":"eu"}'), line('{"provider":"OpenAI","model":"gpt-4o-mini"}')].join('\n');
    const result = await workbench.call('evals:import', { promptId, format: 'jsonl', text });
    expect({ imported: result.imported, judges: judgesOf(result), problems: result.problems.map((problem) => [problem.row, problem.field, problem.message]) }).toStrictEqual({
      imported: 1,
      judges: [{ rubric: MOON, judge: { providerId: 1, model: 'gpt-4o-mini' } }],
      problems: [
        [1, 'assert[0].judge', 'The judge must be a map with its provider, kind and model, not text'],
        [2, 'assert[0].judge', 'The judge needs its "model"'],
        [3, 'assert[0].judge.provider', 'The judge’s "provider" must be text, not a number'],
        [4, 'assert[0].judge.region', 'The judge has no "region": it takes provider, kind and model'],
      ],
    });
  });

  it('saved by number, as older files were, is the built-in provider for numbers 1 to 3 and is never trusted for others', async () => {
    const second = startWorkbench();
    // On this machine 4 is LM Studio; in the file it was whatever the writer had added first.
    expect(await addEndpoint(second, 'LM Studio')).toBe(4);
    const jsonl = [
      '{"vars":{"topic":"tides"},"assert":[{"type":"llm-judge","rubric":"Names the moon.","judge":{"providerId":1,"model":"gpt-4o-mini"}}]}',
      '{"vars":{"topic":"volcanoes"},"assert":[{"type":"llm-judge","rubric":"States one true fact.","judge":{"providerId":4,"model":"llama-3.1-8b"}}]}',
    ].join('\n');
    const promptYml = [
      'testData:',
      '  - topic: tides',
      'x-workbench:',
      '  version: 1',
      '  defaultAssertions:',
      '    - position: 0',
      '      assertion: { type: llm-judge, rubric: States one true fact., judge: { providerId: 4, model: llama-3.1-8b } }',
      '  cases:',
      '    - row: 0',
      '      assertions:',
      '        - { type: llm-judge, rubric: Names the moon., judge: { providerId: 1, model: gpt-4o-mini } }',
    ].join('\n');
    const promptId = await addPrompt(second);
    const read = async (format: TestCaseFormat, text: string, judge?: RunTarget) => {
      const result = await second.call('evals:import', { promptId, format, text, mode: 'replace', ...(judge !== undefined && { judge }) });
      return { judges: judgesOf(result), problems: result.problems.map((problem) => [problem.row, problem.field, problem.message]) };
    };
    const builtIn = 'This check’s judge is saved by number (1), as older files were: that is the built-in openai provider on every machine, so the check was imported to be graded by OpenAI · gpt-4o-mini';
    const byNumber = 'This check’s judge (llama-3.1-8b) is saved as provider number 4, which only means something on the machine that wrote the file';
    const fix = 'choose a judge to grade it (Settings → Judge, "Grade model-graded checks with" in Import, or --judge in workbench eval)';
    expect({
      jsonl: await read('jsonl', jsonl),
      jsonlJudged: await read('jsonl', jsonl, { providerId: 2, model: 'claude-haiku-4-5' }),
      promptYml: await read('prompt-yml', promptYml),
    }).toStrictEqual({
      jsonl: {
        judges: [{ rubric: MOON, judge: { providerId: 1, model: 'gpt-4o-mini' } }],
        problems: [
          [1, 'assert[0].judge', builtIn],
          [2, 'assert[0].judge', `${byNumber}: ${fix}; the case was imported without it`],
        ],
      },
      jsonlJudged: {
        judges: [
          { rubric: MOON, judge: { providerId: 1, model: 'gpt-4o-mini' } },
          { rubric: FACT, judge: { providerId: 2, model: 'claude-haiku-4-5' } },
        ],
        problems: [
          [1, 'assert[0].judge', builtIn],
          [2, 'assert[0].judge', `${byNumber}: the check was imported to be graded by the judge chosen in Import, Anthropic · claude-haiku-4-5`],
        ],
      },
      promptYml: {
        judges: [{ rubric: MOON, judge: { providerId: 1, model: 'gpt-4o-mini' } }],
        problems: [
          [1, 'x-workbench.defaultAssertions[0].assertion.judge', `${byNumber}: ${fix}; it was not imported (line 7)`],
          [1, 'x-workbench.cases[0].assertions[0].judge', `${builtIn} (line 11)`],
        ],
      },
    });
  });
});
