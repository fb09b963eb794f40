/**
 * What Release says when it cannot release, in the real renderer against real Git: another Git
 * process holding the index, a folder it cannot write to, an approval withdrawn or a prompt
 * changed after the preview. Each time the user reads why, and Git shows that nothing changed.
 */

import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { READ_ONLY_VARIABLE } from '../fixtures/read-only-folders';
import { makeTempDir, startHost, type HostHandle } from './host';
import { approve, approvedRow, connectRepository, git, gitEnvironment, makeRepository, promptRow, REPO_PROMPTS, versionRow } from './release-support';
import { openApp, watchForProblems } from './ui-support';

let host: HostHandle | null = null;
let environment: Record<string, string>;

test.beforeEach(() => {
  environment = gitEnvironment();
});

test.afterEach(async () => {
  await host?.stop();
  host = null;
});

/**
 * Starts a host with the sample library (`hostVariables` added to its environment), makes a
 * repository in `base`, approves v1 of `promptName`, connects the repository and ticks the
 * prompt for release. `unchanged` reads what Git says, to compare with what it said before.
 */
async function readyToRelease(page: Page, promptName: string, hostVariables: Record<string, string> = {}, base = makeTempDir('release-repo')) {
  const promptsDir = makeTempDir('release-prompts');
  fs.cpSync(REPO_PROMPTS, promptsDir, { recursive: true });
  host = await startHost({ promptsDir, env: { ...environment, ...hostVariables } });
  const problems = watchForProblems(page, host);
  const repository = makeRepository(environment, base);
  const gitState = () => ({
    head: git(environment, repository, 'rev-parse', 'HEAD'),
    status: git(environment, repository, 'status', '--porcelain', '--untracked-files=all'),
    tags: git(environment, repository, 'tag', '--list'),
  });
  const before = gitState();
  await openApp(page, host);
  await promptRow(page, promptName).click();
  await approve(page, 1, 'Reviewed');
  await connectRepository(page, repository);
  await approvedRow(page, promptName).getByTestId('release-pick').check();
  return { host, problems, repository, isUnchanged: () => JSON.stringify(gitState()) === JSON.stringify(before) };
}

test('another Git process holding the index stops the preview and the commit, and nothing is written', async ({ page }) => {
  const { problems, repository, isUnchanged } = await readyToRelease(page, 'Summarizer');
  const lock = path.join(repository, '.git', 'index.lock');
  const message = `Another Git process seems to be running in ${fs.realpathSync(repository)} (.git/index.lock exists): wait for it to finish, or remove the lock if it crashed. Nothing was written.`;
  fs.writeFileSync(lock, '');
  await page.getByTestId('release-preview-button').click();
  await expect(page.getByTestId('release-error')).toHaveText(message);
  await expect(page.getByTestId('release-preview')).toHaveCount(0);

  // Once it is gone the preview shows; taken again before the commit, the commit is refused and says why.
  fs.rmSync(lock);
  await page.getByTestId('release-preview-button').click();
  await expect(page.getByTestId('preview-tag')).toHaveText('summarizer/v1');
  await expect(page.getByTestId('release-error')).toHaveCount(0);
  fs.writeFileSync(lock, '');
  await page.getByTestId('release-confirm').click();
  await expect(page.getByTestId('release-error')).toHaveText(message);
  await expect(page.getByTestId('release-result')).toHaveCount(0);
  await expect(page.getByTestId('toast').filter({ hasText: 'Released' })).toHaveCount(0);
  fs.rmSync(lock);
  expect(isUnchanged()).toBe(true);
  expect(problems()).toStrictEqual([]);
});

test('a repository folder the host cannot write to is named in plain words at the preview, and nothing is written', async ({ page }) => {
  // Tests run as root, where chmod stops nothing: the host is started with its writes to the
  // repository's folder refused as a read-only folder refuses them (see read-only-folders.ts).
  const preload = path.join(makeTempDir('preload'), 'read-only-preload.cjs');
  await build({ entryPoints: [path.join(import.meta.dirname, '..', 'fixtures', 'read-only-preload.ts')], outfile: preload, bundle: true, platform: 'node', format: 'cjs', target: 'node22', logLevel: 'error' });
  const base = makeTempDir('release-repo');
  const root = path.join(fs.realpathSync(base), 'team-prompts');
  const { problems, isUnchanged } = await readyToRelease(page, 'Summarizer', { NODE_OPTIONS: `--require ${preload}`, [READ_ONLY_VARIABLE]: root }, base);
  await page.getByTestId('release-preview-button').click();
  await expect(page.getByTestId('release-error')).toHaveText(`Cannot write to ${root}: permission denied. Nothing was written.`);
  await expect(page.getByTestId('release-preview')).toHaveCount(0);
  expect({ isUnchanged: isUnchanged(), hasFolder: fs.existsSync(path.join(root, 'prompts')) }).toStrictEqual({ isUnchanged: true, hasFolder: false });
  expect(problems()).toStrictEqual([]);
});

test('an approval withdrawn in another window disables the open preview, and a commit the engine refuses always says why', async ({ page }) => {
  const { host, problems, isUnchanged } = await readyToRelease(page, 'Customer support');
  await page.getByTestId('release-preview-button').click();
  await expect(page.getByTestId('preview-tag')).toHaveText('customer-support/v1');

  // Another window withdraws the approval: the preview says so and can no longer be committed.
  const other = await page.context().newPage();
  await openApp(other, host);
  await promptRow(other, 'Customer support').click();
  await other.getByTestId('tab-versions').click();
  await versionRow(other, 1).hover();
  await versionRow(other, 1).getByTestId('withdraw-approval').click();
  await expect(page.getByTestId('preview-problem')).toHaveText('v1 of Customer support is no longer approved: preview again');
  await expect(page.getByTestId('release-confirm')).toBeDisabled();

  // Approved again and previewed anew; then the other window edits the description, which is in the file.
  await approve(other, 1, 'Escalation rules confirmed again');
  await approvedRow(page, 'Customer support').getByTestId('release-pick').check();
  await page.getByTestId('release-preview-button').click();
  await expect(page.getByTestId('preview-message')).toHaveText('Release Customer support v1\n\nEscalation rules confirmed again');
  await expect(page.getByTestId('preview-problem')).toHaveCount(0);
  await other.getByTestId('nav-prompts').click();
  await other.getByTestId('prompt-description').fill('Answers customers by email');
  await other.getByTestId('prompt-description').press('Enter');
  // Opened again, the prompt shows the description the engine now has.
  await promptRow(other, 'Summarizer').click();
  await promptRow(other, 'Customer support').click();
  await expect(other.getByTestId('prompt-description')).toHaveValue('Answers customers by email');
  await page.getByTestId('release-confirm').click();
  await expect(page.getByTestId('release-error')).toHaveText(
    'What this release would commit changed since its preview (an approval note, a description, the test cases or the file in the repository): preview again to see it. Nothing was written.',
  );
  expect(isUnchanged()).toBe(true);
  expect(problems()).toStrictEqual([]);
});
