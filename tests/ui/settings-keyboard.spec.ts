/**
 * Settings by keyboard: Ctrl+, lands in Settings, the theme switch and a provider's key source
 * are radio groups (one Tab stop, arrows choose), Enter in a provider's fields saves the card,
 * and "add to runs" keeps the focus where it was.
 */

import { expect, test, type Locator, type Page } from '@playwright/test';
import { startOllamaServer, type OllamaServer } from '../fixtures/ollama-server';
import { startHost, type HostHandle } from './host';
import { openApp, openWorkspace, providerCard, setProviderUrl } from './ui-support';

let ollama: OllamaServer;
let host: HostHandle;

test.beforeAll(async () => {
  ollama = await startOllamaServer({});
  host = await startHost({ env: { OPENAI_API_KEY: 'test-openai-key' } });
});

test.afterAll(async () => {
  await host.stop();
  await ollama.close();
});

/** What has the keyboard's focus: its test id and text, or the tag name when it has no test id (BODY). */
async function focused(page: Page): Promise<string> {
  return page.locator('body').evaluate((body) => {
    const active = body.ownerDocument.activeElement;
    const testId = active?.getAttribute('data-testid');
    return testId ? `${testId} ${active.textContent.trim()}` : (active?.tagName ?? 'none');
  });
}

/** Each choice of a radio group as "<text> <checked> <tabindex>". */
async function radios(group: Locator): Promise<string[]> {
  return group.getByRole('radio').evaluateAll((buttons) => buttons.map((button) => `${button.textContent} ${button.getAttribute('aria-checked')} ${button.getAttribute('tabindex')}`));
}

test('Ctrl+, puts the keyboard in Settings', async ({ page }) => {
  await openApp(page, host);
  await page.keyboard.press('Control+Comma');
  await expect(page.getByTestId('settings-view')).toBeVisible();
  expect(await page.locator('body').evaluate((body) => body.ownerDocument.activeElement?.closest('[data-testid="settings-view"]') !== null)).toBe(true);
  await expect(page.getByRole('button', { name: 'Providers' })).toBeFocused();
});

test('the theme switch and the key source are radio groups: one Tab stop, arrows move and choose', async ({ page }) => {
  await openApp(page, host);
  await page.getByTestId('theme-light').click();
  const themes = page.getByTestId('theme-switch');
  expect(await radios(themes)).toEqual(['System false -1', 'Light true 0', 'Dark false -1']);
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('theme-dark')).toBeFocused();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await radios(themes)).toEqual(['System false -1', 'Light false -1', 'Dark true 0']);
  // From the last, on to the first; back with the left arrow.
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('theme-system')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('theme-dark')).toBeFocused();
  expect(await radios(themes)).toEqual(['System false -1', 'Light false -1', 'Dark true 0']);

  await openWorkspace(page, 'settings');
  const card = providerCard(page, 'OpenAI');
  const sources = card.getByRole('radiogroup', { name: 'Where the key comes from' });
  expect(await radios(sources)).toEqual(['Environment true 0', 'Enter key false -1', 'No key false -1']);
  await card.getByTestId('provider-url').focus();
  // One Tab from the URL field reaches the group, on its checked choice; the next leaves it.
  await page.keyboard.press('Tab');
  await expect(card.getByTestId('key-source-environment')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(card.getByTestId('key-source-secret-store')).toBeFocused();
  await expect(card.getByTestId('provider-api-key')).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(card.getByTestId('provider-api-key')).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(card.getByTestId('key-source-secret-store')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  expect(await radios(sources)).toEqual(['Environment true 0', 'Enter key false -1', 'No key false -1']);
});

test('Enter in a provider’s name, address or key field saves the card', async ({ page }) => {
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  const card = providerCard(page, 'OpenAI');
  await card.getByTestId('provider-url').fill('http://127.0.0.1:9/v1');
  await card.getByTestId('provider-url').press('Enter');
  await expect(card.getByTestId('provider-message')).toHaveText('Saved');
  await expect(card.getByTestId('provider-save')).toBeDisabled();

  await card.getByTestId('provider-label').fill('OpenAI work');
  await card.getByTestId('provider-label').press('Enter');
  const renamed = providerCard(page, 'OpenAI work');
  await expect(renamed.getByTestId('provider-message')).toHaveText('Saved');

  await renamed.getByTestId('key-source-secret-store').click();
  await renamed.getByTestId('provider-api-key').fill('sk-entered');
  await renamed.getByTestId('provider-api-key').press('Enter');
  await expect(renamed.getByTestId('provider-message')).toHaveText('Saved');
  await expect(renamed.getByTestId('key-state')).toHaveText('key entered');
});

test('Enter on "add to runs" keeps the focus on the model, and Tab goes on to the next', async ({ page }) => {
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'Ollama', ollama.url);
  const card = providerCard(page, 'Ollama');
  await card.getByTestId('provider-test').click();
  const adds = card.getByTestId('model-add-target');
  await expect(adds).toHaveText(['add to runs', 'add to runs']);
  await adds.first().focus();
  await page.keyboard.press('Enter');
  await expect(adds).toHaveText(['in runs', 'add to runs']);
  await expect(adds.first()).toHaveAttribute('aria-disabled', 'true');
  expect(await focused(page)).toBe('model-add-target in runs');
  // Pressed again, nothing more happens.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('model-add-target add to runs');
  await page.keyboard.press('Enter');
  await expect(adds).toHaveText(['in runs', 'in runs']);
  expect(await focused(page)).toBe('model-add-target in runs');

  await openWorkspace(page, 'prompts');
  await page.getByTestId('prompt-row').first().click();
  await expect(page.getByTestId('target-chip')).toHaveCount(2);
});
