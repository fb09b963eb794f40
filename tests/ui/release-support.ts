/**
 * Helpers for UI tests of approval and release: git with an environment of its own, a repository
 * with a bare remote to release into, and approving a version as a user does.
 */

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { makeTempDir } from './host';

/** Git with its own HOME and identity, so the host and the test agree on every machine. */
export function gitEnvironment(): Record<string, string> {
  const home = makeTempDir('git-home');
  fs.writeFileSync(path.join(home, '.gitconfig'), '[user]\n\tname = Grace Hopper\n\temail = grace@example.com\n[init]\n\tdefaultBranch = main\n');
  return { HOME: home, GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'), GIT_CONFIG_NOSYSTEM: '1' };
}

/** Runs git in `cwd` under `environment` and returns what it printed. */
export function git(environment: Record<string, string>, cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...environment }, encoding: 'utf8' });
}

/** A working tree with one commit, and a bare repository as its `origin`. */
export function repositoryWithRemote(environment: Record<string, string>): { repository: string; remote: string } {
  const base = makeTempDir('release-repo');
  const repository = path.join(base, 'team-prompts');
  const remote = path.join(base, 'remote.git');
  fs.mkdirSync(repository);
  git(environment, repository, 'init', '--quiet');
  fs.writeFileSync(path.join(repository, 'README.md'), '# Team prompts\n');
  git(environment, repository, 'add', 'README.md');
  git(environment, repository, 'commit', '--quiet', '-m', 'Start');
  git(environment, base, 'init', '--quiet', '--bare', remote);
  git(environment, repository, 'remote', 'add', 'origin', remote);
  git(environment, repository, 'push', '--quiet', 'origin', 'main');
  return { repository, remote };
}

/** The row of a version in the open prompt's Versions tab. */
export function versionRow(page: Page, number: number): Locator {
  return page.locator(`[data-testid="version-row"][data-version="${number}"]`);
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

/** Connects the Release workspace (open) to a repository, with `origin` as its remote. */
export async function connectRepository(page: Page, repository: string): Promise<void> {
  await page.getByTestId('repo-path-input').fill(repository);
  await page.getByTestId('repo-remote-input').fill('origin');
  await page.getByTestId('repo-connect').click();
  await expect(page.getByTestId('repo-summary')).toBeVisible();
}

/** Ticks a prompt's row among the approved versions, at `version` when given. */
export async function pickForRelease(page: Page, prompt: string, version?: number): Promise<void> {
  const row = page.locator(`[data-testid="approved-row"][data-prompt="${prompt}"]`);
  if (version !== undefined) await row.getByTestId('release-version').selectOption(String(version));
  await row.getByTestId('release-pick').check();
}
