import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME } from '../../../../electron/core/engine';
import { readPromptDocument, schemaProblems } from '../../../../electron/core/release/release-document';
import { makeTempDir } from '../../support';
import { addBareRemote, git, gitEnvironment, gitStatus, IDENTITY, makeRepository, promptContent, startReleaseEngine } from './release-harness';
import { NO_JUDGE } from '../evals/file-judges';

const T_APPROVED = '2025-03-01T09:00:00.000Z';

describe('releasing an approved version', () => {
  it('commits exactly the prompt file with the approval note, tags it, and the file reads back into the same version and suite', async () => {
    const environment = gitEnvironment();
    const repository = makeRepository(environment);
    const harness = startReleaseEngine(environment);
    const content = promptContent('tides', { parameters: { temperature: 0.3, maxTokens: 400, topP: 0.9, stop: ['END'] } });
    const promptId = await harness.addPrompt('Tide explainer', content);
    await harness.call('prompts:describe', { id: promptId, description: 'Explains tides to visitors' });
    await harness.call('evals:saveSuite', {
      promptId,
      defaultAssertions: [{ type: 'icontains', value: 'moon' }, { type: 'word-count', max: 120 }],
      cases: [
        { variables: { subject: 'spring tides' }, expected: 'Spring tides happen near full and new moon.', description: 'Spring tides', tags: ['basics'] },
        { variables: { subject: 'tidal bores' } },
      ],
    });
    const approval = await harness.call('approvals:approve', { promptId, versionNumber: 1, note: 'Checked by the visitor centre' });
    const connected = await harness.call('release:connect', { path: repository });
    const head = git(environment, repository, 'rev-parse', 'HEAD').trim();
    const result = await harness.call('release:run', { items: [{ promptId, versionNumber: 1 }] });

    const released = git(environment, repository, 'show', `${result.commit}:prompts/tide-explainer.prompt.yml`);
    const read = readPromptDocument(released, 'prompts/tide-explainer.prompt.yml', NO_JUDGE);
    const suite = await harness.call('evals:suite', { promptId });
    expect({
      approval,
      connected,
      commit: {
        parent: git(environment, repository, 'rev-parse', `${result.commit}^`).trim(),
        isHead: git(environment, repository, 'rev-parse', 'HEAD').trim() === result.commit,
        log: git(environment, repository, 'log', '-1', '--format=%an <%ae>%n%B', result.commit),
        files: git(environment, repository, 'show', '--format=', '--name-status', result.commit),
      },
      tags: git(environment, repository, 'tag', '-n9'),
      tagType: git(environment, repository, 'cat-file', '-t', 'tide-explainer/v1').trim(),
      tagTarget: git(environment, repository, 'rev-parse', 'tide-explainer/v1^{commit}').trim() === result.commit,
      status: git(environment, repository, 'status', '--porcelain'),
      workingFile: fs.readFileSync(path.join(repository, 'prompts', 'tide-explainer.prompt.yml'), 'utf8') === released,
      schemaProblems: schemaProblems(parse(released)),
      readBack: read.ok && {
        name: read.document.name,
        description: read.document.description,
        content: read.document.content,
        defaultAssertions: read.document.defaultAssertions,
        cases: read.document.cases,
      },
      records: result.records.map(({ id, commit, ...record }) => ({ ...record, isCommit: commit === result.commit, hasId: id > 0 })),
      push: [result.push, result.pushMessage],
    }).toStrictEqual({
      approval: { promptId, versionNumber: 1, note: 'Checked by the visitor centre', approvedBy: IDENTITY.name, approvedAt: T_APPROVED, gate: null },
      connected: {
        settings: { path: fs.realpathSync(repository), folder: 'prompts', remote: null, branch: null },
        currentBranch: 'main',
        head,
        remotes: [],
        problem: null,
      },
      commit: {
        parent: head,
        isHead: true,
        log: `${IDENTITY.name} <${IDENTITY.email}>\nRelease Tide explainer v1\n\nChecked by the visitor centre\n\n`,
        files: 'A\tprompts/tide-explainer.prompt.yml\n',
      },
      tags: 'tide-explainer/v1 Tide explainer v1\n    \n    Checked by the visitor centre\n',
      tagType: 'tag',
      tagTarget: true,
      status: '',
      workingFile: true,
      schemaProblems: [],
      readBack: {
        name: 'Tide explainer',
        description: 'Explains tides to visitors',
        content,
        defaultAssertions: suite.defaultAssertions,
        cases: suite.cases.map(({ description, variables, expected, tags, assertions }) => ({ description, variables, expected, tags, assertions })),
      },
      records: [
        {
          promptId,
          promptSlug: 'tide-explainer',
          promptName: 'Tide explainer',
          versionNumber: 1,
          note: 'Checked by the visitor centre',
          repositoryPath: fs.realpathSync(repository),
          filePath: 'prompts/tide-explainer.prompt.yml',
          tag: 'tide-explainer/v1',
          branch: 'main',
          remote: null,
          push: 'not-requested',
          pushMessage: null,
          releasedAt: T_APPROVED,
          isCommit: true,
          hasId: true,
        },
      ],
      push: ['not-requested', null],
    });
    expect(released).toBe(
      [
        'name: Tide explainer',
        'description: Explains tides to visitors',
        'model: openai/gpt-4o-mini',
        'modelParameters:',
        '  temperature: 0.3',
        '  maxTokens: 400',
        '  topP: 0.9',
        'messages:',
        '  - role: system',
        '    content: |-',
        '      You write about tides.',
        '      Be brief.',
        '  - role: user',
        '    content: Tell me about {{subject}}',
        'testData:',
        '  - subject: spring tides',
        '    expected: Spring tides happen near full and new moon.',
        '  - subject: tidal bores',
        'evaluators:',
        '  - name: icontains "moon"',
        '    string:',
        '      contains: moon',
        'x-workbench:',
        '  version: 1',
        '  defaultAssertions:',
        '    - position: 1',
        '      assertion:',
        '        type: word-count',
        '        max: 120',
        '  cases:',
        '    - row: 0',
        '      description: Spring tides',
        '      tags:',
        '        - basics',
        'x-workbench-model-parameters:',
        '  stop:',
        '    - END',
        '',
      ].join('\n'),
    );
  });

  it('leaves staged and unstaged changes of the user exactly as they were, and commits only its own path', async () => {
    const environment = gitEnvironment();
    const repository = makeRepository(environment);
    fs.writeFileSync(path.join(repository, 'README.md'), '# Team prompts\n\nStaged line.\n');
    fs.writeFileSync(path.join(repository, 'notes.txt'), 'new and staged\n');
    git(environment, repository, 'add', 'README.md', 'notes.txt');
    fs.writeFileSync(path.join(repository, 'README.md'), '# Team prompts\n\nStaged line.\nUnstaged line.\n');
    fs.writeFileSync(path.join(repository, 'scratch.txt'), 'untracked\n');
    const before = {
      staged: git(environment, repository, 'diff', '--cached'),
      unstaged: git(environment, repository, 'diff'),
      status: git(environment, repository, 'status', '--porcelain'),
    };

    const harness = startReleaseEngine(environment);
    const promptId = await harness.addPrompt('Greeter', promptContent('greetings'));
    await harness.call('approvals:approve', { promptId, versionNumber: 1, note: '' });
    await harness.call('release:connect', { path: repository });
    const result = await harness.call('release:run', { items: [{ promptId, versionNumber: 1 }] });

    expect({
      staged: git(environment, repository, 'diff', '--cached'),
      unstaged: git(environment, repository, 'diff'),
      status: git(environment, repository, 'status', '--porcelain'),
      committed: git(environment, repository, 'show', '--format=%s', '--name-only', result.commit),
    }).toStrictEqual({ ...before, committed: 'Release Greeter v1\n\nprompts/greeter.prompt.yml\n' });
  });

  it('previews exactly the diff it then commits, for several prompts in one commit with a tag each', async () => {
    const environment = gitEnvironment();
    const repository = makeRepository(environment);
    const harness = startReleaseEngine(environment);
    const first = await harness.addPrompt('Alpha', promptContent('alpha'));
    const second = await harness.addPrompt('Beta', promptContent('beta'));
    await harness.call('approvals:approve', { promptId: first, versionNumber: 1, note: 'First release' });
    await harness.call('approvals:approve', { promptId: second, versionNumber: 1, note: 'Also ready' });
    await harness.call('release:connect', { path: repository, folder: 'ai/prompts' });
    await harness.call('release:run', { items: [{ promptId: first, versionNumber: 1 }] });
    await harness.call('versions:save', { promptId: first, content: promptContent('alpha, revised'), variables: {}, note: 'Revised' });
    await harness.call('approvals:approve', { promptId: first, versionNumber: 2, note: 'Revised wording' });

    const items = [
      { promptId: first, versionNumber: 2 },
      { promptId: second, versionNumber: 1 },
    ];
    const preview = await harness.call('release:preview', { items });
    const statusBeforeRelease = git(environment, repository, 'status', '--porcelain');
    const result = await harness.call('release:run', { items });
    expect({
      files: preview.files,
      message: preview.message,
      statusBeforeRelease,
      diffIsExact: preview.diff === git(environment, repository, 'show', '--format=', '--no-color', result.commit),
      changedLines: preview.diff.split('\n').filter((line) => /^[-+] .*You write about/.test(line)),
      log: git(environment, repository, 'log', '--format=%s', '-n', '2'),
      tags: git(environment, repository, 'tag', '--points-at', result.commit),
      history: (await harness.call('release:history', {})).map((record) => `${record.tag} ${record.commit === result.commit ? 'HEAD' : record.commit.slice(0, 7)}`),
    }).toStrictEqual({
      files: [
        { promptId: first, promptName: 'Alpha', versionNumber: 2, filePath: 'ai/prompts/alpha.prompt.yml', tag: 'alpha/v2', change: 'modified', warnings: [] },
        { promptId: second, promptName: 'Beta', versionNumber: 1, filePath: 'ai/prompts/beta.prompt.yml', tag: 'beta/v1', change: 'added', warnings: [] },
      ],
      message: 'Release 2 prompts\n\n- Alpha v2: Revised wording\n- Beta v1: Also ready',
      statusBeforeRelease: '',
      diffIsExact: true,
      changedLines: ['-      You write about alpha.', '+      You write about alpha, revised.', '+      You write about beta.'],
      log: 'Release 2 prompts\nRelease Alpha v1\n',
      tags: 'alpha/v2\nbeta/v1\n',
      history: ['beta/v1 HEAD', 'alpha/v2 HEAD', expect.stringMatching(/^alpha\/v1 [0-9a-f]{7}$/)],
    });
  });
});

describe('a file in the repository that is not the prompt’s own', () => {
  it('is flagged in the preview, by its name or for want of a release here, and replaced only once the user confirms it', async () => {
    const environment = gitEnvironment();
    const repository = makeRepository(environment);
    // A teammate’s files where Greeter and Farewell would be released.
    fs.mkdirSync(path.join(repository, 'prompts'));
    fs.writeFileSync(path.join(repository, 'prompts', 'greeter.prompt.yml'), 'name: Someone else\nmodel: openai/gpt-4o\nmessages:\n  - role: user\n    content: Hi\n');
    fs.writeFileSync(path.join(repository, 'prompts', 'farewell.prompt.yml'), 'name: Farewell\nmodel: openai/gpt-4o\nmessages:\n  - role: user\n    content: Bye\n');
    git(environment, repository, 'add', 'prompts');
    git(environment, repository, 'commit', '--quiet', '-m', 'Team prompts');
    const harness = startReleaseEngine(environment);
    const greeter = await harness.addPrompt('Greeter', promptContent('greetings'));
    const farewell = await harness.addPrompt('Farewell', promptContent('farewells'));
    const fresh = await harness.addPrompt('Fresh', promptContent('news'));
    for (const promptId of [greeter, farewell, fresh]) await harness.call('approvals:approve', { promptId, versionNumber: 1, note: 'Ready' });
    await harness.call('release:connect', { path: repository });
    const items = [
      { promptId: greeter, versionNumber: 1 },
      { promptId: farewell, versionNumber: 1 },
      { promptId: fresh, versionNumber: 1 },
    ];
    const preview = await harness.call('release:preview', { items });
    const head = git(environment, repository, 'rev-parse', 'HEAD');
    const refused = await harness.failure('release:run', { items, fingerprint: preview.fingerprint, replacing: ['prompts/farewell.prompt.yml'] });
    const headAfterRefusal = git(environment, repository, 'rev-parse', 'HEAD');
    await harness.call('release:run', { items, fingerprint: preview.fingerprint, replacing: ['prompts/greeter.prompt.yml', 'prompts/farewell.prompt.yml'] });
    // Released from this prompt now: its next release replaces its own file, unflagged.
    await harness.call('versions:save', { promptId: greeter, content: promptContent('greetings, revised'), variables: {}, note: 'Revised' });
    await harness.call('approvals:approve', { promptId: greeter, versionNumber: 2, note: 'Revised' });
    const next = await harness.call('release:preview', { items: [{ promptId: greeter, versionNumber: 2 }] });
    expect({
      flagged: preview.files.map((file) => [file.filePath, file.change, file.replacesOther]),
      refused,
      headUnmoved: head === headAfterRefusal,
      next: next.files.map((file) => [file.change, file.replacesOther]),
    }).toStrictEqual({
      flagged: [
        ['prompts/greeter.prompt.yml', 'modified', 'prompts/greeter.prompt.yml exists and was not released from this prompt: its name is “Someone else”; Commit replaces it'],
        ['prompts/farewell.prompt.yml', 'modified', 'prompts/farewell.prompt.yml exists and was not released from this prompt: no release of “Farewell” wrote it here; Commit replaces it'],
        ['prompts/fresh.prompt.yml', 'added', undefined],
      ],
      refused: {
        code: 'conflict',
        message: 'prompts/greeter.prompt.yml exists and was not released from this prompt: its name is “Someone else”; Commit replaces it: preview the release and tick “Replace it” to commit. Nothing was written.',
      },
      headUnmoved: true,
      next: [['modified', undefined]],
    });
  });
});

describe('a released suite whose judge lost its provider', () => {
  it('is previewed with a warning naming the check and where to fix it; a suite whose judges are all here has none', async () => {
    const environment = gitEnvironment();
    const repository = makeRepository(environment);
    const harness = startReleaseEngine(environment);
    const promptId = await harness.addPrompt('Support', promptContent('support'));
    const judge = await harness.call('providers:save', { kind: 'openai-compatible', label: 'Judge', baseUrl: 'http://127.0.0.1:9/v1' });
    await harness.call('evals:saveSuite', {
      promptId,
      defaultAssertions: [{ type: 'llm-judge', rubric: 'The answer is polite.', judge: { providerId: judge.id, model: 'judge-mini' }, label: 'Polite' }],
      cases: [{ description: 'Hello', variables: {}, assertions: [] }],
    });
    await harness.call('approvals:approve', { promptId, versionNumber: 1, note: 'Ready' });
    await harness.call('release:connect', { path: repository, folder: 'prompts' });
    const items = [{ promptId, versionNumber: 1 }];
    const before = await harness.call('release:preview', { items });
    await harness.call('providers:remove', { id: judge.id });
    const after = await harness.call('release:preview', { items });
    expect([before.files[0].warnings, after.files[0].warnings]).toStrictEqual([
      [],
      [
        'The judge of check 1 (“Polite”) in the default checks has no provider (it was removed in Settings › Providers): the file names its model alone, so no tool can tell where to grade it. Choose another judge in Evals › Test cases, then preview again',
      ],
    ]);
  });
});

describe('when Git holds its index', () => {
  it('refuses to preview or release while another Git process holds the index lock, writing nothing; after it is gone the release stands and the next commit of the user keeps it', async () => {
    const environment = gitEnvironment();
    const repository = makeRepository(environment);
    const harness = startReleaseEngine(environment);
    const promptId = await harness.addPrompt('Summarizer', promptContent('summaries'));
    await harness.call('approvals:approve', { promptId, versionNumber: 1, note: '' });
    await harness.call('release:connect', { path: repository });
    const lock = path.join(repository, '.git', 'index.lock');
    fs.writeFileSync(lock, '');
    const state = () => ({
      head: git(environment, repository, 'rev-parse', 'HEAD').trim(),
      status: gitStatus(environment, repository, 'status', '--porcelain', '--untracked-files=all').output,
      index: git(environment, repository, 'ls-files', '--stage'),
      tags: git(environment, repository, 'tag', '--list'),
      hasFolder: fs.existsSync(path.join(repository, 'prompts')),
    });
    const before = state();
    const refusals = {
      preview: await harness.failure('release:preview', { items: [{ promptId, versionNumber: 1 }] }),
      release: await harness.failure('release:run', { items: [{ promptId, versionNumber: 1 }] }),
    };
    const whileLocked = { ...state(), lock: fs.existsSync(lock), releases: (await harness.call('release:history', {})).length };
    fs.rmSync(lock);
    const result = await harness.call('release:run', { items: [{ promptId, versionNumber: 1 }] });
    const statusAfterRelease = git(environment, repository, 'status', '--porcelain', '--untracked-files=all');
    // The user's next ordinary commit must not undo the release.
    fs.writeFileSync(path.join(repository, 'notes.txt'), 'notes\n');
    git(environment, repository, 'add', 'notes.txt');
    git(environment, repository, 'commit', '--quiet', '-m', 'Notes');
    const message = `Another Git process seems to be running in ${fs.realpathSync(repository)} (.git/index.lock exists): wait for it to finish, or remove the lock if it crashed. Nothing was written.`;
    expect({
      refusals,
      whileLocked,
      statusAfterRelease,
      userCommit: git(environment, repository, 'show', '--format=', '--name-status', 'HEAD'),
      tree: git(environment, repository, 'ls-tree', '-r', '--name-only', 'HEAD'),
      tag: git(environment, repository, 'tag', '--points-at', result.commit),
      statusAfterUserCommit: git(environment, repository, 'status', '--porcelain', '--untracked-files=all'),
    }).toStrictEqual({
      refusals: { preview: { code: 'conflict', message }, release: { code: 'conflict', message } },
      whileLocked: { ...before, lock: true, releases: 0 },
      statusAfterRelease: '',
      userCommit: 'A\tnotes.txt\n',
      tree: 'README.md\nnotes.txt\nprompts/summarizer.prompt.yml\n',
      tag: 'summarizer/v1\n',
      statusAfterUserCommit: '',
    });
  });

  it('finds the index lock of a linked worktree in its own git folder', async () => {
    const environment = gitEnvironment();
    const repository = makeRepository(environment);
    const worktree = path.join(path.dirname(repository), 'second');
    git(environment, repository, 'worktree', 'add', '--quiet', '-b', 'side', worktree);
    const harness = startReleaseEngine(environment);
    const promptId = await harness.addPrompt('Summarizer', promptContent('summaries'));
    await harness.call('approvals:approve', { promptId, versionNumber: 1, note: '' });
    await harness.call('release:connect', { path: worktree });
    const lock = path.join(repository, '.git', 'worktrees', 'second', 'index.lock');
    fs.writeFileSync(lock, '');
    const refused = await harness.failure('release:preview', { items: [{ promptId, versionNumber: 1 }] });
    fs.rmSync(lock);
    // The main working tree's lock is not the worktree's.
    fs.writeFileSync(path.join(repository, '.git', 'index.lock'), '');
    const result = await harness.call('release:run', { items: [{ promptId, versionNumber: 1 }] });
    expect({
      refused,
      released: git(environment, worktree, 'show', '--format=%s', '--name-only', result.commit),
      status: git(environment, worktree, 'status', '--porcelain', '--untracked-files=all'),
    }).toStrictEqual({
      refused: {
        code: 'conflict',
        message: `Another Git process seems to be running in ${fs.realpathSync(worktree)} (${path.join(fs.realpathSync(repository), '.git', 'worktrees', 'second', 'index.lock')} exists): wait for it to finish, or remove the lock if it crashed. Nothing was written.`,
      },
      released: 'Release Summarizer v1\n\nprompts/summarizer.prompt.yml\n',
      status: '',
    });
  });

  it('undoes the commit and the tags already made when a later tag cannot be made, leaving the repository as it was', async () => {
    const environment = gitEnvironment();
    const repository = makeRepository(environment);
    const harness = startReleaseEngine(environment);
    const first = await harness.addPrompt('Customer support', promptContent('support'));
    const second = await harness.addPrompt('Summarizer', promptContent('summaries'));
    await harness.call('approvals:approve', { promptId: first, versionNumber: 1, note: '' });
    await harness.call('approvals:approve', { promptId: second, versionNumber: 1, note: '' });
    await harness.call('release:connect', { path: repository });
    fs.writeFileSync(path.join(repository, 'README.md'), '# Team prompts, staged edit\n');
    git(environment, repository, 'add', 'README.md');
    // Another Git process takes the second tag's lock just after the commit.
    const hook = path.join(repository, '.git', 'hooks', 'post-commit');
    fs.writeFileSync(hook, '#!/bin/sh\nmkdir -p "$(git rev-parse --git-dir)/refs/tags/summarizer"\n: > "$(git rev-parse --git-dir)/refs/tags/summarizer/v1.lock"\n', { mode: 0o755 });
    const state = () => ({
      head: git(environment, repository, 'rev-parse', 'HEAD').trim(),
      branchLog: git(environment, repository, 'log', '--format=%s', 'main'),
      status: git(environment, repository, 'status', '--porcelain', '--untracked-files=all'),
      index: git(environment, repository, 'ls-files', '--stage'),
      tags: git(environment, repository, 'tag', '--list'),
      hasFolder: fs.existsSync(path.join(repository, 'prompts')),
    });
    const before = state();
    const error = await harness.failure('release:run', { items: [{ promptId: first, versionNumber: 1 }, { promptId: second, versionNumber: 1 }] });
    const lock = path.join(repository, '.git', 'refs', 'tags', 'summarizer', 'v1.lock');
    expect({
      error: { code: error.code, message: error.message.replaceAll(fs.realpathSync(repository), '<repo>') },
      after: state(),
      releases: await harness.call('release:history', {}),
    }).toStrictEqual({
      error: {
        code: 'conflict',
        message:
          "Could not create the tag summarizer/v1 (fatal: cannot lock ref 'refs/tags/summarizer/v1': Unable to create '<repo>/.git/refs/tags/summarizer/v1.lock': File exists.). " +
          'The release was undone: its commit and tags were removed and the files put back, so nothing was released.',
      },
      after: before,
      releases: [],
    });
    expect(fs.existsSync(lock)).toBe(true);
  });
});

describe('a release confirmed after its preview', () => {
  it('is refused, changing nothing, when its approval was withdrawn or what it would commit changed since the preview; a new preview releases', async () => {
    const environment = gitEnvironment();
    const repository = makeRepository(environment);
    const harness = startReleaseEngine(environment);
    const promptId = await harness.addPrompt('Summarizer', promptContent('summaries'));
    const items = [{ promptId, versionNumber: 1 }];
    await harness.call('approvals:approve', { promptId, versionNumber: 1, note: 'Checked' });
    await harness.call('release:connect', { path: repository });
    const state = () => ({
      head: git(environment, repository, 'rev-parse', 'HEAD').trim(),
      status: git(environment, repository, 'status', '--porcelain', '--untracked-files=all'),
      tags: git(environment, repository, 'tag', '--list'),
    });
    const before = state();

    // Withdrawn in another window after the preview.
    const first = await harness.call('release:preview', { items });
    await harness.call('approvals:withdraw', { promptId, versionNumber: 1 });
    const withdrawn = await harness.failure('release:run', { items, fingerprint: first.fingerprint });
    // Approved again with another note: the commit message would differ from the preview's.
    await harness.call('approvals:approve', { promptId, versionNumber: 1, note: 'Checked again' });
    const noteChanged = await harness.failure('release:run', { items, fingerprint: first.fingerprint });
    // The description is part of the released file.
    const second = await harness.call('release:preview', { items });
    await harness.call('prompts:describe', { id: promptId, description: 'Summaries for the support team' });
    const described = await harness.failure('release:run', { items, fingerprint: second.fingerprint });
    const afterRefusals = { ...state(), releases: (await harness.call('release:history', {})).length };

    const third = await harness.call('release:preview', { items });
    const result = await harness.call('release:run', { items, fingerprint: third.fingerprint });
    const changed =
      'What this release would commit changed since its preview (an approval note, a description, the test cases or the file in the repository): preview again to see it. Nothing was written.';
    expect({
      withdrawn,
      noteChanged,
      described,
      afterRefusals,
      fingerprints: new Set([first.fingerprint, second.fingerprint, third.fingerprint]).size,
      released: git(environment, repository, 'show', '--format=%B', '--no-patch', result.commit),
      description: git(environment, repository, 'show', `${result.commit}:prompts/summarizer.prompt.yml`).split('\n')[1],
    }).toStrictEqual({
      withdrawn: { code: 'conflict', message: 'v1 of Summarizer is not approved: approve it before releasing it' },
      noteChanged: { code: 'conflict', message: changed },
      described: { code: 'conflict', message: changed },
      afterRefusals: { ...before, releases: 0 },
      fingerprints: 3,
      released: 'Release Summarizer v1\n\nChecked again\n\n',
      description: 'description: Summaries for the support team',
    });
  });
});

describe('prompts named in other scripts', () => {
  it('are released under their own names (prompts/摘要.prompt.yml, tag 摘要/v1), previewed exactly, and imported back to the same prompts', async () => {
    const environment = gitEnvironment();
    const repository = makeRepository(environment);
    const harness = startReleaseEngine(environment);
    const chinese = await harness.addPrompt('摘要', promptContent('摘要'));
    const russian = await harness.addPrompt('Резюме писем', promptContent('письма'));
    const items = [{ promptId: chinese, versionNumber: 1 }, { promptId: russian, versionNumber: 1 }];
    for (const item of items) await harness.call('approvals:approve', { ...item, note: '' });
    await harness.call('release:connect', { path: repository });
    const preview = await harness.call('release:preview', { items });
    const result = await harness.call('release:run', { items, fingerprint: preview.fingerprint });
    const show = (...args: string[]) => git(environment, repository, '-c', 'core.quotePath=false', ...args);

    const target = startReleaseEngine(environment);
    const report = await target.call('release:import', { path: repository });
    expect({
      files: preview.files.map((file) => [file.filePath, file.tag]),
      diffIsExact: preview.diff === show('show', '--format=', '--no-color', result.commit),
      committed: show('show', '--format=', '--name-only', result.commit),
      tags: show('tag', '--list'),
      tagTargets: ['摘要/v1', 'резюме-писем/v1'].map((tag) => git(environment, repository, 'rev-parse', `${tag}^{commit}`).trim() === result.commit),
      status: git(environment, repository, 'status', '--porcelain', '--untracked-files=all'),
      imported: (await target.call('prompts:list', {})).map((prompt) => [prompt.slug, prompt.name]),
      created: report.created.map((entry) => entry.file),
    }).toStrictEqual({
      files: [
        ['prompts/摘要.prompt.yml', '摘要/v1'],
        ['prompts/резюме-писем.prompt.yml', 'резюме-писем/v1'],
      ],
      diffIsExact: true,
      committed: 'prompts/резюме-писем.prompt.yml\nprompts/摘要.prompt.yml\n',
      tags: 'резюме-писем/v1\n摘要/v1\n',
      tagTargets: [true, true],
      status: '',
      imported: [
        ['резюме-писем', 'Резюме писем'],
        ['摘要', '摘要'],
      ],
      created: ['prompts/резюме-писем.prompt.yml', 'prompts/摘要.prompt.yml'],
    });
  });
});

describe('pushing a release', () => {
  it('pushes the branch and the tags to the remote', async () => {
    const environment = gitEnvironment();
    const repository = makeRepository(environment);
    const remote = addBareRemote(environment, repository);
    const harness = startReleaseEngine(environment);
    const promptId = await harness.addPrompt('Summarizer', promptContent('summaries'));
    await harness.call('approvals:approve', { promptId, versionNumber: 1, note: 'Ship it' });
    await harness.call('release:connect', { path: repository, remote: 'origin', branch: 'main' });
    const result = await harness.call('release:run', { items: [{ promptId, versionNumber: 1 }], isPushing: true });
    expect({
      push: [result.push, result.pushMessage],
      remoteMain: git(environment, remote, 'rev-parse', 'main').trim() === result.commit,
      remoteTag: git(environment, remote, 'rev-parse', 'summarizer/v1^{commit}').trim() === result.commit,
      history: (await harness.call('release:history', { promptId })).map((record) => [record.tag, record.push, record.remote]),
    }).toStrictEqual({
      push: ['pushed', 'Pushed main and summarizer/v1 to origin'],
      remoteMain: true,
      remoteTag: true,
      history: [['summarizer/v1', 'pushed', 'origin']],
    });
  });

  it('keeps the commit and tag when the remote refuses the push, says what to do, and pushes on retry', async () => {
    const environment = gitEnvironment();
    const repository = makeRepository(environment);
    const remote = addBareRemote(environment, repository);
    const hook = path.join(remote, 'hooks', 'pre-receive');
    fs.writeFileSync(hook, '#!/bin/sh\necho "Releases need a ticket number" >&2\nexit 1\n', { mode: 0o755 });
    const harness = startReleaseEngine(environment);
    const promptId = await harness.addPrompt('Summarizer', promptContent('summaries'));
    await harness.call('approvals:approve', { promptId, versionNumber: 1, note: 'Ship it' });
    await harness.call('release:connect', { path: repository, remote: 'origin' });
    const remoteHead = git(environment, remote, 'rev-parse', 'main').trim();
    const result = await harness.call('release:run', { items: [{ promptId, versionNumber: 1 }], isPushing: true });
    const rejected = {
      push: result.push,
      message: result.pushMessage?.replace(fs.realpathSync(repository), '<repo>').replace(result.commit.slice(0, 7), '<commit>'),
      localHead: git(environment, repository, 'rev-parse', 'HEAD').trim() === result.commit,
      localTag: git(environment, repository, 'tag', '--list'),
      remoteUnchanged: git(environment, remote, 'rev-parse', 'main').trim() === remoteHead,
      remoteTags: git(environment, remote, 'tag', '--list'),
      history: (await harness.call('release:history', {})).map((record) => record.push),
    };
    fs.rmSync(hook);
    const retried = await harness.call('release:retryPush', { commit: result.commit });
    expect({
      rejected,
      retried: [retried.push, retried.pushMessage],
      remoteTag: git(environment, remote, 'rev-parse', 'summarizer/v1^{commit}').trim() === result.commit,
      history: (await harness.call('release:history', {})).map((record) => record.push),
    }).toStrictEqual({
      rejected: {
        push: 'rejected',
        message:
          'origin refused the push: Releases need a ticket number (pre-receive hook declined). ' +
          'The release commit <commit> and its tag are kept in <repo>: do what the remote asks, then press Retry push.',
        localHead: true,
        localTag: 'summarizer/v1\n',
        remoteUnchanged: true,
        remoteTags: '',
        history: ['rejected'],
      },
      retried: ['pushed', 'Pushed main and summarizer/v1 to origin'],
      remoteTag: true,
      history: ['pushed'],
    });
  });

  it.each([
    ['a remote that takes atomic pushes', true],
    ['a remote that cannot take an atomic push', false],
  ])('reports a push rejected because the remote moved on (non-fast-forward), keeping the release, and its tag stays off the remote (%s)', async (_name, isAtomic) => {
    const environment = gitEnvironment();
    const repository = makeRepository(environment);
    const remote = addBareRemote(environment, repository);
    if (!isAtomic) git(environment, remote, 'config', 'receive.advertiseAtomic', 'false');
    const other = path.join(makeTempDir(), 'other');
    git(environment, path.dirname(other), 'clone', '--quiet', remote, other);
    fs.writeFileSync(path.join(other, 'CHANGELOG.md'), 'Someone else\n');
    git(environment, other, 'add', 'CHANGELOG.md');
    git(environment, other, 'commit', '--quiet', '-m', 'Changelog');
    git(environment, other, 'push', '--quiet', 'origin', 'main');

    const harness = startReleaseEngine(environment);
    const promptId = await harness.addPrompt('Summarizer', promptContent('summaries'));
    await harness.call('approvals:approve', { promptId, versionNumber: 1, note: '' });
    await harness.call('release:connect', { path: repository, remote: 'origin' });
    const result = await harness.call('release:run', { items: [{ promptId, versionNumber: 1 }], isPushing: true });
    expect({
      push: result.push,
      message: result.pushMessage?.replace(fs.realpathSync(repository), '<repo>').replace(result.commit.slice(0, 7), '<commit>'),
      localTag: git(environment, repository, 'rev-parse', 'summarizer/v1^{commit}').trim() === result.commit,
      remoteTags: git(environment, remote, 'tag'),
    }).toStrictEqual({
      push: 'rejected',
      message:
        'origin has commits on main that yours does not, so the push was rejected (non-fast-forward). The release commit <commit> and its tag are kept in <repo>: ' +
        'merge them (git pull --no-rebase origin main), then press Retry push.',
      localTag: true,
      remoteTags: '',
    });
    // Merged, Retry push sends both, and the tag arrives on a commit of the branch.
    git(environment, repository, 'pull', '--quiet', '--no-rebase', '--no-edit', 'origin', 'main');
    const retried = await harness.call('release:retryPush', { commit: result.commit });
    expect([retried.push, git(environment, remote, 'branch', '--format=%(refname:short)', '--contains', 'summarizer/v1').trim()]).toStrictEqual(['pushed', 'main']);
  });
});

describe('releasing into a new repository and to a remote that wants a password', () => {
  it('makes the first commit of a repository it created', async () => {
    const environment = gitEnvironment();
    const harness = startReleaseEngine(environment);
    const promptId = await harness.addPrompt('Summarizer', promptContent('summaries'));
    await harness.call('approvals:approve', { promptId, versionNumber: 1, note: 'First' });
    const repository = path.join(makeTempDir(), 'brand-new');
    await harness.call('release:connect', { path: repository, isCreating: true, folder: '' });
    const preview = await harness.call('release:preview', { items: [{ promptId, versionNumber: 1 }] });
    const result = await harness.call('release:run', { items: [{ promptId, versionNumber: 1 }] });
    expect({
      previewHead: preview.head,
      files: preview.files.map((file) => [file.filePath, file.change]),
      diffIsExact: preview.diff === git(environment, repository, 'show', '--format=', '--no-color', result.commit),
      log: git(environment, repository, 'log', '--format=%s'),
      tree: git(environment, repository, 'ls-tree', '-r', '--name-only', 'HEAD'),
      status: git(environment, repository, 'status', '--porcelain'),
    }).toStrictEqual({
      previewHead: null,
      files: [['summarizer.prompt.yml', 'added']],
      diffIsExact: true,
      log: 'Release Summarizer v1\n',
      tree: 'summarizer.prompt.yml\n',
      status: '',
    });
  });

  it('shows as a prompt’s latest release only one made into the repository now connected; history says which repository each went to', async () => {
    const environment = gitEnvironment();
    const harness = startReleaseEngine(environment);
    const promptId = await harness.addPrompt('Summarizer', promptContent('summaries'));
    await harness.call('approvals:approve', { promptId, versionNumber: 1, note: 'First' });
    const [first, second] = [makeRepository(environment), makeRepository(environment)];
    const latest = async () => (await harness.call('release:overview', {})).find((prompt) => prompt.promptId === promptId)?.latestRelease?.tag ?? null;
    await harness.call('release:connect', { path: first, folder: 'prompts' });
    await harness.call('release:run', { items: [{ promptId, versionNumber: 1 }] });
    expect(await latest()).toBe('summarizer/v1');
    // Another repository: nothing is released there yet.
    await harness.call('release:connect', { path: second, folder: 'prompts' });
    expect(await latest()).toBeNull();
    await harness.call('release:run', { items: [{ promptId, versionNumber: 1 }] });
    expect(await latest()).toBe('summarizer/v1');
    await harness.call('release:connect', { path: first, folder: 'prompts' });
    expect(await latest()).toBe('summarizer/v1');
    expect((await harness.call('release:history', {})).map((record) => record.repositoryPath)).toStrictEqual([fs.realpathSync(second), fs.realpathSync(first)]);
  });

  it('fails a push at once when the remote asks for credentials Git does not have, instead of waiting for a prompt', async () => {
    const server = http.createServer((_request, response) => {
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="prompts"' });
      response.end('Authentication required');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const environment = gitEnvironment();
      const repository = makeRepository(environment);
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/team/prompts.git`;
      git(environment, repository, 'remote', 'add', 'origin', url);
      const harness = startReleaseEngine(environment);
      const promptId = await harness.addPrompt('Summarizer', promptContent('summaries'));
      await harness.call('approvals:approve', { promptId, versionNumber: 1, note: '' });
      await harness.call('release:connect', { path: repository, remote: 'origin' });
      const result = await harness.call('release:run', { items: [{ promptId, versionNumber: 1 }], isPushing: true });
      expect({
        push: result.push,
        message: result.pushMessage?.replace(fs.realpathSync(repository), '<repo>').replace(result.commit.slice(0, 7), '<commit>'),
        kept: git(environment, repository, 'tag', '--points-at', 'HEAD'),
      }).toStrictEqual({
        push: 'failed',
        message:
          `Git could not sign in to origin: fatal: could not read Username for '${url.slice(0, url.indexOf('/team'))}': terminal prompts disabled. ` +
          'The release commit <commit> and its tag are kept in <repo>: set up your credentials (a credential helper or an SSH key), then press Retry push.',
        kept: 'summarizer/v1\n',
      });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('what a release refuses', () => {
  /** A repository, an engine and an approved prompt, ready to release. */
  async function ready(name = 'Summarizer') {
    const environment = gitEnvironment();
    const repository = makeRepository(environment);
    const harness = startReleaseEngine(environment);
    const promptId = await harness.addPrompt(name, promptContent('summaries'));
    await harness.call('approvals:approve', { promptId, versionNumber: 1, note: 'Ready' });
    await harness.call('release:connect', { path: repository });
    const state = () => ({
      head: git(environment, repository, 'rev-parse', 'HEAD').trim(),
      status: git(environment, repository, 'status', '--porcelain', '--untracked-files=all'),
      index: git(environment, repository, 'ls-files', '--stage'),
      tags: git(environment, repository, 'tag', '--list'),
      releases: 0,
    });
    return { environment, repository, harness, promptId, state };
  }

  /** Releases and returns the refusal with what the repository and history look like after it. */
  async function refused(setup: Awaited<ReturnType<typeof ready>>) {
    const { harness, promptId, repository, state } = setup;
    const error = await harness.failure('release:run', { items: [{ promptId, versionNumber: 1 }] });
    const after = { ...state(), releases: (await harness.call('release:history', {})).length };
    return { error: { code: error.code, message: error.message.replaceAll(fs.realpathSync(repository), '<repo>') }, after };
  }

  it('refuses an existing tag, a detached HEAD and a merge in progress, changing nothing', async () => {
    const tagged = await ready();
    git(tagged.environment, tagged.repository, 'tag', '-a', 'summarizer/v1', '-m', 'made by hand');
    const taggedBefore = tagged.state();

    const detached = await ready();
    git(detached.environment, detached.repository, 'checkout', '--quiet', '--detach');
    const detachedBefore = detached.state();

    const merging = await ready();
    const { environment, repository } = merging;
    git(environment, repository, 'checkout', '--quiet', '-b', 'side');
    fs.writeFileSync(path.join(repository, 'README.md'), 'side\n');
    git(environment, repository, 'commit', '--quiet', '-am', 'Side');
    git(environment, repository, 'checkout', '--quiet', 'main');
    fs.writeFileSync(path.join(repository, 'README.md'), 'main\n');
    git(environment, repository, 'commit', '--quiet', '-am', 'Main');
    expect(gitStatus(environment, repository, 'merge', 'side').status).toBe(1);
    const mergingBefore = merging.state();

    expect({
      tagged: await refused(tagged),
      detached: await refused(detached),
      merging: await refused(merging),
    }).toStrictEqual({
      tagged: {
        error: {
          code: 'conflict',
          message: 'The tag summarizer/v1 already exists in <repo>; a release never moves or replaces a tag. Save and approve a new version to release it.',
        },
        after: taggedBefore,
      },
      detached: {
        error: { code: 'conflict', message: `HEAD is detached at ${detachedBefore.head.slice(0, 7)} in <repo>: check out a branch (git switch <branch>), then release` },
        after: detachedBefore,
      },
      merging: {
        error: { code: 'conflict', message: 'A merge is in progress in <repo>: finish it (git commit) or abort it (git merge --abort), then release' },
        after: mergingBefore,
      },
    });
  });

  it('refuses a slug that would leave the folder, an unapproved version, uncommitted changes to the file, an untracked file in its place and a wrong branch', async () => {
    const escaping = await ready();
    // A slug the app never makes, written behind its back: the release must still refuse it.
    const database = new BetterSqlite3(path.join(escaping.harness.dataDir, DATABASE_FILE_NAME));
    database.prepare('UPDATE prompts SET slug = ? WHERE id = ?').run('../../evil', escaping.promptId);
    database.close();
    const escapingBefore = escaping.state();

    const unapproved = await ready();
    await unapproved.harness.call('versions:save', { promptId: unapproved.promptId, content: promptContent('v2'), variables: {}, note: '' });
    const unapprovedError = await unapproved.harness.failure('release:run', { items: [{ promptId: unapproved.promptId, versionNumber: 2 }] });

    const edited = await ready();
    await edited.harness.call('release:run', { items: [{ promptId: edited.promptId, versionNumber: 1 }] });
    await edited.harness.call('versions:save', { promptId: edited.promptId, content: promptContent('v2'), variables: {}, note: '' });
    await edited.harness.call('approvals:approve', { promptId: edited.promptId, versionNumber: 2, note: '' });
    const file = path.join(edited.repository, 'prompts', 'summarizer.prompt.yml');
    fs.appendFileSync(file, '# my local edit\n');
    const editedBefore = { ...edited.state(), file: fs.readFileSync(file, 'utf8') };
    const editedError = await edited.harness.failure('release:run', { items: [{ promptId: edited.promptId, versionNumber: 2 }] });

    const untracked = await ready();
    const untrackedFile = path.join(untracked.repository, 'prompts', 'summarizer.prompt.yml');
    fs.mkdirSync(path.dirname(untrackedFile), { recursive: true });
    fs.writeFileSync(untrackedFile, '# written by hand\n');
    const untrackedError = await untracked.harness.failure('release:run', { items: [{ promptId: untracked.promptId, versionNumber: 1 }] });

    const branched = await ready();
    await branched.harness.call('release:connect', { path: branched.repository, branch: 'release' });
    const branchedBefore = branched.state();

    expect({
      escaping: await refused(escaping),
      escapedFile: fs.existsSync(path.join(path.dirname(escaping.repository), 'evil.prompt.yml')),
      unapproved: unapprovedError,
      edited: { error: editedError, file: fs.readFileSync(file, 'utf8'), status: edited.state().status },
      untracked: { error: untrackedError, file: fs.readFileSync(untrackedFile, 'utf8') },
      branched: await refused(branched),
    }).toStrictEqual({
      escaping: {
        error: {
          code: 'invalid-input',
          message: 'The prompt’s slug "../../evil" cannot be a file name in the release folder (it must be lower-case letters, digits and dashes); nothing was written',
        },
        after: escapingBefore,
      },
      escapedFile: false,
      unapproved: { code: 'conflict', message: 'v2 of Summarizer is not approved: approve it before releasing it' },
      edited: {
        error: {
          code: 'conflict',
          message: 'prompts/summarizer.prompt.yml has changes that are not committed: commit or discard them first, so the release does not overwrite them. Nothing was written.',
        },
        file: editedBefore.file,
        status: editedBefore.status,
      },
      untracked: {
        error: {
          code: 'conflict',
          message: 'prompts/summarizer.prompt.yml is not tracked by Git yet: commit or discard it first, so the release does not overwrite it. Nothing was written.',
        },
        file: '# written by hand\n',
      },
      branched: {
        error: {
          code: 'conflict',
          message: 'Releases go to branch release, but main is checked out in <repo>: switch to release (git switch release) or change the branch in the release settings',
        },
        after: branchedBefore,
      },
    });
  });

  it('refuses to commit without a Git identity, and puts nothing in the working tree', async () => {
    const environment = gitEnvironment({}, null);
    const repository = makeRepository(gitEnvironment());
    const harness = startReleaseEngine(environment);
    const promptId = await harness.addPrompt('Summarizer', promptContent('summaries'));
    await harness.call('approvals:approve', { promptId, versionNumber: 1, note: '' });
    await harness.call('release:connect', { path: repository });
    const before = git(environment, repository, 'status', '--porcelain', '--untracked-files=all');
    expect({
      error: await harness.failure('release:run', { items: [{ promptId, versionNumber: 1 }] }),
      status: git(environment, repository, 'status', '--porcelain', '--untracked-files=all'),
      hasFolder: fs.existsSync(path.join(repository, 'prompts')),
    }).toStrictEqual({
      error: {
        code: 'invalid-input',
        message:
          'Git does not know who you are, so it cannot put your name on the release commit. Run git config --global user.name "Your Name" and ' +
          'git config --global user.email "you@example.com", then release again. Nothing was written.',
      },
      status: before,
      hasFolder: false,
    });
  });

  it('puts the files back when git commit fails (a pre-commit hook that refuses)', async () => {
    const setup = await ready();
    const hook = path.join(setup.repository, '.git', 'hooks', 'pre-commit');
    fs.writeFileSync(hook, '#!/bin/sh\necho "lint failed: prompts need a reviewer" >&2\nexit 1\n', { mode: 0o755 });
    const before = setup.state();
    expect(await refused(setup)).toStrictEqual({
      error: { code: 'conflict', message: 'git commit failed: lint failed: prompts need a reviewer. Nothing was committed and the files were put back.' },
      after: before,
    });
    expect(fs.existsSync(path.join(setup.repository, 'prompts'))).toBe(false);
  });

  it('explains a folder that is not a repository, a missing git, and a folder that leaves the repository; creates a repository when asked', async () => {
    const environment = gitEnvironment();
    const plain = makeTempDir();
    const harness = startReleaseEngine(environment);
    const noGit = startReleaseEngine(environment, { gitBinary: path.join(makeTempDir(), 'no-such-git') });
    const noPath = startReleaseEngine({ ...environment, PATH: makeTempDir() });
    const repository = makeRepository(environment);
    const fresh = path.join(makeTempDir(), 'new repo');
    expect({
      plain: await harness.failure('release:connect', { path: plain }),
      missing: await harness.failure('release:connect', { path: path.join(plain, 'nope') }),
      relative: await harness.failure('release:connect', { path: 'prompts-repo' }),
      noGit: await noGit.failure('release:connect', { path: repository }),
      noPath: await noPath.failure('release:connect', { path: repository }),
      escape: await harness.failure('release:connect', { path: repository, folder: '../outside' }),
      noRemote: await harness.failure('release:connect', { path: repository, remote: 'origin' }),
      badBranch: await harness.failure('release:connect', { path: repository, branch: 'two words' }),
      settings: (await harness.call('release:repository', {})).settings,
      created: await harness.call('release:connect', { path: fresh, isCreating: true }),
      isRepository: git(environment, fresh, 'rev-parse', '--is-inside-work-tree').trim(),
    }).toStrictEqual({
      plain: { code: 'invalid-input', message: `${plain} is not a Git repository: pick a working tree, or create a repository there` },
      missing: { code: 'not-found', message: `The folder ${path.join(plain, 'nope')} does not exist: check the path, or tick “Create the repository if there is none” to make it with a new repository` },
      relative: { code: 'invalid-input', message: expect.stringMatching(/^Give the full path of the repository folder/) },
      noGit: { code: 'unavailable', message: expect.stringMatching(/^Git was not found \(tried to run ".*no-such-git"\)\. Install Git/) },
      noPath: { code: 'unavailable', message: 'Git was not found (tried to run "git"). Install Git (https://git-scm.com) and make sure it is on the PATH, then try again.' },
      escape: { code: 'invalid-input', message: 'The release folder "../outside" leaves the repository (..); pick a folder inside it' },
      noRemote: { code: 'invalid-input', message: `${fs.realpathSync(repository)} has no remote named "origin" (it has none): add it with git remote add origin <url>, or leave the remote empty` },
      badBranch: { code: 'invalid-input', message: '"two words" is not a valid branch name' },
      settings: null,
      created: { settings: { path: fs.realpathSync(fresh), folder: 'prompts', remote: null, branch: null }, currentBranch: 'main', head: null, remotes: [], problem: null },
      isRepository: 'true',
    });
  });
});

describe('secrets', () => {
  it('never writes a configured key into a released file or the repository, and refuses a prompt that holds one', async () => {
    const environmentKey = 'sk-proj-ENVIRONMENTKEY0123456789abcdefghij';
    const storedKey = 'gsk_STOREDKEY_0123456789_abcdefghijkl';
    const environment = gitEnvironment({ OPENAI_API_KEY: environmentKey });
    const repository = makeRepository(environment);
    const remote = addBareRemote(environment, repository);
    const harness = startReleaseEngine(environment);
    await harness.call('providers:save', { kind: 'openai-compatible', label: 'Groq', baseUrl: 'https://api.groq.com/openai/v1', apiKey: storedKey });
    const promptId = await harness.addPrompt('Summarizer', promptContent('summaries'));
    await harness.call('approvals:approve', { promptId, versionNumber: 1, note: 'Ready' });
    await harness.call('release:connect', { path: repository, remote: 'origin' });
    await harness.call('release:run', { items: [{ promptId, versionNumber: 1 }], isPushing: true });

    const leaky = await harness.addPrompt('Leaky', promptContent(`keys like ${storedKey}`));
    await harness.call('approvals:approve', { promptId: leaky, versionNumber: 1, note: '' });
    const refusal = await harness.failure('release:run', { items: [{ promptId: leaky, versionNumber: 1 }] });

    const everything = [repository, remote].map((folder) => git(environment, folder, 'cat-file', '--batch-all-objects', '--batch')).join('\n');
    const files = fs.readdirSync(path.join(repository, 'prompts')).map((name) => fs.readFileSync(path.join(repository, 'prompts', name), 'utf8')).join('\n');
    expect({
      refusal,
      objectsMentionSummaries: everything.includes('You write about summaries.'),
      leaks: [environmentKey, storedKey].filter((key) => everything.includes(key) || files.includes(key)),
      files: fs.readdirSync(path.join(repository, 'prompts')),
    }).toStrictEqual({
      refusal: {
        code: 'invalid-input',
        message:
          'prompts/leaky.prompt.yml would contain the API key of Groq (line 9). Secrets never go into released files: remove it from the prompt or its test cases and save a new version. Nothing was written.',
      },
      objectsMentionSummaries: true,
      leaks: [],
      files: ['summarizer.prompt.yml'],
    });
  });
});
