/**
 * Helpers for the release UI tests: Git with its own HOME and identity, repositories in temp
 * folders, and approving a version or connecting a repository as a user does.
 */

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { makeTeamRepository } from '../fixtures/git-repository';
import { makeTempDir } from './host';

/** The sample library, copied for each host so a test cannot change it. */
export const REPO_PROMPTS = path.resolve(import.meta.dirname, '..', '..', 'prompts');

/** Git with its own HOME and identity, so the host and the test agree on every machine. */
export function gitEnvironment(): Record<string, string> {
  const home = makeTempDir('git-home');
  fs.writeFileSync(path.join(home, '.gitconfig'), '[user]\n\tname = Grace Hopper\n\temail = grace@example.com\n[init]\n\tdefaultBranch = main\n');
  return { HOME: home, GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'), GIT_CONFIG_NOSYSTEM: '1' };
}

/** Runs git in `cwd` as the host does, and returns its standard output. */
export function git(environment: Record<string, string>, cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...environment }, encoding: 'utf8' });
}

/** A working tree with one commit (README.md) on `main`. */
export function makeRepository(environment: Record<string, string>, base = makeTempDir('release-repo')): string {
  return makeTeamRepository((cwd, ...args) => git(environment, cwd, ...args), base);
}

/** A working tree with one commit, and a bare repository as its `origin`. */
export function repositoryWithRemote(environment: Record<string, string>): { repository: string; remote: string } {
  const base = makeTempDir('release-repo');
  const repository = makeRepository(environment, base);
  const remote = path.join(base, 'remote.git');
  git(environment, base, 'init', '--quiet', '--bare', remote);
  git(environment, repository, 'remote', 'add', 'origin', remote);
  git(environment, repository, 'push', '--quiet', 'origin', 'main');
  return { repository, remote };
}

/** A row of the open prompt's Versions tab. */
export function versionRow(page: Page, number: number): Locator {
  return page.locator(`[data-testid="version-row"][data-version="${number}"]`);
}

/** A prompt's row in the library. */
export function promptRow(page: Page, name: string): Locator {
  return page.getByTestId('prompt-row').filter({ has: page.getByTestId('prompt-name').getByText(name, { exact: true }) });
}

/** A prompt's row in Release's approved versions. */
export function approvedRow(page: Page, name: string): Locator {
  return page.locator(`[data-testid="approved-row"][data-prompt="${name}"]`);
}

/** Approves a version of the open prompt through its row and the dialog, with the keyboard. */
export async function approve(page: Page, number: number, note: string): Promise<void> {
  await page.getByTestId('tab-versions').click();
  await versionRow(page, number).hover();
  await versionRow(page, number).getByTestId('approve-version').click();
  const dialog = page.getByTestId('approve-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('approval-note-input')).toBeFocused();
  await page.keyboard.type(note);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
}

/** Opens Release and connects `repository` (with `remote` when given). */
export async function connectRepository(page: Page, repository: string, remote?: string): Promise<void> {
  await page.getByTestId('nav-release').click();
  await page.getByTestId('repo-path-input').fill(repository);
  if (remote !== undefined) await page.getByTestId('repo-remote-input').fill(remote);
  await page.getByTestId('repo-connect').click();
  await expect(page.getByTestId('repo-path')).toHaveText(fs.realpathSync(repository));
}

/** Ticks a prompt's row among the approved versions, at `version` when given. */
export async function pickForRelease(page: Page, prompt: string, version?: number): Promise<void> {
  const row = approvedRow(page, prompt);
  if (version !== undefined) await row.getByTestId('release-version').selectOption(String(version));
  await row.getByTestId('release-pick').check();
}
