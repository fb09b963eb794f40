/**
 * Renaming a variable from the Variables tab: every placeholder of it in every message, in its
 * own spacing, takes the new name, its value goes with it, a name in use is refused saying why,
 * and Undo in the toast takes the whole rename back.
 */

import { expect, test, type Page } from '@playwright/test';
import { startHost, type HostHandle } from './host';
import { createPrompt, editorText, expectDraftSaved, messageBlocks, openApp, replaceEditorText } from './ui-support';

let host: HostHandle;

test.afterEach(async () => {
  await host?.stop();
});

/** What the draft shows: each message's text, and each variable of the Variables tab with its value. */
async function shown(page: Page) {
  const blocks = messageBlocks(page);
  const fields = page.getByTestId('variable-field');
  const variables: [string | null, string][] = [];
  for (const field of await fields.all()) variables.push([await field.getAttribute('data-variable'), await field.getByTestId('variable-input').inputValue()]);
  return { messages: [await editorText(blocks.nth(0)), await editorText(blocks.nth(1))], variables };
}

test('Rename in the Variables tab renames a variable in every message, with its value, as one step Undo takes back', async ({ page }) => {
  host = await startHost();
  await openApp(page, host);
  await createPrompt(page, 'Greeter');
  const blocks = messageBlocks(page);
  await replaceEditorText(page, blocks.nth(0), 'Greet {{ name }} in {{lang}}; {{name}} is new.');
  await replaceEditorText(page, blocks.nth(1), 'Hello, I am {{name}}.');
  await page.getByTestId('tab-variables').click();
  const field = (name: string) => page.locator(`[data-testid="variable-field"][data-variable="${name}"]`);
  await field('name').getByTestId('variable-input').fill('Ada');
  await field('lang').getByTestId('variable-input').fill('French');
  await expectDraftSaved(page);
  const before = { messages: ['Greet {{ name }} in {{lang}}; {{name}} is new.', 'Hello, I am {{name}}.'], variables: [['name', 'Ada'], ['lang', 'French']] };
  await expect.poll(() => shown(page)).toStrictEqual(before);

  // A name the messages use already is refused, and the field stays open saying why.
  await field('name').getByTestId('rename-variable').click();
  const input = page.getByTestId('variable-rename-input');
  await expect(input).toBeFocused();
  await input.fill('lang');
  await input.press('Enter');
  await expect(page.getByTestId('variable-rename-error')).toHaveText('The messages use {{lang}} already: choose another name');
  await input.fill('guest');
  await input.press('Enter');
  await expect(input).toBeHidden();

  await expect.poll(() => shown(page)).toStrictEqual({
    messages: ['Greet {{ guest }} in {{lang}}; {{guest}} is new.', 'Hello, I am {{guest}}.'],
    variables: [['guest', 'Ada'], ['lang', 'French']],
  });
  await expect(page.getByTestId('toast').filter({ hasText: 'Renamed' }).locator('.toast-message')).toHaveText('Renamed {{name}} to {{guest}} in 2 messages');
  await expect(page.getByTestId('preview-text')).toHaveText(['Greet Ada in French; Ada is new.', 'Hello, I am Ada.']);
  await expectDraftSaved(page);

  // Undo: every message and the value as they were.
  await page.getByTestId('toast').filter({ hasText: 'Renamed' }).getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => shown(page)).toStrictEqual(before);
  await expectDraftSaved(page);
});
