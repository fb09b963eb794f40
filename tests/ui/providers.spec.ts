/**
 * Settings › Providers as a user meets it: names two providers may not share (a preset added
 * twice gets a free one, a taken name is refused under the name field), and a provider added,
 * renamed or removed in one window shows so in every other.
 */

import { expect, test } from '@playwright/test';
import { startOpenAiServer, type OpenAiServer } from '../fixtures/openai-server';
import { startHost, type HostHandle } from './host';
import { addLmStudioEndpoint, addRunTarget, createPrompt, expectDraftSaved, messageBlocks, openApp, openWorkspace, providerCard, replaceEditorText } from './ui-support';

let host: HostHandle;
let openai: OpenAiServer | undefined;

test.afterEach(async () => {
  await host?.stop();
  await openai?.close();
  openai = undefined;
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

test('a provider added, renamed or removed in one window shows so in the other at once: settings, model picker and run chips', async ({ context }) => {
  openai = await startOpenAiServer({ apiKey: null, models: ['qwen2.5-7b-instruct'] });
  host = await startHost();
  const first = await context.newPage();
  await openApp(first, host);
  await addLmStudioEndpoint(first, openai.baseUrl);
  await openWorkspace(first, 'prompts');
  await createPrompt(first, 'Shared');
  await replaceEditorText(first, messageBlocks(first).first(), 'Explain tides.');
  await expectDraftSaved(first);
  await addRunTarget(first, 'LM Studio', 'qwen2.5-7b-instruct');

  const second = await context.newPage();
  await openApp(second, host);
  await second.getByTestId('prompt-row').filter({ hasText: 'Shared' }).click();
  const chip = second.locator('[data-testid="target-chip"][data-model="qwen2.5-7b-instruct"]');
  await expect(chip.locator('.target-provider')).toHaveText('LM Studio');

  // Renamed in the first window: the second window's chip and picker say the new name.
  await first.bringToFront();
  await openWorkspace(first, 'settings');
  await providerCard(first, 'LM Studio').getByTestId('provider-label').fill('LM Studio (desk)');
  await providerCard(first, 'LM Studio').getByTestId('provider-save').click();
  await expect(providerCard(first, 'LM Studio (desk)').getByTestId('provider-message')).toHaveText('Saved');
  await second.bringToFront();
  await expect(chip.locator('.target-provider')).toHaveText('LM Studio (desk)');
  await second.getByTestId('add-model').click();
  await expect(second.getByTestId('picker-provider').locator('option')).toHaveText(['OpenAI', 'Anthropic', 'Ollama', 'LM Studio (desk)']);
  await second.keyboard.press('Escape');

  // Removed in the first window: the second window's chip goes, and so does its card.
  await first.bringToFront();
  await providerCard(first, 'LM Studio (desk)').getByTestId('provider-remove').click();
  await first.getByTestId('remove-provider-dialog').getByTestId('confirm-button').click();
  await expect(providerCard(first, 'LM Studio (desk)')).toHaveCount(0);
  await second.bringToFront();
  await expect(second.getByTestId('target-chip')).toHaveCount(0);
  await expect(second.getByTestId('runs-empty')).toHaveText(/Add models with “\+ Model”/);
  await openWorkspace(second, 'settings');
  await expect(second.locator('[data-testid="provider-card"] .provider-name')).toHaveText(['OpenAI', 'Anthropic', 'Ollama']);

  // Added in the second window: the first window's settings show it.
  await second.locator('[data-testid="add-endpoint"][data-preset="vLLM"]').click();
  await second.locator('[data-testid="provider-card"][data-provider="new"]').getByTestId('provider-save').click();
  await expect(providerCard(second, 'vLLM')).toBeVisible();
  await first.bringToFront();
  await expect(first.locator('[data-testid="provider-card"] .provider-name')).toHaveText(['OpenAI', 'Anthropic', 'Ollama', 'vLLM']);
});
