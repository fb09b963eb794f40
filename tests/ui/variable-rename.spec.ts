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

/** The Variables tab’s field of variable `name`. */
function variableField(page: Page, name: string) {
  return page.locator(`[data-testid="variable-field"][data-variable="${name}"]`);
}

/** A new prompt "Greeter" with `messages` as its two messages and `values` typed in the Variables tab, which is left open. */
async function openGreeter(page: Page, messages: [string, string], values: [string, string][]) {
  host = await startHost();
  await openApp(page, host);
  await createPrompt(page, 'Greeter');
  const blocks = messageBlocks(page);
  await replaceEditorText(page, blocks.nth(0), messages[0]);
  await replaceEditorText(page, blocks.nth(1), messages[1]);
  await page.getByTestId('tab-variables').click();
  for (const [name, value] of values) await variableField(page, name).getByTestId('variable-input').fill(value);
  await expectDraftSaved(page);
}

test('Rename in the Variables tab renames a variable in every message, with its value, as one step Undo takes back; the pencil under the new name has the focus', async ({ page }) => {
  await openGreeter(page, ['Greet {{ name }} in {{lang}}; {{name}} is new.', 'Hello, I am {{name}}.'], [['name', 'Ada'], ['lang', 'French']]);
  const field = (name: string) => variableField(page, name);
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
  // The keyboard is back where it was: on the variable’s pencil, under its new name.
  await expect(field('guest').getByTestId('rename-variable')).toBeFocused();

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

test('Rename in the Variables tab opens with the name selected; Escape gives up, back on the pencil, and leaving the field renames', async ({ page }) => {
  await openGreeter(page, ['Greet {{name}}.', 'Hello, I am {{name}}.'], [['name', 'Ada']]);
  const field = variableField(page, 'name');
  const before = { messages: ['Greet {{name}}.', 'Hello, I am {{name}}.'], variables: [['name', 'Ada']] };
  await expect.poll(() => shown(page)).toStrictEqual(before);

  // Typing replaces the name, selected as the field opens; Escape leaves the messages as they were.
  await field.getByTestId('rename-variable').click();
  const input = page.getByRole('textbox', { name: 'New name of {{name}}' });
  await expect(input).toBeFocused();
  await page.keyboard.type('guest');
  await expect(input).toHaveValue('guest');
  await page.keyboard.press('Escape');
  await expect(input).toBeHidden();
  await expect.poll(() => shown(page)).toStrictEqual(before);
  // The keyboard is back on the pencil, which opens the field again from there.
  await expect(field.getByTestId('rename-variable')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(input).toBeFocused();

  // A click elsewhere renames, as Enter does.
  await page.keyboard.type('guest');
  await page.getByTestId('preview').click();
  await expect(input).toBeHidden();
  await expect.poll(() => shown(page)).toStrictEqual({ messages: ['Greet {{guest}}.', 'Hello, I am {{guest}}.'], variables: [['guest', 'Ada']] });
});

test('a rename is one undoable edit in each message: Ctrl+Z there brings the old name back in it, and Ctrl+Z again undoes the typing before it', async ({ page }) => {
  await openGreeter(page, ['Greet {{name}}.', 'Hello, I am {{name}}.'], [['name', 'Ada']]);
  const blocks = messageBlocks(page);
  // Typing in the first message, then the rename.
  await blocks.nth(0).locator('.view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('Bye');
  await expectDraftSaved(page);
  await variableField(page, 'name').getByTestId('rename-variable').click();
  await page.getByTestId('variable-rename-input').fill('guest');
  await page.getByTestId('variable-rename-input').press('Enter');
  await expect.poll(() => shown(page)).toStrictEqual({ messages: ['Greet {{guest}}.Bye', 'Hello, I am {{guest}}.'], variables: [['guest', 'Ada']] });

  // Ctrl+Z in the first message takes the rename back there (the other message keeps it)…
  await blocks.nth(0).locator('.view-lines').click();
  await page.keyboard.press('Control+Z');
  await expect.poll(async () => [await editorText(blocks.nth(0)), await editorText(blocks.nth(1))]).toStrictEqual(['Greet {{name}}.Bye', 'Hello, I am {{guest}}.']);
  // …and again, the typing before it.
  await page.keyboard.press('Control+Z');
  await expect.poll(async () => [await editorText(blocks.nth(0)), await editorText(blocks.nth(1))]).toStrictEqual(['Greet {{name}}.', 'Hello, I am {{guest}}.']);
  await expectDraftSaved(page);
});
