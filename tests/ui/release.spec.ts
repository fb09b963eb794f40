/**
 * Approval and Git release in the real renderer: approve a version with a note, connect a
 * repository, preview and release it (commit, tag, push to a bare remote), read the release
 * history, and import a folder of `.prompt.yml` files; a prompt named in Chinese keeps its name
 * in the file and tag; a teammate’s file where a prompt would go is named, and replaced only
 * once ticked. Real git checks what the UI claims.
 * Screenshots of the release workspace in both themes go to docs/screenshots/.
 */

import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { makeTempDir, startHost, type HostHandle } from './host';
import { approve, approvedRow, connectRepository, git, gitEnvironment, makeRepository, pickForRelease, promptRow, REPO_PROMPTS, repositoryWithRemote, versionRow } from './release-support';
import { createPrompt, expectDraftSaved, messageBlocks, openApp, replaceEditorText, saveVersion, watchForProblems } from './ui-support';

const SHOTS = path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');

/** Dismisses every toast, so a screenshot shows the screen alone. */
async function dismissToasts(page: Page) {
  const toasts = page.getByTestId('toast');
  // A toast may also leave by itself meanwhile.
  while ((await toasts.count()) > 0) await toasts.first().getByRole('button', { name: 'Dismiss' }).click({ timeout: 2000 }).catch(() => undefined);
}

let host: HostHandle;
let environment: Record<string, string>;

test.beforeEach(async () => {
  environment = gitEnvironment();
  const promptsDir = makeTempDir('release-prompts');
  fs.cpSync(REPO_PROMPTS, promptsDir, { recursive: true });
  host = await startHost({ promptsDir, env: environment });
});

test.afterEach(async () => {
  await host.stop();
});

test('approve a version, release it to a repository, see it in the history, and import a folder', async ({ page }) => {
  const problems = watchForProblems(page, host);
  const { repository, remote } = repositoryWithRemote(environment);
  await openApp(page, host);

  // Approve Summarizer v2 with a note.
  await promptRow(page, 'Summarizer').click();
  await approve(page, 2, 'Reviewed by the docs team');
  await expect(versionRow(page, 2).locator('.badge')).toHaveText('✓ approved');
  await expect(versionRow(page, 2).getByTestId('version-approval')).toContainText('Grace Hopper');
  await expect(versionRow(page, 2).getByTestId('version-approval')).toContainText('Reviewed by the docs team');
  // An unapproved version carries no badge: "draft" is the working draft's word.
  await expect(versionRow(page, 1).locator('.badge')).toHaveCount(0);
  // So it is where a version opens read-only, and beside a diff's versions; the approved one says so there too, on one line.
  await versionRow(page, 1).getByTestId('open-version').click();
  await expect(page.getByTestId('version-view').locator('.view-header .badge')).toHaveCount(0);
  await versionRow(page, 2).getByTestId('open-version').click();
  await expect(page.getByTestId('version-view').locator('.view-header .badge')).toHaveText('✓ approved');
  expect((await versionRow(page, 2).locator('.badge').boundingBox())?.height).toBeLessThan(20);
  await page.getByTestId('close-version').click();
  await expect(promptRow(page, 'Summarizer').getByTestId('prompt-approved')).toHaveText('✓ v2');
  await expect(page.getByTestId('run-version-2')).toHaveText('v2 ✓');

  // Connect the repository with its remote.
  await page.getByTestId('nav-release').click();
  await expect(page.getByTestId('nav-release')).toHaveAttribute('aria-current', 'page');
  await connectRepository(page, repository, 'origin');
  await expect(page.getByTestId('repo-path')).toHaveText(fs.realpathSync(repository));
  await expect(page.getByTestId('repo-branch')).toContainText('main');
  await expect(page.getByTestId('repo-remote')).toHaveText('origin');

  // Pick it, preview the exact diff, release and push.
  const row = page.locator('[data-testid="approved-row"][data-prompt="Summarizer"]');
  await expect(row.getByTestId('release-version')).toHaveValue('2');
  await row.getByTestId('release-pick').check();
  await page.getByTestId('release-preview-button').click();
  const preview = page.getByTestId('release-preview');
  await expect(preview.getByTestId('preview-file')).toHaveAttribute('data-path', 'prompts/summarizer.prompt.yml');
  await expect(preview.getByTestId('preview-tag')).toHaveText('summarizer/v2');
  await expect(preview.getByTestId('preview-message')).toHaveText('Release Summarizer v2\n\nReviewed by the docs team');
  await expect(preview.getByTestId('preview-diff')).toContainText('+name: Summarizer');
  expect(git(environment, repository, 'status', '--porcelain')).toBe('');
  await expect(preview.getByTestId('release-push')).toBeChecked();
  await preview.getByTestId('release-confirm').click();
  await expect(page.getByTestId('release-result')).toContainText('summarizer/v2');

  // The history shows the commit and tag; git agrees, on the remote too.
  const head = git(environment, repository, 'rev-parse', 'HEAD').trim();
  const historyRow = page.locator('[data-testid="release-row"][data-tag="summarizer/v2"]');
  await expect(historyRow.getByTestId('release-commit')).toHaveText(head.slice(0, 7));
  await expect(historyRow.getByTestId('release-push-status')).toHaveText('pushed');
  // One repository so far: the rows need not name it.
  await expect(historyRow.getByTestId('release-repository')).toHaveCount(0);
  expect({
    message: git(environment, repository, 'log', '-1', '--format=%an%n%B'),
    files: git(environment, repository, 'show', '--format=', '--name-only', 'HEAD'),
    tag: git(environment, repository, 'tag', '-n1'),
    remoteTag: git(environment, remote, 'rev-parse', 'summarizer/v2^{commit}').trim(),
    remoteMain: git(environment, remote, 'rev-parse', 'main').trim(),
  }).toStrictEqual({
    message: 'Grace Hopper\nRelease Summarizer v2\n\nReviewed by the docs team\n\n',
    files: 'prompts/summarizer.prompt.yml\n',
    tag: 'summarizer/v2   Summarizer v2\n',
    remoteTag: head,
    remoteMain: head,
  });

  // The released version shows its tag in the Versions tab, and its approval can no longer be withdrawn.
  await page.getByTestId('nav-prompts').click();
  await page.getByTestId('tab-versions').click();
  await expect(versionRow(page, 2).getByTestId('version-release-tag')).toHaveText('summarizer/v2');
  await versionRow(page, 2).hover();
  await expect(versionRow(page, 2).getByTestId('withdraw-approval')).toHaveCount(0);

  // Import a folder: one good file, one malformed (reported by line), the released one unchanged.
  const folder = makeTempDir('import');
  fs.writeFileSync(path.join(folder, 'haiku.prompt.yml'), 'name: Haiku writer\nmodel: openai/gpt-4o\nmessages:\n  - role: user\n    content: A haiku about {{topic}}\ntestData:\n  - topic: rain\n');
  fs.writeFileSync(path.join(folder, 'broken.prompt.yml'), 'name: Broken\nmodel: x\nmessages:\n  - role: robot\n    content: hi\n');
  fs.copyFileSync(path.join(repository, 'prompts', 'summarizer.prompt.yml'), path.join(folder, 'summarizer.prompt.yml'));
  await page.getByTestId('nav-release').click();
  await page.getByTestId('import-path').fill(folder);
  await page.getByTestId('import-path').press('Enter');
  const report = page.getByTestId('import-report');
  await expect(report.getByTestId('import-counts')).toHaveText('1 created · 0 updated · 1 skipped · 1 problem');
  await expect(report.getByTestId('import-created').getByTestId('import-entry')).toContainText('Haiku writer v1');
  await expect(report.getByTestId('import-skipped').getByTestId('import-entry')).toContainText('Unchanged');
  await expect(report.getByTestId('import-problem')).toHaveText('broken.prompt.yml:4 messages[0].role: Unknown role "robot": use system, user or assistant');
  await expect(promptRow(page, 'Haiku writer')).toHaveCount(1);

  expect(problems()).toStrictEqual([]);
});

test('a rejected push keeps the release and says what to do; the screenshots of the release workspace', async ({ page }) => {
  const { repository, remote } = repositoryWithRemote(environment);
  fs.writeFileSync(path.join(remote, 'hooks', 'pre-receive'), '#!/bin/sh\necho "main is protected: open a pull request" >&2\nexit 1\n', { mode: 0o755 });
  await openApp(page, host);
  await promptRow(page, 'Summarizer').click();
  await approve(page, 1, 'First cut, good enough for the pilot');
  await approve(page, 2, 'Shorter, checked against the style guide');
  await promptRow(page, 'Customer support').click();
  await approve(page, 1, 'Escalation rules confirmed with the support leads');

  await page.getByTestId('nav-release').click();
  await connectRepository(page, repository, 'origin');

  await pickForRelease(page, 'Summarizer', 1);
  await page.getByTestId('release-preview-button').click();
  await page.getByTestId('release-confirm').click();
  await expect(page.getByTestId('result-push-message')).toContainText('origin refused the push: main is protected: open a pull request');
  const rejected = page.locator('[data-testid="release-row"][data-tag="summarizer/v1"]');
  await expect(rejected.getByTestId('release-push-status')).toHaveText('push rejected');
  await expect(rejected.getByTestId('release-push-message')).toContainText('press Retry push');
  expect(git(environment, repository, 'tag', '--list')).toBe('summarizer/v1\n');

  // The remote gives in; Retry push pushes the kept commit and tag.
  fs.rmSync(path.join(remote, 'hooks', 'pre-receive'));
  await rejected.getByTestId('retry-push').click();
  await expect(rejected.getByTestId('release-push-status')).toHaveText('pushed');
  expect(git(environment, remote, 'tag', '--list')).toBe('summarizer/v1\n');

  // Two prompts at once, previewed: the state the screenshots show.
  await pickForRelease(page, 'Summarizer', 2);
  await pickForRelease(page, 'Customer support');
  await page.getByTestId('release-preview-button').click();
  await expect(page.getByTestId('preview-file')).toHaveCount(2);
  await expect(page.getByTestId('preview-message')).toHaveText(
    'Release 2 prompts\n\n- Customer support v1: Escalation rules confirmed with the support leads\n- Summarizer v2: Shorter, checked against the style guide',
  );
  fs.mkdirSync(SHOTS, { recursive: true });
  await dismissToasts(page);
  for (const theme of ['light', 'dark'] as const) {
    await page.getByTestId(`theme-${theme}`).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await page.mouse.move(0, 899);
    await page.screenshot({ path: path.join(SHOTS, `release-${theme}.png`) });
  }
  await page.getByTestId('theme-light').click();

  // The approve dialog with a gate that cannot pass (no eval yet), for the docs too.
  await page.getByTestId('nav-prompts').click();
  await promptRow(page, 'JSON extractor').click();
  await page.getByTestId('tab-versions').click();
  for (const theme of ['light', 'dark'] as const) {
    await page.getByTestId(`theme-${theme}`).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await versionRow(page, 1).hover();
    await versionRow(page, 1).getByTestId('approve-version').click();
    await page.getByTestId('approval-note-input').fill('Extraction verified on the invoice set');
    await page.getByTestId('gate-toggle').check();
    await expect(page.getByTestId('gate-result')).toHaveText(/^Gate not passed v1 has no finished eval that graded an answer: run one, or approve without the gate$/);
    await expect(page.getByTestId('approve-confirm')).toBeDisabled();
    await dismissToasts(page);
    await page.mouse.move(0, 899);
    await page.screenshot({ path: path.join(SHOTS, `approve-${theme}.png`) });
    await page.getByTestId('approval-note-input').press('Escape');
    await expect(page.getByTestId('approve-dialog')).toBeHidden();
  }
  // An unapproved version carries no badge: "draft" is the working draft's word.
  await expect(versionRow(page, 1).locator('.badge')).toHaveCount(0);
});

test('a prompt named in Chinese is released under its own name: prompts/摘要.prompt.yml, tag 摘要/v1', async ({ page }) => {
  const problems = watchForProblems(page, host);
  const repository = makeRepository(environment);
  await openApp(page, host);
  await createPrompt(page, '摘要');
  await replaceEditorText(page, messageBlocks(page).first(), '用三句话总结下面的文字。');
  await expectDraftSaved(page);
  await saveVersion(page, '第一版');
  await approve(page, 1, '已审核');
  await connectRepository(page, repository);

  const row = approvedRow(page, '摘要');
  await expect(row.locator('.file-cell')).toHaveText('prompts/摘要.prompt.yml');
  await row.getByTestId('release-pick').check();
  await page.getByTestId('release-preview-button').click();
  await expect(page.getByTestId('preview-file')).toHaveAttribute('data-path', 'prompts/摘要.prompt.yml');
  await expect(page.getByTestId('preview-tag')).toHaveText('摘要/v1');
  await expect(page.getByTestId('preview-diff')).toContainText('+++ b/prompts/摘要.prompt.yml');
  await page.getByTestId('release-confirm').click();
  await expect(page.getByTestId('result-tags')).toHaveText('摘要/v1');
  expect({
    files: git(environment, repository, '-c', 'core.quotePath=false', 'show', '--format=', '--name-only', 'HEAD'),
    tag: git(environment, repository, 'tag', '--list'),
    name: git(environment, repository, 'show', 'HEAD:prompts/摘要.prompt.yml').split('\n')[0],
  }).toStrictEqual({ files: 'prompts/摘要.prompt.yml\n', tag: '摘要/v1\n', name: 'name: 摘要' });
  expect(problems()).toStrictEqual([]);
});

test('a file a teammate wrote where a prompt would be released is named in the preview, and Commit waits for “Replace it”', async ({ page }) => {
  const problems = watchForProblems(page, host);
  const repository = makeRepository(environment);
  fs.mkdirSync(path.join(repository, 'prompts'));
  fs.writeFileSync(path.join(repository, 'prompts', 'greeter.prompt.yml'), 'name: Someone else\nmodel: openai/gpt-4o\nmessages:\n  - role: user\n    content: Hi\n');
  git(environment, repository, 'add', 'prompts');
  git(environment, repository, 'commit', '--quiet', '-m', 'A teammate’s prompt');
  await openApp(page, host);
  await createPrompt(page, 'Greeter');
  await replaceEditorText(page, messageBlocks(page).first(), 'Greet the reader warmly.');
  await expectDraftSaved(page);
  await saveVersion(page, 'First cut');
  await approve(page, 1, 'Ready');
  await connectRepository(page, repository);
  await approvedRow(page, 'Greeter').getByTestId('release-pick').check();
  await page.getByTestId('release-preview-button').click();

  const file = page.getByTestId('preview-file');
  await expect(file.getByTestId('preview-replaces')).toContainText('prompts/greeter.prompt.yml exists and was not released from this prompt: its name is “Someone else”; Commit replaces it.');
  const commit = page.getByTestId('release-confirm');
  await expect(commit).toBeDisabled();
  await expect(commit).toHaveAttribute('title', 'Tick “Replace it” under prompts/greeter.prompt.yml to commit');
  await file.getByTestId('preview-replace-confirm').check();
  await expect(commit).toBeEnabled();
  await commit.click();
  await expect(page.getByTestId('result-tags')).toHaveText('greeter/v1');
  expect(git(environment, repository, 'show', 'HEAD:prompts/greeter.prompt.yml').split('\n')[0]).toBe('name: Greeter');
  expect(problems()).toStrictEqual([]);
});

test('released into one repository, then another connected: its latest release is that repository’s, and the history says where each went', async ({ page }) => {
  const [first, second] = [makeRepository(environment), makeRepository(environment, makeTempDir('other-repo'))];
  await openApp(page, host);
  await promptRow(page, 'Summarizer').click();
  await approve(page, 2, 'Reviewed');
  const release = async () => {
    await pickForRelease(page, 'Summarizer', 2);
    await page.getByTestId('release-preview-button').click();
    await page.getByTestId('release-preview').getByTestId('release-confirm').click();
    await expect(page.getByTestId('release-result')).toContainText('summarizer/v2');
  };
  await connectRepository(page, first);
  await release();
  await expect(approvedRow(page, 'Summarizer').getByTestId('latest-release')).toContainText('summarizer/v2');
  // One repository so far: the rows need not name it.
  await expect(page.getByTestId('release-repository')).toHaveCount(0);

  await page.getByTestId('repo-edit').click();
  await connectRepository(page, second);
  await expect(approvedRow(page, 'Summarizer').getByTestId('latest-release')).toHaveText('never released');
  await release();
  await expect(page.getByTestId('release-repository')).toHaveText([`in ${fs.realpathSync(second)}`, `in ${fs.realpathSync(first)}`]);
  await expect(page.getByTestId('release-repository').first()).toHaveAttribute('title', `In the repository ${fs.realpathSync(second)}`);
});
