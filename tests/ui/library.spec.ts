/**
 * The prompt library: create, search, rename (F2 and double-click), duplicate, archive and
 * find it again under "Show archived".
 */

import { expect, test } from '@playwright/test';
import { startHost, type HostHandle } from './host';
import { createPrompt, openApp } from './ui-support';

let host: HostHandle;

test.beforeEach(async () => {
  host = await startHost();
});

test.afterEach(async () => {
  await host.stop();
});

test('create, search, rename, duplicate, archive and unarchive prompts', async ({ page }) => {
  await openApp(page, host);
  const names = () => page.getByTestId('prompt-name').allInnerTexts();
  const row = (name: string) => page.getByTestId('prompt-row').filter({ has: page.getByTestId('prompt-name').getByText(name, { exact: true }) });

  await createPrompt(page, 'Release notes');
  await expect(row('Release notes')).toHaveAttribute('aria-selected', 'true');
  await expect(row('Release notes').getByTestId('prompt-versions')).toHaveText('No versions');

  await page.getByTestId('library-search').fill('release');
  await expect.poll(names).toEqual(['Release notes']);
  await page.getByTestId('library-search').fill('');
  await expect.poll(async () => (await names()).length).toBe(4);

  // F2 on the focused row renames inline; Enter commits.
  await row('Release notes').focus();
  await page.keyboard.press('F2');
  await page.getByTestId('rename-input').fill('Changelog writer');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('prompt-title')).toHaveText('Changelog writer');
  await expect(row('Changelog writer')).toBeFocused();

  // Double-click renames too; Esc cancels.
  await row('Changelog writer').getByTestId('prompt-name').dblclick();
  await page.getByTestId('rename-input').fill('Nope');
  await page.keyboard.press('Escape');
  await expect(row('Changelog writer')).toHaveCount(1);

  await row('Changelog writer').hover();
  await row('Changelog writer').getByTestId('duplicate-prompt').click();
  await expect(page.getByTestId('prompt-title')).toHaveText('Changelog writer (copy)');

  await row('Changelog writer (copy)').hover();
  await row('Changelog writer (copy)').getByTestId('archive-prompt').click();
  await expect(row('Changelog writer (copy)')).toHaveCount(0);

  await page.getByTestId('show-archived').check();
  await expect(row('Changelog writer (copy)')).toContainText('Archived');
  await row('Changelog writer (copy)').hover();
  await row('Changelog writer (copy)').getByTestId('unarchive-prompt').click();
  await page.getByTestId('show-archived').uncheck();
  await expect(row('Changelog writer (copy)')).toHaveCount(1);
  await expect(row('Changelog writer (copy)')).not.toContainText('Archived');

  // The names survive a reload: they came from the engine, not just the screen.
  await page.reload();
  await expect.poll(async () => (await names()).toSorted()).toEqual([
    'Changelog writer',
    'Changelog writer (copy)',
    'Customer support',
    'JSON extractor',
    'Summarizer',
  ]);
});

test('the theme follows the OS until chosen, and the engine keeps the choice', async ({ page, browser }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openApp(page, host);
  await expect(page.getByTestId('theme-system')).toHaveAttribute('aria-checked', 'true');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.locator('.monaco-editor').first()).not.toHaveClass(/vs-dark/);

  await page.getByTestId('theme-dark').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.locator('.monaco-editor').first()).toHaveClass(/vs-dark/);

  // A fresh browser profile has no local copy of the choice: only the engine can tell it.
  const other = await browser.newContext({ colorScheme: 'light' });
  try {
    const fresh = await other.newPage();
    await openApp(fresh, host);
    await expect(fresh.getByTestId('theme-dark')).toHaveAttribute('aria-checked', 'true');
    await expect(fresh.locator('html')).toHaveAttribute('data-theme', 'dark');
  } finally {
    await other.close();
  }
});
