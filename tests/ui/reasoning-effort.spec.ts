/**
 * The Reasoning select of the Model tab: "High" goes out as `reasoning_effort: "high"` to an
 * OpenAI-compatible server (through the real SDK in the browser host) and history shows it
 * beside the run; "Model default" sends no `reasoning_effort` at all, and since that is another
 * request it is not answered from the cache; the choice is stored with the draft, so the engine
 * gives it back to a reloaded window and to a browser that never saw it. A model that refuses the
 * effort still answers, and its column and history say the effort was left out; an Ollama
 * thinking model without levels is sent thinking on, and its chip, column and history say so.
 */

import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startOllamaServer, type OllamaServer } from '../fixtures/ollama-server';
import { startOpenAiServer, type OpenAiServer } from '../fixtures/openai-server';
import { startHost, type HostHandle } from './host';
import { addLmStudioEndpoint, addRunTarget, createPrompt, expectDraftSaved, messageBlocks, openApp, openWorkspace, replaceEditorText, runColumn, setProviderUrl } from './ui-support';

const SHOTS = path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const MODEL = 'gpt-oss-20b';

let openai: OpenAiServer | undefined;
let ollama: OllamaServer | undefined;
let host: HostHandle;

test.afterEach(async () => {
  await host?.stop();
  await openai?.close();
  await ollama?.close();
  openai = undefined;
  ollama = undefined;
});

/** The Reasoning select of the open prompt's Model tab. */
async function reasoningSelect(page: Page): Promise<Locator> {
  await page.getByTestId('tab-model').click();
  return page.locator('select#param-reasoningEffort');
}

/** The value a run's history detail gives for one of its parameters. */
function detailParameter(page: Page, label: string): Locator {
  return page
    .getByTestId('run-detail')
    .getByTestId('detail-parameters')
    .locator('.stats-row')
    .filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) })
    .locator('dd');
}

test('the reasoning effort is sent, shown in history, keyed in the cache and kept with the draft', async ({ page, browser }) => {
  // A reasoning model's usage: most of its output tokens went on thinking.
  openai = await startOpenAiServer({
    apiKey: null,
    models: [MODEL],
    reply: {
      usage: {
        prompt_tokens: 21,
        completion_tokens: 1306,
        total_tokens: 1327,
        completion_tokens_details: { reasoning_tokens: 1300, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
    },
  });
  host = await startHost();
  await openApp(page, host);
  await addLmStudioEndpoint(page, openai.baseUrl);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Effort');
  await replaceEditorText(page, messageBlocks(page).first(), 'Why are there two tides a day?');
  await expectDraftSaved(page);
  await addRunTarget(page, 'LM Studio', MODEL);

  // A new prompt leaves it to the model; the user asks for High.
  const select = await reasoningSelect(page);
  await expect(select).toHaveValue('');
  await expect(select.locator('option')).toHaveText(['Model default', 'Off', 'Low', 'Medium', 'High']);
  await select.selectOption({ label: 'High' });
  await expectDraftSaved(page);
  await select.focus();
  await page.screenshot({ path: path.join(SHOTS, 'model-reasoning-light.png') });

  await page.keyboard.press('Control+Enter');
  const column = runColumn(page, MODEL);
  await expect(column).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  const server = openai;
  const requests = () => server.requestsTo('/v1/chat/completions').map((request) => request.body as Record<string, unknown>);
  expect(requests()).toHaveLength(1);
  expect(requests()[0]).toMatchObject({ model: MODEL, reasoning_effort: 'high' });
  // How much of the output went on thinking, from the provider's usage.
  await expect(column.getByTestId('reasoning-tokens')).toHaveText('thought: 1,300');
  await expect(column.getByTestId('figure-output').getByTestId('figure-value')).toHaveText('1,306');

  await openWorkspace(page, 'history');
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  await page.getByTestId('history-row').click();
  await expect(detailParameter(page, 'Reasoning')).toHaveText('high');

  // Back to the model's default: the key is gone from the request, which the cache has not seen.
  await openWorkspace(page, 'prompts');
  await (await reasoningSelect(page)).selectOption({ label: 'Model default' });
  await expectDraftSaved(page);
  const firstRunId = await column.getAttribute('data-run-id');
  await page.keyboard.press('Control+Enter');
  // The new run's column, not the first run's (which is also done), before reading what was sent.
  await expect(column).not.toHaveAttribute('data-run-id', firstRunId as string);
  await expect(column).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  await expect(column.getByTestId('cached-badge')).toBeHidden();
  expect(requests()).toHaveLength(2);
  expect(requests()[1]).toMatchObject({ model: MODEL });
  expect(requests()[1]).not.toHaveProperty('reasoning_effort');

  await openWorkspace(page, 'history');
  await expect(page.getByTestId('history-row')).toHaveCount(2);
  await page.getByTestId('history-row').first().click();
  await expect(detailParameter(page, 'Reasoning')).toHaveText('provider default');

  // High again; a reloaded window, and a browser with no local copy of the draft, both show it.
  await openWorkspace(page, 'prompts');
  await (await reasoningSelect(page)).selectOption({ label: 'High' });
  await expectDraftSaved(page);
  await page.reload();
  await expect(page.getByTestId('prompt-title')).toHaveText('Effort');
  await expect(await reasoningSelect(page)).toHaveValue('high');

  const other = await browser.newContext();
  try {
    const fresh = await other.newPage();
    await openApp(fresh, host);
    await fresh.getByTestId('prompt-row').filter({ hasText: 'Effort' }).click();
    await expect(fresh.getByTestId('prompt-title')).toHaveText('Effort');
    await expect(await reasoningSelect(fresh)).toHaveValue('high');
  } finally {
    await other.close();
  }
});

test('a model that does not take the effort still answers, and its column and history say what was left out', async ({ page }) => {
  const PLAIN = 'llama-3.2-3b-instruct';
  openai = await startOpenAiServer({ apiKey: null, models: [MODEL, PLAIN], withoutReasoning: [PLAIN], reasoningRefusal: 'words' });
  host = await startHost();
  await openApp(page, host);
  await addLmStudioEndpoint(page, openai.baseUrl);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Mixed');
  await replaceEditorText(page, messageBlocks(page).first(), 'Why are there two tides a day?');
  await expectDraftSaved(page);
  await addRunTarget(page, 'LM Studio', MODEL);
  await addRunTarget(page, 'LM Studio', PLAIN);
  await (await reasoningSelect(page)).selectOption({ label: 'Low' });
  await expectDraftSaved(page);

  await page.keyboard.press('Control+Enter');
  for (const model of [MODEL, PLAIN]) await expect(runColumn(page, model)).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  const notice = `Reasoning effort not sent: ${PLAIN} does not take it`;
  await expect(runColumn(page, PLAIN).getByTestId('run-notice')).toHaveText([notice]);
  await expect(runColumn(page, MODEL).getByTestId('run-notices')).toHaveCount(0);
  await expect(runColumn(page, PLAIN).getByTestId('run-output')).toHaveText('Hello, side by side!');
  await page.screenshot({ path: path.join(SHOTS, 'runs-notice-light.png') });
  // Refused once with the effort, then answered without it; the reasoning model got it.
  const sent = openai.requestsTo('/v1/chat/completions').map((request) => request.body as Record<string, unknown>);
  expect(sent.map((body) => [body.model, body.reasoning_effort ?? null]).sort()).toStrictEqual(
    [
      [MODEL, 'low'],
      [PLAIN, 'low'],
      [PLAIN, null],
    ].sort(),
  );

  await openWorkspace(page, 'history');
  await expect(page.getByTestId('history-row')).toHaveCount(2);
  // The list marks the run a parameter was left out of, and says which on hover.
  await expect(page.getByTestId('history-row').filter({ hasText: MODEL }).getByTestId('history-notice')).toHaveCount(0);
  await expect(page.getByTestId('history-row').filter({ hasText: PLAIN }).getByTestId('history-notice')).toHaveAttribute('title', notice);
  await page.getByTestId('history-row').filter({ hasText: PLAIN }).click();
  await expect(page.getByTestId('run-detail').getByTestId('run-notice')).toHaveText([notice]);
  await expect(detailParameter(page, 'Reasoning')).toHaveText('low');
});

test('an Ollama thinking model without levels is sent thinking on for High, and its chip, column and history say so', async ({ page }) => {
  const THINKER = 'qwen3:8b';
  ollama = await startOllamaServer({
    models: [{ name: THINKER, size: 1, parameterSize: '8B', quantization: 'Q4_K_M', family: 'qwen3', capabilities: ['completion', 'thinking'] }],
  });
  host = await startHost();
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'Ollama', ollama.url);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Levels');
  await replaceEditorText(page, messageBlocks(page).first(), 'Why are there two tides a day?');
  await expectDraftSaved(page);
  await addRunTarget(page, 'Ollama', THINKER);
  await (await reasoningSelect(page)).selectOption({ label: 'High' });
  await expectDraftSaved(page);

  const notice = `Reasoning high sent as thinking on: ${THINKER} has no levels`;
  // Before Run: the chip and a line under it, in the run’s own words.
  const chip = page.getByTestId('estimate-reasoning');
  await expect(chip).toHaveText('no effort levels');
  await expect(chip).toHaveAttribute('title', notice);
  await expect(page.getByTestId('estimate-reasoning-notice')).toHaveText([`${THINKER} will run, but ${notice}`]);

  await page.keyboard.press('Control+Enter');
  await expect(runColumn(page, THINKER)).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  await expect(runColumn(page, THINKER).getByTestId('run-notice')).toHaveText([notice]);
  expect(ollama.requestsTo('/api/chat').map((request) => (request.body as { think?: unknown }).think)).toStrictEqual([true]);

  await openWorkspace(page, 'history');
  await expect(page.getByTestId('history-row').getByTestId('history-notice')).toHaveAttribute('title', notice);
  await page.getByTestId('history-row').click();
  await expect(page.getByTestId('run-detail').getByTestId('run-notice')).toHaveText([notice]);
  await expect(detailParameter(page, 'Reasoning')).toHaveText('high');
});
