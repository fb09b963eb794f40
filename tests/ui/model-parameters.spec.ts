/**
 * The number parameters of the Model tab: a value its rule refuses is kept as typed, with its
 * problem, through a tab switch and a reload, the status bar says it is not saved, and Run,
 * Ctrl+Enter and Ctrl+S are refused saying which parameter and what to fix (the Model tab closed
 * too) with nothing sent; fixed, the run goes out with the value typed.
 */

import { expect, test } from '@playwright/test';
import { startOpenAiServer, type OpenAiServer } from '../fixtures/openai-server';
import { startHost, type HostHandle } from './host';
import { addLmStudioEndpoint, addRunTarget, createPrompt, expectDraftSaved, messageBlocks, openApp, openWorkspace, replaceEditorText, runColumn } from './ui-support';

const MODEL = 'qwen2.5-7b-instruct';

let openai: OpenAiServer;
let host: HostHandle;

test.afterEach(async () => {
  await host?.stop();
  await openai?.close();
});

test('a temperature the Model tab refuses is kept with its problem through a tab switch and a reload; Run and Ctrl+S are refused for it until it is fixed', async ({ page }) => {
  openai = await startOpenAiServer({ apiKey: null, models: [MODEL], reply: { tokens: ['An otter.'] } });
  host = await startHost();
  await openApp(page, host);
  await addLmStudioEndpoint(page, openai.baseUrl);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Animals');
  await replaceEditorText(page, messageBlocks(page).first(), 'Name an animal.');
  await addRunTarget(page, 'LM Studio', MODEL);

  await page.getByTestId('tab-model').click();
  const temperature = page.locator('#param-temperature');
  await temperature.fill('0.7');
  await expectDraftSaved(page);
  await temperature.fill('3');

  const problem = 'Temperature must be between 0 and 2';
  const fieldError = page.getByTestId('param-temperature').getByTestId('field-error');
  const status = page.getByTestId('draft-status');
  const shown = async () => ({ text: await temperature.inputValue(), problem: await fieldError.textContent(), status: await status.textContent() });
  const expected = { text: '3', problem, status: 'Temperature not saved — see the Model tab' };
  await expect.poll(shown).toStrictEqual(expected);

  // Ctrl+Enter is refused, saying which parameter and what to fix; nothing is sent.
  const refusal = `Temperature cannot be sent: ${problem}. Fix it under Temperature in the Model tab, or empty it for the provider’s default`;
  await temperature.press('Control+Enter');
  await expect(page.getByTestId('run-refusal')).toHaveText(refusal);
  await expect(page.getByTestId('run-button')).toHaveAttribute('title', refusal);
  expect(openai.requestsTo('/v1/chat/completions')).toHaveLength(0);
  // Nor is a version saved: the dialog says why.
  await page.keyboard.press('Control+S');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('save-version-error')).toHaveText(refusal);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('save-version-dialog')).toBeHidden();

  // With the Model tab closed, Run is still refused; back in it the 3 is there with its problem.
  await page.getByTestId('run-refusal').getByRole('button', { name: 'Dismiss' }).click();
  await page.getByTestId('tab-variables').click();
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-refusal')).toHaveText(refusal);
  expect(openai.requestsTo('/v1/chat/completions')).toHaveLength(0);
  await page.getByTestId('tab-model').click();
  await expect.poll(shown).toStrictEqual(expected);

  // A reload too.
  await page.reload();
  await expect(page.getByTestId('prompt-title')).toHaveText('Animals');
  await page.getByTestId('tab-model').click();
  await expect.poll(shown).toStrictEqual(expected);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-refusal')).toHaveText(refusal);

  // Fixed: the problem and the refusal go, and the run goes out with 1.
  await temperature.fill('1');
  await expect(fieldError).toBeHidden();
  await expect(page.getByTestId('run-refusal')).toBeHidden();
  await expectDraftSaved(page);
  await temperature.press('Control+Enter');
  await expect(runColumn(page, MODEL)).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  const sent = openai.requestsTo('/v1/chat/completions').map((request) => (request.body as { temperature?: unknown }).temperature);
  expect(sent).toStrictEqual([1]);
});
