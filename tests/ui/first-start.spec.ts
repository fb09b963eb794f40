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
