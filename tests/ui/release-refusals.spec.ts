/**
 * What Release says when it cannot release, in the real renderer against real Git: another Git
 * process holding the index, a folder it cannot write to, an approval withdrawn or a prompt
 * changed after the preview. Each time the user reads why, and Git shows that nothing changed.
 */

import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { makeTempDir, startHost, type HostHandle } from './host';
import { approve, approvedRow, connectRepository, git, gitEnvironment, makeRepository, promptRow, REPO_PROMPTS } from './release-support';
import { openApp, watchForProblems } from './ui-support';

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

test('another Git process holding the index stops the preview and the commit, and nothing is written', async ({ page }) => {
  const problems = watchForProblems(page, host);
  const repository = makeRepository(environment);
  const head = git(environment, repository, 'rev-parse', 'HEAD');
  await openApp(page, host);
  await promptRow(page, 'Summarizer').click();
  await approve(page, 1, 'First cut');
  await connectRepository(page, repository);
  const lock = path.join(repository, '.git', 'index.lock');
  const message = `Another Git process seems to be running in ${fs.realpathSync(repository)} (.git/index.lock exists): wait for it to finish, or remove the lock if it crashed. Nothing was written.`;

  await approvedRow(page, 'Summarizer').getByTestId('release-pick').check();
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
  expect({
    head: git(environment, repository, 'rev-parse', 'HEAD'),
    status: git(environment, repository, 'status', '--porcelain', '--untracked-files=all'),
    tags: git(environment, repository, 'tag', '--list'),
  }).toStrictEqual({ head, status: '', tags: '' });
  expect(problems()).toStrictEqual([]);
});
