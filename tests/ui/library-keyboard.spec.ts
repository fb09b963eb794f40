/**
 * The library from the keyboard: a row's Rename, Duplicate and Archive buttons take Enter and
 * Space (the row does not swallow them), and a focused row has shortcuts of its own (F2
 * renames, Ctrl+D duplicates, Delete archives with the Undo toast); Alt+N and Ctrl+P reach the
 * library from every view.
 */

import { expect, test, type Page } from '@playwright/test';
import { startHost, type HostHandle } from './host';
import { libraryRow, openApp, openWorkspace, pressIsIntercepted } from './ui-support';

let host: HostHandle;

test.beforeEach(async () => {
  host = await startHost();
});

test.afterEach(async () => {
  await host.stop();
});

const names = (page: Page) => page.getByTestId('prompt-name').allInnerTexts();

/** What has the keyboard: its test id, else its tag ("body" when nothing has it); the tests compile without the DOM library. */
function focused(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const element = document.activeElement;
    if (element === null || element === document.body) return 'body';
    return element.getAttribute('data-testid') ?? element.tagName.toLowerCase();
  })()`);
}

/** Focuses the row of `name`, then Tabs `count` times: to its Rename (1), Duplicate (2) or Archive (3) button. */
async function tabIntoRow(page: Page, name: string, count: number): Promise<void> {
  await libraryRow(page, name).focus();
  for (let index = 0; index < count; index += 1) await page.keyboard.press('Tab');
}

test('Enter and Space press the Rename, Duplicate and Archive buttons of a row', async ({ page }) => {
  await openApp(page, host);
  await libraryRow(page, 'JSON extractor').click();
  await expect(page.getByTestId('prompt-title')).toHaveText('JSON extractor');

  // Rename, with Enter: the name field opens (Esc leaves it), rather than the editor taking the keyboard.
  await tabIntoRow(page, 'JSON extractor', 1);
  await expect(libraryRow(page, 'JSON extractor').getByTestId('rename-prompt')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('rename-input')).toBeFocused();
  await expect(page.getByTestId('rename-input')).toHaveValue('JSON extractor');
  await page.keyboard.press('Escape');
  await expect(libraryRow(page, 'JSON extractor')).toBeFocused();

  // Rename, with Space.
  await tabIntoRow(page, 'JSON extractor', 1);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('rename-input')).toBeFocused();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('JSON fields');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('prompt-title')).toHaveText('JSON fields');

  // Duplicate, with Enter, then with Space.
  await tabIntoRow(page, 'JSON fields', 2);
  await expect(libraryRow(page, 'JSON fields').getByTestId('duplicate-prompt')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('prompt-title')).toHaveText('JSON fields (copy)');
  await tabIntoRow(page, 'Summarizer', 2);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('prompt-title')).toHaveText('Summarizer (copy)');

  // Archive, with Enter, then with Space.
  await tabIntoRow(page, 'JSON fields (copy)', 3);
  await expect(libraryRow(page, 'JSON fields (copy)').getByTestId('archive-prompt')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('toast').filter({ hasText: 'JSON fields (copy)' })).toContainText('Archived “JSON fields (copy)”');
  await tabIntoRow(page, 'Summarizer (copy)', 3);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('toast').filter({ hasText: 'Summarizer (copy)' })).toContainText('Archived “Summarizer (copy)”');
  await expect.poll(() => names(page)).toEqual(['Customer support', 'JSON fields', 'Summarizer']);
});

test('a focused row duplicates with Ctrl+D and archives with Delete, which Undo takes back', async ({ page }) => {
  await openApp(page, host);
  await expect(libraryRow(page, 'Customer support').getByTestId('duplicate-prompt')).toHaveAttribute('title', 'Duplicate (Ctrl+D)');
  await expect(libraryRow(page, 'Customer support').getByTestId('archive-prompt')).toHaveAttribute('title', 'Archive (Delete)');

  await libraryRow(page, 'Customer support').focus();
  await page.keyboard.press('Control+D');
  await expect(page.getByTestId('prompt-title')).toHaveText('Customer support (copy)');
  await expect.poll(() => names(page)).toEqual(['Customer support', 'Customer support (copy)', 'JSON extractor', 'Summarizer']);

  await libraryRow(page, 'Customer support (copy)').focus();
  await page.keyboard.press('Delete');
  await expect.poll(() => names(page)).toEqual(['Customer support', 'JSON extractor', 'Summarizer']);
  const toast = page.getByTestId('toast').filter({ hasText: 'Archived “Customer support (copy)”' });
  await toast.getByTestId('toast-action').click();
  await expect.poll(() => names(page)).toEqual(['Customer support', 'Customer support (copy)', 'JSON extractor', 'Summarizer']);
});

test('a screen reader finds each row’s buttons: the library is a list of rows, the open one marked current', async ({ page }) => {
  await openApp(page, host);
  await libraryRow(page, 'Summarizer').click();
  await expect(page.getByTestId('prompt-title')).toHaveText('Summarizer');
  const tree = await page.getByTestId('library-list').ariaSnapshot();
  // Buttons inside a listbox option are presentational, so they would be missing here.
  expect(tree).toContain('list "Prompts"');
  expect(tree).toMatch(/listitem:\s*- text: Summarizer[^\n]*\n\s*- button "Rename \(F2\)"\n\s*- button "Duplicate \(Ctrl\+D\)"\n\s*- button "Archive \(Delete\)"/);
  await expect(libraryRow(page, 'Summarizer')).toHaveAttribute('aria-current', 'true');
  await expect(libraryRow(page, 'Customer support')).not.toHaveAttribute('aria-current', /./);
});

test('Alt+N and Ctrl+P work from every view: Prompts opens, with the new prompt’s name field or the library’s search', async ({ page }) => {
  await openApp(page, host);
  // From a field of History, Evals, Release and Settings, as from the Prompts view.
  const places: [string, () => Promise<void>][] = [
    ['history', () => page.getByTestId('history-search').focus()],
    ['evals', () => page.getByTestId('nav-evals').focus()],
    ['release', () => page.getByTestId('nav-release').focus()],
    ['settings', () => page.keyboard.press('Control+,')],
  ];
  for (const [workspace, focus] of places) {
    await openWorkspace(page, workspace as 'history' | 'evals' | 'release' | 'settings');
    await focus();
    await page.keyboard.press('Alt+N');
    await expect(page.getByTestId('nav-prompts'), `Alt+N in ${workspace}`).toHaveAttribute('aria-current', 'page');
    await expect.poll(() => focused(page), `Alt+N in ${workspace}`).toBe('new-prompt-name');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('new-prompt-name')).toHaveCount(0);

    await openWorkspace(page, workspace as 'history' | 'evals' | 'release' | 'settings');
    await focus();
    // The browser’s Print is not what was meant.
    expect(await pressIsIntercepted(page, 'Control+P'), `Ctrl+P in ${workspace}`).toBe(true);
    await expect(page.getByTestId('nav-prompts'), `Ctrl+P in ${workspace}`).toHaveAttribute('aria-current', 'page');
    await expect.poll(() => focused(page), `Ctrl+P in ${workspace}`).toBe('library-search');
  }

  // Typed into from there: a new prompt made from History.
  await openWorkspace(page, 'history');
  await page.getByTestId('history-search').focus();
  await page.keyboard.press('Alt+N');
  await page.keyboard.type('Made from History');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('prompt-title')).toHaveText('Made from History');
});
