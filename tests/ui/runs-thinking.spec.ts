/**
 * A reasoning model's thinking, sent apart from the answer (an OpenAI-compatible server's
 * `reasoning_content`, through the real SDK in the browser host): the column shows "Thinking…"
 * with its size growing before the answer starts, the thinking streams into its folded block,
 * the answer stays clean, and history and the cache keep the thinking.
 */

import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startOpenAiServer, type OpenAiServer } from '../fixtures/openai-server';
import { startHost, type HostHandle } from './host';
import { addLmStudioEndpoint, addRunTarget, createPrompt, expectDraftSaved, messageBlocks, openApp, openWorkspace, replaceEditorText, runColumn } from './ui-support';

const SHOTS = path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const THINKING = ['The user', ' asks', ' about', ' tides.', ' The moon', ' pulls', ' the oceans;', ' two bulges,', ' so two', ' high tides', ' a day.'];
const ANSWER = [' Tides', ' rise', ' twice', ' a day,', ' pulled', ' by the moon.'];

let openai: OpenAiServer;
let host: HostHandle;

test.afterEach(async () => {
  await host?.stop();
  await openai?.close();
});

test('thinking streams folded above the answer, and history and the cache keep it', async ({ page }) => {
  // Thinking takes ~3 s, long enough for a loaded machine to see the answer not yet begun.
  openai = await startOpenAiServer({ apiKey: null, models: ['qwen3-8b'], reply: { reasoning: THINKING, tokens: ANSWER, chunkDelayMs: 300 } });
  host = await startHost();
  await openApp(page, host);
  await addLmStudioEndpoint(page, openai.baseUrl);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Thinking');
  await replaceEditorText(page, messageBlocks(page).first(), 'Why are there two tides a day?');
  await expectDraftSaved(page);
  await addRunTarget(page, 'LM Studio', 'qwen3-8b');

  await page.keyboard.press('Control+Enter');
  const column = runColumn(page, 'qwen3-8b');
  const thinking = column.getByTestId('run-thinking');
  // Before the answer: the folded block says it is thinking, and how much so far.
  await expect(thinking).toContainText('Thinking…');
  await expect(column.getByTestId('run-output')).toHaveText('');
  await thinking.locator('summary').click();
  await expect(column.getByTestId('run-reasoning')).toContainText('The user asks');
  await expect(column).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  await expect(column.getByTestId('run-reasoning')).toHaveText(THINKING.join(''));
  await expect(column.getByTestId('run-output')).toHaveText(ANSWER.join(''));
  await expect(thinking.locator('summary')).toHaveText(`Thinking${THINKING.join('').length} chars`);
  await page.screenshot({ path: path.join(SHOTS, 'runs-thinking-light.png') });

  // Again: from the cache, thinking included.
  await page.keyboard.press('Control+Enter');
  await expect(column.getByTestId('cached-badge')).toBeVisible();
  await expect(column.getByTestId('run-reasoning')).toHaveText(THINKING.join(''));
  expect(openai.requestsTo('/v1/chat/completions')).toHaveLength(1);

  // History keeps it beside the run.
  await openWorkspace(page, 'history');
  await page.getByTestId('history-row').last().click();
  const detail = page.getByTestId('run-detail');
  await expect(detail.getByTestId('detail-output')).toHaveText(ANSWER.join(''));
  await detail.getByTestId('detail-thinking').locator('summary').click();
  await expect(detail.getByTestId('detail-reasoning')).toHaveText(THINKING.join(''));
});
