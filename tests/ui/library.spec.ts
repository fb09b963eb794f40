/**
 * The prompt library: create, search, rename (F2 and double-click), duplicate, archive and
 * find it again under "Show archived".
 */

import { expect, test } from '@playwright/test';
import { startHost, type HostHandle } from './host';
import { createPrompt, holdBridgeMessages, libraryRow, openApp, openWorkspace } from './ui-support';

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
  const row = (name: string) => libraryRow(page, name);

  await createPrompt(page, 'Release notes');
  await expect(row('Release notes')).toHaveAttribute('aria-current', 'true');
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
  // The field opens with the name selected, so one Backspace empties it; a blank name gives up too.
  await row('Changelog writer').getByTestId('prompt-name').dblclick();
  await page.keyboard.press('Backspace');
  await expect(page.getByTestId('rename-input')).toHaveValue('');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('rename-input')).toHaveCount(0);
  await expect(row('Changelog writer')).toBeFocused();

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

test('the library search ignores case and accents, both ways', async ({ page }) => {
  await openApp(page, host);
  const names = () => page.getByTestId('prompt-name').allInnerTexts();
  await createPrompt(page, 'Résumé coach');
  await createPrompt(page, 'Resume writer');

  await page.getByTestId('library-search').fill('resume');
  await expect.poll(names).toEqual(['Résumé coach', 'Resume writer']);
  await page.getByTestId('library-search').fill('RÉSUMÉ');
  await expect.poll(names).toEqual(['Résumé coach', 'Resume writer']);
  await page.getByTestId('library-search').fill('résumé coach');
  await expect.poll(names).toEqual(['Résumé coach']);
});

test('a name another prompt has is refused under the name field, keeping what was typed', async ({ page }) => {
  await openApp(page, host);
  const names = () => page.getByTestId('prompt-name').allInnerTexts();
  const row = (name: string) => libraryRow(page, name);
  const taken = 'A prompt named “Customer support” already exists: give this one another name';

  // F2 and Enter: refused, the field stays open with the name typed and says why.
  await row('Summarizer').focus();
  await page.keyboard.press('F2');
  await page.getByTestId('rename-input').fill('customer SUPPORT');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('rename-error')).toHaveText(taken);
  await expect(page.getByTestId('rename-input')).toBeFocused();
  await expect(page.getByTestId('rename-input')).toHaveValue('customer SUPPORT');
  await expect(page.getByTestId('rename-input')).toHaveAttribute('aria-invalid', 'true');
  // Typing clears it; a free name is taken.
  await page.getByTestId('rename-input').fill('Meeting summarizer');
  await expect(page.getByTestId('rename-error')).toHaveCount(0);
  await page.keyboard.press('Enter');
  await expect(row('Meeting summarizer')).toBeFocused();

  // Double-click, and a click elsewhere: refused too; Esc gives up.
  await row('JSON extractor').getByTestId('prompt-name').dblclick();
  await page.getByTestId('rename-input').fill('  Customer support ');
  await page.getByTestId('library-search').click();
  await expect(page.getByTestId('rename-error')).toHaveText(taken);
  await page.getByTestId('rename-input').press('Escape');
  await expect(page.getByTestId('rename-input')).toHaveCount(0);

  // A new prompt of a taken name is not created: the field keeps the name and says why.
  await page.getByTestId('new-prompt').click();
  await page.getByTestId('new-prompt-name').fill('json EXTRACTOR');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('new-prompt-error')).toHaveText('A prompt named “JSON extractor” already exists: give this one another name');
  await expect(page.getByTestId('new-prompt-name')).toHaveValue('json EXTRACTOR');
  await expect(page.getByTestId('new-prompt-name')).toBeFocused();
  await page.getByTestId('new-prompt-name').fill('JSON extractor, strict');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('prompt-title')).toHaveText('JSON extractor, strict');
  await expect(page.getByTestId('new-prompt-name')).toHaveCount(0);

  // Copies take the next free name.
  for (let copy = 0; copy < 2; copy += 1) {
    await row('Customer support').hover();
    await row('Customer support').getByTestId('duplicate-prompt').click();
  }
  await expect(page.getByTestId('prompt-title')).toHaveText('Customer support (copy 2)');
  await page.reload();
  await expect.poll(names).toEqual(['Customer support', 'Customer support (copy)', 'Customer support (copy 2)', 'JSON extractor', 'JSON extractor, strict', 'Meeting summarizer']);
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

test('a theme chosen while the window still reads its settings stays chosen, not undone by that older read', async ({ page }) => {
  // The connection holds the window's first read of the settings, and the saving of the theme
  // chosen meanwhile (its answer and the news of it), until the test lets each through: the
  // moment between the read's answer and the choice's own made long.
  const held = await holdBridgeMessages(page, (name) => ['settings:get', 'settings:update', 'settings:changed'].includes(name));
  const release = held.release;
  await openApp(page, host);
  await expect.poll(() => held.has('settings:get')).toBe(true);
  await page.getByTestId('theme-dark').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => held.has('settings:update') && held.has('settings:changed')).toBe(true);

  // The read answers (with the theme as it was before the click): the answer of a call made
  // after it showing proves it was taken in; the chosen theme stays.
  await release('settings:get');
  await openWorkspace(page, 'settings');
  await expect(page.getByTestId('budget-spent')).toHaveText('Spent today: $0.00');
  await expect(page.getByTestId('theme-dark')).toHaveAttribute('aria-checked', 'true');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  await release('settings:changed');
  await release('settings:update');
  await page.reload();
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  await expect(page.getByTestId('theme-dark')).toHaveAttribute('aria-checked', 'true');
});
