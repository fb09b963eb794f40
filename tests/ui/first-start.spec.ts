/**
 * A first start, on an empty library: the centre gives the two steps to a first run (a prompt,
 * and a provider that can answer it, each said as ready or what it lacks), each with its button;
 * the run and save shortcuts say what is missing instead of doing nothing.
 */

import { expect, test } from '@playwright/test';
import { makeTempDir, startHost, type HostHandle } from './host';
import { openApp, openWorkspace } from './ui-support';

let host: HostHandle | null = null;

test.afterEach(async () => {
  await host?.stop();
  host = null;
});

test('an empty library says how to get to a first run: New prompt, and which providers can answer or what each lacks', async ({ page }) => {
  host = await startHost({ promptsDir: makeTempDir('no-prompts'), env: { OPENAI_API_KEY: 'sk-first-start' } });
  await openApp(page, host);
  const centre = page.getByTestId('empty-centre');
  await expect(centre.locator('.first-start-title')).toHaveText('Create a prompt to start.');
  expect(await page.getByTestId('first-start-providers').locator('li').allInnerTexts()).toStrictEqual([
    'OpenAI — key from OPENAI_API_KEY',
    'Anthropic — no key: set ANTHROPIC_API_KEY or enter one in Settings › Providers',
    'Ollama — no key needed · http://127.0.0.1:11434',
  ]);
  await page.screenshot({ path: 'docs/screenshots/first-start-light.png' });

  // With nothing open, the run and save shortcuts say so rather than doing nothing.
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('toast').filter({ hasText: 'No prompt is open' })).toHaveText(/No prompt is open: pick one in the library, or create one with Alt\+N/);

  // Settings › Providers takes the keyboard; back in Prompts, the steps are still there.
  await page.getByTestId('first-start-settings').click();
  await expect(page.getByTestId('settings-view')).toBeVisible();
  await expect(page.locator('#settings-start')).toBeFocused();
  await openWorkspace(page, 'prompts');
  await expect(centre.locator('.first-start-title')).toBeVisible();

  // New prompt: its name field takes the keyboard, and the prompt opens.
  await page.getByTestId('first-start-new-prompt').click();
  await expect(page.getByTestId('new-prompt-name')).toBeFocused();
  await page.keyboard.type('My first prompt');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('prompt-title')).toHaveText('My first prompt');
  await expect(centre).toHaveCount(0);
});

test('F1, ? outside a text field and Shortcuts in the status bar list the keyboard shortcuts; Esc closes the list and gives the focus back', async ({ page }) => {
  host = await startHost();
  await openApp(page, host);
  const dialog = page.getByTestId('shortcuts-dialog');
  await page.getByTestId('prompt-row').first().focus();
  await page.keyboard.press('?');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading')).toHaveText(['Anywhere', 'Prompts', 'Library', 'Evals', 'Settings']);
  await expect(dialog.locator('.shortcut-row').filter({ hasText: 'Save a version' })).toHaveText(/Ctrl\+S\s*Save a version/);
  await page.screenshot({ path: 'docs/screenshots/shortcuts-light.png' });
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('prompt-row').first()).toBeFocused();

  // In a message, ? is typed; F1 still opens the list (not Monaco's command palette).
  await page.getByTestId('prompt-row').first().click();
  const editor = page.locator('.monaco-editor').first();
  await editor.click();
  await page.keyboard.press('End');
  await page.keyboard.type('?');
  await expect(dialog).toHaveCount(0);
  await expect(editor).toContainText('?');
  await page.keyboard.press('F1');
  await expect(dialog).toBeVisible();
  await expect(page.locator('.quick-input-widget:visible')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  await page.getByTestId('shortcuts-button').click();
  await expect(dialog).toBeVisible();
});
