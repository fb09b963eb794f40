/**
 * Settings › Providers as a user meets it: names two providers may not share (a preset added
 * twice gets a free one, a taken name is refused under the name field).
 */

import { expect, test } from '@playwright/test';
import { startHost, type HostHandle } from './host';
import { openApp, openWorkspace, providerCard } from './ui-support';

let host: HostHandle;

test.afterEach(async () => {
  await host?.stop();
});

test('a preset added twice gets a free name; a name another provider has is refused under the name field', async ({ page }) => {
  host = await startHost();
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  const newCard = page.locator('[data-testid="provider-card"][data-provider="new"]');
  const lmStudio = page.locator('[data-testid="add-endpoint"][data-preset="LM Studio"]');

  await lmStudio.click();
  await expect(newCard.getByTestId('provider-label')).toHaveValue('LM Studio');
  await newCard.getByTestId('provider-save').click();
  await expect(providerCard(page, 'LM Studio')).toBeVisible();
  await lmStudio.click();
  await expect(newCard.getByTestId('provider-label')).toHaveValue('LM Studio 2');
  await newCard.getByTestId('provider-url').fill('http://127.0.0.1:1235/v1');
  await newCard.getByTestId('provider-save').click();
  await expect(providerCard(page, 'LM Studio 2')).toBeVisible();

  // Renamed to a built-in provider's name, in another case: refused, said under the name, nothing saved.
  const second = providerCard(page, 'LM Studio 2');
  await second.getByTestId('provider-label').fill(' ollama ');
  await second.getByTestId('provider-save').click();
  await expect(second.getByTestId('provider-label-error')).toHaveText('A provider named “Ollama” already exists: give this one another name');
  await expect(second.getByTestId('provider-label')).toHaveAttribute('aria-invalid', 'true');
  await expect(second.getByTestId('provider-message')).toHaveCount(0);
  await page.reload();
  await openWorkspace(page, 'settings');
  await expect(page.getByTestId('provider-card')).toHaveCount(5);
  await expect(page.locator('[data-testid="provider-card"] .provider-name')).toHaveText(['OpenAI', 'Anthropic', 'Ollama', 'LM Studio', 'LM Studio 2']);

  // Typing a new name clears the refusal; a free one saves.
  await second.getByTestId('provider-label').fill('Ollama');
  await second.getByTestId('provider-save').click();
  await expect(second.getByTestId('provider-label-error')).toBeVisible();
  await second.getByTestId('provider-label').fill('LM Studio (laptop)');
  await expect(second.getByTestId('provider-label-error')).toHaveCount(0);
  await second.getByTestId('provider-save').click();
  await expect(providerCard(page, 'LM Studio (laptop)').getByTestId('provider-message')).toHaveText('Saved');
});
