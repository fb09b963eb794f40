/**
 * Where the keyboard goes when what had it goes away: archiving a prompt, its Undo, a copy, and
 * the Undo of a restored version or a removed message. Never to the page itself.
 */

import { expect, test, type Page } from '@playwright/test';
import { startHost, type HostHandle } from './host';
import { focusedMessage, libraryRow, messageBlocks, openApp } from './ui-support';

let host: HostHandle;

test.beforeEach(async () => {
  host = await startHost();
});

test.afterEach(async () => {
  await host.stop();
});

/** What has the keyboard: a test id, with the row's prompt name inside a library row ("body" when nothing has it); the tests compile without the DOM library. */
function focused(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const element = document.activeElement;
    if (element === null || element === document.body) return 'body';
    const name = element.closest('[data-testid="prompt-row"]')?.querySelector('[data-testid="prompt-name"]')?.textContent;
    const testId = element.getAttribute('data-testid') ?? element.tagName.toLowerCase();
    return name ? testId + ' ' + name : testId;
  })()`);
}

/** Presses the Undo of the toast that says `text`, from the keyboard. */
async function undoFromKeyboard(page: Page, text: string): Promise<void> {
  await page.getByTestId('toast').filter({ hasText: text }).getByTestId('toast-action').focus();
  await page.keyboard.press('Enter');
}

test('archiving moves the keyboard to the next row, Undo and a copy to their own row', async ({ page }) => {
  await openApp(page, host);
  const names = () => page.getByTestId('prompt-name').allInnerTexts();
  await expect.poll(names).toEqual(['Customer support', 'JSON extractor', 'Summarizer']);

  // Archive pressed on the middle row: the row below has the keyboard.
  await libraryRow(page, 'JSON extractor').hover();
  await libraryRow(page, 'JSON extractor').getByTestId('archive-prompt').focus();
  await page.keyboard.press('Enter');
  await expect.poll(names).toEqual(['Customer support', 'Summarizer']);
  await expect.poll(() => focused(page)).toBe('prompt-row Summarizer');

  // Its Undo: the row is back, and has the keyboard.
  await undoFromKeyboard(page, 'Archived “JSON extractor”');
  await expect.poll(names).toEqual(['Customer support', 'JSON extractor', 'Summarizer']);
  await expect.poll(() => focused(page)).toBe('prompt-row JSON extractor');

  // The last row: the one above takes it.
  await libraryRow(page, 'Summarizer').focus();
  await page.keyboard.press('Delete');
  await expect.poll(names).toEqual(['Customer support', 'JSON extractor']);
  await expect.poll(() => focused(page)).toBe('prompt-row JSON extractor');

  // A copy has the keyboard on its own row, where it is open.
  await page.keyboard.press('Control+D');
  await expect(page.getByTestId('prompt-title')).toHaveText('JSON extractor (copy)');
  await expect.poll(() => focused(page)).toBe('prompt-row JSON extractor (copy)');

  // Shown with the archived ones, an archived row stays where it was, with the keyboard.
  await page.getByTestId('show-archived').check();
  await expect.poll(names).toEqual(['Customer support', 'JSON extractor', 'JSON extractor (copy)', 'Summarizer']);
  await libraryRow(page, 'Customer support').hover();
  await libraryRow(page, 'Customer support').getByTestId('archive-prompt').focus();
  await page.keyboard.press('Space');
  await expect(libraryRow(page, 'Customer support')).toContainText('Archived');
  await expect.poll(() => focused(page)).toBe('prompt-row Customer support');

  // Nothing left to list: the search box has it.
  await page.getByTestId('show-archived').uncheck();
  for (const name of ['JSON extractor', 'JSON extractor (copy)']) {
    await libraryRow(page, name).focus();
    await page.keyboard.press('Delete');
    await expect(libraryRow(page, name)).toHaveCount(0);
  }
  await expect.poll(names).toEqual([]);
  await expect.poll(() => focused(page)).toBe('library-search');
});

test('Undo of a restored version or a removed message gives the keyboard to the editor', async ({ page }) => {
  await openApp(page, host);
  await libraryRow(page, 'Summarizer').click();
  await expect(page.getByTestId('prompt-title')).toHaveText('Summarizer');
  await page.getByTestId('tab-versions').click();
  await page.locator('[data-testid="version-row"][data-version="1"]').getByTestId('restore-version').click();
  await expect(page.getByTestId('draft-badge')).toHaveText('Draft · from v1 · differs from v2');
  await undoFromKeyboard(page, 'Restored v1 into the draft');
  await expect(page.getByTestId('draft-badge')).toHaveText('Draft · from v2');
  await expect.poll(() => focusedMessage(page)).toBe(0);

  await expect(messageBlocks(page)).toHaveCount(2);
  await messageBlocks(page).nth(1).getByTestId('message-remove').click();
  await expect(messageBlocks(page)).toHaveCount(1);
  await undoFromKeyboard(page, 'Removed the user message');
  await expect(messageBlocks(page)).toHaveCount(2);
  await expect.poll(() => focusedMessage(page)).toBe(1);
});

test('dismissing toasts from the keyboard moves to the next toast, then back to where the keyboard was', async ({ page }) => {
  await openApp(page, host);
  for (const name of ['JSON extractor', 'Summarizer']) {
    await libraryRow(page, name).focus();
    await page.keyboard.press('Delete');
    await expect(libraryRow(page, name)).toHaveCount(0);
  }
  await expect(page.getByTestId('toast')).toHaveCount(2);
  await libraryRow(page, 'Customer support').focus();
  await page.getByTestId('toast').first().getByTestId('toast-dismiss').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('toast')).toHaveCount(1);
  await expect(page.getByTestId('toast')).toContainText('Summarizer');
  await expect.poll(() => focused(page)).toBe('toast-dismiss');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('toast')).toHaveCount(0);
  await expect.poll(() => focused(page)).toBe('prompt-row Customer support');
});
