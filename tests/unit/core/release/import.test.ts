import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInRubric } from '../../../../electron/core/evals/model-graded';
import { makeTempDir } from '../../support';
import { parse } from 'yaml';
import { git, gitEnvironment, makeRepository, promptContent, startReleaseEngine } from './release-harness';

/** Writes `files` (relative path -> text) under a new folder; returns it. */
function folderWith(files: Record<string, string>): string {
  const folder = makeTempDir();
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
    fs.writeFileSync(path.join(folder, file), text);
  }
  return folder;
}

const SUMMARIZER = [
  'name: Summarizer',
  'description: Summaries for busy people',
  'model: openai/gpt-4o-mini',
  'modelParameters:',
  '  temperature: 0.2',
  'messages:',
  '  - role: system',
  '    content: You summarize.',
  '  - role: user',
  '    content: "Summarize: {{text}}"',
  'testData:',
  '  - text: The tide came in.',
  '    expected: Tide rose.',
  'evaluators:',
  '  - name: Mentions the tide',
  '    string:',
  '      contains: tide',
  '',
].join('\n');

const version = (topic: string) => `name: Support\nmodel: openai/gpt-4o\nmessages:\n  - role: user\n    content: Answer about ${topic}\n`;

const PROMPTFOO = [
  'description: Greeting checks',
  'prompts:',
  '  - file://greeting.txt',
  '  - label: Chat greeter',
  '    raw: \'[{"role": "system", "content": "You greet."}, {"role": "user", "content": "Greet {{name}}"}]\'',
  '  - file://missing.txt',
  'providers:',
  '  - openai:chat:gpt-4o-mini',
  'tests:',
  '  - vars:',
  '      name: Ada',
  '    assert:',
  '      - type: icontains',
  '        value: ada',
  '',
].join('\n');

/** The first five lines of a prompt file with one user message. */
const head = (name: string, content: string) => [`name: ${name}`, 'model: openai/gpt-4o-mini', 'messages:', '  - role: user', `    content: ${content}`];

/** The Echo prompt file up to its extension's version: two testData rows (hi, bye), then `x-workbench:`. */
const echoWithExtension = () => [...head('Echo', 'Say {{word}}.'), 'testData:', '  - word: hi', '  - word: bye', 'x-workbench:', '  version: 1'];

describe('importing prompt files', () => {
  it('creates prompts from .prompt.yml files, version folders and promptfoo configs, and reports a malformed file by line', async () => {
    const folder = folderWith({
      'prompts/summarizer.prompt.yml': SUMMARIZER,
      'prompts/broken.prompt.yml': 'name: Broken\nmodel: x\nmessages:\n  - role: robot\n    content: hi\n',
      'prompts/support/v1.prompt.yml': version('billing'),
      'prompts/support/v2.prompt.yml': version('billing and refunds'),
      'evals/promptfooconfig.yaml': PROMPTFOO,
      'evals/greeting.txt': 'Say hello to {{name}}.\n',
      'node_modules/ignored.prompt.yml': SUMMARIZER,
    });
    const harness = startReleaseEngine(gitEnvironment());
    const report = await harness.call('release:import', { path: folder });
    const library = await harness.call('prompts:list', {});
    const summarizer = library.find((prompt) => prompt.slug === 'summarizer');
    const support = library.find((prompt) => prompt.slug === 'support');
    const greeter = library.find((prompt) => prompt.slug === 'chat-greeter');
    const strip = (entries: typeof report.created) => entries.map(({ promptId, ...entry }) => ({ ...entry, hasPrompt: promptId !== null }));
    expect({
      folder: report.folder,
      created: strip(report.created),
      updated: report.updated,
      skipped: report.skipped,
      problems: report.problems,
      library: library.map((prompt) => `${prompt.slug}: ${prompt.name} (${prompt.versionCount})`),
      summarizerSuite: summarizer && (await harness.call('evals:suite', { promptId: summarizer.id })).cases.map(({ variables, expected }) => ({ variables, expected })),
      summarizerDefaults: summarizer && (await harness.call('evals:suite', { promptId: summarizer.id })).defaultAssertions,
      summarizerDraft: summarizer && (await harness.call('prompts:get', { id: summarizer.id })).draft.variables,
      support: support && (await harness.call('versions:get', { promptId: support.id, number: 2 })).content.messages,
      greeter: greeter && (await harness.call('versions:get', { promptId: greeter.id, number: 1 })).content,
    }).toStrictEqual({
      folder,
      created: [
        {
          file: 'evals/promptfooconfig.yaml (prompts[0])',
          name: 'greeting',
          versionNumber: 1,
          reason: 'New prompt with 1 version; test suite imported (1 test case, 0 default assertions)',
          hasPrompt: true,
        },
        {
          file: 'evals/promptfooconfig.yaml (prompts[1])',
          name: 'Chat greeter',
          versionNumber: 1,
          reason: 'New prompt with 1 version; test suite imported (1 test case, 0 default assertions)',
          hasPrompt: true,
        },
        { file: 'prompts/summarizer.prompt.yml', name: 'Summarizer', versionNumber: 1, reason: 'New prompt with 1 version; test suite imported (1 test case, 1 default assertion)', hasPrompt: true },
        { file: 'prompts/support/', name: 'Support', versionNumber: 2, reason: 'New prompt with 2 versions', hasPrompt: true },
      ],
      updated: [],
      skipped: [],
      problems: [
        { file: 'evals/promptfooconfig.yaml', line: 6, column: 5, message: "prompts[2]: cannot read file://missing.txt: ENOENT: no such file or directory, stat '" + path.join(folder, 'evals', 'missing.txt') + "'" },
        { file: 'prompts/broken.prompt.yml', line: 4, column: 11, message: 'messages[0].role: Unknown role "robot": use system, user or assistant' },
      ],
      library: ['chat-greeter: Chat greeter (1)', 'greeting: greeting (1)', 'summarizer: Summarizer (1)', 'support: Support (2)'],
      summarizerSuite: [{ variables: { text: 'The tide came in.' }, expected: 'Tide rose.' }],
      summarizerDefaults: [{ type: 'icontains', value: 'tide', label: 'Mentions the tide' }],
      summarizerDraft: { text: 'The tide came in.' },
      support: [{ role: 'user', content: 'Answer about billing and refunds' }],
      greeter: {
        model: 'openai/gpt-4o-mini',
        parameters: {},
        messages: [
          { role: 'system', content: 'You greet.' },
          { role: 'user', content: 'Greet {{name}}' },
        ],
      },
    });
  });

  it('skips what is unchanged, adds a version for changed content and keeps an unsaved draft', async () => {
    const folder = folderWith({ 'summarizer.prompt.yml': SUMMARIZER });
    const harness = startReleaseEngine(gitEnvironment());
    await harness.call('release:import', { path: folder });
    const again = await harness.call('release:import', { path: folder });
    const [prompt] = await harness.call('prompts:list', {});
    const detail = await harness.call('prompts:get', { id: prompt.id });
    const typing = { ...detail.draft.content, messages: [...detail.draft.content.messages, { role: 'assistant' as const, content: 'Summary:' }] };
    await harness.call('drafts:save', { promptId: prompt.id, content: typing, variables: { text: 'typed' } });
    fs.writeFileSync(path.join(folder, 'summarizer.prompt.yml'), SUMMARIZER.replace('You summarize.', 'You summarize in one line.'));
    const changed = await harness.call('release:import', { path: folder });
    const after = await harness.call('prompts:get', { id: prompt.id });
    expect({
      again: { created: again.created.length, updated: again.updated.length, skipped: again.skipped.map((entry) => entry.reason) },
      changed: { updated: changed.updated.map((entry) => [entry.versionNumber, entry.reason]), skipped: changed.skipped.length },
      versions: after.versions.map((item) => `v${item.number} ${item.note}`),
      draft: { content: after.draft.content, variables: after.draft.variables, baseVersion: after.draft.baseVersion },
      v2: (await harness.call('versions:get', { promptId: prompt.id, number: 2 })).content.messages[0].content,
    }).toStrictEqual({
      again: { created: 0, updated: 0, skipped: ['Unchanged; summarizer.prompt.yml has the content of v1'] },
      changed: { updated: [[2, 'New version v2; your unsaved draft was kept']], skipped: 0 },
      versions: ['v2 Imported from summarizer.prompt.yml', 'v1 Imported from summarizer.prompt.yml'],
      draft: { content: typing, variables: { text: 'typed' }, baseVersion: 2 },
      v2: 'You summarize in one line.',
    });
  });

  it('numbers the name of a new prompt another prompt has, says so, and reports each prompt by its own name when read again', async () => {
    const folder = folderWith({
      'a.prompt.yml': head('Same name', 'First').join('\n'),
      'b.prompt.yml': head('Same name', 'Second').join('\n'),
      'c.prompt.yml': head('summarizer', 'Third').join('\n'),
    });
    const harness = startReleaseEngine(gitEnvironment());
    await harness.addPrompt('Summarizer', promptContent('Made in the app'));
    const entries = (list: { file: string; promptId: number | null; name: string; reason: string }[]) => list.map((entry) => [entry.file, entry.promptId, entry.name, entry.reason]);
    const first = await harness.call('release:import', { path: folder });
    const again = await harness.call('release:import', { path: folder });
    const library = await harness.call('prompts:list', {});
    expect({
      created: entries(first.created),
      again: { created: again.created.length, updated: again.updated.length, skipped: entries(again.skipped) },
      library: library.map((prompt) => [prompt.id, prompt.slug, prompt.name]),
    }).toStrictEqual({
      created: [
        ['a.prompt.yml', 2, 'Same name', 'New prompt with 1 version'],
        ['b.prompt.yml', 3, 'Same name 2', 'New prompt with 1 version; named “Same name 2”, as another prompt is named “Same name”'],
        ['c.prompt.yml', 4, 'summarizer 2', 'New prompt with 1 version; named “summarizer 2”, as another prompt is named “Summarizer”'],
      ],
      again: {
        created: 0,
        updated: 0,
        skipped: [
          ['a.prompt.yml', 2, 'Same name', 'Unchanged; a.prompt.yml has the content of v1'],
          ['b.prompt.yml', 3, 'Same name 2', 'Unchanged; b.prompt.yml has the content of v1'],
          ['c.prompt.yml', 4, 'summarizer 2', 'Unchanged; c.prompt.yml has the content of v1'],
        ],
      },
      library: [
        [2, 'a', 'Same name'],
        [3, 'b', 'Same name 2'],
        [1, 'summarizer', 'Summarizer'],
        [4, 'c', 'summarizer 2'],
      ],
    });
  });

  it('keeps a prompt’s test suite when a file read again has none of its test cases or checks readable', async () => {
    const folder = folderWith({ 'summarizer.prompt.yml': SUMMARIZER });
    const harness = startReleaseEngine(gitEnvironment());
    await harness.call('release:import', { path: folder });
    const [prompt] = await harness.call('prompts:list', {});
    const before = await harness.call('evals:suite', { promptId: prompt.id });
    const unreadable = SUMMARIZER.replace('  - text: The tide came in.\n    expected: Tide rose.\n', '  - The tide came in.\n').replace(
      '  - name: Mentions the tide\n    string:\n      contains: tide\n',
      '  - 42\n',
    );
    expect(unreadable).not.toBe(SUMMARIZER);
    fs.writeFileSync(path.join(folder, 'summarizer.prompt.yml'), unreadable);
    const again = await harness.call('release:import', { path: folder });
    const after = await harness.call('evals:suite', { promptId: prompt.id });
    expect({ cases: after.cases.length, defaults: after.defaultAssertions.length }).toStrictEqual({ cases: 1, defaults: 1 });
    expect(after.cases.map((testCase) => testCase.variables)).toStrictEqual(before.cases.map((testCase) => testCase.variables));
    const reasons = [...again.updated, ...again.skipped].map((entry) => entry.reason).join('\n');
    expect(reasons).toMatch(/its test suite was kept, as none of the file’s test cases or checks could be read/);
    expect(reasons).toMatch(/summarizer\.prompt\.yml: test 1 \(testData\[0\]\)/);
  });

  it('imports a released repository back into the same versions and test suites', async () => {
    const environment = gitEnvironment();
    const repository = makeRepository(environment);
    const source = startReleaseEngine(environment);
    const content = promptContent('tides', { parameters: { temperature: 0.5, stop: ['###'] } });
    const promptId = await source.addPrompt('Tide explainer', content);
    const suite = await source.call('evals:saveSuite', {
      promptId,
      defaultAssertions: [{ type: 'regex', pattern: '\\bmoon\\b', flags: 'i' }, { type: 'is-json', isNegated: true }],
      cases: [{ variables: { subject: 'neap tides' }, expected: 'Neap tides are small.', tags: ['basics'], assertions: [{ type: 'word-count', max: 50 }] }],
    });
    await source.call('approvals:approve', { promptId, versionNumber: 1, note: '' });
    await source.call('release:connect', { path: repository });
    await source.call('release:run', { items: [{ promptId, versionNumber: 1 }] });

    const target = startReleaseEngine(environment);
    const report = await target.call('release:import', { path: repository });
    const [imported] = await target.call('prompts:list', {});
    const importedSuite = await target.call('evals:suite', { promptId: imported.id });
    const shape = (value: typeof suite) => ({
      defaultAssertions: value.defaultAssertions,
      cases: value.cases.map(({ description, variables, expected, tags, assertions }) => ({ description, variables, expected, tags, assertions })),
    });
    expect({
      created: report.created.map((entry) => entry.file),
      problems: report.problems,
      slug: imported.slug,
      content: (await target.call('versions:get', { promptId: imported.id, number: 1 })).content,
      suite: shape(importedSuite),
    }).toStrictEqual({
      created: ['prompts/tide-explainer.prompt.yml'],
      problems: [],
      slug: 'tide-explainer',
      content,
      suite: shape(suite),
    });
  });

  it('names a released LLM judge’s provider, and finds it by that name on another machine, else grades with the judge in Settings and says so', async () => {
    const environment = gitEnvironment();
    const repository = makeRepository(environment);
    const source = startReleaseEngine(environment);
    const endpoint = (label: string) => ({ kind: 'openai-compatible' as const, label, baseUrl: 'http://127.0.0.1:9/v1', keySource: 'none' as const });
    const groq = await source.call('providers:save', endpoint('Groq'));
    const promptId = await source.addPrompt('Tide explainer', promptContent('tides'));
    await source.call('evals:saveSuite', {
      promptId,
      defaultAssertions: [{ type: 'llm-judge', rubric: 'States one true fact.', judge: { providerId: groq.id, model: 'llama-3.1-8b' } }],
      cases: [{ variables: { subject: 'neap tides' }, assertions: [{ type: 'llm-judge', rubric: 'Names the moon.', judge: { providerId: 1, model: 'gpt-4o-mini' } }] }],
    });
    await source.call('approvals:approve', { promptId, versionNumber: 1, note: '' });
    await source.call('release:connect', { path: repository });
    const { commit } = await source.call('release:run', { items: [{ promptId, versionNumber: 1 }] });
    const released = git(environment, repository, 'show', `${commit}:prompts/tide-explainer.prompt.yml`);
    const extension = (parse(released) as { 'x-workbench': { defaultAssertions: { assertion: { judge: unknown } }[]; cases: { assertions: { judge: unknown }[] }[] } })['x-workbench'];
    expect({
      hasId: released.includes('providerId'),
      judges: [extension.defaultAssertions[0].assertion.judge, extension.cases[0].assertions[0].judge],
    }).toStrictEqual({
      hasId: false,
      judges: [
        { provider: 'Groq', kind: 'openai-compatible', model: 'llama-3.1-8b' },
        { provider: 'OpenAI', kind: 'openai', model: 'gpt-4o-mini' },
      ],
    });

    /** The repository imported on a machine set up by `setUp`: the judges of the suite, and what the report says of the file. */
    const importOn = async (setUp: (target: ReturnType<typeof startReleaseEngine>) => Promise<unknown>) => {
      const target = startReleaseEngine(environment);
      await setUp(target);
      const report = await target.call('release:import', { path: repository });
      const [imported] = await target.call('prompts:list', {});
      const suite = await target.call('evals:suite', { promptId: imported.id });
      const judges = [...suite.defaultAssertions, ...suite.cases.flatMap((testCase) => testCase.assertions)].map((assertion) => (assertion.type === 'llm-judge' ? assertion.judge : null));
      return { judges, reasons: report.created.map((entry) => entry.reason), problems: report.problems };
    };
    // A machine that numbers its providers otherwise: Groq is 5 there.
    const byName = await importOn(async (target) => {
      await target.call('providers:save', endpoint('LM Studio'));
      await target.call('providers:save', endpoint('Groq'));
    });
    // A machine without Groq, whose judge in Settings is Anthropic's.
    const bySettings = await importOn(async (target) => {
      await target.call('providers:save', endpoint('LM Studio'));
      await target.call('providers:save', endpoint('vLLM'));
      await target.call('settings:update', { judge: { providerId: 2, model: 'claude-haiku-4-5' } });
    });
    const created = byName.reasons[0];
    expect({ byName, bySettings }).toStrictEqual({
      byName: {
        judges: [
          { providerId: 5, model: 'llama-3.1-8b' },
          { providerId: 1, model: 'gpt-4o-mini' },
        ],
        reasons: [created],
        problems: [],
      },
      bySettings: {
        judges: [
          { providerId: 2, model: 'claude-haiku-4-5' },
          { providerId: 1, model: 'gpt-4o-mini' },
        ],
        reasons: [
          `${created}; prompts/tide-explainer.prompt.yml: default check 1 (x-workbench.defaultAssertions[0].assertion.judge): The judge "Groq · llama-3.1-8b" is not configured here: the check was imported to be graded by the judge in Settings, Anthropic · claude-haiku-4-5 (line 22)`,
        ],
        problems: [],
      },
    });
  });

  it("grades a file's github/coherence and llm-rubric checks with the judge set in Settings, and reports them without one", async () => {
    const coherent = [...SUMMARIZER.trimEnd().split('\n'), '  - name: Coherent', '    uses: github/coherence', ''].join('\n');
    const rubric = PROMPTFOO.replace('        value: ada\n', '        value: ada\n      - type: llm-rubric\n        value: Greets warmly\n');
    const folder = folderWith({ 'summarizer.prompt.yml': coherent, 'greeter/promptfooconfig.yaml': rubric, 'greeter/greeting.txt': 'Hello {{name}}' });
    const harness = startReleaseEngine(gitEnvironment());
    const reported = await harness.call('release:import', { path: folder });
    expect(reported.created.map((entry) => entry.reason).join('\n')).toMatch(/"Coherent" \(github\/coherence\) is graded by a model: choose a judge to import it \(Settings → Judge/);
    // The file's problem names the line the evaluator is on.
    expect(reported.created.find((entry) => entry.name === 'Summarizer')?.reason).toMatch(/summarizer\.prompt\.yml: evaluator 2 \(evaluators\[1\]\.uses\): .*\(line 19\)/);
    expect(reported.created.map((entry) => entry.reason).join('\n')).toMatch(/"llm-rubric" is graded by a model/);
    // A judge whose provider is unknown is refused; an OpenAI one is kept and used from then on.
    expect(await harness.failure('settings:update', { judge: { providerId: 99, model: 'gpt-4o-mini' } })).toMatchObject({ code: 'not-found' });
    const judge = { providerId: 1, model: 'gpt-4o-mini' };
    expect((await harness.call('settings:update', { judge })).judge).toStrictEqual(judge);
    const other = startReleaseEngine(gitEnvironment());
    await other.call('settings:update', { judge });
    const judged = await other.call('release:import', { path: folder });
    expect(judged.created.map((entry) => entry.reason).join('\n')).not.toMatch(/graded by a model/);
    const prompts = await other.call('prompts:list', {});
    const defaultsOf = async (name: string) => (await other.call('evals:suite', { promptId: prompts.find((prompt) => prompt.name === name)?.id as number })).defaultAssertions;
    expect(await defaultsOf('Summarizer')).toStrictEqual([
      { type: 'icontains', value: 'tide', label: 'Mentions the tide' },
      { type: 'llm-judge', rubric: builtInRubric('coherence'), judge, label: 'Coherent' },
    ]);
    const greeter = prompts.find((prompt) => prompt.name === 'Chat greeter');
    const greeterCases = (await other.call('evals:suite', { promptId: greeter?.id as number })).cases;
    expect(greeterCases[0].assertions).toStrictEqual([
      { type: 'icontains', value: 'ada' },
      { type: 'llm-judge', rubric: 'Greets warmly', judge },
    ]);
    // Removing the judge's provider forgets the judge; removing another leaves it.
    const added = await other.call('providers:save', { kind: 'openai-compatible', label: 'Local judge', baseUrl: 'http://127.0.0.1:1/v1' });
    const spare = await other.call('providers:save', { kind: 'openai-compatible', label: 'Spare', baseUrl: 'http://127.0.0.1:2/v1' });
    const localJudge = { providerId: added.id, model: 'qwen2.5' };
    await other.call('settings:update', { judge: localJudge });
    await other.call('providers:remove', { id: spare.id });
    expect((await other.call('settings:get', {})).judge).toStrictEqual(localJudge);
    await other.call('providers:remove', { id: added.id });
    expect((await other.call('settings:get', {})).judge).toBeNull();
  });

  it('imports a file whose test data holds a row that is not a map and an evaluator that is not one either, reporting each at its line', async () => {
    const folder = folderWith({
      'rows.prompt.yml': [
        ...head('Rows', 'Tell me about {{topic}}.'),
        'testData:',
        '  - topic: volcanoes',
        '  - just a string instead of a row',
        '  - topic: glaciers',
        '    expected: ice',
        'evaluators:',
        '  - name: Mentions lava',
        '    string:',
        '      contains: lava',
        '  - 42',
        '  - name: Empty check',
        '    string:',
        "      contains: ''",
      ].join('\n'),
    });
    const harness = startReleaseEngine(gitEnvironment());
    const report = await harness.call('release:import', { path: folder });
    const prompt = (await harness.call('prompts:list', {}))[0];
    const suite = await harness.call('evals:suite', { promptId: prompt.id });
    expect({
      created: report.created.map(({ file, name, versionNumber, reason }) => ({ file, name, versionNumber, reason })),
      problems: report.problems,
      cases: suite.cases.map(({ variables, expected }) => ({ variables, expected })),
      defaults: suite.defaultAssertions,
    }).toStrictEqual({
      created: [
        {
          file: 'rows.prompt.yml',
          name: 'Rows',
          versionNumber: 1,
          reason:
            'New prompt with 1 version; test suite imported (2 test cases, 1 default assertion); rows.prompt.yml: evaluator 2 (evaluators[1]): An evaluator must be a map, not a number (line 15); rows.prompt.yml: evaluator 3 (evaluators[2].string): "Empty check" has no string check (equals, contains, startsWith or endsWith) (line 17); rows.prompt.yml: test 2 (testData[1]): A testData item must be a map of variable values, not text (line 8)',
        },
      ],
      problems: [],
      cases: [
        { variables: { topic: 'volcanoes' }, expected: null },
        { variables: { topic: 'glaciers' }, expected: 'ice' },
      ],
      defaults: [{ type: 'icontains', value: 'lava', label: 'Mentions lava' }],
    });
  });

  it('reports a regex check that does not compile at its line and leaves it out, in prompt files and promptfoo configs', async () => {
    const folder = folderWith({
      'echo.prompt.yml': [
        ...echoWithExtension(),
        '  cases:',
        '    - row: 0',
        '      assertions:',
        '        - type: regex',
        "          pattern: '('",
      ].join('\n'),
      'greeter/promptfooconfig.yaml': PROMPTFOO.replace('      - type: icontains\n        value: ada\n', "      - type: regex\n        value: '(unclosed'\n"),
      'greeter/greeting.txt': 'Hello {{name}}',
    });
    const harness = startReleaseEngine(gitEnvironment());
    const report = await harness.call('release:import', { path: folder });
    const prompts = await harness.call('prompts:list', {});
    const casesOf = async (name: string) => (await harness.call('evals:suite', { promptId: prompts.find((prompt) => prompt.name === name)?.id as number })).cases.map((testCase) => testCase.variables);
    expect({
      reasons: report.created.map((entry) => `${entry.name}: ${entry.reason}`),
      echo: await casesOf('Echo'),
      greeting: await casesOf('greeting'),
    }).toStrictEqual({
      reasons: [
        'Echo: New prompt with 1 version; test suite imported (1 test case, 0 default assertions); echo.prompt.yml: test 1 (x-workbench.cases[0].assertions[0].pattern): The regular expression /(/ is invalid: Unterminated group (line 15)',
        'greeting: New prompt with 1 version; greeter/promptfooconfig.yaml: test 1 (assert[0].value): The regular expression /(unclosed/ is invalid: Unterminated group (line 14)',
        'Chat greeter: New prompt with 1 version; greeter/promptfooconfig.yaml: test 1 (assert[0].value): The regular expression /(unclosed/ is invalid: Unterminated group (line 14)',
      ],
      echo: [{ word: 'bye' }],
      greeting: [],
    });
  });

  it('reports a JSON schema check that does not compile at its line and leaves it out, in prompt files and promptfoo configs', async () => {
    const folder = folderWith({
      'echo.prompt.yml': [
        ...echoWithExtension(),
        '  cases:',
        '    - row: 0',
        '      assertions:',
        '        - type: json-schema',
        '          schema: \'{"required": "word"}\'',
      ].join('\n'),
      'greeter/promptfooconfig.yaml': PROMPTFOO.replace('      - type: icontains\n        value: ada\n', '      - type: is-json\n        value:\n          type: strng\n'),
      'greeter/greeting.txt': 'Hello {{name}}',
    });
    const harness = startReleaseEngine(gitEnvironment());
    const report = await harness.call('release:import', { path: folder });
    const prompts = await harness.call('prompts:list', {});
    const casesOf = async (name: string) => (await harness.call('evals:suite', { promptId: prompts.find((prompt) => prompt.name === name)?.id as number })).cases.map((testCase) => testCase.variables);
    const typeNames = 'array, boolean, integer, null, number, object, string';
    expect({
      reasons: report.created.map((entry) => `${entry.name}: ${entry.reason}`),
      echo: await casesOf('Echo'),
      greeting: await casesOf('greeting'),
    }).toStrictEqual({
      reasons: [
        'Echo: New prompt with 1 version; test suite imported (1 test case, 0 default assertions); echo.prompt.yml: test 1 (x-workbench.cases[0].assertions[0].schema): The JSON schema does not compile: /required must be array (line 15)',
        `greeting: New prompt with 1 version; greeter/promptfooconfig.yaml: test 1 (assert[0].value): The JSON schema does not compile: /type must be one of: ${typeNames} (line 14)`,
        `Chat greeter: New prompt with 1 version; greeter/promptfooconfig.yaml: test 1 (assert[0].value): The JSON schema does not compile: /type must be one of: ${typeNames} (line 14)`,
      ],
      echo: [{ word: 'bye' }],
      greeting: [],
    });
  });

  it('names an unlabelled inline promptfoo prompt by the description of its config, else by the start of its text, not by the folder', async () => {
    const inline = (description: string | null, prompts: string[]) =>
      [...(description === null ? [] : [`description: ${description}`]), 'prompts:', ...prompts.map((prompt) => `  - '${prompt}'`), 'providers:', '  - openai:chat:gpt-4o-mini', ''].join('\n');
    const folder = folderWith({
      'files/one/promptfooconfig.yaml': inline('Tone checks', ['Rewrite {{text}} politely']),
      'files/two/promptfooconfig.yaml': inline('Summaries', ['Summarize {{text}}', 'Summarize {{text}} in one line']),
      'files/three/promptfooconfig.yaml': inline(null, ['Translate {{text}} into French, keeping every name and number exactly as it is', '[{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Answer {{question}}"}]']),
    });
    const harness = startReleaseEngine(gitEnvironment());
    const report = await harness.call('release:import', { path: folder });
    expect(report.created.map((entry) => `${entry.file}: ${entry.name}`)).toStrictEqual([
      'files/one/promptfooconfig.yaml (prompts[0]): Tone checks',
      'files/three/promptfooconfig.yaml (prompts[0]): Translate {{text}} into French, keeping every…',
      'files/three/promptfooconfig.yaml (prompts[1]): Answer {{question}}',
      'files/two/promptfooconfig.yaml (prompts[0]): Summaries 1',
      'files/two/promptfooconfig.yaml (prompts[1]): Summaries 2',
    ]);
  });

  it('imports a testData key that is a near miss of a prompt variable as written, naming the variable meant; other extra keys stay quiet', async () => {
    const folder = folderWith({
      'quiz.prompt.yml': [
        ...head('Quiz', 'Answer {{question}}.'),
        'testData:',
        '  - qestion: Why is the sky blue?',
        '  - question: How far is the moon?',
        '    source: almanac',
        'evaluators:',
        '  - name: Cites',
        '    string:',
        '      contains: "{{source}}"',
      ].join('\n'),
    });
    const harness = startReleaseEngine(gitEnvironment());
    const report = await harness.call('release:import', { path: folder });
    const prompt = (await harness.call('prompts:list', {}))[0];
    const suite = await harness.call('evals:suite', { promptId: prompt.id });
    expect({ reasons: report.created.map((entry) => entry.reason), problems: report.problems, cases: suite.cases.map((testCase) => testCase.variables) }).toStrictEqual({
      reasons: [
        'New prompt with 1 version; test suite imported (2 test cases, 0 default assertions); quiz.prompt.yml: test 1 (testData[0].qestion): The prompt has no {{qestion}} variable: did you mean {{question}}? A case with no value for it cannot run; the values were imported anyway (line 7)',
      ],
      problems: [],
      cases: [{ qestion: 'Why is the sky blue?' }, { question: 'How far is the moon?', source: 'almanac' }],
    });
  });

  it('names expected when a testData key is a near miss of it and the row has no expected output, and imports the row as written', async () => {
    const folder = folderWith({
      'quiz.prompt.yml': [...head('Quiz', 'Answer {{question}}.'), 'testData:', '  - question: Why is the sky blue?', '    expcted: Rayleigh scattering', '  - question: How far is the moon?', '    expected: Far'].join('\n'),
    });
    const harness = startReleaseEngine(gitEnvironment());
    const report = await harness.call('release:import', { path: folder });
    const prompt = (await harness.call('prompts:list', {}))[0];
    const suite = await harness.call('evals:suite', { promptId: prompt.id });
    expect({ reasons: report.created.map((entry) => entry.reason), problems: report.problems, cases: suite.cases.map(({ variables, expected }) => ({ variables, expected })) }).toStrictEqual({
      reasons: [
        'New prompt with 1 version; test suite imported (2 test cases, 0 default assertions); quiz.prompt.yml: test 1 (testData[0].expcted): The prompt has no {{expcted}} variable: did you mean expected? A case has no expected output without it; the values were imported anyway (line 8)',
      ],
      problems: [],
      cases: [
        { variables: { question: 'Why is the sky blue?', expcted: 'Rayleigh scattering' }, expected: null },
        { variables: { question: 'How far is the moon?' }, expected: 'Far' },
      ],
    });
  });

  it('reports a file that is not UTF-8 at its line and imports nothing of it, rather than turning its letters into "�"', async () => {
    const folder = folderWith({ 'ok.prompt.yml': version('tea') });
    fs.writeFileSync(path.join(folder, 'latin1.prompt.yml'), Buffer.from('name: Latin1\nmodel: openai/gpt-4o\nmessages:\n  - role: user\n    content: caf\xe9\n', 'latin1'));
    const harness = startReleaseEngine(gitEnvironment());
    const report = await harness.call('release:import', { path: folder });
    expect({ created: report.created.map((entry) => entry.file), problems: report.problems }).toStrictEqual({
      created: ['ok.prompt.yml'],
      problems: [{ file: 'latin1.prompt.yml', line: 5, column: 1, message: 'The file is not UTF-8 text (perhaps Latin-1 or Windows-1252): save it as UTF-8 and import it again; not imported' }],
    });
  });

  it('imports nothing of a file with a key the format does not have, reporting it at its line with the key meant, and leaves the file as it was', async () => {
    const typo = ['name: Unknown field', 'model: openai/gpt-4o-mini', 'temperatur: 0.3', 'responseFormat: json', 'messages:', '  - role: user', '    content: Hi', ''].join('\n');
    // A misspelt check would be dropped, and the evaluator would check nothing.
    const evaluatorTypo = ['name: Evaluator typo', 'model: openai/gpt-4o-mini', 'messages:', '  - role: user', '    content: Hi', 'evaluators:', '  - name: Greets', '    string:', '      contians: hello', ''].join('\n');
    const folder = folderWith({ 'ok.prompt.yml': version('tea'), 'unknown-field.prompt.yml': typo, 'evaluator-typo.prompt.yml': evaluatorTypo });
    const harness = startReleaseEngine(gitEnvironment());
    const report = await harness.call('release:import', { path: folder });
    const library = await harness.call('prompts:list', {});
    expect({
      created: report.created.map((entry) => entry.file),
      skipped: report.skipped.map((entry) => entry.file),
      problems: report.problems,
      library: library.map((prompt) => prompt.name),
      file: fs.readFileSync(path.join(folder, 'unknown-field.prompt.yml'), 'utf8'),
    }).toStrictEqual({
      created: ['ok.prompt.yml'],
      skipped: [],
      problems: [
        { file: 'evaluator-typo.prompt.yml', line: 9, column: 7, message: 'Unknown key "evaluators[0].string.contians": did you mean evaluators[0].string.contains?' },
        { file: 'unknown-field.prompt.yml', line: 3, column: 1, message: 'Unknown key "temperatur": did you mean modelParameters.temperature?' },
        { file: 'unknown-field.prompt.yml', line: 4, column: 17, message: 'responseFormat: must be text, json_object or json_schema, not "json"' },
      ],
      library: ['Support'],
      file: typo,
    });
  });

  it('imports GitHub Models’ response formats into the version, and refuses json_schema without its jsonSchema at its line', async () => {
    const schemaFile = [
      ...head('Animal', 'Describe a {{animal}}'),
      'responseFormat: json_schema',
      'jsonSchema: |-',
      '  {',
      '    "name": "describe_animal",',
      '    "strict": true,',
      '    "schema": { "type": "object", "properties": { "name": { "type": "string" } }, "required": ["name"], "additionalProperties": false }',
      '  }',
      '',
    ].join('\n');
    const objectFile = [...head('Facts', 'A fact about {{animal}}'), 'responseFormat: json_object', ''].join('\n');
    const missing = [...head('Missing', 'Hi'), 'responseFormat: json_schema', ''].join('\n');
    const folder = folderWith({ 'animal.prompt.yml': schemaFile, 'facts.prompt.yml': objectFile, 'missing.prompt.yml': missing });
    const harness = startReleaseEngine(gitEnvironment());
    const report = await harness.call('release:import', { path: folder });
    const library = await harness.call('prompts:list', {});
    const formatOf = async (slug: string) => (await harness.call('versions:get', { promptId: library.find((prompt) => prompt.slug === slug)?.id ?? 0, number: 1 })).content.responseFormat;
    expect({
      created: report.created.map((entry) => entry.file),
      problems: report.problems,
      animal: await formatOf('animal'),
      facts: await formatOf('facts'),
    }).toStrictEqual({
      created: ['animal.prompt.yml', 'facts.prompt.yml'],
      problems: [
        {
          file: 'missing.prompt.yml',
          line: 6,
          column: 17,
          message: 'responseFormat: json_schema needs a jsonSchema: add one, JSON text of name, strict and schema, as GitHub Models writes it (jsonSchema: |- followed by the JSON, indented)',
        },
      ],
      animal: { type: 'json_schema', name: 'describe_animal', schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false } },
      facts: { type: 'json_object' },
    });
  });

  it('says so of a symbolic link named like a prompt file, which it does not follow', async () => {
    const folder = folderWith({ 'ok.prompt.yml': version('tea'), 'elsewhere/real.txt': version('coffee') });
    fs.symlinkSync(path.join(folder, 'elsewhere', 'real.txt'), path.join(folder, 'linked.prompt.yml'));
    const harness = startReleaseEngine(gitEnvironment());
    const report = await harness.call('release:import', { path: folder });
    expect({ created: report.created.map((entry) => entry.file), problems: report.problems }).toStrictEqual({
      created: ['ok.prompt.yml'],
      problems: [
        {
          file: 'linked.prompt.yml',
          line: 1,
          column: 1,
          message: 'This is a symbolic link, which import does not follow: copy the file here, or import the folder it points to; not imported',
        },
      ],
    });
  });

  it('explains a folder that does not exist or holds no prompt files', async () => {
    const harness = startReleaseEngine(gitEnvironment());
    const empty = folderWith({ 'README.md': '# nothing here\n' });
    expect({
      missing: await harness.failure('release:import', { path: path.join(empty, 'nope') }),
      empty: await harness.failure('release:import', { path: empty }),
      relative: await harness.failure('release:import', { path: 'prompts' }),
    }).toStrictEqual({
      missing: { code: 'not-found', message: `The folder ${path.join(empty, 'nope')} does not exist` },
      empty: { code: 'not-found', message: `${empty} holds no .prompt.yml files and no promptfoo config` },
      relative: { code: 'invalid-input', message: 'Give the full path of the folder to import (like /home/you/work/prompts)' },
    });
  });
});
